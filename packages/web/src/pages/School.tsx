/**
 * The school (admins): name, time zone, end of day, address. Saved with the version it was
 * read at; if someone changed it meanwhile the 409 says who and when, and what was typed
 * stays: save it over theirs, or drop it and load theirs.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf, type School as SchoolRecord } from '../api/client';
import { Field } from '../forms/Field';
import { useForm } from '../forms/useForm';
import type { PageProps } from '../routes';
import { Page } from '../shell/Page';
import { LoadError, Loading } from '../shell/Status';
import { FormProblem } from '../ui/FormProblem';
import { formatInstant } from '../time';

const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Macau'];

export default function School({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school!.id;
  const school = useQuery({
    queryKey: ['school', schoolId],
    queryFn: () => data(api().GET('/schools/{schoolId}', { params: { path: { schoolId } } })),
  });
  return (
    <Page title={t('school.title')}>
      {school.error ? (
        <LoadError error={school.error} />
      ) : !school.data ? (
        <Loading />
      ) : (
        <SchoolForm school={school.data} reload={() => school.refetch().then((r) => r.data)} />
      )}
    </Page>
  );
}

const valuesOf = (s: SchoolRecord) => ({
  name: s.name,
  timezone: zoneOf(s),
  dayEnd: s.dayEnd,
  address: s.address ?? '',
});

function SchoolForm({ school, reload }: { school: SchoolRecord; reload: () => Promise<SchoolRecord | undefined> }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const form = useForm('school', valuesOf(school));
  const zone = zoneOf(school);
  const when = (iso: string) => formatInstant(iso, zone, i18n.language);

  const save = (version: number) =>
    form.submit(
      (v) =>
        api().PUT('/schools/{schoolId}', {
          params: { path: { schoolId: school.id } },
          body: { name: v.name, timezone: v.timezone, dayEnd: v.dayEnd, ...(v.address ? { address: v.address } : {}), version },
        }),
      (saved) => {
        queries.setQueryData(['school', school.id], saved);
        void queries.invalidateQueries({ queryKey: ['schools'] });
        form.reset(valuesOf(saved));
      },
    );
  const theirs = async () => {
    const latest = await reload();
    if (latest) form.reset(valuesOf(latest));
  };

  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(school.version);
      }}
    >
      <p className="hint">
        {t('school.version', { version: school.version, who: school.updatedBy, when: when(school.updatedAt) })}
      </p>
      <Field form={form} name="name" label={t('school.name')} required maxLength={80} autoComplete="organization" />
      <Field form={form} name="timezone" label={t('school.timezone')} hint={t('school.timezoneHint')}>
        {(props) => (
          <select {...props}>
            {[...new Set([...ZONES, form.values.timezone])].map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={form}
        name="dayEnd"
        label={t('school.dayEnd')}
        hint={t('school.dayEndHint')}
        type="time"
        max="18:00"
        step={300}
      />
      <Field form={form} name="address" label={t('school.address')} maxLength={200} autoComplete="street-address" />
      <FormProblem form={form} zone={zone} onOverwrite={(version) => void save(version)} onDiscard={() => void theirs()} />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : t('form.save')}
        </button>
      </div>
    </form>
  );
}

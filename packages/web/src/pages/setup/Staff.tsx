/**
 * The school's staff (admins): teachers, volunteers and external staff, with their skills,
 * weekly availability (a week grid) and checks. Dates of checks are read against the
 * school's today: expired, or expiring within 30 days, stands out; a volunteer or external
 * without a valid background check is not scheduled.
 */
import { useTranslation } from 'react-i18next';
import { api, zoneOf } from '../../api/client';
import type { paths } from '../../api/schema';
import { Field } from '../../forms/Field';
import type { PageProps } from '../../routes';
import { todayIn, type IsoDate } from '../../time';
import { daysWith, GRID_DAYS, type Availability } from './availability';
import { checkState } from './checks';
import { allPages, RecordEditor, SetupPage, StatusField, Tags, useRecordForm } from './common';
import { foldErrors, into, itemOf, joinList, orNull, setValue, splitList, toNumber } from './fields';
import { WeekGrid } from './WeekGrid';

type Staff = paths['/schools/{schoolId}/staff/{staffId}']['get']['responses'][200]['content']['application/json'];
const KINDS = ['teacher', 'volunteer', 'external'] as const;
/** the checks with a last valid day; a volunteer or external needs the background check to be scheduled */
const CHECKS = ['backgroundCheckExpiresOn', 'qualificationExpiresOn'] as const;
type CheckField = (typeof CHECKS)[number];

const valuesOf = (s: Staff | null) => ({
  name: s?.name ?? '',
  kind: s?.kind ?? 'teacher',
  skills: joinList(s?.skills ?? []),
  availability: JSON.stringify(s?.availability ?? {}),
  maxMinutesPerWeek: String(s?.maxMinutesPerWeek ?? 240),
  backgroundCheckExpiresOn: s?.backgroundCheckExpiresOn ?? '',
  qualificationExpiresOn: s?.qualificationExpiresOn ?? '',
  noPaidTutoringCommitmentOn: s?.noPaidTutoringCommitmentOn ?? '',
  phone: typeof s?.phone === 'string' ? s.phone : '',
  userId: s?.userId ?? '',
  status: s?.status ?? 'active',
});
type Values = ReturnType<typeof valuesOf>;

const bodyOf = (v: Values) => ({
  name: v.name,
  kind: v.kind as Staff['kind'],
  skills: splitList(v.skills),
  availability: JSON.parse(v.availability) as Availability as Staff['availability'],
  maxMinutesPerWeek: toNumber(v.maxMinutesPerWeek),
  backgroundCheckExpiresOn: orNull(v.backgroundCheckExpiresOn),
  qualificationExpiresOn: orNull(v.qualificationExpiresOn),
  noPaidTutoringCommitmentOn: orNull(v.noPaidTutoringCommitmentOn),
  phone: orNull(v.phone.trim()),
  userId: orNull(v.userId.trim()),
});

/** What to say about a staff member's checks: a date against the school's today (none: nothing worth saying in a list). */
function useNotes(today: IsoDate) {
  const { t } = useTranslation();
  type Note = { text: string; tone: string } | null;
  const check = (field: CheckField, date: string | null, kind: string): Note => {
    const state = checkState(date, today);
    const name = t(`setup.staff.${field}`);
    if (state === 'missing')
      return field === 'backgroundCheckExpiresOn' && kind !== 'teacher'
        ? { text: t('setup.staff.checkMissing', { name }), tone: 'check-expired' }
        : null;
    return { text: t(`setup.staff.check_${state}`, { name, date }), tone: `check-${state}` };
  };
  /** a teacher who has not signed the no-paid-tutoring commitment (the timetable warns of it) */
  const commitment = (kind: string, signedOn: string | null): Note =>
    kind === 'teacher' && !signedOn ? { text: t('setup.staff.commitmentMissing'), tone: 'check-soon' } : null;
  const all = (s: Staff) =>
    [...CHECKS.map((c) => check(c, s[c], s.kind)), commitment(s.kind, s.noPaidTutoringCommitmentOn)].filter((n) => n !== null);
  return { check, commitment, all };
}

export default function StaffPage({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school!.id;
  const zone = zoneOf(ctx.school);
  const notes = useNotes(todayIn(zone, new Date()));
  const kind = (k: string) => t(`setup.staff.kinds.${k}`);
  const days = (a: Availability) => {
    const with_ = daysWith(a);
    if (with_.join() === GRID_DAYS.join()) return t('setup.staff.weekdays');
    return with_.map((d) => t(`setup.days.${d}`)).join(t('listSeparator')) || t('setup.staff.noWindows');
  };
  return (
    <SetupPage<Staff>
      title={t('setup.staff.title')}
      intro={t('setup.staff.intro')}
      newLabel={t('setup.staff.new')}
      filterLabel={t('setup.staff.filter')}
      queryKey={['staff', schoolId]}
      load={() => allPages((query) => api().GET('/schools/{schoolId}/staff', { params: { path: { schoolId }, query } }))}
      sort={(a, b) => a.name.localeCompare(b.name, 'zh-CN')}
      nameOf={(s) => s.name}
      matches={(s, text) => [s.name, kind(s.kind), ...s.skills].some((x) => x.toLowerCase().includes(text))}
      columns={[
        { label: t('setup.staff.name'), cell: (s) => s.name },
        { label: t('setup.staff.kind'), cell: (s) => kind(s.kind) },
        { label: t('setup.staff.skills'), cell: (s) => <Tags items={s.skills} /> },
        { label: t('setup.staff.days'), cell: (s) => days(s.availability) },
        {
          label: t('setup.staff.checks'),
          cell: (s) =>
            notes.all(s).map((n) => (
              <span key={n.text} className={`check ${n.tone}`}>
                {n.text}{' '}
              </span>
            )),
        },
        { label: t('setup.status.label'), cell: (s) => t(`setup.status.${s.status}`) },
      ]}
      editor={(staff, done, cancel) => (
        <StaffForm schoolId={schoolId} zone={zone} staff={staff} done={done} cancel={cancel} notes={notes} />
      )}
    />
  );
}

function StaffForm({
  schoolId,
  zone,
  staff,
  done,
  cancel,
  notes,
}: {
  schoolId: string;
  zone: string;
  staff: Staff | null;
  done(message: string): void;
  cancel(): void;
  notes: ReturnType<typeof useNotes>;
}) {
  const { t } = useTranslation();
  const day = (d: string | number) => t(`setup.days.${d}`);
  const item = (staffId: string) => ({ params: { path: { schoolId, staffId } } });
  const folds = (v: Values) => {
    const a = JSON.parse(v.availability) as Availability;
    return [
      itemOf('skills', splitList(v.skills)),
      into('availability', ([d, i]) => {
        const w = typeof i === 'number' ? a[String(d)]?.[i] : undefined;
        return w ? `${day(d!)} ${w.start}–${w.end}` : day(d!);
      }),
    ];
  };
  const rf = useRecordForm(
    'staff',
    staff,
    valuesOf,
    {
      create: (v, key) =>
        api()
          .POST('/schools/{schoolId}/staff', {
            params: { path: { schoolId }, header: { 'Idempotency-Key': key } },
            body: bodyOf(v),
          })
          .then((out) => foldErrors(out, ...folds(v))),
      replace: (v, staffId, version) =>
        api()
          .PUT('/schools/{schoolId}/staff/{staffId}', {
            ...item(staffId),
            body: { ...bodyOf(v), status: v.status as Staff['status'], version },
          })
          .then((out) => foldErrors(out, ...folds(v))),
      get: (staffId) => api().GET('/schools/{schoolId}/staff/{staffId}', item(staffId)),
    },
    (s) => done(t('setup.saved', { what: s.name })),
  );
  const { form, current } = rf;
  const v = form.values;
  const what = current?.name ?? '';
  const grid = form.input('availability');
  const commitment = notes.commitment(v.kind, v.noPaidTutoringCommitmentOn || null);
  return (
    <RecordEditor
      title={current ? t('setup.editTitle', { what }) : t('setup.staff.new')}
      zone={zone}
      rf={rf}
      onBack={cancel}
      deletion={{
        what,
        remove: (s) =>
          api().DELETE('/schools/{schoolId}/staff/{staffId}', {
            params: { path: { schoolId, staffId: s.id }, query: { version: s.version } },
          }),
        onDeleted: () => done(t('setup.deleted', { what })),
      }}
    >
      <Field form={form} name="name" label={t('setup.staff.name')} required maxLength={60} autoComplete="off" />
      <Field form={form} name="kind" label={t('setup.staff.kind')} hint={t('setup.staff.kindHint')}>
        {(props) => (
          <select {...props}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`setup.staff.kinds.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={form}
        name="skills"
        label={t('setup.staff.skills')}
        hint={t('setup.staff.skillsHint')}
        autoCapitalize="none"
        spellCheck={false}
      />
      <WeekGrid
        id={grid.id}
        label={t('setup.staff.availability')}
        hint={t('setup.staff.availabilityHint')}
        error={form.error('availability')}
        errorId={form.errorId('availability')}
        value={JSON.parse(v.availability) as Availability}
        onChange={(a) => setValue(form, 'availability', JSON.stringify(a))}
      />
      <Field
        form={form}
        name="maxMinutesPerWeek"
        label={t('setup.staff.maxMinutes')}
        hint={t('setup.staff.maxMinutesHint')}
        type="number"
        inputMode="numeric"
        min={0}
        max={3000}
        step={15}
      />
      <fieldset>
        <legend>{t('setup.staff.checks')}</legend>
        {CHECKS.map((c) => {
          const n = notes.check(c, v[c] || null, v.kind);
          return (
            <div key={c}>
              <Field form={form} name={c} label={t(`setup.staff.${c}`)} hint={t('setup.staff.validUntil')} type="date" />
              {n && <p className={`check-note ${n.tone}`}>{n.text}</p>}
            </div>
          );
        })}
        <Field
          form={form}
          name="noPaidTutoringCommitmentOn"
          label={t('setup.staff.commitment')}
          hint={t('setup.staff.commitmentHint')}
          type="date"
        />
        {commitment && <p className={`check-note ${commitment.tone}`}>{commitment.text}</p>}
      </fieldset>
      <Field form={form} name="phone" label={t('setup.staff.phone')} type="tel" autoComplete="off" />
      <Field form={form} name="userId" label={t('setup.staff.userId')} hint={t('setup.staff.userIdHint')} autoComplete="off" />
      {current && <StatusField form={form} hint={t('setup.staff.statusHint')} />}
    </RecordEditor>
  );
}

/**
 * The term's notice: admins write it (Chinese and English, the dates guardians may answer
 * between, whether the child signs too) and publish it, then revise it with the version they
 * read (a stale one: who changed it and when, what was typed kept); teachers read it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { Field } from '../../forms/Field';
import { useForm } from '../../forms/useForm';
import { LoadError, Loading } from '../../shell/Status';
import { addDays, formatInstant, todayIn } from '../../time';
import { FormProblem } from '../../ui/FormProblem';
import type { Notice } from '../family/types';
import { idempotencyKeys } from '../family/values';
import { formatDate } from '../family/words';
import type { TabProps } from './OptOuts';

export function NoticeEditor({ schoolId, zone, termId, canWrite }: TabProps & { canWrite: boolean }) {
  const { t } = useTranslation();
  const notice = useNotice(schoolId, termId);
  if (notice.error) return <LoadError error={notice.error} />;
  if (notice.data === undefined) return <Loading />;
  if (!canWrite) return notice.data ? <NoticeShown notice={notice.data} /> : <p>{t('family.admin.notice.none')}</p>;
  return (
    <NoticeForm
      schoolId={schoolId}
      zone={zone}
      termId={termId}
      notice={notice.data}
      reload={() => notice.refetch().then((r) => r.data)}
    />
  );
}

/** The term's notice, or null before it is published. */
export function useNotice(schoolId: string, termId: string) {
  return useQuery({
    queryKey: ['notice', schoolId, termId],
    queryFn: async () => {
      const out = await api().GET('/schools/{schoolId}/terms/{termId}/notice', { params: { path: { schoolId, termId } } });
      return out.response.status === 404 ? null : data(Promise.resolve(out));
    },
  });
}

function NoticeShown({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <article className="card notice">
      <h2>{en ? notice.titleEn : notice.titleZh}</h2>
      <p className="hint">
        {t('family.admin.notice.window', {
          from: formatDate(notice.opensOn, i18n.language),
          to: formatDate(notice.closesOn, i18n.language),
        })}
      </p>
      <div className="notice-body">{en ? notice.bodyEn : notice.bodyZh}</div>
    </article>
  );
}

const valuesOf = (n: Notice | null, today: string) => ({
  titleZh: n?.titleZh ?? '',
  titleEn: n?.titleEn ?? '',
  bodyZh: n?.bodyZh ?? '',
  bodyEn: n?.bodyEn ?? '',
  opensOn: n?.opensOn ?? today,
  closesOn: n?.closesOn ?? addDays(today, 14),
  childSignature: n && !n.childSignature ? 'no' : 'yes',
});

function NoticeForm({
  schoolId,
  zone,
  termId,
  notice,
  reload,
}: {
  schoolId: string;
  zone: string;
  termId: string;
  notice: Notice | null;
  reload: () => Promise<Notice | null | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const today = todayIn(zone, new Date());
  const form = useForm('notice', valuesOf(notice, today));
  const [keyFor] = useState(() => idempotencyKeys());
  const path = { schoolId, termId };
  const save = (version = notice?.version) =>
    form.submit(
      (v) => {
        const body = { ...v, childSignature: v.childSignature === 'yes' };
        return notice && version !== undefined
          ? api().PUT('/schools/{schoolId}/terms/{termId}/notice', { params: { path }, body: { ...body, version } })
          : api().POST('/schools/{schoolId}/terms/{termId}/notice', {
              params: { path, header: { 'Idempotency-Key': keyFor(body) } },
              body,
            });
      },
      (saved) => {
        queries.setQueryData(['notice', schoolId, termId], saved);
        void queries.invalidateQueries({ queryKey: ['notice-progress', schoolId, termId] });
        form.reset(valuesOf(saved, today));
      },
    );
  return (
    <form
      className="card form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="hint">
        {notice
          ? t('family.admin.notice.published', {
              version: notice.version,
              who: notice.updatedBy,
              when: formatInstant(notice.updatedAt, zone, i18n.language),
            })
          : t('family.admin.notice.draft')}
      </p>
      <Field form={form} name="titleZh" label={t('family.admin.notice.titleZh')} maxLength={120} lang="zh-CN" />
      <Field form={form} name="bodyZh" label={t('family.admin.notice.bodyZh')}>
        {(props) => <textarea {...props} rows={8} maxLength={10000} lang="zh-CN" />}
      </Field>
      <Field form={form} name="titleEn" label={t('family.admin.notice.titleEn')} maxLength={120} lang="en" />
      <Field form={form} name="bodyEn" label={t('family.admin.notice.bodyEn')}>
        {(props) => <textarea {...props} rows={6} maxLength={10000} lang="en" />}
      </Field>
      <Field
        form={form}
        name="opensOn"
        type="date"
        label={t('family.admin.notice.opensOn')}
        hint={t('family.admin.notice.opensOnHint')}
      />
      <Field
        form={form}
        name="closesOn"
        type="date"
        label={t('family.admin.notice.closesOn')}
        hint={t('family.admin.notice.closesOnHint')}
      />
      <div className="homework">
        <label className="check">
          <input
            type="checkbox"
            checked={form.values.childSignature === 'yes'}
            onChange={(e) => form.set({ childSignature: e.target.checked ? 'yes' : 'no' })}
          />
          {t('family.admin.notice.childSignature')}
        </label>
      </div>
      <FormProblem
        form={form}
        zone={zone}
        onOverwrite={(version) => void save(version)}
        onDiscard={() =>
          void reload().then((latest) => {
            if (latest !== undefined) form.reset(valuesOf(latest, today));
          })
        }
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : t(notice ? 'form.save' : 'family.admin.notice.publish')}
        </button>
      </div>
    </form>
  );
}

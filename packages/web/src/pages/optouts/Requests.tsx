/**
 * Late requests (made after the notice closed), oldest first: what the guardian asks for and
 * why; the admin approves, or declines with a reason the guardian sees.
 */
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { Field } from '../../forms/Field';
import { useForm } from '../../forms/useForm';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { FormProblem } from '../../ui/FormProblem';
import { Signed } from '../family/FormHistory';
import { FormState } from '../family/FormState';
import { formChanged } from '../family/queries';
import type { OptOutForm } from '../family/types';
import { idempotencyKeys } from '../family/values';
import type { TabProps } from './OptOuts';

export function Requests({ schoolId, zone, termId }: TabProps) {
  const { t } = useTranslation();
  const [done, setDone] = useState('');
  const requests = useInfiniteQuery({
    queryKey: ['optout-requests', schoolId, termId],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/optout-requests', {
          params: { path: { schoolId, termId }, query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = requests.data?.pages.flatMap((x) => x.items) ?? [];
  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">{t('family.admin.requests.title')}</h2>
      <p role="status" className="form-saved">
        {done}
      </p>
      {requests.error ? (
        <LoadError error={requests.error} />
      ) : !requests.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('family.admin.requests.none')}</p>
      ) : (
        <ul className="cards plain">
          {items.map((f) => (
            <Request key={`${f.studentNo}-${f.version}`} form={f} zone={zone} onDecided={setDone} />
          ))}
        </ul>
      )}
      {requests.hasNextPage && (
        <button type="button" disabled={requests.isFetchingNextPage} onClick={() => void requests.fetchNextPage()}>
          {t('people.more')}
        </button>
      )}
    </section>
  );
}

function Request({ form: f, zone, onDecided }: { form: OptOutForm; zone: string; onDecided: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const r = f.request!;
  const prefix = `decide-${f.studentNo}`;
  const form = useForm(prefix, { reason: '' });
  const [keyFor] = useState(() => idempotencyKeys());
  const child = t('family.child', { name: f.studentName, no: f.studentNo });
  const [last, setLast] = useState<'approve' | 'decline'>('approve');
  const decide = (decision: 'approve' | 'decline', version = f.version) => {
    setLast(decision);
    return form.submit(
      (v) => {
        const body = { version, decision, reason: v.reason.trim() || null };
        return api().POST('/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/decision', {
          params: {
            path: { schoolId: f.schoolId, termId: f.termId, studentNo: f.studentNo },
            header: { 'Idempotency-Key': keyFor(body) },
          },
          body,
        });
      },
      () => {
        formChanged(queries, f.schoolId);
        onDecided(t(`family.admin.requests.${decision}d`, { child }));
      },
    );
  };
  const headingId = `${prefix}-h`;
  return (
    <li className="card" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {child} · {t('family.class', { grade: f.gradeLevel, homeroom: f.homeroom })}
      </h3>
      <p>
        {t('family.admin.requests.asked', {
          who: f.actor.name ?? r.requestedBy,
          when: formatInstant(r.requestedAt, zone, i18n.language),
          what: t(`family.history.asked.${r.action}`),
        })}
      </p>
      {r.optOut && <Signed o={r.optOut} zone={zone} />}
      {r.note && <p>{t('family.history.note', { note: r.note })}</p>}
      <details className="history-box">
        <summary>{t('family.admin.requests.now')}</summary>
        <FormState form={{ ...f, request: null }} name={f.studentName} />
      </details>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void decide('approve');
        }}
      >
        <Field form={form} name="reason" label={t('family.admin.requests.reason')} hint={t('family.admin.requests.reasonHint')}>
          {(props) => <textarea {...props} rows={2} maxLength={500} />}
        </Field>
        <FormProblem
          form={form}
          zone={zone}
          onOverwrite={(version) => void decide(last, version)}
          onDiscard={() => formChanged(queries, f.schoolId)}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={form.saving}>
            {t('family.admin.requests.approve')}
          </button>
          <button type="button" className="danger" disabled={form.saving} onClick={() => void decide('decline')}>
            {t('family.admin.requests.decline')}
          </button>
        </div>
      </form>
    </li>
  );
}

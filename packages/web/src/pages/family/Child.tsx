/**
 * A child's page for their guardian: the term's notice (opened by reading it here), what they
 * answered and the way to answer, amend or withdraw it (after closing, as a request the school
 * decides, with its answer shown), the form's history, and the child's week.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, zoneOf } from '../../api/client';
import { readProblem, type ProblemInfo } from '../../api/problem';
import { PATHS } from '../../paths';
import type { PageContext } from '../../routes';
import { Link } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { Confirm } from '../people/Confirm';
import { FormHistory, Signed } from './FormHistory';
import { FormState } from './FormState';
import { OptOutEditor } from './OptOutEditor';
import { formChanged, useChildNotice, useChildNotices } from './queries';
import type { ChildNotice, OptOutForm } from './types';
import { idempotencyKeys } from './values';
import { Week } from './Week';
import { formatDate, type ChildRef } from './words';

export default function Child({ ctx, child, termId }: { ctx: PageContext; child: ChildRef; termId: string | null }) {
  const { t } = useTranslation();
  const school = ctx.schools.get(child.schoolId);
  const zone = zoneOf(school);
  const notices = useChildNotices(child);
  const items = notices.data?.items ?? [];
  const term = termId ?? (items.find((n) => n.window === 'open') ?? items[0])?.termId;
  return (
    <Page title={child.name}>
      <p>
        <Link to={PATHS.family}>{t('family.back')}</Link>
      </p>
      <p className="hint">
        {[
          school?.name,
          t('family.class', { grade: child.gradeLevel, homeroom: child.homeroom }),
          t('family.studentNo', { no: child.studentNo }),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {notices.error ? (
        <LoadError error={notices.error} />
      ) : !notices.data ? (
        <Loading />
      ) : term ? (
        <NoticeAndAnswer child={child} termId={term} zone={zone} />
      ) : (
        <p>{t('family.noNotice')}</p>
      )}
      <Week child={child} zone={zone} />
    </Page>
  );
}

function NoticeAndAnswer({ child, termId, zone }: { child: ChildRef; termId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const cn = useChildNotice(child, termId);
  if (cn.error) return <LoadError error={cn.error} />;
  if (!cn.data) return <Loading />;
  const n = cn.data.notice;
  const en = i18n.language === 'en';
  return (
    <>
      <article className="card notice" aria-labelledby="notice-title">
        <h2 id="notice-title">{en ? n.titleEn : n.titleZh}</h2>
        <p className="hint">
          {t('family.notice.dates', {
            term: cn.data.termName,
            from: formatDate(n.opensOn, i18n.language),
            to: formatDate(n.closesOn, i18n.language),
          })}
        </p>
        <div className="notice-body" lang={en ? 'en' : 'zh-CN'}>
          {en ? n.bodyEn : n.bodyZh}
        </div>
      </article>
      <Answer child={child} cn={cn.data} zone={zone} reload={() => cn.refetch().then((r) => r.data)} />
    </>
  );
}

/** What the guardian answered, and what they may do now. */
function Answer({
  child,
  cn,
  zone,
  reload,
}: {
  child: ChildRef;
  cn: ChildNotice;
  zone: string;
  reload: () => Promise<ChildNotice | undefined>;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [done, setDone] = useState('');
  const form = cn.form;
  const closed = cn.window === 'closed';
  const pending = form?.request?.state === 'pending';
  const saved = (f: OptOutForm, message: string) => {
    queries.setQueryData(['child-notice', child.schoolId, child.studentNo, cn.termId], { ...cn, form: f });
    formChanged(queries, child.schoolId);
    setEditing(false);
    setDone(message);
  };
  return (
    <section className="card answer" aria-labelledby="answer-title">
      <h2 id="answer-title">{t('family.answer.title')}</h2>
      <FormState form={form} name={child.name} />
      {form?.status === 'opted-out' && form.optOut && <Signed o={form.optOut} zone={zone} choice={false} />}
      <p role="status" className="form-saved">
        {done}
      </p>
      {editing ? (
        <OptOutEditor
          child={child}
          cn={cn}
          zone={zone}
          reload={reload}
          onCancel={() => setEditing(false)}
          onSaved={(f) => saved(f, t(f.request?.state === 'pending' ? 'family.answer.requested' : 'family.answer.saved'))}
        />
      ) : pending ? (
        <p>{t('family.answer.waiting')}</p>
      ) : (
        <div className="actions">
          <button type="button" className="primary" onClick={() => (setDone(''), setEditing(true))}>
            {t(
              form?.status === 'opted-out'
                ? closed
                  ? 'family.answer.requestAmend'
                  : 'family.answer.amend'
                : closed
                  ? 'family.answer.requestOut'
                  : 'family.answer.optOut',
            )}
          </button>
          {form?.status === 'opted-out' && (
            <Withdraw
              child={child}
              cn={cn}
              form={form}
              onDone={(f) => saved(f, t(closed ? 'family.answer.requested' : 'family.answer.withdrawn', { name: child.name }))}
            />
          )}
        </div>
      )}
      {form && (
        <details className="history-box">
          <summary>{t('family.history.title')}</summary>
          <FormHistory schoolId={child.schoolId} termId={cn.termId} studentNo={child.studentNo} zone={zone} />
        </details>
      )}
    </section>
  );
}

/** Withdraws the form after asking (the child takes part again); after closing, a request with a note. */
function Withdraw({
  child,
  cn,
  form,
  onDone,
}: {
  child: ChildRef;
  cn: ChildNotice;
  form: OptOutForm;
  onDone: (f: OptOutForm) => void;
}) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [keyFor] = useState(() => idempotencyKeys());
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const closed = cn.window === 'closed';
  const withdraw = async () => {
    const body = { version: form.version, asRequest: closed, note: closed ? note.trim() || null : null };
    setBusy(true);
    setProblem(null);
    try {
      const out = await api().POST('/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/withdraw', {
        params: {
          path: { schoolId: child.schoolId, termId: cn.termId, studentNo: child.studentNo },
          header: { 'Idempotency-Key': keyFor(body) },
        },
        body,
      });
      if (out.data) onDone(out.data);
      else setProblem(readProblem(out.response.status, out.error));
    } catch {
      setProblem({ status: 0, detail: '', fields: {} });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy} onClick={() => dialog.current?.showModal()}>
        {t(closed ? 'family.withdraw.request' : 'family.withdraw.button')}
      </button>
      <Confirm
        dialog={dialog}
        title={t('family.withdraw.title', { name: child.name })}
        action={t(closed ? 'family.withdraw.sendRequest' : 'family.withdraw.confirm')}
        onConfirm={() => void withdraw()}
      >
        <p>{t(closed ? 'family.withdraw.lateText' : 'family.withdraw.text', { name: child.name })}</p>
        {closed && (
          <div className="field">
            <label htmlFor="withdraw-note">{t('family.form.note')}</label>
            <textarea id="withdraw-note" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
        )}
      </Confirm>
      <div role="alert" className="form-problem">
        {problem && <p>{problem.status ? t('form.problem', { detail: problem.detail }) : t('form.offline')}</p>}
      </div>
    </>
  );
}

/**
 * A child's enrolment history in a term ("who changed this?"): every change to the child's
 * places and waitlist positions across the term's classes, newest first — the class, what
 * happened, who did it and when (in the school's zone), a page at a time. The guardian sees it
 * on club choice; the admin on the enrolment page, for a child chosen by student number or from
 * a class's list (`?child=`).
 */
import './history.css';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { PATHS } from '../../paths';
import { navigate, useSearch } from '../../router';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';

const PAGE = 20;

/** Its query key starts with the child's club-choice view's, so that whatever refreshes that view refreshes this too. */
export const historyKey = (schoolId: string, termId: string, studentNo: string) => [
  'child-enrolment',
  schoolId,
  termId,
  studentNo,
  'history',
];

export function ChildHistory(p: { schoolId: string; termId: string; studentNo: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const path = { schoolId: p.schoolId, termId: p.termId, studentNo: p.studentNo };
  const history = useInfiniteQuery({
    queryKey: historyKey(p.schoolId, p.termId, p.studentNo),
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/history', {
          params: { path, query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  if (history.error) return <LoadError error={history.error} />;
  if (!history.data) return <Loading />;
  const lines = history.data.pages.flatMap((page) => page.items);
  return (
    <>
      {lines.length === 0 ? (
        <p className="hint">{t('enrolmentHistory.none')}</p>
      ) : (
        <ol className="history">
          {lines.map((e) => (
            <li key={`${e.at}#${e.classId}#${e.action}`}>
              <strong>{t('enrolmentHistory.line', { what: e.what, action: t(`enrolmentHistory.action.${e.action}`) })}</strong>
              {e.note && ` ${t('enrolmentHistory.note', { note: e.note })}`}
              <br />
              <span className="hint">
                <time dateTime={e.at}>{formatInstant(e.at, p.zone, i18n.language)}</time> ·{' '}
                {t('enrolmentHistory.by', { by: e.byName })}
              </span>
            </li>
          ))}
        </ol>
      )}
      {history.hasNextPage && (
        <button type="button" disabled={history.isFetchingNextPage} onClick={() => void history.fetchNextPage()}>
          {t('enrolmentHistory.more')}
        </button>
      )}
    </>
  );
}

/** The admin's: a child by student number (or `?child=`, a class list's link), and their history. */
export function ChildHistoryPanel({ schoolId, termId, zone }: { schoolId: string; termId: string; zone: string }) {
  const { t } = useTranslation();
  const child = new URLSearchParams(useSearch()).get('child') ?? '';
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (child) section.current?.scrollIntoView({ block: 'start' });
  }, [child]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const no = String(new FormData(e.currentTarget).get('studentNo')).trim();
    navigate(`${PATHS.enrolment}?child=${encodeURIComponent(no)}`);
  };
  return (
    <section className="card" aria-labelledby="child-history-h" ref={section}>
      <h2 id="child-history-h">{t('enrolmentHistory.title')}</h2>
      <form className="stack" onSubmit={submit}>
        <label htmlFor="history-child">{t('enrolmentHistory.studentNo')}</label>
        <input id="history-child" name="studentNo" key={child} defaultValue={child} required inputMode="numeric" />
        <button type="submit">{t('enrolmentHistory.show')}</button>
      </form>
      {child && <ChildHistory schoolId={schoolId} termId={termId} studentNo={child} zone={zone} />}
    </section>
  );
}

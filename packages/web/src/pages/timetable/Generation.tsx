/**
 * Generating the draft: a job. The button asks for one (202), then the page polls its status
 * resource and says where it is — queued, running, finished with the draft, or failed with the
 * reason. The job is remembered for this tab, so coming back to the page goes on showing it.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data } from '../../api/client';
import { timetableZh } from '../../i18n/timetable.zh-CN';
import { keys, reloadTimetable, TT, type Job, type Where } from './api';

const POLL_MS = 1000;
/** the failures the page words itself; any other is told in the API's words */
const EXPLAINED = new Set(Object.keys(timetableZh.generate.why));
const over = (j: Job | undefined) => j?.state === 'finished' || j?.state === 'failed';

export function Generation({
  w,
  draft,
  onFinished,
}: {
  w: Where;
  /** the term's draft now: what a finished generation made is said only while it is the draft */
  draft: number | null;
  onFinished: () => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const stored = `kehou.generation.${w.termId}`;
  const [jobId, setJobId] = useState(() => sessionStorage.getItem(stored));
  const [fresh, setFresh] = useState(false);
  const [withEnrolments, setWithEnrolments] = useState(false);
  const start = useMutation({
    mutationFn: () =>
      data(
        api().POST(`${TT}/generate`, {
          params: { path: w, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { fresh, withEnrolments },
        }),
      ),
    onSuccess: (job) => {
      sessionStorage.setItem(stored, job.jobId);
      setJobId(job.jobId);
    },
  });
  const job = useQuery({
    queryKey: keys.job(w, jobId ?? ''),
    enabled: jobId !== null,
    queryFn: () => data(api().GET(`${TT}/jobs/{jobId}`, { params: { path: { ...w, jobId: jobId! } } })),
    refetchInterval: (q) => (over(q.state.data) || q.state.error ? false : POLL_MS),
  });
  const j = job.data?.jobId === jobId ? job.data : undefined;
  // a job that ended, or that cannot be read (gone), is not shown again on coming back
  useEffect(() => {
    if (job.error) sessionStorage.removeItem(stored);
  }, [job.error, stored]);
  useEffect(() => {
    if (!over(j)) return;
    sessionStorage.removeItem(stored);
    if (j!.state === 'finished') {
      void reloadTimetable(queries, w);
      onFinished();
    }
    // once per job and state
  }, [j?.jobId, j?.state]);
  const running = jobId !== null && !over(j) && !job.error;

  const why = (rule: string | undefined, detail: string) =>
    rule && EXPLAINED.has(rule) ? t(`timetable.generate.why.${rule}`, { detail }) : detail;
  const failed = start.error
    ? start.error instanceof ApiError && start.error.problem.status === 409
      ? t('timetable.generate.busy')
      : t('timetable.generate.failed', {
          why: start.error instanceof ApiError ? start.error.problem.detail : start.error.message,
        })
    : j?.state === 'failed'
      ? t('timetable.generate.failed', { why: why(j.problem?.rule, j.problem?.detail ?? j.message ?? '') })
      : job.error
        ? t('timetable.generate.failed', { why: job.error.message })
        : '';

  return (
    <div className="generation">
      <p className="hint" id="tt-generate-hint">
        {t('timetable.generate.hint')}
      </p>
      <label className="check">
        <input type="checkbox" checked={fresh} onChange={(e) => setFresh(e.target.checked)} />
        <span>{t('timetable.generate.fresh')}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={withEnrolments} onChange={(e) => setWithEnrolments(e.target.checked)} />
        <span>{t('timetable.generate.withEnrolments')}</span>
      </label>
      <div className="actions">
        <button
          type="button"
          className="primary"
          aria-describedby="tt-generate-hint"
          disabled={start.isPending || running}
          onClick={() => start.mutate()}
        >
          {t('timetable.generate.button')}
        </button>
      </div>
      <div role="status" className="job">
        {running && (
          <>
            <p>{j?.state === 'running' ? t('timetable.generate.running') : t('timetable.generate.queued')}</p>
            <progress aria-label={t('timetable.generate.progress')} />
          </>
        )}
        {j?.state === 'finished' && j.draft && j.draft.number === draft && (
          <p>{t('timetable.generate.finished', { number: j.draft.number, count: j.draft.sessionCount })}</p>
        )}
      </div>
      <div role="alert" className="error">
        {failed && <p>{failed}</p>}
      </div>
    </div>
  );
}

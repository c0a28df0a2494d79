/**
 * The admin's club choice: a term's selection window (mode, when it opens and closes in the
 * school's zone, N, how many a guardian ranks, the withdrawal cut-off), and a class's enrolled
 * children and waitlist, with seats left; a child removed moves the first eligible waiter up.
 * Once a ranked window has closed: run the allocation, review the draft, publish it (each a job the
 * page waits for); the publication names the children whose grant a filled class could not honour.
 */
import './enrolment.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, zoneOf } from '../../api/client';
import { readProblem } from '../../api/problem';
import type { paths } from '../../api/schema';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { ChildHistoryPanel } from './ChildHistory';

export default function EnrolmentAdmin({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school?.id;
  const terms = useQuery({
    queryKey: ['terms', schoolId],
    enabled: schoolId !== undefined,
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/terms', { params: { path: { schoolId: schoolId! }, query: { limit: 100 } } })),
  });
  const [termId, setTermId] = useState<string>('');
  if (!schoolId) return <Page title={t('enrolment.admin.title')}>{null}</Page>;
  if (terms.error) return <LoadError error={terms.error} />;
  if (!terms.data) return <Loading />;
  const term = termId || terms.data.items[0]?.id || '';
  return (
    <Page title={t('enrolment.admin.title')}>
      <label htmlFor="enrol-term">{t('enrolment.admin.term')}</label>
      <select id="enrol-term" value={term} onChange={(e) => setTermId(e.target.value)}>
        {terms.data.items.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
      {term && <WindowForm key={term} schoolId={schoolId} termId={term} />}
      {term && <AllocationPanel key={`a-${term}`} schoolId={schoolId} termId={term} />}
      {term && <ClassLists key={`c-${term}`} schoolId={schoolId} termId={term} />}
      {term && <ChildHistoryPanel key={`h-${term}`} schoolId={schoolId} termId={term} zone={zoneOf(ctx.school)} />}
    </Page>
  );
}

/** The term's selection window (null: none yet), one query for the form and the allocation. */
const windowQuery = (schoolId: string, termId: string) => ({
  queryKey: ['enrolment-window', schoolId, termId],
  queryFn: async () => {
    const r = await api().GET('/schools/{schoolId}/terms/{termId}/enrolment/window', {
      params: { path: { schoolId, termId } },
    });
    return r.data ?? null;
  },
});

function WindowForm({ schoolId, termId }: { schoolId: string; termId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { schoolId, termId };
  const current = useQuery(windowQuery(schoolId, termId));
  const [said, setSaid] = useState('');
  const save = useMutation({
    mutationFn: (body: {
      mode: 'ranked' | 'fcfs';
      opensAt: string;
      closesAt: string;
      places: number;
      choices: number;
      withdrawUntil: string;
      version: number;
    }) => data(api().PUT('/schools/{schoolId}/terms/{termId}/enrolment/window', { params: { path }, body })),
    onSuccess: async () => {
      setSaid(t('enrolment.admin.saved'));
      await queries.invalidateQueries({ queryKey: ['enrolment-window', schoolId, termId] });
    },
  });
  if (current.error) return <LoadError error={current.error} />;
  if (current.data === undefined) return <Loading />;
  const w = current.data;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      mode: f.get('mode') === 'ranked' ? 'ranked' : 'fcfs',
      opensAt: String(f.get('opensAt')),
      closesAt: String(f.get('closesAt')),
      places: Number(f.get('places')),
      choices: Number(f.get('choices')),
      withdrawUntil: String(f.get('withdrawUntil')),
      version: w?.version ?? 0,
    });
  };
  return (
    <section className="card" aria-labelledby="window-h">
      <h2 id="window-h">{t('enrolment.admin.window')}</h2>
      {w && (
        <p className="hint">
          {t(`enrolment.window.${w.state}`, { opens: w.opensAt.replace('T', ' '), closes: w.closesAt.replace('T', ' ') })}
        </p>
      )}
      <form onSubmit={submit} className="stack">
        <label htmlFor="w-mode">{t('enrolment.admin.mode')}</label>
        <select id="w-mode" name="mode" defaultValue={w?.mode ?? 'ranked'}>
          <option value="ranked">{t('enrolment.admin.ranked')}</option>
          <option value="fcfs">{t('enrolment.admin.fcfs')}</option>
        </select>
        <label htmlFor="w-opens">{t('enrolment.admin.opensAt')}</label>
        <input id="w-opens" name="opensAt" type="datetime-local" required defaultValue={w?.opensAt} />
        <label htmlFor="w-closes">{t('enrolment.admin.closesAt')}</label>
        <input id="w-closes" name="closesAt" type="datetime-local" required defaultValue={w?.closesAt} />
        <label htmlFor="w-places">{t('enrolment.admin.places')}</label>
        <input id="w-places" name="places" type="number" min={1} max={5} required defaultValue={w?.places ?? 2} />
        <label htmlFor="w-choices">{t('enrolment.admin.choices')}</label>
        <input id="w-choices" name="choices" type="number" min={1} max={8} required defaultValue={w?.choices ?? 5} />
        <label htmlFor="w-withdraw">{t('enrolment.admin.withdrawUntil')}</label>
        <input id="w-withdraw" name="withdrawUntil" type="date" required defaultValue={w?.withdrawUntil} />
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('enrolment.admin.save')}
        </button>
      </form>
      <p role="status">{said}</p>
      {save.error instanceof ApiError && (
        <p role="alert" className="form-problem">
          {save.error.message}
        </p>
      )}
    </section>
  );
}

const ALLOCATION = '/schools/{schoolId}/terms/{termId}/enrolment/allocation';
type Allocation = paths[typeof ALLOCATION]['get']['responses'][200]['content']['application/json'];
type AllocationJob = paths[`${typeof ALLOCATION}/jobs/{jobId}`]['get']['responses'][200]['content']['application/json'];
const LISTS = ['classes', 'grants', 'unplacedChoices', 'dropped', 'lottery', 'bumped'] as const;
const POLL_MS = 500;

/** The term's allocation, its lists read to their end (a large school's come a page at a time); null before the first run. */
async function readAllocation(path: { schoolId: string; termId: string }): Promise<Allocation | null> {
  const first = await api().GET(ALLOCATION, { params: { path } });
  if (first.response.status === 404) return null;
  let all = await data(Promise.resolve(first));
  while (all.next) {
    const more = await data(api().GET(ALLOCATION, { params: { path, query: { cursor: all.next } } }));
    // a run again meanwhile: read the new one from its start
    if (more.version !== all.version) return readAllocation(path);
    const lists = Object.fromEntries(LISTS.map((l) => [l, [...all[l], ...more[l]]]));
    all = { ...more, ...lists } as Allocation;
  }
  return all;
}

/** A run or a publication (a job): accepted, then its status resource polled until it ends; a failure is an ApiError. */
async function allocationJob(accepted: Promise<AllocationJob>, path: { schoolId: string; termId: string }) {
  let job = await accepted;
  while (job.state === 'queued' || job.state === 'running') {
    await new Promise((r) => setTimeout(r, POLL_MS));
    job = await data(api().GET(`${ALLOCATION}/jobs/{jobId}`, { params: { path: { ...path, jobId: job.jobId } } }));
  }
  if (job.state === 'failed')
    throw new ApiError(readProblem(job.problem?.status ?? 500, job.problem ?? { detail: job.message ?? '' }));
  return job;
}

/** A closed ranked window's allocation: run it, review the draft's figures and grants, publish it (each a job). */
function AllocationPanel({ schoolId, termId }: { schoolId: string; termId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { schoolId, termId };
  const key = ['enrolment-allocation', schoolId, termId];
  const win = useQuery(windowQuery(schoolId, termId));
  const closed = win.data?.mode === 'ranked' && win.data.state === 'closed';
  const draft = useQuery({ queryKey: key, enabled: closed, queryFn: () => readAllocation(path) });
  const [said, setSaid] = useState('');
  const run = useMutation({
    mutationFn: (version: number) =>
      allocationJob(
        data(
          api().POST(ALLOCATION, {
            params: { path, header: { 'Idempotency-Key': crypto.randomUUID() } },
            body: { version },
          }),
        ),
        path,
      ),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: key });
      setSaid(t('enrolment.admin.allocationRan'));
    },
  });
  const publish = useMutation({
    mutationFn: (version: number) =>
      allocationJob(
        data(
          api().POST(`${ALLOCATION}/publish`, {
            params: { path, header: { 'Idempotency-Key': crypto.randomUUID() } },
            body: { version },
          }),
        ),
        path,
      ),
    onSuccess: async (job) => {
      await queries.invalidateQueries({ queryKey: key });
      const a = job.allocation;
      const bumped = a?.bumpedCount ?? 0;
      setSaid(
        t('enrolment.admin.allocationPublished', { given: (a?.granted ?? 0) - bumped, waitlisted: a?.waitlisted ?? 0, bumped }),
      );
    },
  });
  if (!closed) return null;
  if (draft.error) return <LoadError error={draft.error} />;
  if (draft.data === undefined) return <Loading />;
  const d = draft.data;
  const published = d?.status === 'published';
  const failure = run.error ?? publish.error;
  const grantsOf = new Map<string, Allocation['grants']>();
  for (const g of d?.grants ?? []) grantsOf.set(g.classId, [...(grantsOf.get(g.classId) ?? []), g]);
  return (
    <section className="card" aria-labelledby="alloc-h">
      <h2 id="alloc-h">{t('enrolment.admin.allocation')}</h2>
      {d && (
        <>
          <p className="hint">
            {published
              ? t('enrolment.admin.allocationFinal', { at: d.publishedAt })
              : t('enrolment.admin.allocationDraft', { version: d.version, at: d.ranAt })}
          </p>
          <p>{t('enrolment.admin.allocationFigures', { placed: d.placed, unplaced: d.unplaced, seed: d.seed })}</p>
          <ol aria-label={t('enrolment.admin.rankHistogram')}>
            {d.ranks.map((count, i) => (
              <li key={i}>{t('enrolment.admin.rankCount', { n: i + 1, count })}</li>
            ))}
          </ol>
          {d.bumped.length > 0 && (
            <div>
              <h3>{t('enrolment.admin.bumpedTitle', { count: d.bumped.length })}</h3>
              <ul>
                {d.bumped.map((b) => (
                  <li key={`${b.classId}#${b.studentNo}`}>{t('enrolment.admin.bumpedItem', b)}</li>
                ))}
              </ul>
            </div>
          )}
          {d.classes
            .filter((k) => grantsOf.has(k.classId))
            .map((k) => (
              <div key={k.classId}>
                <h3>
                  {t('enrolment.admin.grantsOf', { what: k.what, count: grantsOf.get(k.classId)!.length, seats: k.seatsLeft })}
                </h3>
                <ul>
                  {grantsOf.get(k.classId)!.map((g) => (
                    <li key={g.studentNo}>
                      {g.name} <span className="hint">{t('enrolment.rank', { n: g.rank })}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
        </>
      )}
      {!published && (
        <div className="stack">
          <button type="button" disabled={run.isPending || publish.isPending} onClick={() => run.mutate(d?.version ?? 0)}>
            {t('enrolment.admin.runAllocation')}
          </button>
          {d && (
            <button
              type="button"
              className="primary"
              disabled={run.isPending || publish.isPending}
              onClick={() => window.confirm(t('enrolment.admin.confirmPublish')) && publish.mutate(d.version)}
            >
              {t('enrolment.admin.publishAllocation')}
            </button>
          )}
        </div>
      )}
      <p role="status">
        {run.isPending
          ? t('enrolment.admin.allocationRunning')
          : publish.isPending
            ? t('enrolment.admin.allocationPublishing')
            : said}
      </p>
      {failure instanceof ApiError && (
        <p role="alert" className="form-problem">
          {t('enrolment.admin.allocationFailed', { why: failure.message })}
        </p>
      )}
    </section>
  );
}

function ClassLists({ schoolId, termId }: { schoolId: string; termId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const clubs = useQuery({
    queryKey: ['clubs', schoolId, termId],
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/clubs', { params: { path: { schoolId }, query: { termId, limit: 500 } } })),
  });
  const [classId, setClassId] = useState('');
  const list = useQuery({
    queryKey: ['class-enrolment', schoolId, termId, classId],
    enabled: classId !== '',
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/enrolment/classes/{classId}', {
          params: { path: { schoolId, termId, classId } },
        }),
      ),
  });
  const [said, setSaid] = useState('');
  const remove = useMutation({
    mutationFn: (studentNo: string) =>
      data(
        api().POST('/schools/{schoolId}/terms/{termId}/enrolment/classes/{classId}/remove', {
          params: { path: { schoolId, termId, classId } },
          body: { studentNo },
        }),
      ),
    onSuccess: async (out) => {
      setSaid(
        out.promoted
          ? t('enrolment.admin.removedPromoted', { name: out.left.name, promoted: out.promoted.name })
          : t('enrolment.admin.removed', { name: out.left.name }),
      );
      await queries.invalidateQueries({ queryKey: ['class-enrolment', schoolId, termId, classId] });
    },
  });
  if (clubs.error) return <LoadError error={clubs.error} />;
  if (!clubs.data) return <Loading />;
  return (
    <section className="card" aria-labelledby="lists-h">
      <h2 id="lists-h">{t('enrolment.admin.lists')}</h2>
      <label htmlFor="enrol-class">{t('enrolment.admin.class')}</label>
      <select id="enrol-class" value={classId} onChange={(e) => setClassId(e.target.value)}>
        <option value="">{t('enrolment.admin.chooseClass')}</option>
        {clubs.data.items.flatMap((c) =>
          c.classes.map((k) => (
            <option key={k.id} value={k.id}>
              {c.name} {k.name}
            </option>
          )),
        )}
      </select>
      <p role="status">{said}</p>
      {list.error && <LoadError error={list.error} />}
      {list.data && (
        <>
          <p>{t('enrolment.seats', { left: list.data.seatsLeft, capacity: list.data.capacity })}</p>
          <h3>{t('enrolment.admin.enrolled', { count: list.data.enrolled.length })}</h3>
          <ol>
            {list.data.enrolled.map((p) => (
              <li key={p.studentNo}>
                {p.name} <span className="hint">{p.studentNo}</span>{' '}
                <button type="button" disabled={remove.isPending} onClick={() => remove.mutate(p.studentNo)}>
                  {t('enrolment.admin.remove', { name: p.name })}
                </button>{' '}
                <Link to={`${PATHS.enrolment}?child=${p.studentNo}`}>{t('enrolmentHistory.link', { name: p.name })}</Link>
              </li>
            ))}
          </ol>
          <h3>{t('enrolment.admin.waitlist', { count: list.data.waitlist.length })}</h3>
          <ol>
            {list.data.waitlist.map((p) => (
              <li key={p.studentNo}>
                {p.name} <span className="hint">{p.studentNo}</span>{' '}
                <Link to={`${PATHS.enrolment}?child=${p.studentNo}`}>{t('enrolmentHistory.link', { name: p.name })}</Link>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

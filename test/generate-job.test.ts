/**
 * The generation job in this process, on DynamoDB Local: the API's handlers and the jobs
 * function's handler over one runtime, whose DynamoDB client the test breaks (a crash
 * before the draft is written, or just after, before the runner hears) and whose jobs are
 * run when the test says. Whatever happens, a generation writes one draft, or none.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { classSeatsId, JOB_ATTEMPTS, type GenerateJob, type JobMessage } from '@kehou/domain';
import { lambdaHandler } from '@kehou/http';
import { demoClubs, demoGrades, demoRooms, demoStaff } from '@kehou/local';
import { JobBusy, type Db, type Store } from '@kehou/store';
import { bound as clubsBound } from '../functions/clubs/app';
import { jobsHandler } from '../functions/jobs/app';
import { bound as setupBound } from '../functions/setup/app';
import { bound as timetableBound } from '../functions/timetable/app';
import { call, claimsOf } from '../packages/http/test/support/events';
import { freshTable, testRuntime } from './support/db';

type TransactItem = { Update?: { Key?: { sk?: unknown } } };
const text = (v: unknown) => (typeof v === 'string' ? v : ((v as { S?: string } | undefined)?.S ?? ''));

let db: Db;
let store: Store;
/**
 * While set, it sees the transactions that write a draft and end its generation (`times`
 * of them): `meanwhile` runs first; then the transaction fails unsent (a crash 'before'),
 * or is done and fails as if the runner never heard (a crash 'after'), or is sent (null).
 */
let hook: { crash: 'before' | 'after' | null; times: number; meanwhile?: () => Promise<void> } | null = null;

beforeAll(async () => {
  ({ db, store } = await freshTable());
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = ((args.input as { TransactItems?: TransactItem[] }).TransactItems ?? []) as TransactItem[];
      // the job's end goes first in the draft's transaction; a job's end alone is two items
      const drafting =
        /TransactWrite/.test(context.commandName ?? '') &&
        items.length > 2 &&
        text(items[0]?.Update?.Key?.sk).startsWith('JOB#GENERATE#');
      const h = hook;
      if (!drafting || !h || h.times === 0) return next(args);
      h.times--;
      await h.meanwhile?.();
      if (h.crash === 'before') throw new Error('the worker crashed');
      const out = await next(args);
      if (h.crash === 'after') throw new Error('the worker crashed before it heard');
      return out;
    },
    { step: 'initialize', name: 'crash' },
  );
}, 60_000);

let schools = 0;
/** A school of its own with rooms, staff, a term and a few clubs; the API and the worker over a runtime of their own. */
async function school(name: string) {
  const queue: JobMessage[] = [];
  const rt = testRuntime(store, new Date(Date.UTC(2026, 8, 1, 8, ++schools)), { enqueue: async (m) => void queue.push(m) });
  const api = lambdaHandler([...setupBound, ...clubsBound, ...timetableBound], rt);
  const worker = jobsHandler(rt);
  const bureau = claimsOf({ sub: 'bureau', groups: ['district'], district: 'd-1' });
  const s = await call(api, { routeKey: 'POST /schools', claims: bureau, body: JSON.stringify({ name, districtId: 'd-1' }) });
  const schoolId = s.body.id as string;
  const admin = claimsOf({ sub: 'admin-1', groups: ['admin'], schools: schoolId });
  const post = async (path: string, body: unknown, params: Record<string, string> = {}) => {
    const res = await call(api, {
      routeKey: `POST /schools/{schoolId}${path}`,
      pathParameters: { schoolId, ...params },
      claims: admin,
      body: JSON.stringify(body),
    });
    return res;
  };
  const made = async (path: string, body: unknown) => {
    rt.advance(1); // ids are made from the clock and a short cycle of "random" numbers
    const res = await post(path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  for (const g of demoGrades()) await made('/grades', g);
  for (const r of demoRooms()) await made('/rooms', r);
  const staffIds = new Map<string, string>();
  for (const { key, ...st } of demoStaff()) staffIds.set(key, await made('/staff', st));
  const termId = await made('/terms', { name: '秋季学期', startDate: '2026-09-01', endDate: '2027-01-15' });
  for (const c of demoClubs(termId, staffIds).slice(0, 8)) await made('/clubs', c);
  const get = (path: string, params: Record<string, string> = {}) =>
    call(api, {
      routeKey: `GET /schools/{schoolId}/terms/{termId}/timetable${path}`,
      pathParameters: { schoolId, termId, ...params },
      claims: admin,
    });
  return {
    schoolId,
    termId,
    queue,
    generate: (body: object = {}) => post('/terms/{termId}/timetable/generate', body, { termId }),
    job: async (jobId: string): Promise<GenerateJob> => (await get('/jobs/{jobId}', { jobId })).body,
    overview: async () => (await get('')).body,
    versions: async () => (await get('/versions')).body.items as Array<{ number: number; version: number }>,
    history: async (id: string) =>
      (
        await call(api, {
          routeKey: 'GET /schools/{schoolId}/history/{kind}/{id}',
          pathParameters: { schoolId, kind: 'timetable', id },
          claims: admin,
        })
      ).body.items as unknown[],
    lockFirstSession: async () => {
      const { draft } = (await get('')).body;
      const v = (await get('/versions/{number}', { number: String(draft.number) })).body;
      const res = await call(api, {
        routeKey: 'PATCH /schools/{schoolId}/terms/{termId}/timetable/draft/sessions/{sessionId}',
        pathParameters: { schoolId, termId, sessionId: v.sessions[0].id },
        claims: admin,
        body: JSON.stringify({ version: v.version, locked: true }),
      });
      expect(res.status).toBe(200);
    },
    /** the sessions of the draft, as stored */
    draftSessions: async () => {
      const head = await store.timetables.head(schoolId, termId);
      return store.timetables.sessions(schoolId, head!.summaries.draft!.sessionSet);
    },
    /** the worker takes the next queued job (as Lambda would invoke it) */
    runNext: () => worker(queue.shift(), { getRemainingTimeInMillis: () => 900_000 }),
    runAll: async () => {
      while (queue.length) await worker(queue.shift(), { getRemainingTimeInMillis: () => 900_000 });
    },
  };
}

describe('the generation job', () => {
  it('writes one draft when its runner crashes just after writing it: the retry finds the job finished', async () => {
    const s = await school('崩溃后小学');
    const accepted = await s.generate({ seed: 2 });
    expect(accepted.status).toBe(202);
    const m = s.queue[0]!;
    hook = { crash: 'after', times: 1 };
    await expect(s.runNext()).rejects.toThrow('before it heard');
    hook = null;
    // the draft and the job's end were one transaction: both happened
    const job = await s.job(accepted.body.jobId);
    expect(job).toMatchObject({ state: 'finished', draft: { number: 1, version: 1 } });
    s.queue.push(m); // Lambda's retry: nothing left to do
    await s.runAll();
    expect(await s.versions()).toEqual([expect.objectContaining({ number: 1, version: 1 })]);
    expect(await s.history(job.draft!.id)).toHaveLength(1);
    // its sessions are all there: a write that may have happened is not undone
    expect(await s.draftSessions()).toHaveLength(job.draft!.sessionCount);
  });

  it('writes one draft when its runner crashes before writing it: the retry writes it', async () => {
    const s = await school('崩溃前小学');
    const accepted = await s.generate({ seed: 3 });
    const m = s.queue[0]!;
    hook = { crash: 'before', times: 1 };
    await expect(s.runNext()).rejects.toThrow('the worker crashed');
    hook = null;
    expect(await s.job(accepted.body.jobId)).toMatchObject({ state: 'running', draft: null });
    expect(await s.overview()).toEqual({ draft: null, published: null });
    s.queue.push(m); // Lambda's retry
    await s.runAll();
    const job = await s.job(accepted.body.jobId);
    expect(job).toMatchObject({ state: 'finished', draft: { number: 1, version: 1 } });
    expect(await s.versions()).toEqual([expect.objectContaining({ number: 1, version: 1 })]);
    expect(await s.draftSessions()).toHaveLength(job.draft!.sessionCount);
  });

  it('lets one of two runners of the same job write the draft; the other stands back', async () => {
    const s = await school('重复小学');
    const accepted = await s.generate();
    const m = s.queue.shift()!;
    s.queue.push(m, m);
    const runs = await Promise.allSettled([s.runNext(), s.runNext()]);
    const refused = runs.filter((r) => r.status === 'rejected');
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JobBusy);
    s.queue.push(...refused.map(() => m)); // Lambda's retry: nothing left to do
    await s.runAll();
    const job = await s.job(accepted.body.jobId);
    expect(job).toMatchObject({ state: 'finished', draft: { number: 1, version: 1 } });
    expect(await s.versions()).toHaveLength(1);
    expect(await s.history(job.draft!.id)).toHaveLength(1);
  });

  it('fails, writing nothing, when the draft changed while it ran (the problem a request would have answered: 409)', async () => {
    const s = await school('改动小学');
    await s.generate({ seed: 1 });
    await s.runAll();
    const accepted = await s.generate({ seed: 4, fresh: true });
    // someone locks a session of the draft after the generation read it, before it writes
    hook = { crash: null, times: 1, meanwhile: s.lockFirstSession };
    await s.runAll();
    hook = null;
    const job = await s.job(accepted.body.jobId);
    expect(job).toMatchObject({ state: 'failed', draft: null, problem: { status: 409, reason: 'version' } });
    expect(job.message).toContain('changed by someone else');
    const draft = (await s.overview()).draft;
    expect(draft).toMatchObject({ number: 1, version: 2, revision: { kind: 'edited' } });
    // the lock is released
    expect((await s.generate()).status).toBe(202);
  });

  it(`fails on its last of ${JOB_ATTEMPTS} attempts when every one crashes, and lets the next generation start`, async () => {
    const s = await school('总崩小学');
    const accepted = await s.generate();
    const m = s.queue[0]!;
    hook = { crash: 'before', times: JOB_ATTEMPTS };
    for (let i = 0; i < JOB_ATTEMPTS - 1; i++) {
      await expect(s.runNext()).rejects.toThrow('the worker crashed');
      s.queue.push(m);
    }
    await s.runNext(); // the last: it records the failure instead of throwing
    hook = null;
    const job = await s.job(accepted.body.jobId);
    expect(job).toMatchObject({ state: 'failed', draft: null, problem: { status: 500 } });
    expect(job.message).toContain('Something went wrong on our side');
    expect(await s.overview()).toEqual({ draft: null, published: null });
    expect((await s.generate()).status).toBe(202);
  });

  it('with enrolments keeps apart the classes each enrolled child holds, which a generation without them put at once', async () => {
    const s = await school('选课排课小学');
    const overlapping = async () => {
      const sessions = await s.draftSessions();
      const pairs = new Set<string>();
      for (const a of sessions)
        for (const b of sessions)
          if (a.classId < b.classId && a.day === b.day && a.start < b.end && b.start < a.end)
            pairs.add(`${a.classId}|${b.classId}`);
      return [...pairs].map((p) => p.split('|') as [string, string]);
    };
    await s.generate({ seed: 5, fresh: true });
    await s.runAll();
    const together = (await overlapping()).slice(0, 4);
    expect(together.length).toBeGreaterThan(0);
    // a child holds each pair of classes that met at once
    for (const [k, classIds] of together.entries())
      for (const classId of classIds) {
        const seats = { schoolId: s.schoolId, id: classSeatsId(classId), what: classId };
        await store.capacity.setCapacity(seats, 30).catch(() => undefined);
        expect(await store.capacity.claim(seats, { id: `S${k}`, what: `学生${k}` }, '2026-09-01T08:00:00Z')).toBe('granted');
      }
    const accepted = await s.generate({ seed: 5, fresh: true, withEnrolments: true });
    expect(accepted.body.withEnrolments).toBe(true);
    await s.runAll();
    expect((await s.job(accepted.body.jobId)).state).toBe('finished');
    const now = new Set((await overlapping()).map(([a, b]) => `${a}|${b}`));
    for (const [a, b] of together) expect(now.has(`${a}|${b}`), `${a} and ${b}`).toBe(false);
  });
});

/**
 * The import job in this process, on DynamoDB Local: the API's handlers and the jobs
 * function's handler over one runtime whose clock the test moves and whose DynamoDB client
 * the test watches (what is read) and breaks (a crash half-way). Jobs are queued and run
 * when the test says.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_LEASE_MS, JOB_QUEUE_MS, SET_ASIDE, type ImportJob, type JobMessage } from '@kehou/domain';
import { lambdaHandler } from '@kehou/http';
import { demoGrades, demoStudents } from '@kehou/local';
import { JobBusy, type Db, type Store } from '@kehou/store';
import { jobsHandler } from '../functions/jobs/app';
import { bound as peopleBound } from '../functions/people/app';
import { STEP_ROWS } from '../functions/people/import-job';
import { bound as setupBound } from '../functions/setup/app';
import { call, claimsOf } from '../packages/http/test/support/events';
import { freshTable, testRuntime } from './support/db';

let db: Db;
let store: Store;
beforeAll(async () => {
  ({ db, store } = await freshTable());
  // every call the store makes: what it read, and a way to make one fail
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? '';
      const input = args.input as { TransactItems?: Array<{ Put?: { Item?: { sk?: string | { S?: string } } } }> };
      const sk = (i: { Put?: { Item?: { sk?: string | { S?: string } } } }) => {
        const v = i.Put?.Item?.sk;
        return (typeof v === 'string' ? v : v?.S) ?? '';
      };
      if (breakWrite && /TransactWrite/.test(name) && (await breakWrite((input.TransactItems ?? []).map(sk))))
        throw new Error('the worker crashed');
      const out = await next(args);
      const o = out.output as { Item?: unknown; Items?: unknown[]; Responses?: Record<string, unknown[]> };
      reads.calls += /Get|Query|Scan/.test(name) ? 1 : 0;
      reads.items +=
        (o.Item ? 1 : 0) + (o.Items?.length ?? 0) + Object.values(o.Responses ?? {}).reduce((n, r) => n + r.length, 0);
      return out;
    },
    { step: 'initialize', name: 'watch' },
  );
}, 60_000);

let reads = { calls: 0, items: 0 };
/** while set, it sees each transaction's items' sort keys first; the transaction fails if it says true */
let breakWrite: ((sks: string[]) => boolean | Promise<boolean>) | null = null;

let schools = 0;
/** A school of its own, with the six grades, an admin, the API and the worker over a runtime of their own. */
async function school(name: string) {
  const queue: JobMessage[] = [];
  let failEnqueue = false;
  // a clock of its own (and so ids of its own)
  const rt = testRuntime(store, new Date(Date.UTC(2026, 8, 1, 8, ++schools)), {
    enqueue: async (m) => {
      if (failEnqueue) throw new Error('Lambda is unreachable');
      queue.push(m);
    },
  });
  const api = lambdaHandler([...setupBound, ...peopleBound], rt);
  const worker = jobsHandler(rt);
  const bureau = claimsOf({ sub: 'bureau', groups: ['district'], district: 'd-1' });
  const s = await call(api, { routeKey: 'POST /schools', claims: bureau, body: JSON.stringify({ name, districtId: 'd-1' }) });
  expect(s.status).toBe(201);
  const schoolId = s.body.id as string;
  const admin = claimsOf({ sub: 'admin-1', groups: ['admin'], schools: schoolId });
  for (const g of demoGrades())
    expect(
      (
        await call(api, {
          routeKey: 'POST /schools/{schoolId}/grades',
          pathParameters: { schoolId },
          claims: admin,
          body: JSON.stringify(g),
        })
      ).status,
    ).toBe(201);
  let left = Infinity; // the invocation's time, as the test wants it to run out
  return {
    rt,
    schoolId,
    queue,
    failEnqueue: (on: boolean) => void (failEnqueue = on),
    timeLeft: (ms: number) => void (left = ms),
    importRows: (rows: unknown[], mode: 'create' | 'upsert' = 'upsert') =>
      call(api, {
        routeKey: 'POST /schools/{schoolId}/students/import',
        pathParameters: { schoolId },
        claims: admin,
        body: JSON.stringify({ mode, rows }),
      }),
    job: async (importId: string): Promise<ImportJob> =>
      (
        await call(api, {
          routeKey: 'GET /schools/{schoolId}/imports/{importId}',
          pathParameters: { schoolId, importId },
          claims: admin,
        })
      ).body,
    /** the worker takes the next queued job (as Lambda would invoke it) */
    runNext: () => worker(queue.shift(), { getRemainingTimeInMillis: () => left }),
    /** the worker takes every queued job, and the jobs they queue */
    runAll: async () => {
      while (queue.length) await worker(queue.shift(), { getRemainingTimeInMillis: () => left });
    },
  };
}

describe('the import job', () => {
  it('reads only what the file names: a 1-row import into a school of 2,000 students reads a handful of items', async () => {
    const s = await school('大学校');
    const roster = demoStudents(2000).map(({ guardians: _, ...r }) => r);
    expect((await s.importRows(roster)).status).toBe(202);
    await s.runAll();
    reads = { calls: 0, items: 0 };
    const one = await s.importRows([{ studentNo: '2026900001', name: '新同学', gradeLevel: 1, homeroom: '1' }]);
    expect(one.status).toBe(202);
    await s.runAll();
    expect(await s.job(one.body.importId)).toMatchObject({ state: 'finished', studentsWritten: 1 });
    // the school, its grades, the lock, the job (a few times), its one part, the student: not the school's 2,000
    expect(reads.items).toBeLessThan(30);
    expect(reads.calls).toBeLessThan(20);
  });

  it('resumes a run that crashed half-way: every student written once, the counts exact, even in create mode', async () => {
    const s = await school('崩溃小学');
    const rows = demoStudents(3 * STEP_ROWS);
    const families = new Set(rows.flatMap((r) => r.guardians.map((g) => g.phone))).size;
    const accepted = await s.importRows(rows, 'create');
    // the second transaction of students in the second step fails
    let students = 0;
    const second = Math.ceil(STEP_ROWS / 100) + 2;
    breakWrite = (sks) => sks[0]!.startsWith('STUDENT#') && ++students === second;
    await expect(s.runNext()).rejects.toThrow('the worker crashed');
    breakWrite = null;
    const stopped = await s.job(accepted.body.importId);
    expect(stopped.state).toBe('running');
    expect(stopped.progress.done).toBe(STEP_ROWS);
    expect(stopped.studentsWritten).toBeGreaterThan(STEP_ROWS); // what the failed step wrote before it failed counts

    // Lambda runs it again: it does what is left, not refusing the students it wrote itself
    s.queue.push({ kind: 'import', schoolId: s.schoolId, jobId: accepted.body.importId });
    await s.runAll();
    const done = await s.job(accepted.body.importId);
    expect(done).toMatchObject({ state: 'finished', studentsWritten: rows.length, guardiansWritten: families, errorCount: 0 });
    expect(done.progress).toEqual({ done: rows.length, of: rows.length });
    const stored = await store.students.all(s.schoolId);
    expect(stored).toHaveLength(rows.length);
    expect(stored.every((st) => st.version === 1)).toBe(true);
  });

  it('lets one of two runners of the same job do it; the other stands back and is run again later', async () => {
    const s = await school('重复小学');
    const rows = demoStudents(300);
    const accepted = await s.importRows(rows);
    const m = s.queue.shift()!;
    s.queue.push(m, m);
    const runs = await Promise.allSettled([s.runNext(), s.runNext()]);
    const refused = runs.filter((r) => r.status === 'rejected');
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(JobBusy);
    s.queue.push(...refused.map(() => m)); // Lambda's retry: nothing left to do
    await s.runAll();
    expect(await s.job(accepted.body.importId)).toMatchObject({ state: 'finished', studentsWritten: 300, errorCount: 0 });
  });

  it('stops a runner that went silent past its lease once the next import has set its job aside', async () => {
    const s = await school('迟到小学');
    const first = await s.importRows(demoStudents(2 * STEP_ROWS));
    let second: ReturnType<typeof s.importRows> | null = null;
    breakWrite = async (sks) => {
      if (second || !sks[0]!.startsWith('STUDENT#')) return false;
      // the runner stalls past its lease, and another import of the school starts meanwhile
      s.rt.advance(JOB_LEASE_MS + 1000);
      second = s.importRows([{ studentNo: 'D1', name: '甲', gradeLevel: 1, homeroom: '1' }]);
      await second;
      return false;
    };
    await s.runNext(); // it notices at its next step, and stops without an error
    breakWrite = null;
    const accepted = await second!;
    expect(accepted.status).toBe(202);
    const lost = await s.job(first.body.importId);
    expect(lost).toMatchObject({ state: 'failed', message: SET_ASIDE });
    expect(lost.studentsWritten).toBe(0); // what it wrote is not its to record any more
    await s.runAll();
    expect(await s.job(accepted.body.importId)).toMatchObject({ state: 'finished', studentsWritten: 1 });
    expect((await store.students.all(s.schoolId)).length).toBeLessThanOrEqual(STEP_ROWS + 1);
  });

  it('hands the job to a new invocation when time runs out, and finishes there', async () => {
    const s = await school('接力小学');
    const rows = demoStudents(2 * STEP_ROWS);
    const accepted = await s.importRows(rows);
    s.timeLeft(10_000); // not enough for a step
    await s.runNext();
    expect(await s.job(accepted.body.importId)).toMatchObject({ state: 'running', studentsWritten: 0 });
    expect(s.queue).toHaveLength(1);
    s.timeLeft(900_000);
    await s.runAll();
    expect(await s.job(accepted.body.importId)).toMatchObject({ state: 'finished', studentsWritten: rows.length });
  });

  it('refuses a create-mode file naming students who exist, as a whole: the job fails with each row, nothing is written', async () => {
    const s = await school('创建小学');
    await s.importRows([{ studentNo: 'A1', name: '甲', gradeLevel: 1, homeroom: '1' }]);
    await s.runAll();
    const accepted = await s.importRows(
      [
        { studentNo: 'A2', name: '乙', gradeLevel: 1, homeroom: '1' },
        { studentNo: 'A1', name: '甲', gradeLevel: 1, homeroom: '1' },
      ],
      'create',
    );
    expect(accepted.status).toBe(202);
    await s.runAll();
    expect(await s.job(accepted.body.importId)).toMatchObject({
      state: 'failed',
      studentsWritten: 0,
      errorCount: 1,
      errors: [{ row: 1, path: ['rows', 1, 'studentNo'], message: expect.stringContaining('exists already') }],
      message: expect.stringContaining('nothing was imported'),
    });
    expect(await store.students.get(s.schoolId, 'A2')).toBeNull();
    // the lock is released: the next import is accepted
    expect((await s.importRows([{ studentNo: 'A2', name: '乙', gradeLevel: 1, homeroom: '1' }])).status).toBe(202);
  });

  it('sets aside a job whose worker never came, when the next import starts after a while; until then it answers 409', async () => {
    const s = await school('等待小学');
    const first = await s.importRows([{ studentNo: 'B1', name: '甲', gradeLevel: 1, homeroom: '1' }]);
    s.queue.length = 0; // the invocation is lost
    const busy = await s.importRows([{ studentNo: 'B2', name: '乙', gradeLevel: 1, homeroom: '1' }]);
    expect(busy.status).toBe(409);
    expect(busy.headers['retry-after']).toBe('10');
    expect(busy.body.reason).toBe('in-progress');
    s.rt.advance(JOB_QUEUE_MS + 1000);
    const second = await s.importRows([{ studentNo: 'B2', name: '乙', gradeLevel: 1, homeroom: '1' }]);
    expect(second.status).toBe(202);
    expect(await s.job(first.body.importId)).toMatchObject({ state: 'failed', message: SET_ASIDE });
    // the lost invocation turns up after all: nothing to do
    s.queue.unshift({ kind: 'import', schoolId: s.schoolId, jobId: first.body.importId });
    await s.runAll();
    expect(await store.students.get(s.schoolId, 'B1')).toBeNull();
    expect(await s.job(second.body.importId)).toMatchObject({ state: 'finished', studentsWritten: 1 });
  });

  it('answers 503 when the job cannot be queued: the job failed, the lock released', async () => {
    const s = await school('故障小学');
    s.failEnqueue(true);
    const res = await s.importRows([{ studentNo: 'C1', name: '甲', gradeLevel: 1, homeroom: '1' }]);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    const [job] = (await store.imports.list(s.schoolId, { limit: 10 })).items;
    expect(job).toMatchObject({ state: 'failed', message: expect.stringContaining('could not be started') });
    s.failEnqueue(false);
    expect((await s.importRows([{ studentNo: 'C1', name: '甲', gradeLevel: 1, homeroom: '1' }])).status).toBe(202);
  });
});

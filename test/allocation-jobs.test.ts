/**
 * Ranked allocation's jobs in this process, on DynamoDB Local, on a school from the
 * allocation benchmark's generator (test/support/allocation-school.ts), with the store's
 * bound on an item of the draft's lists lowered from 350 KB to 4 KB: a school of 150
 * children then spans several items, as 3,000 children do at the real bound
 * (`npm run bench:allocation-api`), and the draft as one item (as it was stored before, grants
 * twice) is past the bound, as it is past DynamoDB's 400 KB at 3,000. The API's handlers and
 * the jobs function's over one runtime; the DynamoDB client counts the calls and, when the
 * test says, crashes the worker.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocate, classSeatsId, idGenerator, type JobMessage } from '@kehou/domain';
import { LocalWorker, type Call } from '@kehou/local';
import { keys, makeStore, queryItems, runtimeOf, type Db, type Store } from '@kehou/store';
import { bound as clubsBound } from '../functions/clubs/app';
import { bound as enrolmentBound } from '../functions/enrolment/app';
import { jobsHandler } from '../functions/jobs/app';
import { bound as peopleBound } from '../functions/people/app';
import { bound as setupBound } from '../functions/setup/app';
import { claimsOf } from '../packages/http/test/support/events';
import { generateSchool } from '../packages/domain/bench/allocation-school';
import { allocationSchool, type AllocationSchool } from './support/allocation-school';
import { freshTable } from './support/db';
import { allocationJob, readAllocation } from './support/enrolment';
import { inProcessApi } from './support/in-process';
import { itemSize } from './support/write-meter';

const PAGE = 4 * 1024;
const SCHOOL = { children: 150, clubs: 6, choices: 5, seats: 6, places: 2 };

let db: Db;
let store: Store;
let worker: LocalWorker;
let s: AllocationSchool & { admin: Call };
/** DynamoDB calls so far */
let calls = 0;
/** While set: each invocation of the jobs function has time for this many classes of a publication, then hands over. */
let classesPerInvocation: number | null = null;
/**
 * While set: the worker crashes (an error before the call is sent) at the `at`-th write of what
 * it names: a class published (`done`), or the transaction that points the head at a draft (`head`).
 */
let crash: { of: 'done' | 'head'; at: number; seen: number } | null = null;

beforeAll(async () => {
  ({ db } = await freshTable());
  db.doc.middlewareStack.add(
    (next, context) => async (args) => {
      calls++;
      const input = args.input as {
        RequestItems?: Record<string, Array<{ PutRequest?: { Item?: { sk?: unknown } } }>>;
        TransactItems?: Array<{ Put?: { Item?: { sk?: unknown } } }>;
      };
      const command = context.commandName ?? '';
      const marking =
        /BatchWrite/.test(command) &&
        Object.values(input.RequestItems ?? {}).some((w) =>
          w.some((r) => String(r.PutRequest?.Item?.sk ?? '').startsWith('DONE#')),
        );
      const heading = /TransactWrite/.test(command) && (input.TransactItems ?? []).some((t) => t.Put?.Item?.sk === 'ALLOCATION');
      const seen = crash?.of === 'done' ? marking : crash?.of === 'head' ? heading : false;
      if (seen && crash && ++crash.seen === crash.at) throw new Error('the worker crashed');
      return next(args);
    },
    { step: 'initialize', name: 'meter-and-crash' },
  );
  store = makeStore(db, { allocationPageBytes: PAGE });
  const clock = () => new Date();
  const rt = runtimeOf(store, clock, idGenerator(clock, Math.random), { enqueue: (m: JobMessage) => worker.enqueue(m) });
  const jobs = jobsHandler(rt);
  worker = new LocalWorker({ name: 'jobs', timeoutSeconds: 900 }, (event, context) => {
    let checks = 0;
    const per = classesPerInvocation;
    const left = () => (per === null || checks++ < per ? context.getRemainingTimeInMillis() : 0);
    return jobs(event, { getRemainingTimeInMillis: left });
  });
  const api = inProcessApi([...setupBound, ...peopleBound, ...clubsBound, ...enrolmentBound], rt);
  const bureau = api(claimsOf({ sub: 'bureau', groups: ['district'], district: 'd-alloc-bench' }));
  s = await allocationSchool(
    bureau,
    async (schoolId) => api(claimsOf({ sub: 'admin-1', groups: ['admin'], schools: schoolId })),
    store,
    SCHOOL,
  );
}, 300_000);
afterAll(async () => worker?.stop());

const sizeOf = (item: Record<string, unknown>) => itemSize(marshall(item, { removeUndefinedValues: true }));

describe('ranked allocation at scale', () => {
  let draft: any;

  it('runs on reads whose number follows the classes, not the children', async () => {
    worker.pause();
    const accepted = await s.admin('POST', `${s.enrol}/allocation`, { version: 0, seed: 29 });
    expect(accepted.status).toBe(202);
    const before = calls;
    worker.resume();
    await worker.idle();
    // a read a child (the way it was) is 4 × 150; in bulk: a query a class, and a few more
    expect(calls - before).toBeLessThan(s.classes + 25);
    const job = (await s.admin('GET', accepted.headers.location!)).body;
    expect(job).toMatchObject({ state: 'finished', allocation: { version: 1, children: SCHOOL.children } });
    draft = await readAllocation(s.admin, s.enrol);
    // every choice was eligible and kept: the draft is the allocation of the generator's school
    const { input } = generateSchool({ ...SCHOOL, placesPerChild: SCHOOL.places, school: 2026, seed: 29 });
    const pure = allocate(input);
    expect(draft.dropped).toEqual([]);
    expect({ placed: draft.placed, granted: draft.grants.length, rankSum: sum(draft.grants.map((g: any) => g.rank)) }).toEqual({
      placed: pure.placed,
      granted: pure.grants.length,
      rankSum: sum(pure.grants.map((g) => g.rank)),
    });
    expect(draft.lottery).toEqual(pure.lottery);
  });

  it('keeps the draft in items no larger than the bound: a head, and its lists in pages', async () => {
    const head = (await store.allocations.head(s.schoolId, s.termId))!;
    const pages = await queryItems(db, keys.allocationPagesOf(s.schoolId, head.set));
    const bytes = pages.map(sizeOf);
    expect(pages.length).toBeGreaterThan(5);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(PAGE);
    expect(sizeOf({ ...keys.enrolAllocation(s.schoolId, s.termId), ...head })).toBeLessThanOrEqual(PAGE);
    // grants are stored once: as many grant entries as grants
    const stored = pages.filter((p) => p.list === 'grants').flatMap((p) => JSON.parse(String(p.data)));
    expect(stored).toHaveLength(draft.granted);
    // as one item, with its grants twice, the same draft is many times the bound
    const one = {
      ...keys.enrolAllocation(s.schoolId, s.termId),
      ...draft,
      grants: draft.grants.map((g: any) => ({ childId: g.studentNo, classId: g.classId, rank: g.rank, round: g.round })),
      classes: draft.classes.map((k: any) => ({ ...k, granted: draft.grants.filter((g: any) => g.classId === k.classId) })),
    };
    expect(sizeOf(one)).toBeGreaterThan(5 * PAGE);
    // read a page an answer, the lists are the same
    const paged = await readAllocation(s.admin, s.enrol, 1);
    // (DynamoDB may end with an empty answer: it names a last key before it knows nothing follows)
    expect(paged.answers - pages.length).toBeOneOf([0, 1]);
    expect({ ...paged, answers: 0 }).toEqual({ ...draft, answers: 0 });
  });

  it('runs again through a crash before the draft is written: one draft, the sets of other attempts gone', async () => {
    const before = (await store.allocations.head(s.schoolId, s.termId))!;
    crash = { of: 'head', at: 1, seen: 0 };
    const { job } = await allocationJob(s.admin, `${s.enrol}/allocation`, { version: 1, seed: 29 });
    crash = null;
    expect(job).toMatchObject({ state: 'finished', allocation: { version: 2 } });
    const head = (await store.allocations.head(s.schoolId, s.termId))!;
    expect(head.set).toBe(`${job.jobId}-2`);
    // the first attempt's set, and the draft's it replaced, are dropped
    for (const set of [`${job.jobId}-1`, before.set])
      expect(await queryItems(db, keys.allocationSet(s.schoolId, set)), set).toEqual([]);
    // the same seed, the same draft
    expect({ ...(await readAllocation(s.admin, s.enrol)), version: 1, ranAt: '', seedDerived: false }).toEqual({
      ...draft,
      ranAt: '',
    });
  });

  it('publishes every grant once, through a crash midway and hand-overs, and names the grants a class filled since could not honour', async () => {
    // before it is published, the first class granted fills first come, first served
    const full = draft.classes.find((k: any) => draft.grants.some((g: any) => g.classId === k.classId));
    const r = { schoolId: s.schoolId, id: classSeatsId(full.classId), what: full.what };
    const capacity = (await store.capacity.seatsOfMany(s.schoolId, [r.id])).get(r.id)?.capacity ?? full.seatsLeft;
    await store.capacity.openQueue(r, capacity);
    const outsider = { id: 'outsider', name: 'someone' };
    for (let i = 0; i < capacity; i++)
      await store.capacity.request(r, { id: `x${i}`, what: `先到的孩子${i}` }, new Date().toISOString(), outsider);
    const grantsOfFull = draft.grants.filter((g: any) => g.classId === full.classId);

    // the first invocation crashes; each has time for 10 classes, and hands the rest over to the next
    crash = { of: 'done', at: 3, seen: 0 };
    classesPerInvocation = 10;
    const { job } = await allocationJob(s.admin, `${s.enrol}/allocation/publish`, { version: 2 });
    crash = null;
    classesPerInvocation = null;
    expect(job).toMatchObject({ state: 'finished', allocation: { status: 'published', version: 3 } });
    expect(job.progress).toEqual({ done: draft.classes.length, of: draft.classes.length });
    const stored = await store.jobs.get({ kind: 'allocation', schoolId: s.schoolId, jobId: job.jobId });
    // it crashed once and resumed, and handed over until done: at most 10 classes a run
    expect(draft.classes.length).toBeGreaterThan(20);
    expect(stored!.runs).toBeGreaterThanOrEqual(Math.ceil(draft.classes.length / 10));

    const published = await readAllocation(s.admin, s.enrol);
    expect(published.bumpedCount).toBe(grantsOfFull.length);
    expect(published.bumped).toEqual(
      grantsOfFull.map((g: any, i: number) => ({
        studentNo: g.studentNo,
        name: g.name,
        classId: full.classId,
        what: full.what,
        rank: g.rank,
        position: i + 1,
      })),
    );
    expect(job.message).toContain(`${grantsOfFull.length} grants could not be honoured (the class had filled)`);

    // every other grant is a place, held once; the counters agree; no class is over capacity
    const resources = draft.classes.map((k: any) => classSeatsId(k.classId));
    const [seats, entries] = await Promise.all([
      store.capacity.seatsOfMany(s.schoolId, resources),
      store.enrolments.entriesIn(s.schoolId, resources),
    ]);
    const held = [...entries].flatMap(([holder, es]) =>
      es.filter((e) => e.state === 'granted').map((e) => `${holder}@${e.resource}`),
    );
    const honoured = draft.grants
      .filter((g: any) => g.classId !== full.classId)
      .map((g: any) => `${g.studentNo}@${classSeatsId(g.classId)}`);
    const outsiders = Array.from({ length: capacity }, (_, i) => `x${i}@${r.id}`);
    expect(held.sort()).toEqual([...honoured, ...outsiders].sort());
    for (const [id, x] of seats) expect(x.taken, id).toBeLessThanOrEqual(x.capacity);
    expect(sum([...seats.values()].map((x) => x.taken))).toBe(held.length);
    // one "joined" a place in each class's history, whatever was run twice
    for (const k of draft.classes) {
      const events = await store.capacity.history(
        { schoolId: s.schoolId, id: classSeatsId(k.classId), what: k.what },
        { limit: 500 },
      );
      const joined = events.items.filter((e) => e.action === 'joined').map((e) => e.holder);
      expect(new Set(joined).size, k.what).toBe(joined.length);
    }
    // the records of the classes published are gone once it is
    const head = (await store.allocations.head(s.schoolId, s.termId))!;
    expect(await queryItems(db, keys.allocationDoneOf(s.schoolId, head.set))).toEqual([]);
  });

  it('is final once published: neither run nor published again', async () => {
    for (const [path, version] of [
      ['allocation', 3],
      ['allocation/publish', 3],
    ] as const) {
      const res = await s.admin('POST', `${s.enrol}/${path}`, { version });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('it is final');
    }
  });
});

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

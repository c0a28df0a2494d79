/**
 * Ranked allocation as jobs, run by the jobs function: a large school's run reads every child
 * and its publication writes every place, more than a request may take.
 *
 * A run reads the term in bulk — every child's choices, records, approvals, opt-out form and
 * places at once (whole-partition queries, BatchGets of 100, one query a class), never a
 * read a child — checks each choice again, allocates (pure), writes the draft's lists as a
 * set of pages of its own (allocations.ts; each attempt its own set, those of attempts that
 * did not finish dropped) and, in one transaction, points the head at them and ends the job:
 * a run again after a crash finds the job finished, or does it itself. Never two.
 *
 * A publication makes each grant a place with the capacity primitive's `request`, class by
 * class (a few at once), and records each class it finished with the grants it could not
 * honour (the class had filled since the run: the child was waitlisted instead). Run again —
 * Lambda's retry after a crash, or a hand-over when its time runs low — it resumes with the
 * classes not recorded; in a class it was in the middle of, `request` answers each child the
 * place their first request made (a retry is safe), so no place is given twice. Then one
 * transaction publishes the head (version checked) and ends the job.
 */
import {
  allocate,
  assertClosedRanked,
  assertDraftAt,
  classSeatsId,
  DomainError,
  failedAllocation,
  finishedAllocation,
  NotFound,
  offerName,
  reasonsAgainst,
  type AllocationHead,
  type AllocationJob,
  type DraftBumped,
  type DraftDropped,
  type DraftGrant,
  type DraftLists,
  type JobMessage,
  type School,
  type SelectionWindow,
  type Term,
} from '@kehou/domain';
import {
  allocationJob,
  allocationRef,
  type ClassPublished,
  type JobRef,
  type Runtime,
  type StoredAllocationHead,
  type StoredJob,
  type TransactWrite,
} from '@kehou/store';
import { runClaimed } from '../jobs/claimed';
import type { Budget } from '../people/import-job';
import { factsOf, readOffers, resourceOf, schoolActor } from './offers';

/** Classes a publication writes at once (each its grants one after another, in order). */
export const PUBLISH_PARALLEL = 16;
/** With less time left than a class may take, a publication hands itself over to a new invocation. */
export const PUBLISH_BUDGET_MS = 60_000;
/** A publication records its progress (and renews its lease) at most this often. */
const PROGRESS_MS = 5_000;

/** `items` by `key`, each group in the order given (Map.groupBy is ES2024). */
function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) {
    const k = key(x);
    const group = out.get(k);
    if (group) group.push(x);
    else out.set(k, [x]);
  }
  return out;
}

const need = <T>(x: T | null | undefined, what: string): T => {
  if (x === null || x === undefined) throw new NotFound(what);
  return x;
};

interface Running {
  m: JobMessage;
  rt: Runtime;
  job: StoredJob<AllocationJob>;
  ref: JobRef;
  runner: string;
  budget: Budget;
  /** the writes that end the job as finished with `head`, for the transaction that writes it */
  finish(head: AllocationHead, units: number): TransactWrite[];
}

export async function runAllocationJob(m: JobMessage, rt: Runtime, budget: Budget): Promise<void> {
  const ref = allocationRef(m.schoolId, m.jobId);
  await runClaimed(m, rt, ref, await allocationJob(rt.store, m.schoolId, m.jobId), {
    what: 'allocation',
    failed: failedAllocation,
    work: ({ job, runner, finish }) => {
      const running: Running = {
        m,
        rt,
        job,
        ref,
        runner,
        budget,
        finish: (head, units) => finish(finishedAllocation(head, units)),
      };
      return job.action === 'run' ? runDraft(running) : publish(running);
    },
  });
}

async function termOf(rt: Runtime, schoolId: string, termId: string) {
  const records = await rt.store.enrolments.records(schoolId, termId);
  return { school: need(records.school, 'school'), term: need(records.term, 'term'), window: records.window };
}

// ---------------------------------------------------------------- run

async function runDraft({ rt, job, m, ref, runner, finish }: Running): Promise<void> {
  const { school, term, window } = await termOf(rt, m.schoolId, job.termId);
  const closed = assertClosedRanked(window, school.timezone, rt.clock());
  const prev = await rt.store.allocations.head(school.id, term.id);
  assertDraftAt(prev, job.version, 'run');
  const { figures, lists } = await draftAllocation(rt, school, term, closed, job.seed ?? 0);
  // still this runner's (a large school's reads take a while): its lease renewed before it writes
  await rt.store.jobs.renew(ref, runner, rt.clock(), {});
  // each attempt writes a set of its own; the sets of attempts before it, which did not finish, go
  const attempt = job.runs + 1;
  const set = `${job.jobId}-${attempt}`;
  for (let before = 1; before < attempt; before++)
    await rt.store.allocations.dropSet(school.id, `${job.jobId}-${before}`).catch(() => undefined);
  await rt.store.allocations.writeLists(school.id, set, lists);
  const head: StoredAllocationHead = {
    ...figures,
    schoolId: school.id,
    termId: term.id,
    version: job.version + 1,
    status: 'draft',
    seedDerived: job.seedDerived,
    ranBy: job.by,
    ranAt: job.at,
    publishedBy: null,
    publishedAt: null,
    waitlisted: 0,
    bumpedCount: 0,
    set,
  };
  try {
    await rt.store.allocations.putHead(school.id, job.version, head, finish(head, 1));
  } catch (e) {
    // refused (the allocation changed meanwhile): nobody will point at this set
    if (e instanceof DomainError) await rt.store.allocations.dropSet(school.id, set).catch(() => undefined);
    throw e;
  }
  if (prev) await rt.store.allocations.dropSet(school.id, prev.set).catch(() => undefined);
}

/** The head's figures, from the allocation. */
type DraftFigures = Pick<AllocationHead, 'seed' | 'rounds' | 'children' | 'placed' | 'unplaced' | 'ranks' | 'granted'>;

/**
 * The draft of a ranked allocation: every child's saved choices checked again (those no
 * longer eligible dropped, with the reasons), classes with their seats left and published
 * sessions, allocated (pure), and the grants put by class for the admin to review. Reads the
 * term in bulk: its cost follows the classes, not the children.
 */
export async function draftAllocation(
  rt: Runtime,
  school: School,
  term: Term,
  window: SelectionWindow,
  seed: number,
): Promise<{ figures: DraftFigures; lists: Omit<DraftLists, 'bumped'> }> {
  const o = await readOffers(rt, school.id, term);
  const offers = [...o.offers.values()];
  const store = rt.store;
  const [choosing, seats, forms, approvals, entries] = await Promise.all([
    store.enrolments.allChoices(school.id, term.id).then(async (all) => {
      const chose = all.filter((c) => c.choices.length > 0);
      const students = new Map(
        (
          await store.students.many(
            school.id,
            chose.map((c) => c.studentNo),
          )
        ).map((s) => [s.id, s]),
      );
      return chose.flatMap((c) => {
        const student = students.get(c.studentNo);
        return student ? [{ student, choices: c.choices }] : [];
      });
    }),
    store.capacity.seatsOfMany(
      school.id,
      offers.map((x) => classSeatsId(x.classId)),
    ),
    store.optOuts.ofTerm(school.id, term.id),
    store.enrolments.approvals(school.id, term.id),
    // this term's classes (places held) and last term's (prerequisites)
    store.enrolments.entriesIn(school.id, [...offers.map((x) => classSeatsId(x.classId)), ...o.lastTerm.keys()]),
  ]);
  const formOf = new Map(forms.map((f) => [f.studentNo, f]));
  const approvalsOf = groupBy(approvals, (a) => a.studentNo);
  const seatsLeft = new Map(
    offers.map((x) => {
      const s = seats.get(classSeatsId(x.classId)) ?? { capacity: x.capacity, taken: 0 };
      return [x.classId, Math.max(0, s.capacity - s.taken)];
    }),
  );

  const dropped: DraftDropped[] = [];
  const children = choosing.map(({ student, choices }) => {
    const facts = factsOf(
      o,
      student,
      (entries.get(student.id) ?? []).filter((e) => e.state === 'granted').map((e) => e.resource),
      (approvalsOf.get(student.id) ?? []).map((a) => a.classId),
      formOf.get(student.id) ?? null,
    );
    const kept = choices.filter((id) => {
      const offer = o.offers.get(id);
      const reasons = offer
        ? reasonsAgainst(offer, facts, o.offers, { places: window.places, forPlace: false })
        : [{ rule: 'unscheduled' as const, message: `${id} is no longer a class of this term` }];
      if (reasons.length) dropped.push({ studentNo: student.id, name: student.name, classId: id, reasons });
      return reasons.length === 0 && !facts.held.includes(id);
    });
    return { id: student.id, name: student.name, choices: kept, held: [...facts.held] };
  });
  const allocation = allocate({
    classes: offers.map((x) => ({ id: x.classId, seatsLeft: seatsLeft.get(x.classId)!, slots: [...x.slots] })),
    children: children.map(({ id, choices, held }) => ({ id, choices, held })),
    placesPerChild: window.places,
    seed,
  });
  const names = new Map(children.map((k) => [k.id, k.name]));
  const byClass = groupBy(allocation.grants, (g) => g.classId);
  const grants: DraftGrant[] = offers.flatMap((x) =>
    (byClass.get(x.classId) ?? []).map((g) => ({
      classId: g.classId,
      studentNo: g.childId,
      name: names.get(g.childId) ?? g.childId,
      rank: g.rank,
      round: g.round,
    })),
  );
  const order = new Map(allocation.lottery.map((id, i) => [id, i]));
  const placed = new Set(allocation.grants.map((g) => g.childId));
  const unplacedChoices = children
    .filter((k) => k.held.length === 0 && !placed.has(k.id) && k.choices.length > 0)
    .sort((x, y) => order.get(x.id)! - order.get(y.id)!)
    .map((k) => ({ studentNo: k.id, name: k.name, choices: k.choices }));
  const { seed: s, rounds, children: count, placed: p, unplaced, ranks } = allocation;
  return {
    figures: { seed: s, rounds, children: count, placed: p, unplaced, ranks, granted: grants.length },
    lists: {
      classes: offers.map((x) => ({ classId: x.classId, what: offerName(x), seatsLeft: seatsLeft.get(x.classId)! })),
      grants,
      unplacedChoices,
      dropped,
      lottery: allocation.lottery,
    },
  };
}

// ---------------------------------------------------------------- publish

async function publish({ rt, job, m, ref, runner, budget, finish }: Running): Promise<void> {
  const { school, term } = await termOf(rt, m.schoolId, job.termId);
  const head = await rt.store.allocations.head(school.id, term.id);
  assertDraftAt(head, job.version, 'publish');
  const draft = head!;
  const [lists, done, o] = await Promise.all([
    rt.store.allocations.lists(school.id, draft.set),
    rt.store.allocations.published(school.id, draft.set),
    readOffers(rt, school.id, term),
  ]);
  const grantsOf = groupBy(lists.grants, (g) => g.classId);
  const at = rt.clock().toISOString();
  const actor = schoolActor(job.by);

  /** Publishes one class: its grants in order, then (when it is full) the children left without a place who chose it. */
  const publishClass = async (classId: string, seatsLeft: number): Promise<ClassPublished> => {
    const offer = o.offers.get(classId);
    const grants = grantsOf.get(classId) ?? [];
    const waiters = lists.unplacedChoices.filter((w) => w.choices.includes(classId));
    const out: ClassPublished = { bumped: [], waitlisted: 0 };
    if (!offer || (grants.length === 0 && waiters.length === 0)) return out;
    const r = resourceOf(school.id, offer);
    await rt.store.capacity.openQueue(r, offer.capacity);
    for (const g of grants) {
      const p = await rt.store.capacity.request(r, { id: g.studentNo, what: g.name }, at, actor);
      if (p.state === 'waitlisted') {
        const b: DraftBumped = {
          studentNo: g.studentNo,
          name: g.name,
          classId,
          what: r.what,
          rank: g.rank,
          position: p.position,
        };
        out.bumped.push(b);
      }
    }
    // full as the draft left it, or filled since: the children without a place wait on it, in lottery order
    if (seatsLeft - grants.length > 0 && out.bumped.length === 0) return out;
    for (const w of waiters) {
      const p = await rt.store.capacity.request(r, { id: w.studentNo, what: w.name }, at, actor);
      if (p.state === 'waitlisted') out.waitlisted++;
    }
    return out;
  };

  const left = lists.classes.filter((k) => !done.has(k.classId));
  let next = 0;
  let handOver = false;
  let failure: { error: unknown } | null = null;
  let reported = rt.clock().getTime();
  // each worker takes the next class until none is left, the time runs low, or another failed
  const worker = async () => {
    try {
      while (next < left.length && !handOver && !failure) {
        if (budget.remainingMs() < PUBLISH_BUDGET_MS) {
          handOver = true;
          return;
        }
        const k = left[next++]!;
        const out = await publishClass(k.classId, k.seatsLeft);
        await rt.store.allocations.markPublished(school.id, draft.set, k.classId, out);
        done.set(k.classId, out);
        if (rt.clock().getTime() - reported >= PROGRESS_MS) {
          reported = rt.clock().getTime();
          await rt.store.jobs.renew(ref, runner, rt.clock(), { progress: { done: done.size, of: lists.classes.length } });
        }
      }
    } catch (error) {
      failure ??= { error };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PUBLISH_PARALLEL, left.length) }, worker));
  // the others have stopped too: a run again resumes from the classes recorded
  if (failure) throw (failure as { error: unknown }).error;
  if (handOver) {
    await rt.store.jobs.release(ref, runner, rt.clock(), { progress: { done: done.size, of: lists.classes.length } });
    await rt.jobs.enqueue(m);
    return;
  }

  const outcomes = lists.classes.map((k) => done.get(k.classId)!);
  const bumped = outcomes.flatMap((x) => x.bumped);
  await rt.store.allocations.writeBumped(school.id, draft.set, bumped);
  const published: StoredAllocationHead = {
    ...draft,
    version: draft.version + 1,
    status: 'published',
    publishedBy: job.by,
    publishedAt: at,
    waitlisted: outcomes.reduce((s, x) => s + x.waitlisted, 0),
    bumpedCount: bumped.length,
  };
  await rt.store.allocations.putHead(school.id, draft.version, published, finish(published, lists.classes.length));
  await rt.store.allocations.dropDone(school.id, draft.set).catch(() => undefined);
}

/**
 * Implementations of the enrolment routes: parse (done) → authorise (the policy: a role, or a
 * guardian of the child) → decide (domain: window, eligibility) → store (the capacity
 * primitive's queued seats, the enrolment records) → reply.
 */
import {
  assertClosedRanked,
  assertDraftAt,
  assertEligible,
  assertMayWithdraw,
  assertWindow,
  authorize,
  checkChoices,
  classSeatsId,
  derivedSeed,
  guardianOf,
  needsRelations,
  nextWindow,
  NotFound,
  offerName,
  queuedAllocation,
  reasonsAgainst,
  todayIn,
  windowState,
  type AllocationJob,
  type ClassOffer,
  type Permission,
  type Principal,
  type School,
  type SelectionWindow,
  type Term,
} from '@kehou/domain';
import { bind, Reply, type Bound } from '@kehou/http';
import {
  allocationJob,
  Jobs,
  submitAllocation,
  type Actor,
  type Key,
  type Place as SeatPlace,
  type Runtime,
  type SeatEvent,
} from '@kehou/store';
import { enrolmentRoutes as e } from './api';
import { childFacts, factsOf, readOffers, resourceOf, schoolActor, waiterCheck, type Offers } from './offers';

const need = <T>(x: T | null | undefined, what: string): T => {
  if (x === null || x === undefined) throw new NotFound(what);
  return x;
};

/**
 * The school, the term and (for a child's routes) the child, read at once with the caller's
 * relations where only a relation could grant the permission; then the policy decides. A
 * child who is not the caller's is 404, as one that does not exist.
 */
async function access(
  rt: Runtime,
  principal: Principal,
  p: { schoolId: string; termId: string; studentNo?: string },
  permission: Permission,
  also: readonly Key[] = [],
) {
  const subject = p.studentNo ? { kind: 'student' as const, studentNo: p.studentNo } : undefined;
  const relate = subject !== undefined && needsRelations(principal, permission, { id: p.schoolId, districtId: '' });
  const [records, relations] = await Promise.all([
    rt.store.enrolments.records(p.schoolId, p.termId, p.studentNo, also),
    relate ? rt.store.relations.at(principal.userId, p.schoolId, 'student') : undefined,
  ]);
  const school = need(records.school, 'school');
  authorize(principal, permission, { school, ...(subject ? { subject } : {}), ...(relations ? { relations } : {}) });
  const term = need(records.term, 'term');
  const guardian = relations && p.studentNo ? guardianOf(relations, p.studentNo) : null;
  const actor: Actor = guardian ? { id: principal.userId, name: guardian.name } : schoolActor(principal.userId);
  return { school, term, window: records.window, student: records.student, form: records.form, found: records.found, actor };
}

/**
 * A term's offers (offers.ts) as a warm function keeps them for a few seconds: a class's
 * opening brings hundreds of requests for the same term at once.
 */
const OFFERS_TTL_MS = 5_000;
const offersCache = new Map<string, { until: number; offers: Promise<Offers> }>();
function termOffers(rt: Runtime, school: School, term: Term): Promise<Offers> {
  const key = `${school.id}#${term.id}`;
  const now = rt.clock().getTime();
  const hit = offersCache.get(key);
  if (hit && hit.until > now) return hit.offers;
  const offers = readOffers(rt, school.id, term);
  offersCache.set(key, { until: now + OFFERS_TTL_MS, offers });
  offers.catch(() => offersCache.delete(key));
  return offers;
}

const statusOf = (p: SeatPlace) => ({
  state: p.state,
  position: p.state === 'waitlisted' ? p.position : null,
  arrival: p.arrival,
  at: p.at,
});
const windowView = (w: SelectionWindow, school: School, now: Date) => ({ ...w, state: windowState(w, school.timezone, now) });
const person = (p: { holder: string; what: string; arrival: number; at: string }) => ({
  studentNo: p.holder,
  name: p.what,
  arrival: p.arrival,
  at: p.at,
});

/** A history line as the API shows it: the holder as the child. */
const eventView = (e: SeatEvent) => ({
  action: e.action,
  studentNo: e.holder,
  name: e.what,
  arrival: e.arrival,
  at: e.at,
  by: e.by,
  byName: e.byName,
  note: e.note,
});

function offerIn(o: Offers, classId: string, path?: string): ClassOffer {
  const offer = o.offers.get(classId);
  if (!offer) throw new NotFound('class', path ? [{ path: [path], message: 'is not a class of this term' }] : []);
  return offer;
}

/** A run or publication accepted: 202 with its status resource, which the Location names. */
async function submitted(rt: Runtime, schoolId: string, job: AllocationJob, now: Date): Promise<Reply> {
  await submitAllocation(rt.store, schoolId, job, now, rt.jobs);
  return new Reply(202, job, {
    location: `/schools/${schoolId}/terms/${job.termId}/enrolment/allocation/jobs/${job.jobId}`,
  });
}

export const bound: Bound<Runtime>[] = [
  bind(e.setWindow, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const prev = a.window;
    const now = rt.clock();
    const next = nextWindow(prev, body, { schoolId: a.school.id, termId: a.term.id, by: principal.userId, now });
    const saved = await rt.store.enrolments.putWindow(next);
    // first come, first served: every class's places are set up now, not by the first of a burst of requests
    if (saved.mode === 'fcfs') {
      const o = await readOffers(rt, a.school.id, a.term);
      await Promise.all(
        [...o.offers.values()].map((offer) => rt.store.capacity.openQueue(resourceOf(a.school.id, offer), offer.capacity)),
      );
    }
    return windowView(saved, a.school, now);
  }),
  bind(e.getWindow, async ({ params, principal }, rt) => {
    const a = await access(rt, principal, params, 'setup.read');
    return windowView(need(a.window, 'selection window'), a.school, rt.clock());
  }),
  bind(e.childView, async ({ params, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.read');
    const student = need(a.student, 'student');
    const window = a.window;
    const [o, choices, entries, approvals] = await Promise.all([
      termOffers(rt, a.school, a.term),
      rt.store.enrolments.choices(a.school.id, a.term.id, student.id),
      rt.store.capacity.entriesOf(a.school.id, student.id),
      rt.store.enrolments.approvals(a.school.id, a.term.id, student.id),
    ]);
    const offers = [...o.offers.values()];
    const entryOf = new Map(entries.map((x) => [x.resource, x]));
    // a waiting child's view first gives on any seat of the class a dead request left idle (capacity.ts)
    const at = rt.clock().toISOString();
    const held = entries.filter((x) => x.state === 'granted').map((x) => x.resource);
    for (const offer of offers) {
      const r = resourceOf(a.school.id, offer);
      if (entryOf.get(r.id)?.state !== 'waiting') continue;
      const moved = await rt.store.capacity.repair(r, at, waiterCheck(rt, a.school.id, a.term.id, o, offer, window));
      if (moved.some((p) => p.holder === student.id)) held.push(r.id);
    }
    const facts = factsOf(
      o,
      student,
      held,
      approvals.map((x) => x.classId),
      a.form,
    );
    const seats = await rt.store.capacity.seatsOfMany(
      a.school.id,
      offers.map((x) => classSeatsId(x.classId)),
    );
    const classes = await Promise.all(
      offers.map(async (offer) => {
        const r = resourceOf(a.school.id, offer);
        const s = seats.get(r.id) ?? { capacity: offer.capacity, taken: 0 };
        const [place, waiting] = await Promise.all([
          entryOf.has(r.id) ? rt.store.capacity.place(r, student.id) : null,
          s.taken >= s.capacity ? rt.store.capacity.waiting(r).then((w) => w.length) : 0,
        ]);
        const reasons = reasonsAgainst(offer, facts, o.offers, { places: window?.places ?? Infinity, forPlace: !place });
        return {
          classId: offer.classId,
          clubId: offer.clubId,
          clubName: offer.clubName,
          className: offer.className,
          tier: offer.tier,
          prerequisite: offer.prerequisite,
          grades: [...offer.grades],
          slots: [...offer.slots],
          capacity: s.capacity,
          seatsLeft: s.capacity - s.taken,
          waiting,
          eligible: reasons.length === 0,
          reasons,
          status: place && statusOf(place),
        };
      }),
    );
    return {
      studentNo: student.id,
      name: student.name,
      gradeLevel: student.gradeLevel,
      window: window && windowView(window, a.school, rt.clock()),
      classes,
      choices,
    };
  }),
  bind(e.childHistory, async ({ params, query, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.read');
    const student = need(a.student, 'student');
    const clubs = await rt.store.clubs.allOfTerm(a.school.id, a.term.id);
    const classes = new Map(
      clubs.flatMap((c) =>
        c.classes.map((k) => [classSeatsId(k.id), { classId: k.id, what: offerName({ clubName: c.name, className: k.name }) }]),
      ),
    );
    const page = await rt.store.seatHistory.ofHolder(a.school.id, student.id, query, (r) => classes.has(r));
    return { items: page.items.map((x) => ({ ...eventView(x), ...classes.get(x.resource)! })), next: page.next };
  }),
  bind(e.saveChoices, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.write');
    const student = need(a.student, 'student');
    const now = rt.clock();
    const [o, w] = [await termOffers(rt, a.school, a.term), a.window];
    const window = assertWindow(w, 'ranked', a.school.timezone, now);
    const { facts } = await childFacts(rt, a.school.id, a.term.id, o, student, a.form);
    checkChoices(body.choices, window, facts, o.offers);
    return rt.store.enrolments.putChoices({
      schoolId: a.school.id,
      termId: a.term.id,
      studentNo: student.id,
      choices: body.choices,
      version: body.version + 1,
      updatedAt: now.toISOString(),
      updatedBy: principal.userId,
    });
  }),
  bind(e.requestPlace, async ({ params, body, principal }, rt) => {
    // read with the school's and the child's records: the class's seats, the child's place and seats held, an approval
    const seats = { schoolId: params.schoolId, id: classSeatsId(body.classId), what: body.classId };
    const approval = rt.store.enrolments.approvalKey(params.schoolId, params.termId, params.studentNo, body.classId);
    const a = await access(rt, principal, params, 'enrolment.write', [
      ...rt.store.capacity.requestKeys(seats, params.studentNo),
      approval,
    ]);
    const student = need(a.student, 'student');
    const now = rt.clock();
    const o = await termOffers(rt, a.school, a.term);
    const offer = offerIn(o, body.classId, 'classId');
    const r = resourceOf(a.school.id, offer);
    const answer = (p: SeatPlace, seatsLeft: number, replayed: boolean) =>
      new Reply(
        200,
        { classId: offer.classId, what: r.what, ...statusOf(p), seatsLeft },
        replayed ? { 'idempotent-replayed': 'true' } : {},
      );
    const known = rt.store.capacity.holderState(r, student.id, a.found);
    // a child who has their place already is answered it, whatever changed since
    if (known.place) return answer(known.place, known.seatsLeft, true);
    const window = assertWindow(a.window, 'fcfs', a.school.timezone, now);
    const facts = factsOf(o, student, known.held, a.found(approval) ? [offer.classId] : [], a.form);
    assertEligible(reasonsAgainst(offer, facts, o.offers, { places: window.places, forPlace: true }), 'classId');
    const holder = { id: student.id, what: student.name };
    const at = now.toISOString();
    const eligible = waiterCheck(rt, a.school.id, a.term.id, o, offer, a.window);
    let place;
    try {
      place = await rt.store.capacity.request(r, holder, at, a.actor, eligible);
    } catch (e) {
      if (!(e instanceof NotFound)) throw e;
      // the class's first request: its places are set up from its capacity, then asked for
      await rt.store.capacity.openQueue(r, offer.capacity);
      place = await rt.store.capacity.request(r, holder, at, a.actor, eligible);
    }
    return answer(place, place.seatsLeft, place.replayed);
  }),
  bind(e.withdraw, async ({ params, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.write');
    const student = need(a.student, 'student');
    const now = rt.clock();
    const [o, w] = [await termOffers(rt, a.school, a.term), a.window];
    const offer = offerIn(o, params.classId);
    assertMayWithdraw(w, todayIn(a.school.timezone, now));
    const out = await rt.store.capacity.leave(
      resourceOf(a.school.id, offer),
      student.id,
      'withdrawn',
      now.toISOString(),
      a.actor,
      waiterCheck(rt, a.school.id, a.term.id, o, offer, w),
    );
    return { classId: offer.classId, left: out.left.state };
  }),
  bind(e.remove, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const [o, w] = [await termOffers(rt, a.school, a.term), a.window];
    const offer = offerIn(o, params.classId);
    const out = await rt.store.capacity.leave(
      resourceOf(a.school.id, offer),
      body.studentNo,
      'removed',
      rt.clock().toISOString(),
      a.actor,
      waiterCheck(rt, a.school.id, a.term.id, o, offer, w),
    );
    return {
      classId: offer.classId,
      left: { ...person(out.left), state: out.left.state },
      promoted: out.promoted && person(out.promoted),
      passed: out.passed.map((p) => ({ studentNo: p.holder, name: p.what, reason: p.reason })),
    };
  }),
  bind(e.classList, async ({ params, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const o = await termOffers(rt, a.school, a.term);
    const offer = offerIn(o, params.classId);
    const r = resourceOf(a.school.id, offer);
    // the school's list first gives on any seat a dead request left idle (capacity.ts)
    await rt.store.capacity.repair(r, rt.clock().toISOString(), waiterCheck(rt, a.school.id, a.term.id, o, offer, a.window));
    const [seats, holders, waiting] = await Promise.all([
      rt.store.capacity.seats(r),
      rt.store.capacity.holders(r, { limit: 500 }),
      rt.store.capacity.waiting(r),
    ]);
    const s = seats ?? { capacity: offer.capacity, taken: 0 };
    return {
      classId: offer.classId,
      what: r.what,
      capacity: s.capacity,
      taken: s.taken,
      seatsLeft: s.capacity - s.taken,
      enrolled: holders.items.map((h) => ({ studentNo: h.holder, name: h.what ?? h.holder, arrival: h.arrival ?? 0, at: h.at })),
      waitlist: waiting.map((p) => ({ ...person(p), position: p.position })),
    };
  }),
  bind(e.classHistory, async ({ params, query, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const o = await termOffers(rt, a.school, a.term);
    const page = await rt.store.capacity.history(resourceOf(a.school.id, offerIn(o, params.classId)), query);
    return { items: page.items.map(eventView), next: page.next };
  }),
  // accepts a run; the jobs function reads every child and writes the draft (allocation-job.ts)
  bind(e.runAllocation, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const now = rt.clock();
    assertClosedRanked(a.window, a.school.timezone, now);
    assertDraftAt(await rt.store.allocations.head(a.school.id, a.term.id), body.version, 'run');
    const seed = body.seed ?? derivedSeed(`${a.school.id}#${a.term.id}#${body.version + 1}#${now.toISOString()}`);
    const job = queuedAllocation(
      rt.newId(),
      a.term.id,
      { action: 'run', version: body.version, seed, seedDerived: body.seed === undefined },
      { by: principal.userId, now },
    );
    return submitted(rt, a.school.id, job, now);
  }),
  bind(e.allocationJob, async ({ params, principal }, rt) => {
    const [a, job] = await Promise.all([
      access(rt, principal, params, 'enrolment.manage'),
      allocationJob(rt.store, params.schoolId, params.jobId),
    ]);
    if (!job || job.termId !== a.term.id) throw new NotFound('allocation job');
    return Jobs.view(job);
  }),
  bind(e.getAllocation, async ({ params, query, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const head = need(await rt.store.allocations.head(a.school.id, a.term.id), 'allocation');
    const { lists, next } = await rt.store.allocations.listsPage(a.school.id, head, query);
    const { set: _set, ...view } = head;
    return { ...view, ...lists, next };
  }),
  // accepts a publication; the jobs function makes every grant a place (allocation-job.ts)
  bind(e.publishAllocation, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const head = await rt.store.allocations.head(a.school.id, a.term.id);
    assertDraftAt(head, body.version, 'publish');
    const now = rt.clock();
    const job = queuedAllocation(
      rt.newId(),
      a.term.id,
      { action: 'publish', version: body.version, seed: head!.seed, seedDerived: head!.seedDerived },
      { by: principal.userId, now },
    );
    return submitted(rt, a.school.id, job, now);
  }),
  bind(e.approve, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.approve');
    const [o, student] = await Promise.all([
      termOffers(rt, a.school, a.term),
      rt.store.students.get(a.school.id, body.studentNo),
    ]);
    offerIn(o, body.classId, 'classId');
    if (!student) throw new NotFound('student', [{ path: ['studentNo'], message: 'is not a student of this school' }]);
    return rt.store.enrolments.approve(a.school.id, a.term.id, {
      studentNo: student.id,
      classId: body.classId,
      by: principal.userId,
      at: rt.clock().toISOString(),
    });
  }),
];

/**
 * Implementations of the enrolment routes: parse (done) → authorise (the policy: a role, or a
 * guardian of the child) → decide (domain: window, eligibility) → store (the capacity
 * primitive's queued seats, the enrolment records) → reply.
 */
import {
  allocate,
  assertClosedRanked,
  assertEligible,
  Conflict,
  assertMayWithdraw,
  assertWindow,
  authorize,
  checkChoices,
  classSeatsId,
  guardianOf,
  needsRelations,
  nextWindow,
  NotFound,
  offerName,
  reasonsAgainst,
  todayIn,
  windowState,
  type ClassOffer,
  type Permission,
  type Principal,
  type School,
  type SelectionWindow,
  type Term,
} from '@kehou/domain';
import { bind, Reply, type Bound } from '@kehou/http';
import type { Actor, Key, Place as SeatPlace, Runtime } from '@kehou/store';
import { enrolmentRoutes as e, type AllocationDraft } from './api';
import { childFacts, factsOf, readOffers, resourceOf, waiterCheck, type Offers } from './eligibility';

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
  const actor: Actor = { id: principal.userId, name: guardian?.name ?? `${principal.userId} (school)` };
  return { school, term, window: records.window, student: records.student, form: records.form, found: records.found, actor };
}

/**
 * A term's offers (eligibility.ts) as a warm function keeps them for a few seconds: a class's
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

function offerIn(o: Offers, classId: string, path?: string): ClassOffer {
  const offer = o.offers.get(classId);
  if (!offer) throw new NotFound('class', path ? [{ path: [path], message: 'is not a class of this term' }] : []);
  return offer;
}

/** A seed derived from the term and the run when the admin gives none (FNV-1a of the text). */
function derivedSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const publishedConflict = (d: AllocationDraft) =>
  new Conflict(`The allocation was published at ${d.publishedAt} by ${d.publishedBy}; it is final`, 'state', {
    current: { version: d.version, status: d.status, publishedAt: d.publishedAt, publishedBy: d.publishedBy },
  });

/**
 * The draft of a ranked allocation: every child's saved choices checked again (those no longer
 * eligible dropped, with the reasons), classes with their seats left and published sessions,
 * allocated (pure), and the grants put by class for the admin to review.
 */
async function draftAllocation(rt: Runtime, school: School, term: Term, window: SelectionWindow, seed: number) {
  const o = await readOffers(rt, school.id, term);
  const offers = [...o.offers.values()];
  const [saved, seats] = await Promise.all([
    rt.store.enrolments.allChoices(school.id, term.id),
    rt.store.capacity.seatsOfMany(
      school.id,
      offers.map((x) => classSeatsId(x.classId)),
    ),
  ]);
  const seatsLeft = (x: ClassOffer) => {
    const s = seats.get(classSeatsId(x.classId)) ?? { capacity: x.capacity, taken: 0 };
    return Math.max(0, s.capacity - s.taken);
  };
  const read = await Promise.all(
    saved
      .filter((c) => c.choices.length > 0)
      .map(async (c) => {
        const student = await rt.store.students.get(school.id, c.studentNo);
        return student && { student, choices: c.choices, ...(await childFacts(rt, school.id, term.id, o, student)) };
      }),
  );
  const dropped: AllocationDraft['dropped'] = [];
  const children = read.flatMap((k) => {
    if (!k) return [];
    const kept = k.choices.filter((id) => {
      const offer = o.offers.get(id);
      const reasons = offer
        ? reasonsAgainst(offer, k.facts, o.offers, { places: window.places, forPlace: false })
        : [{ rule: 'unscheduled' as const, message: `${id} is no longer a class of this term` }];
      if (reasons.length) dropped.push({ studentNo: k.student.id, name: k.student.name, classId: id, reasons });
      return reasons.length === 0 && !k.facts.held.includes(id);
    });
    return [{ id: k.student.id, name: k.student.name, choices: kept, held: [...k.facts.held] }];
  });
  const allocation = allocate({
    classes: offers.map((x) => ({ id: x.classId, seatsLeft: seatsLeft(x), slots: [...x.slots] })),
    children: children.map(({ id, choices, held }) => ({ id, choices, held })),
    placesPerChild: window.places,
    seed,
  });
  const names = new Map(children.map((k) => [k.id, k.name]));
  const classes = offers.map((x) => ({
    classId: x.classId,
    what: offerName(x),
    seatsLeft: seatsLeft(x),
    granted: allocation.grants
      .filter((g) => g.classId === x.classId)
      .map((g) => ({ studentNo: g.childId, name: names.get(g.childId) ?? g.childId, rank: g.rank, round: g.round })),
  }));
  const order = new Map(allocation.lottery.map((id, i) => [id, i]));
  const placed = new Set(allocation.grants.map((g) => g.childId));
  const unplacedChoices = children
    .filter((k) => k.held.length === 0 && !placed.has(k.id) && k.choices.length > 0)
    .sort((x, y) => order.get(x.id)! - order.get(y.id)!)
    .map((k) => ({ studentNo: k.id, name: k.name, choices: k.choices }));
  return { allocation, classes, dropped, unplacedChoices };
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
    return {
      items: page.items.map((e) => ({
        action: e.action,
        studentNo: e.holder,
        name: e.what,
        arrival: e.arrival,
        at: e.at,
        by: e.by,
        byName: e.byName,
        note: e.note,
      })),
      next: page.next,
    };
  }),
  bind(e.runAllocation, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const now = rt.clock();
    const window = assertClosedRanked(a.window, a.school.timezone, now);
    const prev = await rt.store.enrolments.allocation<AllocationDraft>(a.school.id, a.term.id);
    if (prev?.status === 'published') throw publishedConflict(prev);
    const version = body.version + 1;
    const seed = body.seed ?? derivedSeed(`${a.school.id}#${a.term.id}#${version}#${now.toISOString()}`);
    const { allocation, classes, dropped, unplacedChoices } = await draftAllocation(rt, a.school, a.term, window, seed);
    const draft: AllocationDraft = {
      ...allocation,
      schoolId: a.school.id,
      termId: a.term.id,
      version,
      status: 'draft',
      seedDerived: body.seed === undefined,
      ranBy: principal.userId,
      ranAt: now.toISOString(),
      publishedBy: null,
      publishedAt: null,
      classes,
      dropped,
      unplacedChoices,
      waitlisted: 0,
    };
    return rt.store.enrolments.putAllocation(a.school.id, a.term.id, draft);
  }),
  bind(e.getAllocation, async ({ params, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    return need(await rt.store.enrolments.allocation<AllocationDraft>(a.school.id, a.term.id), 'allocation');
  }),
  bind(e.publishAllocation, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params, 'enrolment.manage');
    const draft = need(await rt.store.enrolments.allocation<AllocationDraft>(a.school.id, a.term.id), 'allocation');
    if (draft.status === 'published') throw publishedConflict(draft);
    if (draft.version !== body.version)
      throw new Conflict(`The draft is version ${draft.version}, run by ${draft.ranBy} at ${draft.ranAt}`, 'version', {
        current: { version: draft.version, ranBy: draft.ranBy, ranAt: draft.ranAt },
      });
    const o = await readOffers(rt, a.school.id, a.term);
    const now = rt.clock().toISOString();
    let waitlisted = 0;
    // classes in parallel; within a class, its grants, then (when it is full) the unplaced in lottery order
    await Promise.all(
      draft.classes.map(async (k) => {
        const offer = o.offers.get(k.classId);
        const waiters = draft.unplacedChoices.filter((w) => w.choices.includes(k.classId));
        if (!offer || (k.granted.length === 0 && waiters.length === 0)) return;
        const r = resourceOf(a.school.id, offer);
        await rt.store.capacity.openQueue(r, offer.capacity);
        for (const g of k.granted) await rt.store.capacity.request(r, { id: g.studentNo, what: g.name }, now, a.actor);
        if (k.seatsLeft - k.granted.length > 0) return;
        for (const w of waiters) {
          const p = await rt.store.capacity.request(r, { id: w.studentNo, what: w.name }, now, a.actor);
          if (p.state === 'waitlisted') waitlisted++;
        }
      }),
    );
    return rt.store.enrolments.putAllocation(a.school.id, a.term.id, {
      ...draft,
      version: draft.version + 1,
      status: 'published' as const,
      publishedBy: principal.userId,
      publishedAt: now,
      waitlisted,
    });
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

/**
 * What the enrolment routes, the allocation jobs and the clubs function (a class's capacity
 * raised moves waiters up) decide on: a term's classes as families may choose them (their
 * published sessions, last term's classes for prerequisites), a class's places in the capacity
 * primitive, a child's facts for eligibility, and who may move up into a seat now. No routes
 * here: the jobs function carries this and not the routes.
 */
import {
  classOffers,
  classSeatsId,
  daysOut,
  offerName,
  reasonsAgainst,
  termBefore,
  type ChildFacts,
  type ClassOffer,
  type SelectionWindow,
  type Term,
} from '@kehou/domain';
import type { Actor, Eligibility, Runtime, SeatResource } from '@kehou/store';

/** Who did something for the school (an admin, a teacher), for a place's history. */
export const schoolActor = (userId: string): Actor => ({ id: userId, name: `${userId} (school)` });

/** A term's classes (by id) and, for prerequisites, last term's seats as `<lineageId>#<tier>` (by resource). */
export async function readOffers(rt: Runtime, schoolId: string, term: Term) {
  const [clubs, slots, terms] = await Promise.all([
    rt.store.clubs.allOfTerm(schoolId, term.id),
    rt.store.enrolments.publishedSlots(schoolId, term.id),
    rt.store.terms.all(schoolId),
  ]);
  const before = termBefore(terms, term);
  const lastClubs = before ? await rt.store.clubs.allOfTerm(schoolId, before.id) : [];
  const offers = new Map(classOffers(clubs, slots).map((o) => [o.classId, o]));
  const lastTerm = new Map(lastClubs.flatMap((c) => c.classes.map((k) => [classSeatsId(k.id), `${c.lineageId}#${k.tier}`])));
  return { offers, lastTerm };
}
export type Offers = Awaited<ReturnType<typeof readOffers>>;

export const classOf = (resource: string) => resource.slice(classSeatsId('').length);

export const resourceOf = (schoolId: string, o: Pick<ClassOffer, 'classId' | 'clubName' | 'className'>): SeatResource => ({
  schoolId,
  id: classSeatsId(o.classId),
  what: offerName(o),
});

/** A child's facts from what was read: the seats they hold (queued resources), their approvals, their opt-out form. */
export function factsOf(
  o: Offers,
  child: { name: string; gradeLevel: number },
  held: readonly string[],
  approvals: Iterable<string>,
  form: Parameters<typeof daysOut>[0],
): ChildFacts {
  return {
    name: child.name,
    gradeLevel: child.gradeLevel,
    daysOut: daysOut(form),
    held: held.map(classOf).filter((id) => o.offers.has(id)),
    heldLastTerm: new Set(held.flatMap((r) => o.lastTerm.get(r) ?? [])),
    approvals: new Set(approvals),
  };
}

/** A child's facts for eligibility: their grade, days out, classes held now and last term, approvals. */
export async function childFacts(
  rt: Runtime,
  schoolId: string,
  termId: string,
  o: Offers,
  child: { id: string; name: string; gradeLevel: number },
  form?: Parameters<typeof daysOut>[0],
) {
  const [held, approvals, f] = await Promise.all([
    rt.store.capacity.heldBy(schoolId, child.id),
    rt.store.enrolments.approvals(schoolId, termId, child.id),
    form === undefined
      ? rt.store.family.records(schoolId, { termId, studentNo: child.id, form: true }).then((r) => r.form)
      : form,
  ]);
  return {
    facts: factsOf(
      o,
      child,
      held,
      approvals.map((a) => a.classId),
      f,
    ),
  };
}

/** Why a waiter may not move up into a seat of the class now (null: they may). */
export function waiterCheck(
  rt: Runtime,
  schoolId: string,
  termId: string,
  o: Offers,
  offer: ClassOffer,
  window: SelectionWindow | null,
): Eligibility {
  return async (waiter) => {
    const student = await rt.store.students.get(schoolId, waiter.id);
    if (!student) return `student ${waiter.id} is no longer at the school`;
    const { facts } = await childFacts(rt, schoolId, termId, o, student);
    const reasons = reasonsAgainst(offer, facts, o.offers, { places: window?.places ?? Infinity, forPlace: true });
    return reasons.length ? reasons.map((r) => r.message).join('; ') : null;
  };
}

/**
 * A class's seats given on at once after its capacity was raised (owed to its line in the
 * transaction that saved it): the first eligible waiters move up, or the seats are free.
 */
export async function giveOnRaised(
  rt: Runtime,
  schoolId: string,
  termId: string,
  raised: ReadonlyArray<{ classId: string; capacity: number }>,
  at: string,
  by: { id: string; name: string },
): Promise<void> {
  const term = await rt.store.terms.get(schoolId, termId);
  if (!term || raised.length === 0) return;
  const [o, window] = await Promise.all([readOffers(rt, schoolId, term), rt.store.enrolments.window(schoolId, termId)]);
  for (const k of raised) {
    const offer = o.offers.get(k.classId);
    if (!offer) continue;
    const r = resourceOf(schoolId, offer);
    await rt.store.capacity.repair(r, at, waiterCheck(rt, schoolId, termId, o, offer, window), {
      by,
      note: `the capacity of ${r.what} was raised to ${k.capacity}`,
    });
  }
}

/**
 * What the enrolment routes and the allocation jobs both decide on: a term's classes as
 * families may choose them (their published sessions, last term's classes for prerequisites),
 * a class's places in the capacity primitive, and a child's facts for eligibility. No routes
 * here: the jobs function carries this and not the routes.
 */
import {
  classOffers,
  classSeatsId,
  daysOut,
  offerName,
  termBefore,
  type ChildFacts,
  type ClassOffer,
  type School,
  type Term,
} from '@kehou/domain';
import type { Actor, HeldEntry, Runtime, SeatResource } from '@kehou/store';

/** Who did something for the school (an admin, a teacher), for a place's history. */
export const schoolActor = (userId: string): Actor => ({ id: userId, name: `${userId} (school)` });

/** A term's classes with their published sessions, and last term's classes by their places (`<lineageId>#<tier>`). */
export async function readOffers(rt: Runtime, school: School, term: Term) {
  const [clubs, slots, terms] = await Promise.all([
    rt.store.clubs.allOfTerm(school.id, term.id),
    rt.store.enrolments.publishedSlots(school.id, term.id),
    rt.store.terms.all(school.id),
  ]);
  const before = termBefore(terms, term);
  const lastClubs = before ? await rt.store.clubs.allOfTerm(school.id, before.id) : [];
  const offers = new Map(classOffers(clubs, slots).map((o) => [o.classId, o]));
  const lastTerm = new Map(lastClubs.flatMap((c) => c.classes.map((k) => [classSeatsId(k.id), `${c.lineageId}#${k.tier}`])));
  return { offers, lastTerm };
}
export type Offers = Awaited<ReturnType<typeof readOffers>>;

export const resourceOf = (schoolId: string, o: ClassOffer): SeatResource => ({
  schoolId,
  id: classSeatsId(o.classId),
  what: offerName(o),
});

export const classOf = (resource: string) => resource.slice(classSeatsId('').length);

/** What eligibility knows of a child, from their records: the places they hold or wait for, approvals, opt-out form. */
export function factsOf(
  o: Offers,
  child: { name: string; gradeLevel: number },
  entries: readonly HeldEntry[],
  approvals: ReadonlyArray<{ classId: string }>,
  form: Parameters<typeof daysOut>[0],
): ChildFacts {
  const granted = entries.filter((e) => e.state === 'granted');
  return {
    name: child.name,
    gradeLevel: child.gradeLevel,
    daysOut: daysOut(form),
    held: granted.map((e) => classOf(e.resource)).filter((id) => o.offers.has(id)),
    heldLastTerm: new Set(granted.flatMap((e) => o.lastTerm.get(e.resource) ?? [])),
    approvals: new Set(approvals.map((a) => a.classId)),
  };
}

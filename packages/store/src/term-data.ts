/** Everything a term's timetable is built from and read with, loaded in parallel. */
import type { PublishedSession, School, Term, TimetableData } from '@kehou/domain';
import type { Store } from './store';

export async function loadTermData(store: Store, school: School, termId: string): Promise<TimetableData | null> {
  const [term, grades, rooms, staff, clubs] = await Promise.all([
    store.terms.get(school.id, termId),
    store.grades.all(school.id),
    store.rooms.all(school.id),
    store.staff.all(school.id),
    store.clubs.allOfTerm(school.id, termId),
  ]);
  return term ? { school, term, grades, rooms, staff, clubs } : null;
}

/**
 * A staff member's published sessions in every term of the school, with the terms that date
 * them: two queries at once (the roster read model and the school's terms), one round trip.
 */
export async function loadRoster(
  store: Store,
  schoolId: string,
  staffId: string,
): Promise<{ terms: Term[]; sessions: PublishedSession[] }> {
  const [terms, sessions] = await Promise.all([store.terms.all(schoolId), store.timetables.rosterOf(schoolId, staffId)]);
  return { terms, sessions };
}

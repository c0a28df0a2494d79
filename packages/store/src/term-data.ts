/** Everything a term's timetable is built from and read with, loaded in parallel. */
import { classSeatsId, type Club, type PublishedSession, type School, type Term, type TimetableData } from '@kehou/domain';
import type { Store } from './store';

/**
 * The term's set-up; with `enrolments`, also the classes each enrolled child holds (for a
 * generation that keeps them apart).
 */
export async function loadTermData(
  store: Store,
  school: School,
  termId: string,
  o: { enrolments?: boolean } = {},
): Promise<TimetableData | null> {
  const [term, grades, rooms, staff, clubs] = await Promise.all([
    store.terms.get(school.id, termId),
    store.grades.all(school.id),
    store.rooms.all(school.id),
    store.staff.all(school.id),
    store.clubs.allOfTerm(school.id, termId),
  ]);
  if (!term) return null;
  return {
    school,
    term,
    grades,
    rooms,
    staff,
    clubs,
    ...(o.enrolments ? { enrolments: await enrolmentsOf(store, school.id, clubs) } : {}),
  };
}

/** Each child's classes among the clubs': the holders of every class's places, read class by class at once. */
async function enrolmentsOf(store: Store, schoolId: string, clubs: readonly Club[]) {
  const byStudent = new Map<string, string[]>();
  const classes = clubs.filter((c) => c.status === 'active').flatMap((c) => c.classes.map((k) => ({ club: c, cls: k })));
  await Promise.all(
    classes.map(async ({ club, cls }) => {
      const seats = { schoolId, id: classSeatsId(cls.id), what: `${club.name} ${cls.name}` };
      let cursor: string | undefined;
      do {
        const page = await store.capacity.holders(seats, { limit: 500, ...(cursor ? { cursor } : {}) });
        for (const h of page.items) byStudent.set(h.holder, [...(byStudent.get(h.holder) ?? []), cls.id]);
        cursor = page.next ?? undefined;
      } while (cursor);
    }),
  );
  return [...byStudent].map(([studentNo, classIds]) => ({ studentNo, classIds }));
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

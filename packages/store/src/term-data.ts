/** Everything a term's timetable is built from and read with, loaded in parallel. */
import { datedViews, viewSessions, type DatedSessionView, type School, type TimetableData } from '@kehou/domain';
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

/** A staff member's published sessions between two dates (inclusive), in every term of the school. */
export async function loadRoster(
  store: Store,
  school: School,
  staffId: string,
  from: string,
  to: string,
): Promise<DatedSessionView[]> {
  const terms = (await store.terms.all(school.id)).filter((t) => t.startDate <= to && from <= t.endDate);
  const out: DatedSessionView[] = [];
  for (const term of terms) {
    const head = await store.timetables.head(school.id, term.id);
    if (!head?.published) continue;
    const [v, data] = await Promise.all([
      store.timetables.version(school.id, term.id, head.published),
      loadTermData(store, school, term.id),
    ]);
    if (!v || !data) continue;
    out.push(
      ...datedViews({ schoolId: school.id, term, zone: school.timezone }, viewSessions(data, v.sessions, { staffId }), {
        start: from,
        end: to,
      }),
    );
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/**
 * The read models of a term's published timetable, written at publication: each session
 * with the names people read (club, class, room, staff member, as published), in its staff
 * member's roster, under its class, and under each of its grades by day. Too many records
 * for one transaction at a large school, so they follow the publication: `publishViews`
 * brings them to whatever the head says is published, writing only what differs, and then
 * marks the head; it is safe to run again (a publication retried runs it), and a pass that
 * finds another publication made meanwhile runs again for that one.
 */
import {
  NotFound,
  Unavailable,
  viewSessions,
  type School,
  type TimetableData,
  type TimetableHead,
  type TimetableSession,
} from '@kehou/domain';
import type { Store } from './store';
import { loadTermData } from './term-data';

const PASSES = 4;

/** What a publication has in hand already: the head it wrote, the sessions and the names. */
export interface Published {
  head: TimetableHead;
  sessions: readonly TimetableSession[];
  data: TimetableData;
}

export async function publishViews(store: Store, school: School, termId: string, known?: Published): Promise<void> {
  for (let pass = 0; pass < PASSES; pass++) {
    const given = pass === 0 ? known : undefined;
    const head = given?.head ?? (await store.timetables.head(school.id, termId));
    const version = head?.summaries.published ?? null;
    let views: ReturnType<typeof viewSessions> = [];
    if (version) {
      const [sessions, data] = given
        ? [given.sessions, given.data]
        : await Promise.all([store.timetables.sessions(school.id, version.sessionSet), loadTermData(store, school, termId)]);
      if (!data) throw new NotFound('term');
      views = viewSessions(data, sessions);
    }
    await store.timetables.syncViews(school.id, termId, views);
    if (!version || (await store.timetables.markViews(school.id, termId, version.number))) return;
  }
  throw new Unavailable('The timetable is being published again meanwhile; please retry', 1);
}

/**
 * The iCalendar feed of a staff member: published sessions from four weeks back to the end
 * of the terms ahead, at the school's wall-clock times. An unknown or rotated token is 404.
 * Two round trips to the database: the token, then the school, the staff member, the
 * school's terms and the roster read model at once.
 */
import { NotFound, rosterDates, staffCalendar } from '@kehou/domain';
import { bind, Reply, type Bound } from '@kehou/http';
import { loadRoster, type Runtime } from '@kehou/store';
import { routes } from './api';

const DAY = 86400_000;

export const bound: Bound<Runtime>[] = [
  bind(routes.feed, async ({ params }, rt) => {
    const target = await rt.store.feeds.resolve(params.token);
    if (!target) throw new NotFound('calendar');
    const [school, staff, roster] = await Promise.all([
      rt.store.schools.get(target.schoolId, target.schoolId),
      rt.store.staff.get(target.schoolId, target.staffId),
      loadRoster(rt.store, target.schoolId, target.staffId),
    ]);
    if (!school || !staff) throw new NotFound('calendar');
    const now = rt.clock();
    const from = new Date(now.getTime() - 28 * DAY).toISOString().slice(0, 10);
    const to = roster.terms.reduce((last, t) => (t.endDate > last ? t.endDate : last), from);
    const sessions = rosterDates(school, roster.terms, roster.sessions, { start: from, end: to });
    const body = staffCalendar({ name: `${staff.name} · ${school.name} 课后服务`, zone: school.timezone, now, sessions });
    return new Reply(200, body, { 'cache-control': 'private, max-age=300' });
  }),
];

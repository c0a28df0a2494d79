/**
 * What the "unaccounted for" list costs the database on a mid-size school (the timetable
 * generator's 600 students: about 18 sessions and 380 children on its busiest weekday; see
 * test/support/attendance-school.ts), counted as test/calls.test.ts counts (the SDK middleware
 * behind `observeRequests`), over HTTP on DynamoDB Local. The budget is the design's: the
 * school, its terms, the day's sessions and sheets; one query for each class that may have a
 * child missing (a session overdue, or with a child marked absent); and BatchGets (100 keys
 * each) of the records, forms and guardians of the children the sheets do not account for —
 * nobody's records when everyone is marked present. `npm run bench:attendance` measures the
 * same on a school of 3,400 children a day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatedSessionView } from '@kehou/domain';
import { observeRequests, type RequestObservation } from '@kehou/http';
import type { DbCost } from '@kehou/store';
import { startTestApp, type TestApp } from './support/app';
import { attendanceSchool, takeAttendance, type AttendanceSchool } from './support/attendance-school';
import { daysFromToday, ok } from './support/families';

let app: TestApp;
let school: AttendanceSchool;
/** the busiest school day before today, and one to come */
let past: { date: string; sessions: DatedSessionView[] };
let future: { date: string; sessions: DatedSessionView[] };

const busiest = (offsets: number[]) =>
  offsets
    .map((n) => ({ date: daysFromToday(n), sessions: school.sessionsOn(daysFromToday(n)) }))
    .sort((a, b) => b.sessions.length - a.sessions.length)[0]!;

beforeAll(async () => {
  app = await startTestApp();
  school = await attendanceSchool(app, { students: 600, district: 'd-unaccounted-calls' });
  past = busiest([-1, -2, -3, -4, -5, -6, -7]);
  future = busiest([2, 3, 4, 5, 6, 7, 8]);
}, 300_000);
afterAll(async () => app?.close());

/** The list of a date as the admin reads it, with what it cost. */
async function unaccounted(date: string) {
  const seen: RequestObservation[] = [];
  const stop = observeRequests((o) => seen.push(o));
  try {
    const list = ok(await school.admin('GET', `/schools/${school.schoolId}/unaccounted?date=${date}`), 'list');
    return {
      items: list.items as Array<{ studentNo: string; sessionId: string; reason: string }>,
      cost: seen[0]!.cost as DbCost,
    };
  } finally {
    stop();
  }
}

const classesOf = (sessions: readonly DatedSessionView[]) => new Set(sessions.map((s) => s.classId)).size;
const childrenOf = (sessions: readonly DatedSessionView[]) =>
  new Set(sessions.flatMap((s) => school.enrolled.get(s.classId) ?? [])).size;
/** the seats held in the classes of the sessions */
const seatsOf = (sessions: readonly DatedSessionView[]) =>
  [...new Set(sessions.map((s) => s.classId))].reduce((n, c) => n + (school.enrolled.get(c)?.length ?? 0), 0);
/** the school, its terms, the day's sessions, its sheets */
const FIXED = 4;
/** BatchGets of 100 for the children listed: their records, their forms, their guardians (one each here) */
const recordsOf = (children: number) => 3 * Math.ceil(children / 100);

describe('the unaccounted-for list of a mid-size school', () => {
  it('reads no child on a day to come: nothing has started', async () => {
    expect(future.sessions.length).toBeGreaterThan(10);
    const { items, cost } = await unaccounted(future.date);
    expect(items).toEqual([]);
    expect(cost.calls, JSON.stringify(cost.operations)).toBe(FIXED);
    // the day's sessions (once per grade they are for), and nothing of any child
    expect(cost.itemsRead).toBeLessThanOrEqual(2 + 6 * future.sessions.length);
  });

  it('lists every child of a day with no attendance taken: one query a class, then their records in bulk', async () => {
    const { items, cost } = await unaccounted(past.date);
    const listed = new Set(items.map((i) => i.studentNo)).size;
    expect(listed).toBe(childrenOf(past.sessions));
    expect(items.length).toBe(past.sessions.reduce((n, s) => n + (school.enrolled.get(s.classId)?.length ?? 0), 0));
    expect(cost.calls, JSON.stringify(cost.operations)).toBeLessThanOrEqual(FIXED + classesOf(past.sessions) + recordsOf(listed));
    expect(cost.roundTrips).toBeLessThanOrEqual(5);
  });

  it('once attendance is taken, lists exactly the children marked absent and reads no one else’s records', async () => {
    const absent = await takeAttendance(school, past.sessions, 50, new Date());
    expect(absent).toBeGreaterThan(0);
    const { items, cost } = await unaccounted(past.date);
    expect(items.length).toBe(absent);
    expect(new Set(items.map((i) => i.reason))).toEqual(new Set(['marked-absent']));
    const listed = new Set(items.map((i) => i.studentNo)).size;
    expect(cost.calls, JSON.stringify(cost.operations)).toBeLessThanOrEqual(FIXED + classesOf(past.sessions) + recordsOf(listed));
    // the school and its term, the day's sessions (once per grade) and sheets, each class's seats, three records a child listed
    expect(cost.itemsRead).toBeLessThanOrEqual(FIXED + 7 * past.sessions.length + seatsOf(past.sessions) + 3 * listed);
  });
});

/**
 * A school for measuring the "unaccounted for" list, from the timetable generator
 * (`generateSchool` of @kehou/scheduler, with students: each child in 1–3 classes that do not
 * clash): the school, its grades and a term of four weeks either side of today through the API, its children and one
 * guardian each through the students' import (a job); the planted timetable written as
 * publication writes its read models (syncViews) and each class's children holding its seats
 * (the capacity primitive), as enrolment leaves them. `students: 6_500` gives about 150 sessions
 * and 3,400 children on a weekday; `students: 600` about 14 sessions and 330 children.
 *
 * `takeAttendance` then marks sessions of a date as their staff would (the domain's
 * applyMarks, stored by the attendance store): every child present but every `absentEvery`-th
 * child marked (counting across the sessions).
 */
import {
  applyMarks,
  classSeatsId,
  datedViews,
  type DatedSessionView,
  type SessionView,
  type Term,
  type Weekday,
} from '@kehou/domain';
import type { Call } from '@kehou/local';
import { generateSchool } from '@kehou/scheduler';
import { inParallel, makeDb, makeStore, type Store } from '@kehou/store';
import { TEST_CURSOR_KEY } from './db';
import { daysFromToday, ok, WEEK } from './families';

export interface AttendanceApp {
  tableName: string;
  dynamoEndpoint: string;
  worker: { idle(): Promise<void> };
  as(role: 'admin' | 'district', o: { user?: string; schools?: string[]; district?: string }): Promise<Call>;
}

export interface AttendanceSchool {
  schoolId: string;
  termId: string;
  term: Term;
  admin: Call;
  store: Store;
  /** the published week */
  views: SessionView[];
  /** each class's children, by student number */
  enrolled: Map<string, string[]>;
  /** the dated sessions of a date */
  sessionsOn(date: string): DatedSessionView[];
}

const grade = (g: string) => Number(g.replace(/^g/, ''));
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

export async function attendanceSchool(
  app: AttendanceApp,
  o: { students: number; seed?: number; district?: string },
): Promise<AttendanceSchool> {
  const { instance, planted } = generateSchool({ seed: o.seed ?? 1, students: o.students, withStudents: true });
  const district = o.district ?? 'd-unaccounted';
  const bureau = await app.as('district', { user: `bureau-${district}`, district });
  const schoolId = ok(await bureau('POST', '/schools', { name: `${o.students} 人小学`, districtId: district }), 'school')
    .id as string;
  const admin = await app.as('admin', { user: `admin-${schoolId}`, schools: [schoolId] });
  const at = (p: string) => `/schools/${schoolId}${p}`;
  for (const g of instance.grades)
    ok(
      await admin('POST', at('/grades'), {
        level: grade(g.id),
        name: `${grade(g.id)}年级`,
        dismissal: WEEK,
        homeworkMinutes: 30,
      }),
      g.id,
    );
  // four weeks either side of today, so that the school has days gone and days to come whatever the date
  const dates = { startDate: daysFromToday(-28), endDate: daysFromToday(28) };
  const term = ok(
    await admin('POST', at('/terms'), { name: '测量学期', ...dates, holidays: [], makeUpDays: [] }),
    'term',
  ) as Term;

  const classOf = new Map(instance.classes.map((k) => [k.id, k]));
  const kids = (instance.students ?? []).map((s, i) => ({
    studentNo: String(30_000_000 + i),
    gradeLevel: grade(classOf.get(s.classes[0]!)!.grades[0]!),
    classes: s.classes,
  }));
  const rows = kids.map((k, i) => ({
    studentNo: k.studentNo,
    name: `学生${i}`,
    gradeLevel: k.gradeLevel,
    homeroom: String((i % 8) + 1),
    guardians: [{ name: `家长${i}`, phone: `139${String(i).padStart(8, '0')}`, relation: 'mother' }],
  }));
  const accepted = ok(await admin('POST', at('/students/import'), { mode: 'create', rows }), 'import');
  await app.worker.idle();
  const job = ok(await admin('GET', at(`/imports/${accepted.importId}`)), 'import job');
  if (job.state !== 'finished') throw new Error(`import: ${JSON.stringify(job)}`);

  const store = makeStore(
    makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY }),
  );
  const count = new Map<string, number>();
  const views: SessionView[] = planted.map((p) => {
    const k = classOf.get(p.class)!;
    const n = count.get(k.id) ?? 0;
    count.set(k.id, n + 1);
    return {
      id: `${k.id}.${n}`,
      classId: k.id,
      clubId: k.club,
      day: p.day as Weekday,
      start: p.start,
      end: p.end,
      roomId: p.room,
      staffId: p.staff,
      locked: false,
      clubName: k.club,
      clubNameEn: k.club,
      className: k.tier,
      tier: k.tier,
      grades: k.grades.map(grade),
      minutes: minutes(p.end) - minutes(p.start),
      roomName: p.room,
      staffName: p.staff,
    };
  });
  await store.timetables.syncViews(schoolId, term.id, views);

  const enrolled = new Map<string, string[]>();
  for (const k of kids) for (const c of k.classes) enrolled.set(c, [...(enrolled.get(c) ?? []), k.studentNo]);
  const at0 = `${dates.startDate}T00:00:00.000Z`;
  await inParallel([...enrolled], 16, async ([classId, nos]) => {
    const seats = { schoolId, id: classSeatsId(classId), what: classId };
    await store.capacity.setCapacity(seats, nos.length);
    for (const no of nos) await store.capacity.claim(seats, { id: no, what: no }, at0);
  });
  return {
    schoolId,
    termId: term.id,
    term,
    admin,
    store,
    views,
    enrolled,
    sessionsOn: (date) => datedViews({ schoolId, term, zone: 'Asia/Shanghai' }, views, { start: date, end: date }),
  };
}

/** Marks the sessions as their staff would, in one save each: present, but every `absentEvery`-th child absent. */
export async function takeAttendance(
  s: AttendanceSchool,
  sessions: readonly DatedSessionView[],
  absentEvery: number,
  now: Date,
): Promise<number> {
  let n = 0;
  let absent = 0;
  await inParallel(sessions, 8, async (session) => {
    const list = s.enrolled.get(session.classId) ?? [];
    const marks = list.map((studentNo) => {
      const status = ++n % absentEvery === 0 ? ('absent' as const) : ('present' as const);
      if (status === 'absent') absent++;
      return { studentNo, status };
    });
    if (!marks.length) return;
    await s.store.attendance.save(s.schoolId, session.date, session.id, (prev) =>
      applyMarks(session, prev, { marks }, new Set(list), { userId: `staff-${session.staffId}`, name: session.staffName, now }),
    );
  });
  return absent;
}

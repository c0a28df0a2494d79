/**
 * `npm start -- --seed demo`: the demo school, loaded through the API itself (the same
 * routes, validation and writes as any client), once: a second run finds it and stops.
 */
import { todayIn } from '@kehou/domain';
import type { LocalApp } from './app';
import { awaitJob, gatewayClient, type ApiResponse, type Call } from './client';
import { DEMO_DISTRICT, demoClubs, demoGrades, demoRooms, demoSchool, demoStaff, demoStudents, demoTerm } from './demo-data';

export const DEMO_USERS = {
  admin: 'demo-admin',
  bureau: 'demo-bureau',
  parent: 'demo-parent',
  teacher: 'demo-teacher',
  volunteer: 'demo-volunteer',
} as const;
export const DEMO_STUDENTS = 2000;

function ok<T>(r: ApiResponse<T>, what: string): T {
  if (r.status >= 300) throw new Error(`seeding ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function inBatches<T>(items: readonly T[], size: number, run: (x: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

export async function seedDemo(app: LocalApp) {
  const bureau = gatewayClient(
    app.gateway,
    await app.token({ role: 'district', userId: DEMO_USERS.bureau, district: DEMO_DISTRICT }),
  );
  const schools = ok(await bureau<{ items: Array<{ id: string; name: string }> }>('GET', '/schools?limit=500'), 'schools');
  const existing = schools.items.find((s) => s.name === demoSchool.name);
  const schoolId = existing?.id ?? ok(await bureau<{ id: string }>('POST', '/schools', demoSchool), 'school').id;
  const result = {
    schoolId,
    districtId: DEMO_DISTRICT,
    parentUserId: DEMO_USERS.parent,
    volunteerUserId: DEMO_USERS.volunteer,
    summary: '',
  };
  if (existing) return { ...result, summary: `${demoSchool.name} was loaded before` };

  const admin: Call = gatewayClient(
    app.gateway,
    await app.token({ role: 'admin', userId: DEMO_USERS.admin, schools: [schoolId] }),
  );
  await inBatches(demoGrades(), 6, async (g) => ok(await admin('POST', `/schools/${schoolId}/grades`, g), `grade ${g.level}`));
  const rooms = demoRooms();
  await inBatches(rooms, 8, async (r) => ok(await admin('POST', `/schools/${schoolId}/rooms`, r), `room ${r.name}`));
  const staff = demoStaff();
  const staffIds = new Map<string, string>();
  await inBatches(staff, 8, async ({ key, ...s }) => {
    const made = ok(await admin<{ id: string }>('POST', `/schools/${schoolId}/staff`, s), `staff ${key}`);
    staffIds.set(key, made.id);
  });
  const termId = ok(await admin<{ id: string }>('POST', `/schools/${schoolId}/terms`, demoTerm), 'term').id;
  const rows = demoStudents(DEMO_STUDENTS);
  const accepted = ok(await admin('POST', `/schools/${schoolId}/students/import`, { mode: 'create', rows }), 'students');
  const imported = await awaitJob<{ state: string; message: string }>(admin, `/schools/${schoolId}/imports/${accepted.importId}`);
  if (imported.state !== 'finished') throw new Error(`seeding students: ${imported.message}`);

  // demo accounts: a parent of the first child, a teacher and a volunteer with staff records
  const child = ok(
    await admin<{ guardianIds: string[] }>('GET', `/schools/${schoolId}/students/${rows[0]!.studentNo}`),
    'first child',
  );
  const g = ok(await admin<Record<string, unknown>>('GET', `/schools/${schoolId}/guardians/${child.guardianIds[0]}`), 'guardian');
  const { id: _id, schoolId: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...gBody } = g;
  ok(
    await admin('PUT', `/schools/${schoolId}/guardians/${String(g.id)}`, { ...gBody, userId: DEMO_USERS.parent }),
    'demo parent',
  );
  for (const [key, userId] of [
    ['t001', DEMO_USERS.teacher],
    ['v001', DEMO_USERS.volunteer],
  ] as const) {
    const id = staffIds.get(key)!;
    const {
      id: _i,
      schoolId: _sc,
      status,
      createdAt: _cr,
      updatedAt: _up,
      updatedBy: _by,
      ...s
    } = ok(await admin<Record<string, unknown>>('GET', `/schools/${schoolId}/staff/${id}`), key);
    ok(await admin('PUT', `/schools/${schoolId}/staff/${id}`, { ...s, status, userId }), `demo ${key}`);
  }
  // 45 clubs with a basic and an advanced class, and the term's timetable, published
  const clubs = demoClubs(termId, staffIds);
  await inBatches(clubs, 8, async (c) => ok(await admin('POST', `/schools/${schoolId}/clubs`, c), `club ${c.name}`));
  const generating = await admin('POST', `/schools/${schoolId}/terms/${termId}/timetable/generate`, { seed: 1 });
  ok(generating, 'timetable');
  const generated = await awaitJob<{ state: string; message: string; draft: { version: number; sessionCount: number } }>(
    admin,
    generating.headers.location!,
  );
  if (generated.state !== 'finished') throw new Error(`seeding the timetable: ${generated.message}`);
  const { draft } = generated;
  ok(await admin('POST', `/schools/${schoolId}/terms/${termId}/timetable/publish`, { version: draft.version }), 'publication');
  const enrolled = await openClubChoice(admin, `/schools/${schoolId}/terms/${termId}`, {
    volunteerStaffId: staffIds.get('v001')!,
    students: rows.slice(1), // the demo parent's child is left to choose
  });
  return {
    ...result,
    summary:
      `${demoSchool.name}: 6 grades, ${rooms.length} rooms, ${staff.length} staff, ${rows.length} students with their guardians, ` +
      `term ${demoTerm.name} with ${clubs.length} clubs and a published timetable of ${draft.sessionCount} sessions a week; ` +
      `club choice open (first come, first served) with ${enrolled} children in the demo volunteer's classes`,
  };
}

/** Days after an ISO date, on the calendar (no time zone involved). */
const daysAfter = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Club choice for the demo: a first-come-first-served window open from today for three weeks,
 * and a dozen children of the right grade given a place in each of the demo volunteer's
 * classes (with a teacher's approval for an advanced one), so that their class lists, attendance and the unaccounted-for list have children.
 */
async function openClubChoice(
  admin: Call,
  term: string,
  o: { volunteerStaffId: string; students: ReadonlyArray<{ studentNo: string; gradeLevel: number }> },
): Promise<number> {
  const today = todayIn(demoSchool.timezone, new Date());
  ok(
    await admin('PUT', `${term}/enrolment/window`, {
      mode: 'fcfs',
      opensAt: `${today}T00:00`,
      closesAt: `${daysAfter(today, 21)}T20:00`,
      places: 2,
      choices: 5,
      withdrawUntil: daysAfter(today, 28),
      version: 0,
    }),
    'club choice window',
  );
  const { published } = ok(await admin<{ published: { number: number } }>('GET', `${term}/timetable`), 'timetable');
  const { sessions } = ok(
    await admin<{ sessions: Array<{ classId: string }> }>(
      'GET',
      `${term}/timetable/versions/${published.number}?staffId=${o.volunteerStaffId}`,
    ),
    'the volunteer’s sessions',
  );
  const view = ok(
    await admin<{ classes: Array<{ classId: string; grades: number[]; tier: string }> }>(
      'GET',
      `${term}/enrolment/students/${o.students[0]!.studentNo}`,
    ),
    'classes',
  );
  const taken = new Set<string>();
  let enrolled = 0;
  for (const classId of new Set(sessions.map((s) => s.classId))) {
    const k = view.classes.find((x) => x.classId === classId);
    const children = o.students.filter((s) => k?.grades.includes(s.gradeLevel) && !taken.has(s.studentNo)).slice(0, 12);
    await inBatches(children, 6, async (c) => {
      taken.add(c.studentNo);
      // nobody held the basic tier last term: a teacher's approval admits them to an advanced class
      if (k?.tier !== 'basic')
        ok(await admin('POST', `${term}/enrolment/approvals`, { studentNo: c.studentNo, classId }), `approval of ${c.studentNo}`);
      ok(await admin('POST', `${term}/enrolment/students/${c.studentNo}/places`, { classId }), `a place for ${c.studentNo}`);
      enrolled++;
    });
  }
  return enrolled;
}

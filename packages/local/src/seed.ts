/**
 * `npm start -- --seed demo`: the demo school, loaded through the API itself (the same
 * routes, validation and writes as any client), once: a second run finds it and stops.
 */
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
  return {
    ...result,
    summary:
      `${demoSchool.name}: 6 grades, ${rooms.length} rooms, ${staff.length} staff, ${rows.length} students with their guardians, ` +
      `term ${demoTerm.name} with ${clubs.length} clubs and a published timetable of ${draft.sessionCount} sessions a week`,
  };
}

/**
 * A small school for the browser tests, made through the API in the demo district with the
 * demo users (so the local sign-in page offers them): two grades, two rooms, a teacher
 * (demo-teacher) and a volunteer (demo-volunteer), the demo term, two clubs whose classes
 * they teach, a child whose guardian is demo-parent, and the timetable, published.
 */
import { inject } from 'vitest';
import { DEMO_DISTRICT, DEMO_USERS, demoGrades, demoSchool, demoTerm, type Call } from '@kehou/local';
import { startTestApp, type TestApp } from './app';

export interface WebWorld {
  app: TestApp;
  schoolId: string;
  termId: string;
  admin: Call;
  volunteer: Call;
}

function ok<T = any>(r: { status: number; body: T }, what: string): T {
  if (r.status >= 300) throw new Error(`web world: ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const week = (from: string, to: string) =>
  Object.fromEntries(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((d) => [d, [{ start: from, end: to }]]));

export async function makeWebWorld(): Promise<WebWorld> {
  const app = await startTestApp({ web: { dist: inject('webDist') } });
  const bureau = await app.as('district', { user: DEMO_USERS.bureau, district: DEMO_DISTRICT });
  const schoolId = ok(await bureau('POST', '/schools', demoSchool), 'school').id as string;
  const admin = await app.as('admin', { user: DEMO_USERS.admin, schools: [schoolId] });
  const volunteer = await app.as('volunteer', { user: DEMO_USERS.volunteer, schools: [schoolId] });
  const at = (path: string) => `/schools/${schoolId}${path}`;

  for (const g of demoGrades().slice(0, 2)) ok(await admin('POST', at('/grades'), g), `grade ${g.level}`);
  ok(await admin('POST', at('/rooms'), { name: '教室 101', capacity: 45, building: '教学楼' }), 'room 101');
  ok(await admin('POST', at('/rooms'), { name: '阅览室', capacity: 40, features: ['library'] }), 'library');
  const staff = (body: object) => admin('POST', at('/staff'), body).then((r) => ok(r, 'staff').id as string);
  const teacher = await staff({
    name: '王老师',
    kind: 'teacher',
    skills: ['chess'],
    availability: week('15:00', '18:00'),
    userId: DEMO_USERS.teacher,
  });
  const volunteerStaff = await staff({
    name: '李阿姨',
    kind: 'volunteer',
    skills: ['storytelling'],
    availability: week('15:30', '18:00'),
    backgroundCheckExpiresOn: '2027-12-31',
    userId: DEMO_USERS.volunteer,
  });
  const termId = ok(await admin('POST', at('/terms'), demoTerm), 'term').id as string;
  ok(await admin('POST', at('/students'), { studentNo: '2026100001', name: '张小明', gradeLevel: 1, homeroom: '2' }), 'child');
  ok(
    await admin('POST', at('/guardians'), {
      name: '张建华',
      phone: '13800000001',
      relation: 'mother',
      children: ['2026100001'],
      userId: DEMO_USERS.parent,
    }),
    'guardian',
  );
  const club = (name: string, nameEn: string, skill: string, fixedStaffId: string, sessionsPerWeek: number) =>
    admin('POST', at('/clubs'), {
      termId,
      name,
      nameEn,
      category: 'other',
      descriptionZh: name,
      descriptionEn: nameEn,
      skill,
      classes: [
        { tier: 'basic', name: '基础班', grades: [1, 2], capacity: 30, sessionsPerWeek, minutesPerSession: 45, fixedStaffId },
      ],
    }).then((r) => ok(r, name));
  await club('故事会', 'Storytelling', 'storytelling', volunteerStaff, 2);
  await club('国际象棋', 'Chess', 'chess', teacher, 1);
  const tt = at(`/terms/${termId}/timetable`);
  const { jobId } = ok(await admin('POST', `${tt}/generate`, { seed: 1 }), 'generation');
  await app.worker.idle();
  const { draft } = ok(await admin('GET', `${tt}/jobs/${jobId}`), 'generated');
  if (!draft) throw new Error('web world: the timetable was not generated');
  ok(await admin('POST', `${tt}/publish`, { version: draft.version }), 'publication');
  return { app, schoolId, termId, admin, volunteer };
}

/**
 * A small school for the browser tests, made through the API in the demo district with the
 * demo users (so the local sign-in page offers them): two grades, two rooms, a teacher
 * (demo-teacher) and a volunteer (demo-volunteer), the demo term, two clubs whose classes
 * they teach, a child whose guardian is demo-parent, and the timetable, published.
 */
import { inject } from 'vitest';
import { DEMO_DISTRICT, DEMO_USERS, demoGrades, demoSchool, demoTerm, type Call } from '@kehou/local';
import { startTestApp, type TestApp } from './app';
import { basicClass, clubBody, published } from './clubs';
import { ok } from './families';

export interface WebWorld {
  app: TestApp;
  schoolId: string;
  termId: string;
  admin: Call;
  volunteer: Call;
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
    admin(
      'POST',
      at('/clubs'),
      clubBody(termId, name, skill, [basicClass({ grades: [1, 2], sessionsPerWeek, fixedStaffId })], nameEn),
    ).then((r) => ok(r, name));
  await club('故事会', 'Storytelling', 'storytelling', volunteerStaff, 2);
  await club('国际象棋', 'Chess', 'chess', teacher, 1);
  await published(admin, at(`/terms/${termId}/timetable`), () => app.worker.idle(), { seed: 1 });
  return { app, schoolId, termId, admin, volunteer };
}

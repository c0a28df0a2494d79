/** `npm start -- --seed demo`: the demo school with its published timetable, loaded once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_DISTRICT, DEMO_STUDENTS, DEMO_USERS, gatewayClient, seedDemo } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => app?.close());

it('loads the demo school with students, clubs and a published timetable, and only once', async () => {
  const demo = await seedDemo(app);
  expect(demo.districtId).toBe(DEMO_DISTRICT);
  const admin = gatewayClient(
    app.gateway,
    await app.token({ role: 'admin', userId: DEMO_USERS.admin, schools: [demo.schoolId] }),
  );
  const terms = (await admin('GET', `/schools/${demo.schoolId}/terms`)).body.items;
  expect(terms).toHaveLength(1);
  const overview = await admin('GET', `/schools/${demo.schoolId}/terms/${terms[0].id}/timetable`);
  expect(overview.body.published).toMatchObject({ number: 1, status: 'published' });
  expect(overview.body.published.sessionCount).toBeGreaterThan(100);
  const clubs = (await admin('GET', `/schools/${demo.schoolId}/clubs?termId=${terms[0].id}&limit=100`)).body.items;
  expect(clubs).toHaveLength(45);
  const students = (await admin('GET', `/schools/${demo.schoolId}/students?grade=1&limit=500`)).body.items;
  expect(students.length).toBe(Math.ceil(DEMO_STUDENTS / 6));

  // the demo accounts see their own things
  const parent = gatewayClient(
    app.gateway,
    await app.token({ role: 'parent', userId: DEMO_USERS.parent, schools: [demo.schoolId] }),
  );
  expect((await parent('GET', '/me')).body.children).toHaveLength(1);
  const volunteer = gatewayClient(
    app.gateway,
    await app.token({ role: 'volunteer', userId: DEMO_USERS.volunteer, schools: [demo.schoolId] }),
  );
  const me = (await volunteer('GET', '/me')).body;
  const published = (
    await admin('GET', `/schools/${demo.schoolId}/terms/${terms[0].id}/timetable/versions/1?staffId=${me.staff[0].id}`)
  ).body.sessions;
  expect(published.length).toBeGreaterThan(0);

  // club choice is open, and the volunteer's sessions have children to take attendance for
  const term = `/schools/${demo.schoolId}/terms/${terms[0].id}`;
  expect((await admin('GET', `${term}/enrolment/window`)).body).toMatchObject({ mode: 'fcfs', state: 'open' });
  const dated = (await volunteer('GET', `/schools/${demo.schoolId}/dated-sessions?from=2026-11-02&to=2026-11-13`)).body.items;
  expect(dated.length).toBeGreaterThan(0);
  const list = (await volunteer('GET', `/schools/${demo.schoolId}/dated-sessions/${dated[0].date}/${dated[0].id}`)).body;
  expect(list.children.length).toBeGreaterThan(0);
  expect(list.children.length).toBeLessThanOrEqual(12);
  expect(list.contactsShown).toBe(true);
  expect(demo.summary).toMatch(/club choice open .* with \d+ children/);

  const again = await seedDemo(app);
  expect(again.schoolId).toBe(demo.schoolId);
  expect(again.summary).toContain('loaded before');
});

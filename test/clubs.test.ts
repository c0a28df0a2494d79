/** Clubs and tiered classes through the API: validation against the school, stable class ids, copying a term. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoClubs, demoGrades, type Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
let admin: Call;
let schoolId: string;
let autumn: string;
let spring: string;
let teacherId: string;
let volunteerId: string;

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd1' });
  schoolId = (await bureau('POST', '/schools', { name: '社团小学', districtId: 'd1' })).body.id;
  admin = await app.as('admin', { schools: [schoolId] });
  for (const g of demoGrades()) await admin('POST', `/schools/${schoolId}/grades`, g);
  const term = (name: string, startDate: string, endDate: string) =>
    admin('POST', `/schools/${schoolId}/terms`, { name, startDate, endDate });
  autumn = (await term('2026 秋', '2026-09-01', '2027-01-22')).body.id;
  spring = (await term('2027 春', '2027-02-22', '2027-07-02')).body.id;
  const staff = (name: string, kind: string, skills: string[]) =>
    admin('POST', `/schools/${schoolId}/staff`, { name, kind, skills, backgroundCheckExpiresOn: '2027-12-31' });
  teacherId = (await staff('王老师', 'teacher', ['street-dance'])).body.id;
  volunteerId = (await staff('李阿姨', 'volunteer', ['storytelling'])).body.id;
});
afterAll(async () => app?.close());

describe('clubs', () => {
  it('creates a club with a basic and an advanced class, giving each class an id', async () => {
    const [dance] = demoClubs(autumn);
    const res = await admin('POST', `/schools/${schoolId}/clubs`, {
      ...dance,
      classes: dance!.classes.map((k) => ({ ...k, preferredStaffId: teacherId })),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: '街舞', nameEn: 'Street dance', termId: autumn, status: 'active', version: 1 });
    expect(res.body.classes.map((k: { tier: string }) => k.tier)).toEqual(['basic', 'advanced']);
    expect(res.body.classes.every((k: { id: string }) => /^[0-9a-z]{26}$/.test(k.id))).toBe(true);
    expect(res.body.classes[1].prerequisite).toEqual({ tier: 'basic', orTeacherApproval: true });
  });

  it('refuses what the school cannot run, naming each field', async () => {
    const [, second] = demoClubs(autumn);
    const bad = {
      ...second!,
      classes: [
        { ...second!.classes[0]!, grades: [1, 9], fixedStaffId: volunteerId },
        { ...second!.classes[1]!, prerequisite: { tier: 'team', orTeacherApproval: false } },
      ],
    };
    const res = await admin('POST', `/schools/${schoolId}/clubs`, bad);
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: unknown[] }) => e.path.join('.'));
    expect(paths).toContain('classes.1.prerequisite.tier');
    const more = await admin('POST', `/schools/${schoolId}/clubs`, {
      ...second!,
      classes: [{ ...second!.classes[0]!, grades: [1, 9], fixedStaffId: volunteerId }],
    });
    expect(more.body.errors).toEqual([
      { path: ['classes', 0, 'grades', 1], message: 'the school has no grade 9' },
      { path: ['classes', 0, 'fixedStaffId'], message: '李阿姨 does not have the skill folk-dance' },
    ]);
    const list = await admin('GET', `/schools/${schoolId}/clubs?termId=${autumn}`);
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['街舞']);
  });

  it('keeps class ids across a replacement, adds new classes, and refuses a class of another club', async () => {
    const [club] = (await admin('GET', `/schools/${schoolId}/clubs?termId=${autumn}`)).body.items;
    const { id, schoolId: _s, status, lineageId: _l, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = club;
    const team = {
      tier: 'team',
      name: '校队',
      grades: [5, 6],
      capacity: 20,
      sessionsPerWeek: 2,
      minutesPerSession: 60,
      prerequisite: { tier: 'advanced', orTeacherApproval: true },
    };
    const res = await admin('PUT', `/schools/${schoolId}/clubs/${id}`, { ...body, status, classes: [...body.classes, team] });
    expect(res.status).toBe(200);
    expect(res.body.classes.slice(0, 2).map((k: { id: string }) => k.id)).toEqual(club.classes.map((k: { id: string }) => k.id));
    expect(res.body.classes[2].id).not.toBe(club.classes[0].id);
    const foreign = await admin('PUT', `/schools/${schoolId}/clubs/${id}`, {
      ...body,
      version: 2,
      classes: [{ ...team, prerequisite: null, id: 'not-a-class-of-it' }],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([
      { path: ['classes', 0, 'id'], message: expect.stringContaining('not a class of this club') },
    ]);
  });

  it("copies last term's clubs into a new term with new ids and the same lineage, once", async () => {
    const storytelling = demoClubs(autumn).find((c) => c.skill === 'storytelling')!;
    await admin('POST', `/schools/${schoolId}/clubs`, {
      ...storytelling,
      classes: storytelling.classes.map((k) => ({ ...k, fixedStaffId: volunteerId })),
    });
    const first = await admin('POST', `/schools/${schoolId}/terms/${spring}/clubs/copy`, { fromTermId: autumn });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ copied: 2, skipped: [] });
    const again = await admin('POST', `/schools/${schoolId}/terms/${spring}/clubs/copy`, { fromTermId: autumn });
    expect(again.body.copied).toBe(0);
    expect(again.body.skipped).toHaveLength(2);
    const [from, to] = await Promise.all(
      [autumn, spring].map(
        async (t) =>
          (await admin('GET', `/schools/${schoolId}/clubs?termId=${t}`)).body.items as Array<{
            id: string;
            name: string;
            lineageId: string;
            classes: Array<{ id: string; fixedStaffId: string | null }>;
          }>,
      ),
    );
    for (const c of to!) {
      const original = from!.find((x) => x.name === c.name)!;
      expect(c.lineageId).toBe(original.lineageId);
      expect(c.id).not.toBe(original.id);
      expect(c.classes.map((k) => k.id)).not.toContain(original.classes[0]!.id);
    }
    expect(to!.find((c) => c.name === '故事会')!.classes[0]!.fixedStaffId).toBe(volunteerId);
  });

  it('lets staff read clubs but not change them, and hides them from another school', async () => {
    const teacher = await app.as('teacher', { schools: [schoolId] });
    expect((await teacher('GET', `/schools/${schoolId}/clubs?termId=${autumn}`)).status).toBe(200);
    expect((await teacher('POST', `/schools/${schoolId}/terms/${spring}/clubs/copy`, { fromTermId: autumn })).status).toBe(403);
    const stranger = await app.as('admin', { schools: ['another-school'] });
    expect((await stranger('GET', `/schools/${schoolId}/clubs?termId=${autumn}`)).status).toBe(404);
    expect((await admin('GET', `/schools/${schoolId}/clubs`)).status).toBe(400);
  });
});

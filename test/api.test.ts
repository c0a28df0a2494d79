/**
 * HTTP end to end, through the local API Gateway and the real handlers on DynamoDB Local:
 * a bureau registers a school, its admin sets it up and imports 1,000 students; the wrong
 * people get 401/403/404 and learn nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJob } from '@kehou/domain';
import { awaitJob, demoStudents } from '@kehou/local';
import type { Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';
import { toCsv } from './support/roster';

let app: TestApp;
let bureau: Call;
let admin: Call;
let schoolId: string;

const grade = (level: number, dismissal: string, homeworkMinutes = 30) => ({
  level,
  name: `${level} 年级`,
  dismissal: { MON: dismissal, TUE: dismissal, WED: dismissal, THU: dismissal, FRI: dismissal },
  homeworkMinutes,
});

beforeAll(async () => {
  app = await startTestApp();
  bureau = await app.as('district', { user: 'bureau-1', district: 'd-1' });
});
afterAll(async () => {
  await app?.close();
});

describe('a school is set up through the API', () => {
  it('answers /health and serves the OpenAPI document without a token', async () => {
    const health = await app.anonymous('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const doc = await app.anonymous('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/schools/{schoolId}/students/import');
    expect(
      doc.body.paths['/schools/{schoolId}/rooms'].post.requestBody.content['application/json'].schema.properties.capacity,
    ).toMatchObject({ type: 'integer' });
  });

  it('lets a bureau register a school of its district, with Asia/Shanghai by default', async () => {
    const res = await bureau('POST', '/schools', { name: '实验小学', districtId: 'd-1' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: '实验小学',
      timezone: 'Asia/Shanghai',
      dayEnd: '18:00',
      version: 1,
      updatedBy: 'bureau-1',
    });
    expect(res.headers.location).toBe(`/schools/${res.body.id}`);
    schoolId = res.body.id;
    admin = await app.as('admin', { user: 'admin-1', schools: [schoolId] });
  });

  it('refuses a school in another district and an unknown time zone, writing nothing', async () => {
    expect((await bureau('POST', '/schools', { name: 'X', districtId: 'd-2' })).status).toBe(403);
    const bad = await bureau('POST', '/schools', { name: 'Y', districtId: 'd-1', timezone: 'Asia/Beijing' });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    expect(bad.body.errors).toEqual([{ path: ['timezone'], message: expect.stringContaining('IANA') }]);
    const list = await bureau('GET', '/schools');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['实验小学']);
  });

  it('creates grades, and refuses a dismissal after 18:00 with the field path', async () => {
    for (const [level, dismissal] of [
      [1, '15:30'],
      [2, '15:30'],
      [3, '15:50'],
      [4, '15:50'],
      [5, '16:10'],
      [6, '16:10'],
    ] as const) {
      const res = await admin('POST', `/schools/${schoolId}/grades`, grade(level, dismissal, 30 + level));
      expect(res.status).toBe(201);
      expect(res.body.id).toBe(`g${level}`);
    }
    const late = await admin('POST', `/schools/${schoolId}/grades`, grade(7, '18:10'));
    expect(late.status).toBe(400);
    expect(late.body.errors.map((e: { path: unknown[] }) => e.path)).toContainEqual(['dismissal', 'MON']);
    const twice = await admin('POST', `/schools/${schoolId}/grades`, grade(1, '15:30'));
    expect(twice.status).toBe(409);
    expect((await admin('GET', `/schools/${schoolId}/grades`)).body.items).toHaveLength(6);
  });

  it('creates rooms, and refuses a duplicate room name (any case or spacing) with the field path', async () => {
    const dance = await admin('POST', `/schools/${schoolId}/rooms`, {
      name: 'Dance Studio',
      capacity: 40,
      features: ['dance', 'mirrors'],
    });
    expect(dance.status).toBe(201);
    await admin('POST', `/schools/${schoolId}/rooms`, { name: '音乐教室', capacity: 45, features: ['music'] });
    const dup = await admin('POST', `/schools/${schoolId}/rooms`, { name: '  dance   studio ', capacity: 30 });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ path: ['name'], message: expect.stringContaining('already') }]);
    expect((await admin('GET', `/schools/${schoolId}/rooms`)).body.items).toHaveLength(2);
  });

  it('creates staff, and refuses an availability window that ends before it starts', async () => {
    const teacher = await admin('POST', `/schools/${schoolId}/staff`, {
      name: '王老师',
      kind: 'teacher',
      skills: ['street-dance', 'choir'],
      availability: {
        MON: [{ start: '15:30', end: '18:00' }],
        WED: [
          { start: '14:30', end: '16:00' },
          { start: '16:00', end: '18:00' },
        ],
      },
      maxMinutesPerWeek: 240,
      noPaidTutoringCommitmentOn: '2026-08-28',
    });
    expect(teacher.status).toBe(201);
    expect(teacher.body).toMatchObject({ kind: 'teacher', status: 'active', backgroundCheckExpiresOn: null });
    const bad = await admin('POST', `/schools/${schoolId}/staff`, {
      name: '李老师',
      kind: 'volunteer',
      availability: { TUE: [{ start: '17:00', end: '16:00' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: ['availability', 'TUE', 0, 'end'], message: 'must be after start' }]);
  });

  it('replaces with the version read; a stale version gets 409 and the history says who changed what', async () => {
    const room = (await admin('GET', `/schools/${schoolId}/rooms`)).body.items.find(
      (r: { name: string }) => r.name === '音乐教室',
    );
    const other = await app.as('admin', { user: 'admin-2', schools: [schoolId] });
    const first = await admin('PUT', `/schools/${schoolId}/rooms/${room.id}`, {
      name: '音乐教室',
      capacity: 50,
      features: ['music'],
      version: room.version,
    });
    const second = await other('PUT', `/schools/${schoolId}/rooms/${room.id}`, {
      name: '音乐教室',
      capacity: 30,
      features: ['music'],
      version: room.version,
    });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    expect(second.status).toBe(409);
    expect(second.body.current).toMatchObject({ version: 2, updatedBy: 'admin-1' });
    const history = await admin('GET', `/schools/${schoolId}/history/room/${room.id}`);
    expect(history.body.items.map((h: { version: number; by: string; action: string }) => [h.version, h.action, h.by])).toEqual([
      [1, 'create', 'admin-1'],
      [2, 'update', 'admin-1'],
    ]);
    expect(history.body.items[0].data.capacity).toBe(45);
  });

  it('imports 1,000 students with their guardians from a CSV file with Chinese headers', async () => {
    const rows = demoStudents(1000);
    const res = await admin('POST', `/schools/${schoolId}/students/import?mode=create`, toCsv(rows), {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ state: 'queued', rows: 1000, progress: { done: 0, of: 1000 } });
    expect(res.headers.location).toBe(`/schools/${schoolId}/imports/${res.body.importId}`);
    const done = await awaitJob<ImportJob>(admin, res.headers.location!);
    expect(done).toMatchObject({ state: 'finished', rows: 1000, studentsWritten: 1000, errors: [], errorCount: 0 });
    const families = new Set(rows.flatMap((r) => r.guardians.map((g) => g.phone)));
    expect(done.guardiansWritten).toBe(families.size);

    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: unknown[]; next: string | null } } = await admin(
        'GET',
        `/schools/${schoolId}/students?limit=300${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      count += page.body.items.length;
      cursor = page.body.next;
    } while (cursor);
    expect(count).toBe(1000);

    const again = await admin('POST', `/schools/${schoolId}/students/import`, toCsv(rows), { 'content-type': 'text/csv' });
    expect(again.status).toBe(202);
    expect(await awaitJob(admin, again.headers.location!)).toMatchObject({
      state: 'finished',
      studentsWritten: 0,
      guardiansWritten: 0,
      message: '1,000 row(s) imported: nothing changed',
    });
  });

  it('rejects an import with bad rows as a whole, naming every row, and writes nothing', async () => {
    const rows = [
      { studentNo: 'N1', name: '新同学', gradeLevel: 2, homeroom: '1', guardians: [{ name: '家长', phone: '13800000001' }] },
      { studentNo: 'N2', name: '', gradeLevel: 9, homeroom: '1' },
      { studentNo: 'N1', name: '重复', gradeLevel: 2, homeroom: '1' },
    ];
    const res = await admin('POST', `/schools/${schoolId}/students/import`, { rows });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([
      ['rows', 1, 'name'],
      ['rows', 2, 'studentNo'],
    ]);
    expect((await admin('GET', `/schools/${schoolId}/students/N1`)).status).toBe(404);
  });

  it('keeps a retried POST with the same Idempotency-Key to one room', async () => {
    const key = { 'idempotency-key': 'room-create-0001' };
    const a = await admin('POST', `/schools/${schoolId}/rooms`, { name: '书法教室', capacity: 40 }, key);
    const b = await admin('POST', `/schools/${schoolId}/rooms`, { name: '书法教室', capacity: 40 }, key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await admin('POST', `/schools/${schoolId}/rooms`, { name: '另一个', capacity: 40 }, key);
    expect(c.status).toBe(409);
  });
});

describe('who may see what', () => {
  it('answers 401 without a token, with a token of another key, or an expired one', async () => {
    expect((await app.anonymous('GET', `/schools/${schoolId}/students`)).status).toBe(401);
    const { createDevKey, signToken, httpClient } = await import('@kehou/local');
    const forged = await signToken(await createDevKey(), { role: 'admin', schools: [schoolId] });
    expect((await httpClient(app.url, forged)('GET', `/schools/${schoolId}/students`)).status).toBe(401);
    const expired = await app.token({
      role: 'admin',
      schools: [schoolId],
      issuedAt: new Date(Date.now() - 48 * 3600_000),
      seconds: 3600,
    });
    expect((await httpClient(app.url, expired)('GET', `/schools/${schoolId}/students`)).status).toBe(401);
  });

  it("does not let a parent list the school's students (403), but shows them their own children", async () => {
    const parent = await app.as('parent', { user: 'parent-1', schools: [schoolId] });
    const res = await parent('GET', `/schools/${schoolId}/students`);
    expect(res.status).toBe(403);
    expect(res.body.items).toBeUndefined();
    const me = await parent('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body.children).toEqual([]);
  });

  it("answers another school's admin 404, for the school and for its records", async () => {
    const other = await bureau('POST', '/schools', { name: '第二小学', districtId: 'd-1' });
    const stranger = await app.as('admin', { user: 'admin-x', schools: [other.body.id] });
    for (const path of [
      `/schools/${schoolId}`,
      `/schools/${schoolId}/students`,
      `/schools/${schoolId}/rooms`,
      `/schools/${schoolId}/staff`,
    ]) {
      const res = await stranger('GET', path);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('实验小学');
    }
    const write = await stranger('POST', `/schools/${schoolId}/rooms`, { name: 'Intruder', capacity: 10 });
    expect(write.status).toBe(404);
  });

  it('lets a bureau read its schools but not change them, and hides other districts', async () => {
    expect((await bureau('GET', `/schools/${schoolId}/grades`)).status).toBe(200);
    expect((await bureau('POST', `/schools/${schoolId}/rooms`, { name: 'B', capacity: 10 })).status).toBe(403);
    const elsewhere = await app.as('district', { user: 'bureau-2', district: 'd-2' });
    expect((await elsewhere('GET', `/schools/${schoolId}`)).status).toBe(404);
  });

  it('never answers 5xx to malformed requests', async () => {
    const bad: Array<[string, string, unknown, Record<string, string>?]> = [
      ['POST', `/schools/${schoolId}/rooms`, '{"name": "x", '],
      ['POST', `/schools/${schoolId}/rooms`, '[]'],
      ['POST', `/schools/${schoolId}/rooms`, 'name=x', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['GET', `/schools/${schoolId}/students?limit=-5`, undefined],
      ['GET', `/schools/${schoolId}/students?cursor=not-a-cursor`, undefined],
      ['PUT', `/schools/${schoolId}/rooms/nope`, { name: 'x', capacity: 1, version: 1 }],
      ['DELETE', `/schools/${schoolId}/rooms/nope`, undefined],
    ];
    for (const [method, path, body, headers] of bad) {
      const res = await admin(method, path, body, headers);
      expect(res.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}`).toBeLessThan(500);
    }
  });
});

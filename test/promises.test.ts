/**
 * Promises the foundation broke when tried as a new user and as an attacker would, each
 * kept now (HTTP end to end on DynamoDB Local): another school's history is 404; deleting
 * a student keeps its guardians consistent; 20 concurrent retries make one record; a
 * missing term is 404; one status per situation (a duplicate is 409 naming the field, a
 * stale version 409 everywhere, a membership without its role opens nothing); refusals name
 * people, rooms and classes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitJob, DEV_AUDIENCE, DEV_ISSUER, httpClient, type Call } from '@kehou/local';
import { importJWK, SignJWT } from 'jose';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
let admin: Call;
let schoolId: string;
let otherSchool: string;
let otherAdmin: Call;
let termId: string;
let clubId: string;
let wang: string;
let li: string;
const ids: Record<string, string> = {};

const week = (from: string, to: string) =>
  Object.fromEntries(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((d) => [d, [{ start: from, end: to }]]));

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd-1' });
  schoolId = (await bureau('POST', '/schools', { name: '守信小学', districtId: 'd-1' })).body.id;
  otherSchool = (await bureau('POST', '/schools', { name: '隔壁小学', districtId: 'd-1' })).body.id;
  admin = await app.as('admin', { user: 'admin-a', schools: [schoolId] });
  otherAdmin = await app.as('admin', { user: 'admin-b', schools: [otherSchool] });
  const dismissal = { MON: '15:30', TUE: '15:30', WED: '15:30', THU: '15:30', FRI: '15:30' };
  for (const [a, s] of [
    [admin, schoolId],
    [otherAdmin, otherSchool],
  ] as const) {
    expect((await a('POST', `/schools/${s}/grades`, { level: 1, name: '一年级', dismissal, homeworkMinutes: 30 })).status).toBe(
      201,
    );
    ids[`room:${s}`] = (await a('POST', `/schools/${s}/rooms`, { name: '活动室', capacity: 40 })).body.id;
    ids[`term:${s}`] = (
      await a('POST', `/schools/${s}/terms`, { name: '秋季', startDate: '2026-09-01', endDate: '2027-01-22' })
    ).body.id;
    ids[`staff:${s}`] = (
      await a('POST', `/schools/${s}/staff`, {
        name: '王老师',
        kind: 'teacher',
        skills: ['chess'],
        availability: week('16:00', '18:00'),
      })
    ).body.id;
    expect(
      (await a('POST', `/schools/${s}/students`, { studentNo: '1001', name: '小明', gradeLevel: 1, homeroom: '1' })).status,
    ).toBe(201);
    ids[`guardian:${s}`] = (
      await a('POST', `/schools/${s}/guardians`, { name: '明妈', phone: '13800000001', relation: 'mother', children: ['1001'] })
    ).body.id;
  }
  termId = ids[`term:${schoolId}`]!;
  wang = ids[`staff:${schoolId}`]!;
  li = (
    await admin('POST', `/schools/${schoolId}/staff`, {
      name: '李老师',
      kind: 'teacher',
      skills: ['chess'],
      availability: { MON: [{ start: '16:00', end: '17:00' }] },
    })
  ).body.id;
  const club = await admin('POST', `/schools/${schoolId}/clubs`, {
    termId,
    name: '国际象棋',
    nameEn: 'Chess',
    category: 'mind',
    descriptionZh: '国际象棋入门',
    descriptionEn: 'Chess for beginners',
    skill: 'chess',
    classes: [
      { tier: 'basic', name: '基础班', grades: [1], capacity: 30, sessionsPerWeek: 1, minutesPerSession: 60, fixedStaffId: wang },
    ],
  });
  expect(club.status).toBe(201);
  clubId = club.body.id;
});
afterAll(async () => app?.close());

describe('history is per school', () => {
  it("answers 404 for another school's record of every kind, the school itself included", async () => {
    const other = {
      school: otherSchool,
      grade: 'g5', // grades and students have school-chosen ids: another school's g1 is this school's g1
      room: ids[`room:${otherSchool}`],
      term: ids[`term:${otherSchool}`],
      staff: ids[`staff:${otherSchool}`],
      student: '9999',
      guardian: ids[`guardian:${otherSchool}`],
      club: 'no-such-club',
      timetable: `${ids[`term:${otherSchool}`]}#V0001`,
    };
    for (const [kind, id] of Object.entries(other)) {
      const res = await admin('GET', `/schools/${schoolId}/history/${kind}/${encodeURIComponent(id!)}`);
      expect(res.status, kind).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('隔壁小学');
    }
    expect((await otherAdmin('GET', `/schools/${otherSchool}/history/school/${schoolId}`)).status).toBe(404);
  });

  it('keeps the history of clubs and timetables too', async () => {
    const own = await admin('GET', `/schools/${schoolId}/history/school/${schoolId}`);
    expect(own.status).toBe(200);
    expect(own.body.items[0]).toMatchObject({ action: 'create', data: { name: '守信小学' } });
    const club = await admin('GET', `/schools/${schoolId}/history/club/${clubId}`);
    expect(club.status).toBe(200);
    expect(club.body.items.map((h: { action: string }) => h.action)).toEqual(['create']);
  });
});

describe('deleting a student keeps its links consistent', () => {
  it('takes the child off its guardians in the same change; a guardian with no child left goes too', async () => {
    const add = (studentNo: string) =>
      admin('POST', `/schools/${schoolId}/students`, { studentNo, name: `学生${studentNo}`, gradeLevel: 1, homeroom: '2' });
    for (const no of ['2001', '2002', '2003']) expect((await add(no)).status).toBe(201);
    const both = await admin('POST', `/schools/${schoolId}/guardians`, {
      name: '两娃爸',
      phone: '13900000002',
      relation: 'father',
      children: ['2001', '2002'],
    });
    const only = await admin('POST', `/schools/${schoolId}/guardians`, {
      name: '独娃妈',
      phone: '13900000003',
      relation: 'mother',
      children: ['2003'],
    });
    expect([both.status, only.status]).toEqual([201, 201]);

    for (const no of ['2001', '2003']) {
      const s = (await admin('GET', `/schools/${schoolId}/students/${no}`)).body;
      expect((await admin('DELETE', `/schools/${schoolId}/students/${no}?version=${s.version}`)).status).toBe(204);
    }
    const after = await admin('GET', `/schools/${schoolId}/guardians/${both.body.id}`);
    expect(after.body.children).toEqual(['2002']);
    expect(after.body.updatedBy).toBe('admin-a');
    expect((await admin('GET', `/schools/${schoolId}/guardians/${only.body.id}`)).status).toBe(404);
    const history = await admin('GET', `/schools/${schoolId}/history/guardian/${only.body.id}`);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['create', 'delete']);

    // the guardian stays editable and deletable
    const { id: _i, schoolId: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = after.body;
    const put = await admin('PUT', `/schools/${schoolId}/guardians/${both.body.id}`, { ...body, name: '两娃爸爸' });
    expect(put.status).toBe(200);
    expect((await admin('DELETE', `/schools/${schoolId}/guardians/${both.body.id}?version=${put.body.version}`)).status).toBe(
      204,
    );
    expect((await admin('GET', `/schools/${schoolId}/students/2002`)).body.guardianIds).toEqual([]);
  });
});

describe('retries', () => {
  it('makes one record of 20 concurrent POSTs with one Idempotency-Key, each answered with it (or told when to retry)', async () => {
    const key = 'room-once-0123456789';
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        admin('POST', `/schools/${schoolId}/rooms`, { name: '重试教室', capacity: 30 }, { 'idempotency-key': key }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.id)).size).toBe(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect(a.status).toBe(409);
      expect(a.body.reason).toBe('in-progress');
      expect(a.headers['retry-after']).toBe('1');
    }
    const rooms = (await admin('GET', `/schools/${schoolId}/rooms`)).body.items;
    expect(rooms.filter((r: { name: string }) => r.name === '重试教室')).toHaveLength(1);
  });
});

describe('a missing parent is 404', () => {
  it('answers 404 for the timetable, its versions and the clubs of a term that does not exist', async () => {
    for (const path of [
      `/schools/${schoolId}/terms/bogus/timetable`,
      `/schools/${schoolId}/terms/bogus/timetable/versions`,
      `/schools/${schoolId}/clubs?termId=bogus`,
    ]) {
      const res = await admin('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    expect((await admin('POST', `/schools/${schoolId}/terms/bogus/clubs/copy`, { fromTermId: termId })).status).toBe(404);
  });
});

describe('one answer per situation', () => {
  it('answers a duplicate of any unique value with 409 naming the field', async () => {
    const cases: Array<[string, unknown, (string | number)[]]> = [
      [`/schools/${schoolId}/rooms`, { name: ' 活动室 ', capacity: 10 }, ['name']],
      [`/schools/${schoolId}/students`, { studentNo: '1001', name: '又一个', gradeLevel: 1, homeroom: '1' }, ['studentNo']],
      [`/schools/${schoolId}/grades`, { level: 1, name: '一年级', dismissal: {} }, ['level']],
      [`/schools/${schoolId}/guardians`, { name: '又一个', phone: '13800000001', children: ['1001'] }, ['phone']],
    ];
    for (const [path, body, field] of cases) {
      const res = await admin('POST', path, body);
      expect(res.status, path).toBe(409);
      expect(res.body.reason).toBe('exists');
      expect(res.body.errors).toEqual([{ path: field, message: expect.stringContaining('already') }]);
    }
    const club = (await admin('GET', `/schools/${schoolId}/clubs/${clubId}`)).body;
    const {
      id: _i,
      schoolId: _s,
      status: _st,
      lineageId: _l,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      updatedBy: _b,
      ...input
    } = club;
    const dup = await admin('POST', `/schools/${schoolId}/clubs`, {
      ...input,
      classes: input.classes.map(({ id: _x, ...k }: { id: string }) => k),
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].path).toEqual(['name']);
  });

  it('answers a stale version with 409 everywhere, the timetable draft included', async () => {
    const room = (await admin('GET', `/schools/${schoolId}/rooms/${ids[`room:${schoolId}`]}`)).body;
    expect(
      (await admin('PUT', `/schools/${schoolId}/rooms/${room.id}`, { name: '活动室', capacity: 41, version: room.version }))
        .status,
    ).toBe(200);
    const stale = await admin('PUT', `/schools/${schoolId}/rooms/${room.id}`, {
      name: '活动室',
      capacity: 42,
      version: room.version,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'version', current: { version: room.version + 1, updatedBy: 'admin-a' } });

    const draft = await generated(`/schools/${schoolId}/terms/${termId}/timetable`, {});
    const [session] = (await admin('GET', `/schools/${schoolId}/terms/${termId}/timetable/versions/${draft.number}`)).body
      .sessions;
    const lock = await admin('PATCH', `/schools/${schoolId}/terms/${termId}/timetable/draft/sessions/${session.id}`, {
      version: draft.version,
      locked: true,
    });
    expect(lock.status).toBe(200);
    const kept = await admin('GET', `/schools/${schoolId}/history/timetable/${encodeURIComponent(draft.id)}`);
    expect(kept.body.items.map((h: { action: string; by: string }) => [h.action, h.by])).toEqual([
      ['create', 'admin-a'],
      ['update', 'admin-a'],
    ]);
    const staleEdit = await admin('PATCH', `/schools/${schoolId}/terms/${termId}/timetable/draft/sessions/${session.id}`, {
      version: draft.version,
      locked: false,
    });
    expect(staleEdit.status).toBe(409);
    expect(staleEdit.body.reason).toBe('version');
    const stalePublish = await admin('POST', `/schools/${schoolId}/terms/${termId}/timetable/publish`, {
      version: draft.version,
    });
    expect(stalePublish.status).toBe(409);
  });

  it('shows a school nowhere to a token whose membership there names a role the user does not hold', async () => {
    // groups: teacher, while custom:schools names the school with admin
    const half = httpClient(app.url, await signMembership('half', 'teacher', `${schoolId}:admin`));
    expect((await half('GET', '/schools')).body.items).toEqual([]);
    expect((await half('GET', '/me')).body.schools).toEqual([]);
    expect((await half('GET', `/schools/${schoolId}`)).status).toBe(404);
  });
});

/** Generates the timetable at `base` (a job: 202, then its status resource) and answers the draft it made. */
async function generated(base: string, body: object) {
  const accepted = await admin('POST', `${base}/generate`, body);
  expect(accepted.status).toBe(202);
  const job = await awaitJob<{ state: string; draft: { id: string; number: number; version: number } }>(
    admin,
    accepted.headers.location!,
  );
  expect(job.state).toBe('finished');
  return job.draft;
}

/** A token whose groups and `custom:schools` disagree, signed by the test's key. */
async function signMembership(userId: string, group: string, schoolsClaim: string): Promise<string> {
  return new SignJWT({ 'cognito:groups': [group], 'custom:schools': schoolsClaim, token_use: 'id' })
    .setProtectedHeader({ alg: 'ES256', kid: app.key.kid })
    .setSubject(userId)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(await importJWK(app.key.privateJwk, 'ES256'));
}

describe('refusals name people, rooms and classes', () => {
  it('says who is not available when, which class would end too late, and which session is locked', async () => {
    const base = `/schools/${schoolId}/terms/${termId}/timetable`;
    const fresh = await generated(base, { fresh: true, seed: 2 });
    const d = { ...fresh, sessions: (await admin('GET', `${base}/versions/${fresh.number}`)).body.sessions };
    const s = d.sessions.find((x: { locked: boolean }) => !x.locked) ?? d.sessions[0];
    const unlocked = s.locked
      ? (await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: d.version, locked: false })).body
      : d;

    const late = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: unlocked.version, start: '17:30' });
    expect(late.status).toBe(422);
    expect(late.body.detail).toContain('国际象棋 基础班');
    expect(late.body.detail).toContain('would end at 18:30, after 18:00');

    const away = await admin('PATCH', `${base}/draft/sessions/${s.id}`, {
      version: unlocked.version,
      day: 'TUE',
      start: '16:00',
      staffId: li,
    });
    expect(away.status).toBe(422);
    const rules = away.body.details.violations.map((v: { rule: string }) => v.rule);
    expect(rules).toContain('unavailable');
    const words = away.body.details.violations.find((v: { rule: string }) => v.rule === 'unavailable').message;
    expect(words).toBe(`李老师 (${li}) is not available on TUE 16:00–17:00 (available on TUE: not at all)`);

    const locked = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: unlocked.version, locked: true });
    const move = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: locked.body.version, start: '16:05' });
    expect(move.status).toBe(422);
    expect(move.body.rule).toBe('locked');
    expect(move.body.detail).toMatch(/^国际象棋 基础班 \(.+\) on [A-Z]{3} \d\d:\d\d–\d\d:\d\d is locked; unlock it to move it$/);
  });
});

/**
 * Class lists, attendance, the "unaccounted for" list and hours, end to end through the
 * handlers' middleware chain on DynamoDB Local, with a clock the test moves. The school is
 * made through the API; its published timetable is written as publication writes its read
 * models (syncViews), and children are enrolled by the capacity primitive directly (seats of
 * `club-class:<classId>`), as the enrolment API will.
 *
 * The term (test/support/families.ts AUTUMN): holiday 1–7 October; Wednesday 16 September.
 *   S1 故事会 (孙阿姨, volunteer) WED 16:30–17:15 一号教室: 1001 1002 1003 1004 (1004 opted out on WED)
 *   S2 国际象棋 (王老师, teacher) WED 16:30–17:15 二号教室: 1005
 *   S3 折纸 (赵叔叔, volunteer) THU 16:30–17:10 一号教室: 1001
 * 李老师 is a teacher with no session.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { classSeatsId, viewSessions, type TimetableSession } from '@kehou/domain';
import { lambdaHandler, observeRequests, type RequestObservation } from '@kehou/http';
import { loadTermData, type DbCost } from '@kehou/store';
import { bound as attendanceBound } from '../functions/attendance/app';
import { bound as clubsBound } from '../functions/clubs/app';
import { bound as familiesBound } from '../functions/families/app';
import { bound as peopleBound } from '../functions/people/app';
import { bound as setupBound } from '../functions/setup/app';
import { call, claimsOf, type Answer, type Handler } from '../packages/http/test/support/events';
import { freshTable, testRuntime } from './support/db';
import { basicClass, clubBody } from './support/clubs';
import { AUTUMN, form, notice } from './support/families';

let api: Handler;
let rt: ReturnType<typeof testRuntime>;
let schoolId: string;
let termId: string;
const S: Record<'story' | 'chess' | 'origami', string> = { story: '', chess: '', origami: '' };

type Caller = (
  method: string,
  path: string,
  o?: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; headers?: Record<string, string> },
) => Promise<Answer>;
const as =
  (sub: string, group: string): Caller =>
  (method, path, o = {}) =>
    call(api, {
      routeKey: `${method} ${path}`,
      pathParameters: { schoolId, ...o.params },
      ...(o.query ? { query: o.query } : {}),
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      headers: { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      claims: claimsOf({ sub, groups: [group], schools: schoolId }),
    });
const admin = as('admin-1', 'admin');
const sun = as('sun', 'volunteer');
const zhao = as('zhao', 'volunteer');
const wang = as('wang', 'teacher');
const li = as('li', 'teacher');
const parent = as('p1004', 'parent');

/** Moves the clock to an instant (forward only). */
const at = (iso: string) => rt.advance(Date.parse(iso) - rt.clock().getTime());
const ok = (r: Answer, what: string) => {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

const LIST = 'GET /schools/{schoolId}/dated-sessions/{date}/{sessionId}';
const SAVE = 'POST /schools/{schoolId}/dated-sessions/{date}/{sessionId}/attendance';
const list = (who: Caller, date: string, sessionId: string) => {
  const [method, path] = LIST.split(' ') as [string, string];
  return who(method, path, { params: { date, sessionId } });
};
const mark = (
  who: Caller,
  date: string,
  sessionId: string,
  marks: Array<{ studentNo: string; status: string; markedAt?: string }>,
  headers: Record<string, string> = {},
) => {
  const [method, path] = SAVE.split(' ') as [string, string];
  return who(method, path, { params: { date, sessionId }, body: { marks }, headers });
};
const unaccounted = (date?: string) =>
  admin('GET', '/schools/{schoolId}/unaccounted', date ? { query: { date } } : {}).then((r) => ok(r, 'unaccounted'));

beforeAll(async () => {
  const { store } = await freshTable();
  rt = testRuntime(store, new Date('2026-09-10T01:00:00Z'));
  api = lambdaHandler([...setupBound, ...peopleBound, ...clubsBound, ...familiesBound, ...attendanceBound], rt);
  const bureau = claimsOf({ sub: 'bureau', groups: ['district'], district: 'd-att' });
  schoolId = ok(
    await call(api, {
      routeKey: 'POST /schools',
      claims: bureau,
      body: JSON.stringify({ name: '点名小学', districtId: 'd-att' }),
    }),
    'school',
  ).id;
  const post = async (path: string, body: unknown, params: Record<string, string> = {}) => {
    rt.advance(1); // ids are made from the clock
    return ok(await admin('POST', `/schools/{schoolId}${path}`, { params, body }), path);
  };
  const dismissal = { MON: '15:30', TUE: '15:30', WED: '15:30', THU: '15:30', FRI: '15:30' };
  await post('/grades', { level: 1, name: '一年级', dismissal, homeworkMinutes: 30 });
  termId = (await post('/terms', AUTUMN)).id;
  const room1 = (await post('/rooms', { name: '一号教室', capacity: 40 })).id;
  const room2 = (await post('/rooms', { name: '二号教室', capacity: 40 })).id;
  const staff = async (name: string, kind: string, userId: string) =>
    (
      await post('/staff', {
        name,
        kind,
        userId,
        ...(kind === 'volunteer' ? { backgroundCheckExpiresOn: '2027-12-31' } : {}),
      })
    ).id as string;
  const sunId = await staff('孙阿姨', 'volunteer', 'sun');
  const zhaoId = await staff('赵叔叔', 'volunteer', 'zhao');
  const wangId = await staff('王老师', 'teacher', 'wang');
  await staff('李老师', 'teacher', 'li');
  for (const n of [1, 2, 3, 4, 5]) {
    const no = `100${n}`;
    await post('/students', { studentNo: no, name: `学生${n}`, gradeLevel: 1, homeroom: n <= 3 ? '1' : '2' });
    await post('/guardians', { name: `家长${n}`, phone: `1390000100${n}`, relation: 'mother', children: [no], userId: `p${no}` });
  }
  const club = async (name: string, minutes: number) =>
    (await post('/clubs', clubBody(termId, name, 'other', [basicClass({ minutesPerSession: minutes })]))).classes[0].id as string;
  const classes = { story: await club('故事会', 45), chess: await club('国际象棋', 45), origami: await club('折纸', 40) };
  const session = (classId: string, day: string, end: string, roomId: string, staffId: string): TimetableSession =>
    ({ id: `${classId}.0`, classId, clubId: 'x', day, start: '16:30', end, roomId, staffId, locked: false }) as TimetableSession;
  const data = (await loadTermData(store, (await store.schools.get(schoolId, schoolId))!, termId))!;
  const sessions = [
    session(classes.story, 'WED', '17:15', room1, sunId),
    session(classes.chess, 'WED', '17:15', room2, wangId),
    session(classes.origami, 'THU', '17:10', room1, zhaoId),
  ].map((s) => ({ ...s, clubId: data.clubs.find((c) => c.classes.some((k) => k.id === s.classId))!.id }));
  await store.timetables.syncViews(schoolId, termId, viewSessions(data, sessions));
  S.story = `${classes.story}.0`;
  S.chess = `${classes.chess}.0`;
  S.origami = `${classes.origami}.0`;
  const enrol = async (classId: string, nos: string[]) => {
    const seats = { schoolId, id: classSeatsId(classId), what: classId };
    await store.capacity.setCapacity(seats, 30);
    for (const no of nos) await store.capacity.claim(seats, { id: no, what: no }, rt.clock().toISOString());
  };
  await enrol(classes.story, ['1001', '1002', '1003', '1004']);
  await enrol(classes.chess, ['1005']);
  await enrol(classes.origami, ['1001']);
  // 1004's guardian opts the child out on Wednesdays
  await post(`/terms/{termId}/notice`, notice({ opensOn: '2026-09-01', closesOn: '2026-09-30' }), { termId });
  ok(
    await parent('POST', '/schools/{schoolId}/terms/{termId}/optouts', {
      params: { termId },
      body: { studentNo: '1004', ...form({ days: ['WED'], guardianSignature: { name: '家长4' } }) },
    }),
    'opt-out',
  );
}, 120_000);

describe('the class list of a dated session', () => {
  it("shows the session's staff member each child, homeroom and guardians' phones, with room and time", async () => {
    const res = await list(sun, '2026-09-16', S.story);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.session).toMatchObject({
      date: '2026-09-16',
      clubName: '故事会',
      className: '基础班',
      roomName: '一号教室',
      staffName: '孙阿姨',
      startsAt: '2026-09-16T16:30:00+08:00',
      endsAt: '2026-09-16T17:15:00+08:00',
    });
    expect(res.body.contactsShown).toBe(true);
    expect(res.body.children.map((c: any) => [c.studentNo, c.homeroom, c.expected])).toEqual([
      ['1001', '1', true],
      ['1002', '1', true],
      ['1003', '1', true],
      ['1004', '2', false],
    ]);
    expect(res.body.children[0].guardians).toEqual([{ name: '家长1', relation: 'mother', phone: '13900001001' }]);
    expect(res.body.counts).toMatchObject({ enrolled: 4, expected: 3, unmarked: 3 });
    const byAdmin = ok(await list(admin, '2026-09-16', S.story), 'admin');
    expect(byAdmin.children[1].guardians).toEqual([{ name: '家长2', relation: 'mother', phone: '13900001002' }]);
  });

  it('refuses a volunteer of another session, and a parent: no data', async () => {
    for (const who of [zhao, parent]) {
      const res = await list(who, '2026-09-16', S.story);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/学生|家长|139/);
    }
    // 赵叔叔 reads his own
    expect((await list(zhao, '2026-09-17', S.origami)).status).toBe(200);
  });

  it("hides guardians' contacts from a teacher who is not the session's staff member", async () => {
    const res = ok(await list(li, '2026-09-16', S.story), 'teacher');
    expect(res.contactsShown).toBe(false);
    expect(res.children.map((c: any) => c.guardians)).toEqual([null, null, null, null]);
    expect(JSON.stringify(res)).not.toContain('139');
  });

  it('is not there on a date the session does not run: another weekday, a holiday', async () => {
    expect((await list(sun, '2026-09-17', S.story)).status).toBe(404);
    expect((await list(sun, '2026-10-07', S.story)).status).toBe(404);
    expect((await list(admin, '2026-09-16', 'cls-none.0')).status).toBe(404);
  });

  it("lists a staff member's own dated sessions over a range, and every session for an admin", async () => {
    const query = { from: '2026-09-14', to: '2026-09-20' };
    const mine = ok(await sun('GET', '/schools/{schoolId}/dated-sessions', { query }), 'mine');
    expect(mine.items.map((s: any) => [s.date, s.id])).toEqual([['2026-09-16', S.story]]);
    const all = ok(await admin('GET', '/schools/{schoolId}/dated-sessions', { query }), 'all');
    expect(all.items.map((s: any) => s.id).sort()).toEqual([S.story, S.chess, S.origami].sort());
    expect((await parent('GET', '/schools/{schoolId}/dated-sessions', { query })).status).toBe(403);
  });
});

describe('attendance and the unaccounted-for list', () => {
  it('is saved once for a retry with its key or the same marks again, and kept in the history', async () => {
    at('2026-09-16T08:32:00Z'); // 16:32 in Shanghai
    const marks = [
      { studentNo: '1001', status: 'present' },
      { studentNo: '1002', status: 'absent' },
    ];
    const key = { 'idempotency-key': 'sun-0916-story-1' };
    const first = await mark(sun, '2026-09-16', S.story, marks, key);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.attendance).toMatchObject({ version: 1, staffName: '孙阿姨', minutes: 45 });
    expect(first.body.changes).toHaveLength(2);
    at('2026-09-16T08:33:00Z');
    const retry = await mark(sun, '2026-09-16', S.story, marks, key);
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const again = ok(await mark(sun, '2026-09-16', S.story, marks), 'again');
    expect(again.attendance.version).toBe(1);
    expect(again.changes).toEqual([]);
    const history = ok(
      await sun('GET', '/schools/{schoolId}/dated-sessions/{date}/{sessionId}/attendance/history', {
        params: { date: '2026-09-16', sessionId: S.story },
      }),
      'history',
    );
    expect(history.items).toEqual([
      expect.objectContaining({
        version: 1,
        by: 'sun',
        byName: '孙阿姨',
        changes: [
          { studentNo: '1001', from: null, to: 'present' },
          { studentNo: '1002', from: null, to: 'absent' },
        ],
      }),
    ]);
    expect((await mark(zhao, '2026-09-16', S.story, marks)).status).toBe(403);
    expect((await mark(sun, '2026-09-16', S.story, [{ studentNo: '1005', status: 'present' }])).status).toBe(400);
    expect((await mark(sun, '2026-09-30', S.story, marks)).status).toBe(422);
  });

  it('names the absent child at once, and the unmarked one 15 minutes after the start; not the opted-out one', async () => {
    at('2026-09-16T08:40:00Z'); // 16:40
    const early = await unaccounted();
    expect(early.date).toBe('2026-09-16');
    expect(early.items.map((u: any) => [u.studentNo, u.reason])).toEqual([['1002', 'marked-absent']]);
    expect(early.items[0]).toMatchObject({
      name: '学生2',
      className: '基础班',
      clubName: '故事会',
      roomName: '一号教室',
      staffName: '孙阿姨',
      markedBy: '孙阿姨',
      since: '2026-09-16T08:32:00.000Z',
      guardians: [{ name: '家长2', phone: '13900001002' }],
    });
    at('2026-09-16T08:45:00Z'); // 16:45: the start + 15 minutes
    const late = await unaccounted();
    expect(late.items.map((u: any) => [u.studentNo, u.clubName, u.reason]).sort()).toEqual([
      ['1002', '故事会', 'marked-absent'],
      ['1003', '故事会', 'not-marked'],
      ['1005', '国际象棋', 'not-marked'],
    ]);
    expect(late.items.find((u: any) => u.studentNo === '1003').since).toBe('2026-09-16T08:45:00.000Z');
    // the holiday has nobody expected; a volunteer does not read the list
    expect(await unaccounted('2026-10-07')).toMatchObject({ runsAs: null, items: [] });
    expect((await sun('GET', '/schools/{schoolId}/unaccounted')).status).toBe(403);
  });

  it('keeps both staff members’ marks when they save at once, and a newer mark over a stale retry', async () => {
    at('2026-09-16T08:46:00Z');
    const [a, b] = await Promise.all([
      mark(sun, '2026-09-16', S.story, [{ studentNo: '1003', status: 'late' }]),
      mark(admin, '2026-09-16', S.story, [{ studentNo: '1002', status: 'excused' }]),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // the phone's save of 1002 as absent, made at 16:34 and retried now, does not undo the school's excuse
    const stale = ok(
      await mark(sun, '2026-09-16', S.story, [{ studentNo: '1002', status: 'absent', markedAt: '2026-09-16T16:34:00+08:00' }]),
      'stale',
    );
    expect(stale.superseded).toEqual(['1002']);
    const now = ok(await list(admin, '2026-09-16', S.story), 'list');
    expect(now.children.map((c: any) => [c.studentNo, c.mark?.status ?? null])).toEqual([
      ['1001', 'present'],
      ['1002', 'excused'],
      ['1003', 'late'],
      ['1004', null],
    ]);
    expect(now.attendance.version).toBe(3);
    expect((await unaccounted()).items.map((u: any) => u.studentNo)).toEqual(['1005']);
  });
});

describe('hours', () => {
  it("sums each staff member's minutes of the month from sessions whose attendance was taken; teachers paid at the rate", async () => {
    ok(await mark(wang, '2026-09-16', S.chess, [{ studentNo: '1005', status: 'present' }]), 'chess');
    at('2026-09-23T08:40:00Z');
    ok(await mark(sun, '2026-09-23', S.story, [{ studentNo: '1001', status: 'present' }]), 'story 23');
    const school = ok(await admin('GET', '/schools/{schoolId}'), 'school');
    const { id: _i, status: _s, districtId: _d, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = school;
    ok(await admin('PUT', '/schools/{schoolId}', { body: { ...body, hourlyRateFen: 8000 } }), 'rate');
    const report = ok(await admin('GET', '/schools/{schoolId}/hours', { query: { month: '2026-09' } }), 'hours');
    expect(report).toMatchObject({ month: '2026-09', hourlyRateFen: 8000, totals: { minutes: 135, amountFen: 6000 } });
    expect(report.staff).toEqual([
      { staffId: expect.any(String), name: '王老师', kind: 'teacher', sessions: 1, minutes: 45, hours: 0.75, amountFen: 6000 },
      { staffId: expect.any(String), name: '孙阿姨', kind: 'volunteer', sessions: 2, minutes: 90, hours: 1.5, amountFen: null },
    ]);
    // 赵叔叔's session on the 17th was never taken: it does not count
    expect(report.staff.map((s: any) => s.name)).not.toContain('赵叔叔');
    expect((await admin('GET', '/schools/{schoolId}/hours', { query: { month: '2026-10' } })).body.staff).toEqual([]);
    expect((await wang('GET', '/schools/{schoolId}/hours', { query: { month: '2026-09' } })).status).toBe(403);
  });

  it('exports the remuneration report and the volunteer-hours statement as CSV', async () => {
    const csv = (statement: string) =>
      admin('GET', '/schools/{schoolId}/hours/export.csv', { query: { month: '2026-09', statement } });
    const pay = await csv('remuneration');
    expect(pay.status).toBe(200);
    expect(pay.headers['content-type']).toMatch(/^text\/csv/);
    expect(pay.headers['content-disposition']).toBe('attachment; filename="remuneration-2026-09.csv"');
    expect(pay.body.split('\r\n').slice(1, 2)).toEqual(['2026-09,王老师,1,45,0.75,80.00,60.00']);
    const vol = await csv('volunteer');
    expect(vol.body.split('\r\n').slice(1, 2)).toEqual(['2026-09,孙阿姨,2,90,1.50']);
    expect((await csv('everyone')).status).toBe(400);
  });

  /** A staff member's id by name, as the admin's staff list has it. */
  const staffIds = async () => {
    const list = ok(await admin('GET', '/schools/{schoolId}/staff'), 'staff').items as Array<{ id: string; name: string }>;
    return (name: string) => list.find((x) => x.name === name)!.id;
  };
  const own = (who: Caller, staffId: string, month = '2026-09', csv = false) =>
    who('GET', `/schools/{schoolId}/staff/{staffId}/hours${csv ? '/export.csv' : ''}`, {
      params: { staffId },
      query: { month },
    });

  it("shows a teacher or a volunteer their own month — each session, the minutes, a teacher's pay — and nobody else's", async () => {
    const id = await staffIds();
    const [sunId, wangId, zhaoId] = [id('孙阿姨'), id('王老师'), id('赵叔叔')];
    const story = { clubName: '故事会', className: '基础班', roomName: '一号教室', start: '16:30', end: '17:15', minutes: 45 };
    const mine = ok(await own(sun, sunId), 'sun');
    expect(mine).toEqual({
      schoolId,
      month: '2026-09',
      staffId: sunId,
      name: '孙阿姨',
      kind: 'volunteer',
      sessions: 2,
      minutes: 90,
      hours: 1.5,
      amountFen: null,
      hourlyRateFen: null,
      items: [
        { date: '2026-09-16', sessionId: S.story, ...story },
        { date: '2026-09-23', sessionId: S.story, ...story },
      ],
    });
    expect(ok(await own(wang, wangId), 'wang')).toMatchObject({
      kind: 'teacher',
      sessions: 1,
      minutes: 45,
      amountFen: 6000,
      hourlyRateFen: 8000,
      items: [{ date: '2026-09-16', sessionId: S.chess, clubName: '国际象棋' }],
    });
    // 赵叔叔's session was never taken: nothing counted
    expect(ok(await own(zhao, zhaoId), 'zhao')).toMatchObject({ sessions: 0, minutes: 0, items: [] });
    expect(ok(await own(sun, sunId, '2026-10'), 'october')).toMatchObject({ sessions: 0, items: [] });
    // the admin reads anyone's
    expect(ok(await own(admin, sunId), 'admin')).toEqual(mine);
    // anyone else's: 403, and nothing of it
    for (const [who, whose] of [
      [sun, wangId],
      [zhao, sunId],
      [li, wangId],
      [parent, sunId],
    ] as const) {
      const res = await own(who, whose);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toMatch(/王老师|孙阿姨|国际象棋|故事会/);
    }
    expect((await own(admin, 'nobody')).status).toBe(404);
    expect((await own(sun, sunId, '2026-13')).status).toBe(400);
  });

  it("exports a staff member's own statement as CSV: each session and the total, a teacher's with the pay", async () => {
    const id = await staffIds();
    const [sunId, wangId] = [id('孙阿姨'), id('王老师')];
    const vol = await own(sun, sunId, '2026-09', true);
    expect(vol.status).toBe(200);
    expect(vol.headers['content-type']).toMatch(/^text\/csv/);
    expect(vol.headers['content-disposition']).toBe(`attachment; filename="hours-${sunId}-2026-09.csv"`);
    expect(vol.body.split('\r\n')).toEqual([
      '\uFEFF月份 month,志愿者 volunteer,日期 date,课程 session,时间 time,分钟 minutes,小时 hours',
      '2026-09,孙阿姨,2026-09-16,故事会 基础班,16:30-17:15,45,0.75',
      '2026-09,孙阿姨,2026-09-23,故事会 基础班,16:30-17:15,45,0.75',
      '2026-09,孙阿姨,合计 total,2 课次 sessions,,90,1.50',
      '',
    ]);
    const pay = await own(wang, wangId, '2026-09', true);
    expect(pay.body.split('\r\n').slice(-2, -1)).toEqual(['2026-09,王老师,合计 total,1 课次 sessions,,45,0.75,60.00']);
    expect((await own(sun, wangId, '2026-09', true)).status).toBe(403);
  });

  it("reads a staff member's month in one round trip, however many sessions the school has", async () => {
    const id = await staffIds();
    const seen: RequestObservation[] = [];
    const stop = observeRequests((o) => seen.push(o));
    try {
      ok(await own(sun, id('孙阿姨')), 'sun');
    } finally {
      stop();
    }
    const cost = seen[0]!.cost as DbCost;
    expect(cost.roundTrips, JSON.stringify(cost.trips)).toBe(1);
    expect(cost.operations.ScanCommand ?? 0).toBe(0);
    // the school, the caller's staff records, the staff member, their two sheets of the month
    expect(cost.itemsRead).toBeLessThanOrEqual(5);
  });
});

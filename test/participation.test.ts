/**
 * Participation of a small school, checked by hand; the dismissal list on a Wednesday, on a
 * holiday and on a make-up Saturday; a child's week; the district's figures. HTTP end to end
 * on DynamoDB Local.
 *
 * The school (test/support/families.ts): grade 1 has service every weekday (dismissal 15:30,
 * on WED 14:30; homework help 40 min), grade 2 every weekday but FRI. Its term has a holiday
 * 1–7 October and Saturday 10 October runs as FRI.
 *
 *   grade 1, homeroom 1: 1001 A whole term · 1002 B WED FRI with homework help · 1003 C FRI ·
 *                        1004 D no form · 1005 E MON, withdrawn
 *   grade 1, homeroom 2: 2001 F no form · 2002 G WED · 2003 H whole term, then archived
 *   grade 2, homeroom 1: 3001 I FRI (no service FRI) · 3002 J whole term with homework help ·
 *                        3003 K a late form, waiting for the school
 *
 * Teachers: 王 (MON, WED), 李 (WED), 赵 (no session); the volunteer 孙 (TUE) is not a teacher.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';
import { basicClass, clubBody, generated } from './support/clubs';
import { daysFromToday, familySchool, form, notice, ok, type Family, type FamilySchool } from './support/families';

let app: TestApp;
let s: FamilySchool;
const at = (p: string) => `/schools/${s.schoolId}${p}`;

const fam = (studentNo: string, name: string, grade: number, homeroom: string): Family => ({
  studentNo,
  name,
  grade,
  homeroom,
  guardians: [{ name: `${name}家长`, phone: `1390000${studentNo}`, userId: `p${studentNo}` }],
});
const FAMILIES = [
  fam('1001', 'A', 1, '1'),
  fam('1002', 'B', 1, '1'),
  fam('1003', 'C', 1, '1'),
  fam('1004', 'D', 1, '1'),
  fam('1005', 'E', 1, '1'),
  fam('2001', 'F', 1, '2'),
  fam('2002', 'G', 1, '2'),
  fam('2003', 'H', 1, '2'),
  fam('3001', 'I', 2, '1'),
  fam('3002', 'J', 2, '1'),
  fam('3003', 'K', 2, '1'),
];
const week = { start: '15:00', end: '18:00' };
const allWeek = { MON: [week], TUE: [week], WED: [week], THU: [week], FRI: [week] };

async function submit(no: string, body: Record<string, unknown>) {
  return ok(await s.parent[`p${no}`]!('POST', at(`/terms/${s.termId}/optouts`), { studentNo: no, ...form(body) }), `form ${no}`);
}

/** A published timetable whose teachers' days are known: generated, then moved by hand, then published. */
async function publishTimetable() {
  const staff = async (name: string, kind: string, skill: string) =>
    ok(
      await s.admin('POST', at('/staff'), {
        name,
        kind,
        skills: [skill],
        availability: allWeek,
        ...(kind === 'volunteer' ? { backgroundCheckExpiresOn: '2027-12-31' } : {}),
      }),
      name,
    ).id as string;
  const wang = await staff('王老师', 'teacher', 'chess');
  const li = await staff('李老师', 'teacher', 'go');
  await staff('赵老师', 'teacher', 'art');
  const sun = await staff('孙阿姨', 'volunteer', 'stories');
  const room = async (name: string) => ok(await s.admin('POST', at('/rooms'), { name, capacity: 40 }), name).id as string;
  const rooms = [await room('一号教室'), await room('二号教室')];
  const club = (name: string, skill: string, fixedStaffId: string, grades: number[], sessionsPerWeek: number) =>
    s.admin('POST', at('/clubs'), clubBody(s.termId, name, skill, [basicClass({ grades, sessionsPerWeek, fixedStaffId })]));
  ok(await club('国际象棋', 'chess', wang, [1], 2), 'chess');
  ok(await club('围棋', 'go', li, [1, 2], 1), 'go');
  ok(await club('故事会', 'stories', sun, [1], 1), 'stories');
  const tt = at(`/terms/${s.termId}/timetable`);
  const made = await generated(s.admin, tt, () => app.worker.idle());
  const draft = ok(await s.admin('GET', `${tt}/versions/${made.number}`), 'draft');
  // each staff member's sessions to their days (one already on a wanted day stays on it), in rooms and at times apart
  const plan: Record<string, { days: string[]; start: string; roomId: string }> = {
    [wang]: { days: ['MON', 'WED'], start: '16:30', roomId: rooms[0]! },
    [li]: { days: ['WED'], start: '17:10', roomId: rooms[1]! },
    [sun]: { days: ['TUE'], start: '17:10', roomId: rooms[1]! },
  };
  let version = draft.version as number;
  const sessions = draft.sessions as Array<{ id: string; staffId: string; day: string }>;
  const moves = Object.entries(plan).flatMap(([staffId, p]) => {
    const mine = sessions.filter((x) => x.staffId === staffId);
    const free = p.days.filter((d) => !mine.some((x) => x.day === d));
    const kept = new Set<string>();
    return mine.map((x) => {
      const day = p.days.includes(x.day) && !kept.has(x.day) ? x.day : free.shift()!;
      kept.add(day);
      return { id: x.id, day, start: p.start, roomId: p.roomId };
    });
  });
  for (const { id, ...to } of moves)
    version = ok(await s.admin('PATCH', `${tt}/draft/sessions/${id}`, { version, ...to }), `move ${id}`).version;
  ok(await s.admin('POST', `${tt}/publish`, { version }), 'publish');
}

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(app, FAMILIES, { district: 'd-part', name: '参与小学' });
  ok(await s.admin('POST', at(`/terms/${s.termId}/notice`), notice()), 'notice');
  await submit('1001', { wholeTerm: true, days: [] });
  await submit('1002', { days: ['WED', 'FRI'], homeworkHelp: true });
  await submit('1003', { days: ['FRI'] });
  const e = await submit('1005', { days: ['MON'] });
  ok(await s.parent.p1005!('POST', at(`/terms/${s.termId}/optouts/1005/withdraw`), { version: e.version }), 'withdraw');
  await submit('2002', { days: ['WED'] });
  await submit('2003', { wholeTerm: true, days: [] });
  await submit('3001', { days: ['FRI'] });
  await submit('3002', { wholeTerm: true, days: [], homeworkHelp: true });
  const h = ok(await s.admin('GET', at('/students/2003')), 'H');
  const { id: _i, schoolId: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, guardianIds: _g, ...student } = h;
  ok(await s.admin('PUT', at('/students/2003'), { ...student, status: 'archived' }), 'archive H');
  const n = ok(await s.admin('GET', at(`/terms/${s.termId}/notice`)), 'notice');
  ok(
    await s.admin('PUT', at(`/terms/${s.termId}/notice`), { ...notice({ closesOn: daysFromToday(-1) }), version: n.version }),
    'close',
  );
  await submit('3003', { days: ['MON'], asRequest: true });
  await publishTimetable();
});
afterAll(async () => app?.close());

describe('the forms of the term', () => {
  /** the student numbers of every form the list gives with this query, page after page */
  const listed = async (query: string) => {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ studentNo: string }>; next: string | null } = ok(
        await s.admin('GET', at(`/terms/${s.termId}/optouts?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`)),
        query,
      );
      out.push(...page.items.map((f) => f.studentNo));
      cursor = page.next;
    } while (cursor);
    return out;
  };

  it('are filtered by grade, homeroom, weekday and status, a page at a time', async () => {
    expect(await listed('')).toEqual(['1001', '1002', '1003', '1005', '2002', '2003', '3001', '3002', '3003']);
    expect(await listed('grade=1&homeroom=1')).toEqual(['1001', '1002', '1003', '1005']);
    expect(await listed('grade=2')).toEqual(['3001', '3002', '3003']);
    // a weekday: the forms in effect that take the child out that day (whole term ones too)
    expect(await listed('day=WED')).toEqual(['1001', '1002', '2002', '2003', '3002']);
    expect(await listed('day=MON&grade=1')).toEqual(['1001', '2003']);
    expect(await listed('day=FRI&grade=1&homeroom=1')).toEqual(['1001', '1002', '1003']);
    expect(await listed('status=withdrawn')).toEqual(['1005']);
    expect(await listed('status=requested')).toEqual(['3003']);
    const bad = await s.admin('GET', at(`/terms/${s.termId}/optouts?day=SAT&status=gone`));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string[] }) => e.path)).toEqual([
      ['query', 'day'],
      ['query', 'status'],
    ]);
    expect((await s.teacher('GET', at(`/terms/${s.termId}/optouts`))).status).toBe(403);
  });

  it('with a late request to decide are listed for the school, oldest first', async () => {
    const waiting = ok(await s.admin('GET', at(`/terms/${s.termId}/optout-requests`)), 'requests');
    expect(waiting.items).toEqual([
      expect.objectContaining({ studentNo: '3003', status: 'requested', request: expect.objectContaining({ state: 'pending' }) }),
    ]);
  });
});

/** enrolled, staying, homework help only, leaving, percent */
const c = (enrolled: number, staying: number, homeworkOnly: number, percent: number | null) => ({
  enrolled,
  staying,
  homeworkOnly,
  leaving: enrolled - staying,
  percent,
});
const t = (taking: number, all: number, percent: number | null) => ({ taking, all, percent });

describe('participation', () => {
  it('counts by hand: per homeroom, grade and school, per weekday and for the term; teachers from the published timetable', async () => {
    const p = ok(await s.teacher('GET', at(`/terms/${s.termId}/participation`)), 'participation');
    expect(p.students).toEqual({
      term: c(10, 9, 1, 90),
      days: { MON: c(10, 9, 1, 90), TUE: c(10, 9, 1, 90), WED: c(10, 8, 2, 80), THU: c(10, 9, 1, 90), FRI: c(7, 5, 1, 71.43) },
    });
    expect(p.teachers).toEqual({
      term: t(2, 3, 66.67),
      days: { MON: t(1, 3, 33.33), TUE: t(0, 3, 0), WED: t(2, 3, 66.67), THU: t(0, 3, 0), FRI: t(0, 3, 0) },
    });
    expect(p.grades).toEqual([
      {
        grade: 1,
        name: '一年级',
        term: c(7, 6, 0, 85.71),
        days: {
          MON: c(7, 6, 0, 85.71),
          TUE: c(7, 6, 0, 85.71),
          WED: c(7, 5, 1, 71.43),
          THU: c(7, 6, 0, 85.71),
          FRI: c(7, 5, 1, 71.43),
        },
      },
      {
        grade: 2,
        name: '二年级',
        term: c(3, 3, 1, 100),
        days: { MON: c(3, 3, 1, 100), TUE: c(3, 3, 1, 100), WED: c(3, 3, 1, 100), THU: c(3, 3, 1, 100), FRI: c(0, 0, 0, null) },
      },
    ]);
    expect(p.homerooms).toEqual([
      {
        grade: 1,
        homeroom: '1',
        term: c(5, 4, 0, 80),
        days: { MON: c(5, 4, 0, 80), TUE: c(5, 4, 0, 80), WED: c(5, 4, 1, 80), THU: c(5, 4, 0, 80), FRI: c(5, 3, 1, 60) },
      },
      {
        grade: 1,
        homeroom: '2',
        term: c(2, 2, 0, 100),
        days: { MON: c(2, 2, 0, 100), TUE: c(2, 2, 0, 100), WED: c(2, 1, 0, 50), THU: c(2, 2, 0, 100), FRI: c(2, 2, 0, 100) },
      },
      {
        grade: 2,
        homeroom: '1',
        term: c(3, 3, 1, 100),
        days: { MON: c(3, 3, 1, 100), TUE: c(3, 3, 1, 100), WED: c(3, 3, 1, 100), THU: c(3, 3, 1, 100), FRI: c(0, 0, 0, null) },
      },
    ]);
  });

  it('changes as soon as a late request is approved', async () => {
    const k = ok(await s.admin('GET', at(`/terms/${s.termId}/optouts/3003`)), 'K');
    ok(
      await s.admin('POST', at(`/terms/${s.termId}/optouts/3003/decision`), { version: k.version, decision: 'approve' }),
      'approve',
    );
    const p = ok(await s.admin('GET', at(`/terms/${s.termId}/participation`)), 'participation');
    expect(p.students.days.MON).toEqual(c(10, 8, 1, 80));
    expect(p.students.term).toEqual(c(10, 9, 1, 90));
    const back = ok(await s.admin('GET', at(`/terms/${s.termId}/optouts/3003`)), 'K');
    // …and back: the guardian asks to withdraw it, the school approves
    const asked = ok(
      await s.parent.p3003!('POST', at(`/terms/${s.termId}/optouts/3003/withdraw`), { version: back.version, asRequest: true }),
      'withdraw',
    );
    ok(
      await s.admin('POST', at(`/terms/${s.termId}/optouts/3003/decision`), { version: asked.version, decision: 'approve' }),
      'ok',
    );
    expect(ok(await s.admin('GET', at(`/terms/${s.termId}/participation`)), 'again').students.days.MON).toEqual(c(10, 9, 1, 90));
  });

  it('sums a district’s schools on the term of a date, for its own bureau only', async () => {
    ok(await s.bureau('POST', '/schools', { name: '无学期小学', districtId: 'd-part' }), 'second school');
    const other = await app.as('district', { user: 'bureau-x', district: 'd-other' });
    ok(await other('POST', '/schools', { name: '别区小学', districtId: 'd-other' }), 'another district’s school');
    const d = ok(await s.bureau('GET', '/districts/d-part/participation?date=2026-10-14'), 'district');
    const school = ok(await s.admin('GET', at(`/terms/${s.termId}/participation`)), 'school');
    expect(d.schools).toEqual([
      {
        schoolId: s.schoolId,
        name: '参与小学',
        termId: s.termId,
        figures: { students: school.students, teachers: school.teachers },
      },
      { schoolId: expect.any(String), name: '无学期小学', termId: null, figures: null },
    ]);
    expect(d.students).toEqual(school.students);
    expect(d.teachers).toEqual(school.teachers);
    expect((await other('GET', '/districts/d-part/participation?date=2026-10-14')).status).toBe(404);
    expect((await other('GET', at(`/terms/${s.termId}/participation`))).status).toBe(404);
    expect((await s.admin('GET', '/districts/d-part/participation?date=2026-10-14')).status).toBe(403);
  });
});

describe('the dismissal list', () => {
  const list = (who: Call, date: string, grade = 1, homeroom = '1') =>
    who('GET', at(`/dismissal?date=${date}&grade=${grade}&homeroom=${homeroom}`));
  const kids = (...names: string[]) => names.map((n) => ({ studentNo: FAMILIES.find((f) => f.name === n)!.studentNo, name: n }));

  it('on a Wednesday: the whole-term child and the Wednesday one at dismissal, homework help, the rest to the end', async () => {
    const l = ok(await list(s.teacher, '2026-10-14'), 'list');
    expect(l).toMatchObject({
      date: '2026-10-14',
      weekday: 'WED',
      runsAs: 'WED',
      service: true,
      note: null,
      dismissal: '14:30',
      homeworkEnd: '15:10',
      serviceEnd: '18:00',
      termId: s.termId,
      grade: 1,
      gradeName: '一年级',
      homeroom: '1',
      atDismissal: kids('A'),
      afterHomework: kids('B'),
      toEnd: kids('C', 'D', 'E'),
    });
    const two = ok(await list(s.teacher, '2026-10-14', 1, '2'), 'homeroom 2');
    expect([two.atDismissal, two.afterHomework, two.toEnd]).toEqual([kids('G'), [], kids('F')]);
  });

  it('on a holiday: no service, nobody listed', async () => {
    const l = ok(await list(s.admin, '2026-10-01'), 'holiday');
    expect(l).toMatchObject({
      service: false,
      note: 'holiday: 国庆节',
      runsAs: null,
      atDismissal: [],
      afterHomework: [],
      toEnd: [],
    });
    const sat = ok(await list(s.admin, '2026-10-17'), 'saturday');
    expect(sat).toMatchObject({ service: false, note: 'weekend', toEnd: [] });
  });

  it('on a make-up Saturday: Friday’s times and Friday’s opt-outs', async () => {
    const l = ok(await list(s.teacher, '2026-10-10'), 'make-up');
    expect(l).toMatchObject({
      weekday: 'SAT',
      runsAs: 'FRI',
      service: true,
      note: 'make-up day: runs as FRI (国庆调休)',
      dismissal: '15:30',
      homeworkEnd: '16:10',
      atDismissal: kids('A', 'C'),
      afterHomework: kids('B'),
      toEnd: kids('D', 'E'),
    });
    // grade 2 has no service on Fridays, so none on the Saturday that runs as one
    expect(ok(await list(s.teacher, '2026-10-10', 2, '1'), 'grade 2')).toMatchObject({
      service: false,
      note: '二年级 has no after-school service on FRI',
      toEnd: [],
    });
  });

  it('as CSV, one child a line, for Excel', async () => {
    const res = await s.teacher('GET', at('/dismissal/export.csv?date=2026-10-10&grade=1&homeroom=1'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="dismissal-2026-10-10-g1-1.csv"');
    // (the UTF-8 BOM that makes Excel read it as Chinese is dropped by fetch's decoding)
    expect((res.body as string).split('\r\n')).toEqual([
      '日期 date,年级 grade,班级 homeroom,学号 student number,姓名 name,离校 leaves,时间 time',
      '2026-10-10,一年级,1,1001,A,放学离校 at dismissal,15:30',
      '2026-10-10,一年级,1,1003,C,放学离校 at dismissal,15:30',
      '2026-10-10,一年级,1,1002,B,作业辅导后离校 after homework help,16:10',
      '2026-10-10,一年级,1,1004,D,课后服务结束 end of service,18:00',
      '2026-10-10,一年级,1,1005,E,课后服务结束 end of service,18:00',
      '',
    ]);
  });

  it('is the school’s: a guardian is refused, another school does not see it', async () => {
    expect((await list(s.parent.p1001!, '2026-10-14')).status).toBe(403);
  });
});

describe('a child’s week', () => {
  it('shows the guardian each day: holidays, the make-up Saturday, and when the child leaves', async () => {
    const w = ok(await s.parent.p1002!('GET', at('/students/1002/week?date=2026-10-07')), 'week');
    expect(w).toMatchObject({ studentNo: '1002', name: 'B', gradeLevel: 1, homeroom: '1' });
    const day = (d: {
      date: string;
      service: boolean;
      note: string | null;
      leaves: string | null;
      leavesAt: string | null;
      optedOut: boolean;
    }) => `${d.date} ${d.service ? `${d.leaves} ${d.leavesAt}` : `no service (${d.note})`}${d.optedOut ? ' opted out' : ''}`;
    expect(w.days.map(day)).toEqual([
      '2026-10-05 no service (holiday: 国庆节)',
      '2026-10-06 no service (holiday: 国庆节)',
      '2026-10-07 no service (holiday: 国庆节)',
      '2026-10-08 end-of-service 18:00',
      '2026-10-09 after-homework 16:10 opted out',
      '2026-10-10 after-homework 16:10 opted out',
      '2026-10-11 no service (weekend)',
    ]);
    expect(w.days[3]).toMatchObject({
      dismissal: '15:30',
      homeworkEnd: '16:10',
      serviceEnd: '18:00',
      runsAs: 'THU',
      termId: s.termId,
    });
  });
});

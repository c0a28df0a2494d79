import { describe, expect, it } from 'vitest';
import {
  applyMarks,
  AttendanceSave,
  classCounts,
  classList,
  hoursCsv,
  hoursReport,
  mayBeUnaccounted,
  mayHaveUnaccounted,
  staffMemberCsv,
  staffMemberHours,
  monthsOf,
  OVERDUE_MINUTES,
  unaccountedIn,
  type AttendanceSheet,
  type ClassListChild,
} from '../src/attendance';
import { InvalidInput, RuleViolation } from '../src/errors';
import type { DatedSessionView } from '../src/timetable-views';

const SESSION: DatedSessionView = {
  id: 'cls-go.0',
  classId: 'cls-go',
  clubId: 'club-go',
  day: 'WED',
  start: '16:30',
  end: '17:15',
  roomId: 'r-1',
  staffId: 'st-sun',
  locked: false,
  clubName: '围棋',
  clubNameEn: 'Go',
  className: '基础班',
  tier: 'basic',
  grades: [1],
  minutes: 45,
  roomName: '一号教室',
  staffName: '孙阿姨',
  date: '2026-09-16',
  startsAt: '2026-09-16T16:30:00+08:00',
  endsAt: '2026-09-16T17:15:00+08:00',
  schoolId: 's-1',
  termId: 't-1',
};
const AT_START = new Date('2026-09-16T08:30:00Z');
const minutes = (d: Date, n: number) => new Date(d.getTime() + n * 60_000);
const ON_LIST = new Set(['1001', '1002', '1003']);
const sun = (now: Date) => ({ userId: 'u-sun', name: '孙阿姨', now });
const save = (marks: Array<{ studentNo: string; status: string; markedAt?: string }>) => AttendanceSave.parse({ marks });

describe('taking attendance', () => {
  it('starts a sheet with the marks given and a history entry saying what changed', () => {
    const { sheet, entry, superseded } = applyMarks(
      SESSION,
      null,
      save([
        { studentNo: '1001', status: 'present' },
        { studentNo: '1002', status: 'absent' },
      ]),
      ON_LIST,
      sun(AT_START),
    );
    expect(sheet).toMatchObject({ version: 1, staffId: 'st-sun', minutes: 45, takenAt: AT_START.toISOString() });
    expect(sheet.marks['1002']).toEqual({ status: 'absent', at: AT_START.toISOString(), by: 'u-sun', byName: '孙阿姨' });
    expect(entry?.changes).toEqual([
      { studentNo: '1001', from: null, to: 'present' },
      { studentNo: '1002', from: null, to: 'absent' },
    ]);
    expect(superseded).toEqual([]);
  });

  it('changes nothing when the same marks come again (a retry)', () => {
    const first = applyMarks(SESSION, null, save([{ studentNo: '1001', status: 'present' }]), ON_LIST, sun(AT_START));
    const again = applyMarks(
      SESSION,
      first.sheet,
      save([{ studentNo: '1001', status: 'present' }]),
      ON_LIST,
      sun(minutes(AT_START, 5)),
    );
    expect(again.entry).toBeNull();
    expect(again.sheet).toBe(first.sheet);
  });

  it('keeps a newer mark over a late retry of an older one, and lets the later of two marks win', () => {
    const tapped = minutes(AT_START, 1).toISOString();
    const admin = applyMarks(SESSION, null, save([{ studentNo: '1002', status: 'excused' }]), ON_LIST, {
      userId: 'u-admin',
      name: null,
      now: minutes(AT_START, 3),
    });
    // the phone marked 1002 absent at +1 min and 1003 present; its save arrives at +10 min
    const late = applyMarks(
      SESSION,
      admin.sheet,
      save([
        { studentNo: '1002', status: 'absent', markedAt: tapped },
        { studentNo: '1003', status: 'present', markedAt: tapped },
      ]),
      ON_LIST,
      sun(minutes(AT_START, 10)),
    );
    expect(late.superseded).toEqual(['1002']);
    expect(late.sheet.marks['1002']?.status).toBe('excused');
    expect(late.sheet.marks['1003']).toMatchObject({ status: 'present', at: tapped });
    expect(late.sheet).toMatchObject({ version: 2, takenAt: admin.sheet.takenAt });
    // a mark "made" in the future counts as made now
    const future = applyMarks(
      SESSION,
      late.sheet,
      save([{ studentNo: '1003', status: 'late', markedAt: '2030-01-01T00:00:00Z' }]),
      ON_LIST,
      sun(minutes(AT_START, 11)),
    );
    expect(future.sheet.marks['1003']?.at).toBe(minutes(AT_START, 11).toISOString());
  });

  it('refuses a child who is not on the list, naming the mark, and a session still to come', () => {
    expect(() =>
      applyMarks(
        SESSION,
        null,
        save([
          { studentNo: '1001', status: 'present' },
          { studentNo: '9999', status: 'present' },
        ]),
        ON_LIST,
        sun(AT_START),
      ),
    ).toThrow(InvalidInput);
    expect(() =>
      applyMarks(SESSION, null, save([{ studentNo: '1001', status: 'present' }]), ON_LIST, sun(minutes(AT_START, -61))),
    ).toThrow(RuleViolation);
    expect(() =>
      applyMarks(SESSION, null, save([{ studentNo: '1001', status: 'present' }]), ON_LIST, sun(minutes(AT_START, -60))),
    ).not.toThrow();
  });

  it('refuses a save that marks a child twice', () => {
    expect(
      AttendanceSave.safeParse({
        marks: [
          { studentNo: '1001', status: 'present' },
          { studentNo: '1001', status: 'absent' },
        ],
      }).success,
    ).toBe(false);
  });
});

const student = (id: string, o: Partial<{ homeroom: string; status: 'active' | 'archived' }> = {}) => ({
  id,
  name: `child ${id}`,
  gradeLevel: 1,
  homeroom: o.homeroom ?? '1',
  status: o.status ?? ('active' as const),
  guardianIds: [`g-${id}`],
});
const optedOut = (days: string[]) => ({
  status: 'opted-out' as const,
  optOut: { days } as never,
});

describe('the class list', () => {
  const guardians = new Map([['g-1001', { name: '王妈妈', relation: 'mother' as const, phone: '13800000001' }]]);

  it('lists active children by homeroom, those opted out that weekday as not expected, contacts only when given', () => {
    const list = classList(
      [student('1002', { homeroom: '2' }), student('1001'), student('1003', { status: 'archived' }), student('1004')],
      'WED',
      new Map([['1004', optedOut(['WED'])]]),
      null,
      guardians,
    );
    expect(list.map((c) => [c.studentNo, c.expected, c.note])).toEqual([
      ['1001', true, null],
      ['1004', false, 'opted out on WED'],
      ['1002', true, null],
    ]);
    expect(list[0]!.guardians).toEqual([{ name: '王妈妈', relation: 'mother', phone: '13800000001' }]);
    expect(classList([student('1001')], 'WED', new Map(), null, null)[0]!.guardians).toBeNull();
    // opted out on another weekday: expected
    expect(classList([student('1004')], 'THU', new Map([['1004', optedOut(['WED'])]]), null, null)[0]!.expected).toBe(true);
  });
});

describe('unaccounted for', () => {
  const child = (no: string, o: Partial<ClassListChild> = {}): ClassListChild => ({
    studentNo: no,
    name: `child ${no}`,
    gradeLevel: 1,
    homeroom: '1',
    expected: true,
    note: null,
    mark: null,
    guardians: [{ name: '家长', relation: 'mother', phone: '13800000001' }],
    ...o,
  });
  const mark = (status: 'present' | 'absent' | 'late' | 'excused') => ({
    status,
    at: '2026-09-16T08:35:00.000Z',
    by: 'u-sun',
    byName: '孙阿姨',
  });
  const children = [
    child('1001', { mark: mark('absent') }),
    child('1002'),
    child('1003', { mark: mark('present') }),
    child('1004', { expected: false, note: 'opted out on WED' }),
    child('1005', { mark: mark('excused') }),
    child('1006', { mark: mark('late') }),
  ];

  it(`names an absent child at once, and an unmarked one from ${OVERDUE_MINUTES} minutes after the start`, () => {
    const early = unaccountedIn(SESSION, children, minutes(AT_START, OVERDUE_MINUTES - 1));
    expect(early.map((u) => [u.studentNo, u.reason])).toEqual([['1001', 'marked-absent']]);
    expect(early[0]).toMatchObject({
      className: '基础班',
      roomName: '一号教室',
      staffName: '孙阿姨',
      since: '2026-09-16T08:35:00.000Z',
      markedBy: '孙阿姨',
      guardians: [{ phone: '13800000001' }],
    });
    const overdue = unaccountedIn(SESSION, children, minutes(AT_START, OVERDUE_MINUTES));
    expect(overdue.map((u) => [u.studentNo, u.reason])).toEqual([
      ['1001', 'marked-absent'],
      ['1002', 'not-marked'],
    ]);
    expect(overdue[1]).toMatchObject({ since: minutes(AT_START, OVERDUE_MINUTES).toISOString(), markedBy: null });
  });

  it('tells from a sheet alone who may be unaccounted for, so that nobody else’s records are read', () => {
    const sheet = { marks: { '1001': mark('absent'), '1003': mark('present'), '1005': mark('excused') } };
    const list = ['1001', '1002', '1003', '1005'];
    const early = minutes(AT_START, OVERDUE_MINUTES - 1);
    const overdue = minutes(AT_START, OVERDUE_MINUTES);
    expect(mayBeUnaccounted(SESSION, list, sheet, early)).toEqual(['1001']);
    expect(mayBeUnaccounted(SESSION, list, sheet, overdue)).toEqual(['1001', '1002']);
    expect(mayBeUnaccounted(SESSION, list, null, early)).toEqual([]);
    // a session not yet overdue with nobody absent has nobody to look at
    expect(mayHaveUnaccounted(SESSION, null, early)).toBe(false);
    expect(mayHaveUnaccounted(SESSION, { marks: { '1003': mark('present') } }, early)).toBe(false);
    expect(mayHaveUnaccounted(SESSION, sheet, early)).toBe(true);
    expect(mayHaveUnaccounted(SESSION, null, overdue)).toBe(true);
  });

  it('counts the list', () => {
    expect(classCounts(children)).toEqual({
      enrolled: 6,
      expected: 5,
      unmarked: 1,
      present: 1,
      absent: 1,
      late: 1,
      excused: 1,
    });
  });
});

describe('hours', () => {
  const sheet = (date: string, staffId: string, minutes: number) =>
    ({ date, staffId, staffName: staffId, minutes }) as Pick<AttendanceSheet, 'date' | 'staffId' | 'staffName' | 'minutes'>;
  const staff = [
    { id: 'st-wang', name: '王老师', kind: 'teacher' as const },
    { id: 'st-sun', name: '孙阿姨', kind: 'volunteer' as const },
  ];
  const sheets = [
    sheet('2026-09-16', 'st-wang', 45),
    sheet('2026-09-23', 'st-wang', 40),
    sheet('2026-09-16', 'st-sun', 45),
    sheet('2026-10-14', 'st-wang', 45),
  ];

  it('sums the minutes of the month per staff member, and pays teachers at the rate to the fen', () => {
    const r = hoursReport('s-1', '2026-09', sheets, staff, 8000);
    expect(r.staff).toEqual([
      { staffId: 'st-wang', name: '王老师', kind: 'teacher', sessions: 2, minutes: 85, hours: 1.42, amountFen: 11333 },
      { staffId: 'st-sun', name: '孙阿姨', kind: 'volunteer', sessions: 1, minutes: 45, hours: 0.75, amountFen: null },
    ]);
    expect(r.totals).toEqual({ minutes: 130, amountFen: 11333 });
    expect(hoursReport('s-1', '2026-09', sheets, staff, null).staff[0]!.amountFen).toBeNull();
  });

  it('writes the remuneration report and the volunteer statement as CSV', () => {
    const r = hoursReport('s-1', '2026-09', sheets, staff, 8000);
    const pay = hoursCsv(r, 'remuneration').split('\r\n');
    expect(pay[1]).toBe('2026-09,王老师,2,85,1.42,80.00,113.33');
    expect(pay).toHaveLength(3);
    const vol = hoursCsv(r, 'volunteer').split('\r\n');
    expect(vol[1]).toBe('2026-09,孙阿姨,1,45,0.75');
  });

  it("gives a staff member their own month: their sessions in order, minutes, a teacher's pay; nobody else's", () => {
    const dated = (date: string, staffId: string, start: string, minutes: number) => ({
      ...sheet(date, staffId, minutes),
      sessionId: `k.${date}`,
      clubName: '象棋',
      className: '基础班',
      roomName: '一号教室',
      start,
      end: '17:30',
    });
    const mine = [
      dated('2026-09-23', 'st-wang', '16:30', 40),
      dated('2026-09-16', 'st-wang', '16:30', 45),
      dated('2026-09-16', 'st-sun', '16:30', 45),
      dated('2026-10-14', 'st-wang', '16:30', 45),
    ];
    const wang = staffMemberHours('s-1', '2026-09', staff[0]!, mine, 8000);
    expect(wang).toMatchObject({ sessions: 2, minutes: 85, hours: 1.42, amountFen: 11333, hourlyRateFen: 8000 });
    expect(wang.items.map((s) => s.date)).toEqual(['2026-09-16', '2026-09-23']);
    const sun = staffMemberHours('s-1', '2026-09', staff[1]!, mine, 8000);
    expect(sun).toMatchObject({ sessions: 1, minutes: 45, amountFen: null, hourlyRateFen: null });
    expect(staffMemberCsv(sun).split('\r\n')[2]).toBe('2026-09,孙阿姨,合计 total,1 课次 sessions,,45,0.75');
    expect(staffMemberHours('s-1', '2026-11', staff[0]!, mine, null)).toMatchObject({ sessions: 0, minutes: 0, amountFen: null });
  });

  it('knows the months a range touches', () => {
    expect(monthsOf({ start: '2026-11-20', end: '2027-01-05' })).toEqual(['2026-11', '2026-12', '2027-01']);
  });
});

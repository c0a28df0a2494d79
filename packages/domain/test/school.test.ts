import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../src/errors';
import {
  assertGradeFitsDay,
  earliestClubStart,
  GradeInput,
  gradeId,
  RoomInput,
  roomNameKey,
  SchoolInput,
  SchoolUpdate,
  TermInput,
} from '../src/school';
import { weekdayOf } from '../src/time';

type Issues = { path: PropertyKey[]; message: string }[];
const issuesOf = (r: { success: boolean; error?: { issues: Issues } }): Issues => (r.success ? [] : r.error!.issues);
const pathsOf = (r: { success: boolean; error?: { issues: Issues } }) => issuesOf(r).map((i) => i.path);

// ---------------------------------------------------------------- school
describe('SchoolInput', () => {
  it('defaults the time zone to Asia/Shanghai and the end of the day to 18:00', () => {
    expect(SchoolInput.parse({ name: '实验小学', districtId: 'd-1' })).toEqual({
      name: '实验小学',
      districtId: 'd-1',
      timezone: 'Asia/Shanghai',
      dayEnd: '18:00',
    });
  });

  it('takes a day that ends earlier than 18:00, and another zone', () => {
    const s = SchoolInput.parse({ name: '喀什一小', districtId: 'd-9', timezone: 'Asia/Urumqi', dayEnd: '17:30' });
    expect(s).toMatchObject({ timezone: 'Asia/Urumqi', dayEnd: '17:30' });
  });

  it('refuses a day that ends after 18:00, at dayEnd', () => {
    for (const dayEnd of ['18:30', '18:01', '24:00']) {
      const r = SchoolInput.safeParse({ name: 'x', districtId: 'd-1', dayEnd });
      expect(pathsOf(r), dayEnd).toEqual([['dayEnd']]);
    }
    expect(issuesOf(SchoolInput.safeParse({ name: 'x', districtId: 'd-1', dayEnd: '18:30' }))[0]!.message).toContain('18:00');
  });

  it('refuses an unknown time zone and a missing name or district', () => {
    expect(pathsOf(SchoolInput.safeParse({ name: 'x', districtId: 'd-1', timezone: 'Asia/Beijing' }))).toEqual([['timezone']]);
    expect(pathsOf(SchoolInput.safeParse({ name: '  ', districtId: 'bad id' })).sort()).toEqual([['districtId'], ['name']]);
  });

  it('trims the name and refuses control characters in it', () => {
    expect(SchoolInput.parse({ name: '  实验小学 ', districtId: 'd-1' }).name).toBe('实验小学');
    expect(pathsOf(SchoolInput.safeParse({ name: '实验\u0000小学', districtId: 'd-1' }))).toEqual([['name']]);
  });
});

describe('SchoolUpdate', () => {
  it('needs a version and cannot move the school to another district', () => {
    expect(pathsOf(SchoolUpdate.safeParse({ name: 'x' }))).toEqual([['version']]);
    const parsed = SchoolUpdate.parse({ name: 'x', version: 2, districtId: 'd-2' });
    expect(parsed).not.toHaveProperty('districtId');
    expect(parsed.version).toBe(2);
  });
});

// ---------------------------------------------------------------- grades
describe('GradeInput', () => {
  const grade = (dismissal: Record<string, string>, homeworkMinutes?: number) => ({
    level: 3,
    name: '三年级',
    dismissal,
    ...(homeworkMinutes === undefined ? {} : { homeworkMinutes }),
  });

  it('takes a week of dismissals and defaults homework help to 30 minutes', () => {
    const g = GradeInput.parse(grade({ MON: '15:50', TUE: '15:50', FRI: '14:30' }));
    expect(g.homeworkMinutes).toBe(30);
    expect(g.dismissal).toEqual({ MON: '15:50', TUE: '15:50', FRI: '14:30' });
  });

  it('refuses a dismissal after 18:00, at that day', () => {
    const r = GradeInput.safeParse(grade({ MON: '15:50', WED: '18:10' }, 0));
    expect(pathsOf(r)).toEqual([['dismissal', 'WED']]);
    expect(issuesOf(r)[0]!.message).toContain('18:10');
  });

  it('refuses homework help that would run past 18:00, at homeworkMinutes', () => {
    const r = GradeInput.safeParse(grade({ THU: '17:00' }, 61));
    expect(pathsOf(r)).toEqual([['homeworkMinutes']]);
    expect(issuesOf(r)[0]!.message).toContain('18:01');
    expect(issuesOf(r)[0]!.message).toContain('THU');
  });

  it('takes homework help that ends exactly at 18:00, and a dismissal at exactly 18:00 without homework', () => {
    expect(GradeInput.safeParse(grade({ MON: '17:30' })).success).toBe(true);
    expect(GradeInput.safeParse(grade({ MON: '17:00' }, 60)).success).toBe(true);
    expect(GradeInput.safeParse(grade({ MON: '18:00' }, 0)).success).toBe(true);
  });

  it('refuses a dismissal at 18:00 when homework help follows it', () => {
    expect(pathsOf(GradeInput.safeParse(grade({ MON: '18:00' })))).toEqual([['homeworkMinutes']]);
  });

  it('checks every day, reporting a late dismissal and late homework on different days', () => {
    const r = GradeInput.safeParse(grade({ MON: '18:30', TUE: '17:45', WED: '15:00' }, 30));
    expect(pathsOf(r)).toEqual([['dismissal', 'MON'], ['homeworkMinutes']]);
  });

  it('takes only school days, real times and a level from 1 to 12', () => {
    expect(pathsOf(GradeInput.safeParse(grade({ SAT: '12:00' })))).toEqual([['dismissal']]);
    expect(pathsOf(GradeInput.safeParse(grade({ MON: '3:50' })))).toEqual([['dismissal', 'MON']]);
    expect(pathsOf(GradeInput.safeParse({ ...grade({}), level: 13 }))).toEqual([['level']]);
    expect(pathsOf(GradeInput.safeParse({ ...grade({}), level: 0 }))).toEqual([['level']]);
    expect(pathsOf(GradeInput.safeParse(grade({}, 181)))).toEqual([['homeworkMinutes']]);
  });

  it('takes a grade with no service day at all', () => {
    expect(GradeInput.safeParse(grade({})).success).toBe(true);
  });
});

describe('gradeId', () => {
  it('is "g" and the level', () => {
    expect(gradeId(3)).toBe('g3');
    expect(gradeId(12)).toBe('g12');
  });
});

describe('earliestClubStart', () => {
  it('is dismissal plus homework help, per day', () => {
    expect(earliestClubStart({ dismissal: { MON: '15:50', FRI: '14:30' }, homeworkMinutes: 30 })).toEqual({
      MON: '16:20',
      FRI: '15:00',
    });
  });

  it('is the dismissal itself without homework help, and crosses the hour', () => {
    expect(earliestClubStart({ dismissal: { TUE: '16:10' }, homeworkMinutes: 0 })).toEqual({ TUE: '16:10' });
    expect(earliestClubStart({ dismissal: { TUE: '15:45' }, homeworkMinutes: 45 })).toEqual({ TUE: '16:30' });
  });

  it('leaves out days without a dismissal, and unreadable times', () => {
    expect(earliestClubStart({ dismissal: {}, homeworkMinutes: 30 })).toEqual({});
    expect(earliestClubStart({ dismissal: { MON: 'soon' }, homeworkMinutes: 30 })).toEqual({});
  });
});

// ---------------------------------------------------------------- rooms
describe('assertGradeFitsDay', () => {
  const grade = { dismissal: { MON: '16:30', WED: '15:00' }, homeworkMinutes: 40 };

  it("accepts a grade whose homework help is over by the school's end of day", () => {
    expect(() => assertGradeFitsDay(grade, { dayEnd: '18:00' })).not.toThrow();
    expect(() => assertGradeFitsDay(grade, { dayEnd: '17:10' })).not.toThrow();
  });

  it('refuses homework help that would end after a school ends its service early, naming the day and time', () => {
    const act = () => assertGradeFitsDay(grade, { dayEnd: '17:00' });
    expect(act).toThrow(InvalidInput);
    expect(act).toThrow("homework help on MON would end at 17:10, after the school's service ends (17:00)");
  });
});

describe('RoomInput', () => {
  it('defaults features to none', () => {
    expect(RoomInput.parse({ name: '舞蹈室 1', capacity: 30 })).toEqual({ name: '舞蹈室 1', capacity: 30, features: [] });
  });

  it('refuses a feature listed twice', () => {
    const r = RoomInput.safeParse({ name: 'Gym', capacity: 200, features: ['gym', 'outdoor', 'gym'] });
    expect(pathsOf(r)).toEqual([['features']]);
    expect(RoomInput.safeParse({ name: 'Gym', capacity: 200, features: ['gym', 'outdoor'] }).success).toBe(true);
  });

  it('takes only slug features and a capacity from 1 to 2000', () => {
    expect(pathsOf(RoomInput.safeParse({ name: 'r', capacity: 1, features: ['Dance'] }))).toEqual([['features', 0]]);
    expect(pathsOf(RoomInput.safeParse({ name: 'r', capacity: 0 }))).toEqual([['capacity']]);
    expect(pathsOf(RoomInput.safeParse({ name: 'r', capacity: 2001 }))).toEqual([['capacity']]);
    expect(pathsOf(RoomInput.safeParse({ name: 'r', capacity: 2.5 }))).toEqual([['capacity']]);
  });
});

describe('roomNameKey', () => {
  it('ignores case, surrounding and repeated spaces', () => {
    expect(roomNameKey('  Dance   Room 1 ')).toBe('dance room 1');
    expect(roomNameKey('DANCE ROOM 1')).toBe(roomNameKey('dance room 1'));
  });

  it('folds full-width letters, digits and the ideographic space', () => {
    expect(roomNameKey('舞蹈室　１')).toBe(roomNameKey('舞蹈室 1'));
    expect(roomNameKey('Ｇｙｍ　Ａ')).toBe('gym a');
    expect(roomNameKey('音乐室\t2')).toBe('音乐室 2');
  });

  it('keeps names that differ in more than form apart', () => {
    expect(roomNameKey('舞蹈室 1')).not.toBe(roomNameKey('舞蹈室 2'));
    expect(roomNameKey('Room A')).not.toBe(roomNameKey('RoomA'));
  });
});

// ---------------------------------------------------------------- terms
describe('TermInput', () => {
  const term = (over: Record<string, unknown> = {}) => ({
    name: '2026 秋季学期',
    startDate: '2026-09-01',
    endDate: '2027-01-20',
    ...over,
  });
  // 2026-10-01..07 National Day; 2026-09-27 (Sunday) and 2026-10-10 (Saturday) are make-up days
  const nationalDay = { name: '国庆', start: '2026-10-01', end: '2026-10-07' };

  it('takes a term with holidays and weekend make-up days, defaulting both to none', () => {
    expect(weekdayOf('2026-09-27')).toBe('SUN');
    expect(weekdayOf('2026-10-10')).toBe('SAT');
    const t = TermInput.parse(
      term({
        holidays: [nationalDay],
        makeUpDays: [
          { date: '2026-09-27', runsAs: 'WED' },
          { date: '2026-10-10', runsAs: 'FRI', name: '国庆调休' },
        ],
      }),
    );
    expect(t.makeUpDays).toHaveLength(2);
    expect(TermInput.parse(term())).toMatchObject({ holidays: [], makeUpDays: [] });
  });

  it('refuses an end before the start, at endDate; a one-day term is fine', () => {
    expect(pathsOf(TermInput.safeParse(term({ endDate: '2026-08-31' })))).toEqual([['endDate']]);
    expect(TermInput.safeParse(term({ endDate: '2026-09-01' })).success).toBe(true);
  });

  it('refuses a holiday that reaches outside the term, at that holiday', () => {
    const r = TermInput.safeParse(term({ holidays: [nationalDay, { name: '寒假', start: '2027-01-15', end: '2027-02-20' }] }));
    expect(pathsOf(r)).toEqual([['holidays', 1]]);
    const before = TermInput.safeParse(term({ holidays: [{ name: 'x', start: '2026-08-30', end: '2026-09-02' }] }));
    expect(pathsOf(before)).toEqual([['holidays', 0]]);
  });

  it('takes a holiday on the first and last day of the term', () => {
    const r = TermInput.safeParse(
      term({
        holidays: [
          { name: 'a', start: '2026-09-01', end: '2026-09-01' },
          { name: 'b', start: '2027-01-20', end: '2027-01-20' },
        ],
      }),
    );
    expect(r.success).toBe(true);
  });

  it('refuses a holiday that ends before it starts, at its end', () => {
    const r = TermInput.safeParse(term({ holidays: [{ name: 'x', start: '2026-10-07', end: '2026-10-01' }] }));
    expect(pathsOf(r)).toEqual([['holidays', 0, 'end']]);
  });

  it('refuses a make-up day that is a weekday, naming the weekday', () => {
    const r = TermInput.safeParse(term({ makeUpDays: [{ date: '2026-09-28', runsAs: 'WED' }] }));
    expect(pathsOf(r)).toEqual([['makeUpDays', 0, 'date']]);
    expect(issuesOf(r)[0]!.message).toContain('MON');
  });

  it('refuses a make-up day inside a holiday', () => {
    // 2026-10-03 is a Saturday, inside National Day
    expect(weekdayOf('2026-10-03')).toBe('SAT');
    const r = TermInput.safeParse(term({ holidays: [nationalDay], makeUpDays: [{ date: '2026-10-03', runsAs: 'MON' }] }));
    expect(pathsOf(r)).toEqual([['makeUpDays', 0, 'date']]);
    expect(issuesOf(r)[0]!.message).toContain('holiday');
  });

  it('refuses a make-up day outside the term', () => {
    const r = TermInput.safeParse(term({ makeUpDays: [{ date: '2026-08-30', runsAs: 'MON' }] }));
    expect(pathsOf(r)).toEqual([['makeUpDays', 0, 'date']]);
  });

  it('refuses a make-up date listed twice, at the second', () => {
    const r = TermInput.safeParse(
      term({
        makeUpDays: [
          { date: '2026-09-27', runsAs: 'WED' },
          { date: '2026-10-10', runsAs: 'FRI' },
          { date: '2026-09-27', runsAs: 'THU' },
        ],
      }),
    );
    expect(pathsOf(r)).toEqual([['makeUpDays', 2, 'date']]);
    expect(issuesOf(r)[0]!.message).toContain('twice');
  });

  it('runs a make-up day as a school day only', () => {
    expect(pathsOf(TermInput.safeParse(term({ makeUpDays: [{ date: '2026-09-27', runsAs: 'SAT' }] })))).toEqual([
      ['makeUpDays', 0, 'runsAs'],
    ]);
  });
});

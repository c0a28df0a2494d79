import { describe, expect, it } from 'vitest';
import type { Club } from '../src/clubs';
import type { Staff } from '../src/people';
import type { Grade, Room, School, Term } from '../src/school';
import type { TimetableData } from '../src/timetable';
import { buildInstance, toSolverSessions, whyNotSchedulable } from '../src/timetable-input';

const meta = { version: 1, createdAt: 'a', updatedAt: 'a', updatedBy: 'u' };
const school: School = {
  id: 's1',
  name: '实验小学',
  districtId: 'd1',
  timezone: 'Asia/Shanghai',
  dayEnd: '17:45',
  status: 'active',
  ...meta,
};
const term: Term = {
  id: 't1',
  schoolId: 's1',
  name: '秋季',
  startDate: '2026-09-01',
  endDate: '2027-01-22',
  holidays: [],
  makeUpDays: [],
  ...meta,
};
const grade = (level: number, dismissal: Partial<Grade['dismissal']>, homeworkMinutes: number): Grade => ({
  id: `g${level}`,
  schoolId: 's1',
  level,
  name: `${level}`,
  dismissal,
  homeworkMinutes,
  ...meta,
});
const room = (id: string, status: Room['status'] = 'active'): Room => ({
  id,
  schoolId: 's1',
  name: id,
  capacity: 40,
  features: ['dance'],
  status,
  ...meta,
});
const staff = (id: string, over: Partial<Staff> = {}): Staff => ({
  id,
  schoolId: 's1',
  name: `Name ${id}`,
  kind: 'teacher',
  skills: ['street-dance'],
  availability: {
    MON: [{ start: '15:30', end: '18:00' }],
    WED: [
      { start: '14:00', end: '15:00' },
      { start: '15:00', end: '18:00' },
    ],
  },
  maxMinutesPerWeek: 240,
  qualificationExpiresOn: null,
  backgroundCheckExpiresOn: null,
  noPaidTutoringCommitmentOn: '2026-08-28',
  userId: null,
  phone: null,
  status: 'active',
  ...meta,
  ...over,
});
const club = (id: string, over: Partial<Club> = {}): Club => ({
  id,
  schoolId: 's1',
  termId: 't1',
  lineageId: id,
  name: id,
  nameEn: id,
  category: 'dance',
  descriptionZh: 'x',
  descriptionEn: 'x',
  skill: 'street-dance',
  roomFeatures: ['dance'],
  status: 'active',
  classes: [
    {
      id: `${id}-b`,
      tier: 'basic',
      name: '基础班',
      grades: [1, 2],
      capacity: 30,
      sessionsPerWeek: 2,
      minutesPerSession: 60,
      preferredStaffId: 'st1',
      fixedStaffId: null,
      prerequisite: null,
    },
    {
      id: `${id}-a`,
      tier: 'advanced',
      name: '提升班',
      grades: [3],
      capacity: 25,
      sessionsPerWeek: 1,
      minutesPerSession: 45,
      preferredStaffId: null,
      fixedStaffId: 'st2',
      prerequisite: { tier: 'basic', orTeacherApproval: true },
    },
  ],
  ...meta,
  ...over,
});
const data = (over: Partial<TimetableData> = {}): TimetableData => ({
  school,
  term,
  grades: [
    grade(1, { MON: '15:30', WED: '14:30' }, 30),
    grade(2, { MON: '15:30', WED: '14:30' }, 30),
    grade(3, { MON: '15:50', TUE: '15:50' }, 35),
  ],
  rooms: [room('r1'), room('r2', 'archived')],
  staff: [staff('st1'), staff('st2')],
  clubs: [club('c1')],
  ...over,
});

describe('buildInstance', () => {
  it('gives each grade its earliest club start: dismissal plus homework help, on its days only', () => {
    const { instance } = buildInstance(data());
    expect(instance.grades).toEqual([
      { id: 'g1', earliestStart: { MON: '16:00', WED: '15:00' } },
      { id: 'g2', earliestStart: { MON: '16:00', WED: '15:00' } },
      { id: 'g3', earliestStart: { MON: '16:25', TUE: '16:25' } },
    ]);
  });

  it("uses the school's zone and day end, weekdays, and a 5-minute grid", () => {
    const { instance } = buildInstance(data());
    expect(instance).toMatchObject({
      timezone: 'Asia/Shanghai',
      dayEnd: '17:45',
      granularity: 5,
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    });
  });

  it('takes active rooms only, and staff with their windows as intervals', () => {
    const { instance } = buildInstance(data());
    expect(instance.rooms).toEqual([{ id: 'r1', capacity: 40, features: ['dance'] }]);
    expect(instance.staff[0]).toEqual({
      id: 'st1',
      kind: 'teacher',
      skills: ['street-dance'],
      available: {
        MON: [['15:30', '18:00']],
        WED: [
          ['14:00', '15:00'],
          ['15:00', '18:00'],
        ],
      },
      maxMinutesPerWeek: 240,
    });
  });

  it("makes one solver class per class of an active club of the term, with the club's skill and room features", () => {
    const built = buildInstance(data({ clubs: [club('c1'), club('c2', { status: 'archived' }), club('c3', { termId: 't2' })] }));
    expect(built.instance.classes).toEqual([
      {
        id: 'c1-b',
        club: 'c1',
        tier: 'basic',
        grades: ['g1', 'g2'],
        size: 30,
        skill: 'street-dance',
        roomFeatures: ['dance'],
        sessions: 2,
        minutes: 60,
      },
      {
        id: 'c1-a',
        club: 'c1',
        tier: 'advanced',
        grades: ['g3'],
        size: 25,
        skill: 'street-dance',
        roomFeatures: ['dance'],
        sessions: 1,
        minutes: 45,
        staff: 'st2',
      },
    ]);
    expect([...built.classes.keys()]).toEqual(['c1-b', 'c1-a']);
    expect(built.preferred).toEqual(new Map([['c1-b', 'st1']]));
  });

  it('leaves out volunteers and externals without a valid background check, and says why', () => {
    const built = buildInstance(
      data({
        staff: [
          staff('ok', { kind: 'volunteer', backgroundCheckExpiresOn: '2027-06-30' }),
          staff('none', { kind: 'volunteer' }),
          staff('old', { kind: 'external', backgroundCheckExpiresOn: '2026-08-31' }),
          staff('soon', { kind: 'external', backgroundCheckExpiresOn: '2026-12-01' }),
          staff('gone', { status: 'archived' }),
        ],
      }),
    );
    expect(built.instance.staff.map((s) => s.id)).toEqual(['ok', 'soon']);
    expect(built.unavailable).toEqual(
      new Map([
        ['none', 'no background check on record'],
        ['old', 'background check expired on 2026-08-31'],
        ['gone', 'archived'],
      ]),
    );
    expect(built.warnings).toEqual([
      'Name none (none) is not scheduled: no background check on record',
      'Name old (old) is not scheduled: background check expired on 2026-08-31',
      'Name soon (soon): background check expires on 2026-12-01, before the term ends',
    ]);
  });

  it('warns about teachers who have not signed the no-paid-tutoring commitment, but schedules them', () => {
    const built = buildInstance(data({ staff: [staff('t', { noPaidTutoringCommitmentOn: null })] }));
    expect(built.instance.staff).toHaveLength(1);
    expect(built.warnings).toEqual(['Name t (t) has not signed the no-paid-tutoring commitment']);
  });

  it('does not prefer a staff member who cannot be scheduled', () => {
    const built = buildInstance(data({ staff: [staff('st1', { status: 'archived' }), staff('st2')] }));
    expect(built.preferred.size).toBe(0);
  });
});

describe('whyNotSchedulable', () => {
  it('refuses an expired qualification for anyone, and accepts a teacher without a background check', () => {
    expect(whyNotSchedulable(staff('t'), term)).toBeNull();
    expect(whyNotSchedulable(staff('t', { qualificationExpiresOn: '2026-07-01' }), term)).toBe(
      'qualification expired on 2026-07-01',
    );
    expect(whyNotSchedulable(staff('v', { kind: 'volunteer', backgroundCheckExpiresOn: '2026-09-01' }), term)).toBeNull();
  });
});

it('turns stored sessions into the solver format', () => {
  expect(
    toSolverSessions([
      {
        id: 'c1-b.0',
        classId: 'c1-b',
        clubId: 'c1',
        day: 'MON',
        start: '16:00',
        end: '17:00',
        roomId: 'r1',
        staffId: 'st1',
        locked: true,
      },
    ]),
  ).toEqual([{ class: 'c1-b', day: 'MON', start: '16:00', end: '17:00', room: 'r1', staff: 'st1' }]);
});

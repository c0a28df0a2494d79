import { describe, expect, it } from 'vitest';
import { buildInstance, toSolverSessions, whyNotSchedulable } from '../src/timetable-input';
import { club, data, staff, term } from './fixtures/timetable-data';

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

  it('lists each enrolled child holding two or more of the classes scheduled, so that they never overlap', () => {
    const d = data();
    const [a, b] = d.clubs[0]!.classes.map((c) => c.id);
    const { instance } = buildInstance({
      ...d,
      enrolments: [
        { studentNo: 'S1', classIds: [a!, b!] },
        { studentNo: 'S2', classIds: [a!] }, // one class: nothing to keep apart
        { studentNo: 'S3', classIds: [b!, 'no-such-class'] }, // a class not scheduled counts for nothing
      ],
    });
    expect(instance.students).toEqual([{ id: 'S1', classes: [a, b] }]);
    expect(buildInstance(d).instance.students).toBeUndefined();
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

  it('warns about a grade whose service is under the two hours a day of "5+2"', () => {
    const late = { ...data().grades[2]!, name: '七年级', dismissal: { MON: '16:50', TUE: '15:45', WED: '17:45' } };
    const built = buildInstance(data({ grades: [data().grades[0]!, late] }));
    expect(built.warnings).toEqual(['七年级: the service lasts 55 min on MON, 0 min on WED, under the 2 hours a day of "5+2"']);
    expect(buildInstance(data()).warnings).toEqual([]);
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

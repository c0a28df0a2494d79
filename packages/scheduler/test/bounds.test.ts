import { describe, expect, it } from 'vitest';
import { check, consecutiveDaysBound, solve, type Instance } from '../src/index';
import { choicesOf } from '../src/solver/bounds';
import { tinySchool, tinyWith } from './fixtures';

const MON_FRI = [1, 2, 3, 4, 5];
const all = (n: number): number => (1 << n) - 1;
const fewestPairs = (open: number, k: number, weekNo: number[]): number | null => choicesOf(open, k, weekNo)[0]?.pairs ?? null;

/** MON to WED, clubs from 17:00: an hour a day; each staff member is there on `days`. */
function hourADay(staff: { id: string; kind: 'teacher' | 'volunteer'; skill: string; days: ('MON' | 'TUE' | 'WED')[]; max: number }[], classes: { id: string; skill: string; sessions: number }[], students: Instance['students']): Instance {
  return {
    ...tinySchool(),
    days: ['MON', 'TUE', 'WED'],
    grades: [{ id: 'g1', earliestStart: { MON: '17:00', TUE: '17:00', WED: '17:00' } }],
    staff: staff.map((p) => ({ id: p.id, kind: p.kind, skills: [p.skill], available: Object.fromEntries(p.days.map((d) => [d, [['17:00', '18:00']]])), maxMinutesPerWeek: p.max })),
    classes: classes.map((c) => ({ id: c.id, club: c.skill, tier: 'basic', grades: ['g1'], size: 20, skill: c.skill, roomFeatures: [], sessions: c.sessions, minutes: 60 })),
    students,
  };
}

describe('consecutiveDays lower bound', () => {
  it('counts the pairs every choice of days must have', () => {
    expect(fewestPairs(all(5), 3, MON_FRI)).toBe(0); // MON WED FRI
    expect(fewestPairs(all(5), 4, MON_FRI)).toBe(2);
    expect(fewestPairs(all(5), 5, MON_FRI)).toBe(4);
    expect(fewestPairs(0b01111, 3, MON_FRI)).toBe(1); // no Friday: MON WED THU at best
    expect(fewestPairs(0b10101, 3, MON_FRI)).toBe(0);
    expect(fewestPairs(0b00111, 4, MON_FRI)).toBeNull();
  });

  it('does not count SUN and MON as next to each other', () => {
    expect(fewestPairs(all(2), 2, [7, 1])).toBe(0);
    expect(fewestPairs(all(3), 3, [6, 7, 1])).toBe(1);
  });

  it('names the class that cannot avoid consecutive days, and the days it has', () => {
    // chess can meet MON, WED, FRI (t001) and TUE (v001): two sessions anywhere apart, four not
    expect(consecutiveDaysBound(tinySchool())).toEqual({ total: 0, groups: [], together: 0 });
    const four = tinyWith((i) => {
      i.classes[0]!.sessions = 4;
      i.staff[0]!.maxMinutesPerWeek = 600;
    });
    expect(consecutiveDaysBound(four)).toEqual({ total: 2, groups: [{ classes: ['chess-basic-1'], pairs: 2, shared: [] }], together: 0 });
    const r = solve(four);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(check(four, { sessions: r.sessions }).consecutiveDays).toBe(2);
  });

  it('reads the days a class can meet from its grades and staff, not from the week alone', () => {
    // t001 on THU instead of FRI: three sessions of chess in MON-THU must have a pair
    const noFriday = tinyWith((i) => {
      i.classes[0]!.sessions = 3;
      const t001 = i.staff[0]!.available;
      t001.THU = t001.FRI!;
      delete t001.FRI;
    });
    expect(consecutiveDaysBound(noFriday).total).toBe(1);
    const r = solve(noFriday);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(check(noFriday, { sessions: r.sessions }).consecutiveDays).toBe(1);
  });

  it('chooses the days of classes that share their only teacher together, within the hours the teacher has', () => {
    // two chess classes fixed to t001, who has two hours on MON and one on TUE and WED: each
    // could meet MON and WED alone, but together one of them has two days next to each other
    const shared: Instance = {
      ...tinySchool(),
      staff: [{ id: 't001', kind: 'teacher', skills: ['chess'], available: { MON: [['16:00', '18:00']], TUE: [['16:00', '17:00']], WED: [['16:00', '17:00']] }, maxMinutesPerWeek: 240 }],
      classes: ['a', 'b'].map((k) => ({ id: `chess-${k}`, club: 'chess', tier: 'basic', grades: ['g1'], size: 20, skill: 'chess', roomFeatures: [], sessions: 2, minutes: 60, staff: 't001' })),
      students: [],
    };
    expect(consecutiveDaysBound(shared)).toEqual({ total: 1, groups: [{ classes: ['chess-a', 'chess-b'], pairs: 1, shared: ['staff t001', 'room room-1 dance-1'] }], together: 0 });
    const r = solve(shared);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(check(shared, { sessions: r.sessions }).consecutiveDays).toBe(1);
  });

  it('counts the pairs that classes sharing a student force together', () => {
    // an hour a day: chess could meet MON and WED, painting (t002: MON, WED) once; alone
    // neither has a pair, but their student cannot be in both, so chess meets TUE and a day next to it
    const together = hourADay(
      [
        { id: 't001', kind: 'teacher', skill: 'chess', days: ['MON', 'TUE', 'WED'], max: 600 },
        { id: 't002', kind: 'teacher', skill: 'painting', days: ['MON', 'WED'], max: 600 },
      ],
      [
        { id: 'chess-a', skill: 'chess', sessions: 2 },
        { id: 'painting-b', skill: 'painting', sessions: 1 },
      ],
      [{ id: 's00001', classes: ['chess-a', 'painting-b'] }],
    );
    expect(consecutiveDaysBound(together)).toEqual({ total: 1, groups: [], together: 1 });
    expect(consecutiveDaysBound({ ...together, students: [] })).toEqual({ total: 0, groups: [], together: 0 });
    const r = solve(together);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(check(together, { sessions: r.sessions }).consecutiveDays).toBe(1);
  });

  it('counts the weekly maximum of a staff member who takes some sessions of a class and not others', () => {
    // chess can meet MON and WED with v001, TUE with t001; v001 has one hour a week, so
    // chess meets TUE and a day next to it — which no model with one member for the week sees
    const weekly = hourADay(
      [
        { id: 't001', kind: 'teacher', skill: 'chess', days: ['TUE'], max: 600 },
        { id: 'v001', kind: 'volunteer', skill: 'chess', days: ['MON', 'WED'], max: 60 },
      ],
      [{ id: 'chess-a', skill: 'chess', sessions: 2 }],
      [],
    );
    expect(consecutiveDaysBound(weekly)).toEqual({ total: 1, groups: [], together: 1 });
    const r = solve(weekly);
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(check(weekly, { sessions: r.sessions }).consecutiveDays).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import type { Instance } from '../src/index';
import { compileSolverModel } from '../src/solver/model';
import { Random } from '../src/random';
import { adjacentPairs, Search } from '../src/solver/search';
import { State } from '../src/solver/state';

/**
 * One start a day (17:00–18:00). Class `a` meets twice and only p1 teaches it; p1 works
 * MON, TUE and THU. Class `b` (grades that stay WED and THU) may have p1 or p2, `c` (WED and
 * FRI) p2 or p3; p2 works only WED, p3 only FRI. Placed as a MON+TUE, b THU with p1, c WED
 * with p2, `a` meets on consecutive days, and neither a free spot nor a chain of one step
 * separates them: a's only day away is THU, and b, pushed from there, finds WED taken by c.
 * Only pushing c on to FRI (two steps) does it.
 */
function school(): Instance {
  const grade = (id: string, days: string[]) => ({ id, earliestStart: Object.fromEntries(days.map((d) => [d, '17:00'])) });
  const cls = (id: string, grade: string, sessions: number) => ({ id, club: id, tier: 'basic', grades: [grade], size: 20, skill: id, roomFeatures: [], sessions, minutes: 60 });
  const person = (id: string, skills: string[], days: string[]) => ({
    id,
    kind: 'teacher' as const,
    skills,
    available: Object.fromEntries(days.map((d) => [d, [['17:00', '18:00']]])),
    maxMinutesPerWeek: 600,
  });
  return {
    name: 'spread',
    timezone: 'Asia/Shanghai',
    days: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
    dayEnd: '18:00',
    granularity: 5,
    grades: [grade('ga', ['MON', 'TUE', 'WED', 'THU', 'FRI']), grade('gb', ['WED', 'THU']), grade('gc', ['WED', 'FRI'])],
    rooms: [
      { id: 'room-1', capacity: 30, features: [] },
      { id: 'room-2', capacity: 30, features: [] },
    ],
    staff: [person('p1', ['a', 'b'], ['MON', 'TUE', 'THU']), person('p2', ['b', 'c'], ['WED']), person('p3', ['c'], ['FRI'])],
    classes: [cls('a', 'ga', 2), cls('b', 'gb', 1), cls('c', 'gc', 1)],
  } as Instance;
}

describe('spreading days', () => {
  it('moves a session away from its sibling when the sessions in the way must move two steps', () => {
    const m = compileSolverModel(school());
    const s = new State(m);
    const at = (day: string, room: string, staff: string): [number, number, number, number] => [
      m.days.indexOf(day as never),
      (17 * 60 - m.base) / m.unit,
      m.roomIds.indexOf(room),
      m.staffIds.indexOf(staff),
    ];
    const a = m.classIds.indexOf('a');
    const [a1, a2] = [m.firstSession[a] as number, (m.firstSession[a] as number) + 1];
    s.assign(a1, ...at('MON', 'room-1', 'p1'));
    s.assign(a2, ...at('TUE', 'room-1', 'p1'));
    s.assign(m.firstSession[m.classIds.indexOf('b')] as number, ...at('THU', 'room-1', 'p1'));
    s.assign(m.firstSession[m.classIds.indexOf('c')] as number, ...at('WED', 'room-1', 'p2'));
    expect(adjacentPairs(s, a)).toBe(1);

    new Search(s, new Random(1), null).spreadDays(new Uint8Array(m.nSessions));

    expect(s.assigned).toBe(m.nSessions);
    expect(adjacentPairs(s, a)).toBe(0);
    const dayOf = (id: string): string => m.days[s.day[m.firstSession[m.classIds.indexOf(id)] as number] as number] as string;
    expect([dayOf('b'), dayOf('c')]).toEqual(['WED', 'FRI']);
  });

  it('leaves pinned sessions where they are, even when that keeps the pair', () => {
    const m = compileSolverModel(school());
    const s = new State(m);
    const slot = (17 * 60 - m.base) / m.unit;
    const place = (id: string, k: number, day: string, staff: string): number => {
      const x = (m.firstSession[m.classIds.indexOf(id)] as number) + k;
      s.assign(x, m.days.indexOf(day as never), slot, 0, m.staffIds.indexOf(staff));
      return x;
    };
    place('a', 0, 'MON', 'p1');
    place('a', 1, 'TUE', 'p1');
    place('b', 0, 'THU', 'p1');
    const c = place('c', 0, 'WED', 'p2');
    const pinned = new Uint8Array(m.nSessions);
    pinned[c] = 1;

    new Search(s, new Random(1), null).spreadDays(pinned);

    expect(s.assigned).toBe(m.nSessions);
    expect(m.days[s.day[c] as number]).toBe('WED');
    expect(adjacentPairs(s, m.classIds.indexOf('a'))).toBe(1);
  });
});

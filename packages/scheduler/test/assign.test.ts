import { describe, expect, it } from 'vitest';
import type { Instance } from '../src/index';
import { matchHinted } from '../src/solver/assign';
import { compileSolverModel } from '../src/solver/model';
import { State } from '../src/solver/state';

/**
 * One day. Class `a` (chess) fits both rooms but prefers room-1 and either teacher (t1 first);
 * `b` (dance) needs room-1's sink and t1. Placed one at a time in order of start, `a`
 * takes room-1 and t1 and `b` is stranded; a matching moves `a` to the hall and to t2.
 */
function school(extra = false): Instance {
  const cls = (id: string, skill: string, roomFeatures: string[]) => ({
    id,
    club: skill,
    tier: 'basic',
    grades: ['g1'],
    size: 20,
    skill,
    roomFeatures,
    sessions: 1,
    minutes: 60,
  });
  return {
    name: 'matching',
    timezone: 'Asia/Shanghai',
    days: ['MON'],
    dayEnd: '18:00',
    granularity: 5,
    grades: [{ id: 'g1', earliestStart: { MON: '15:00' } }],
    rooms: [
      { id: 'hall', capacity: 40, features: ['stage'] },
      { id: 'room-1', capacity: 30, features: ['sink'] },
    ],
    staff: [
      { id: 't1', kind: 'teacher', skills: ['chess', 'dance'], available: { MON: [['15:00', '18:00']] }, maxMinutesPerWeek: 600 },
      { id: 't2', kind: 'teacher', skills: ['chess'], available: { MON: [['15:00', '18:00']] }, maxMinutesPerWeek: 600 },
    ],
    classes: [cls('a', 'chess', []), cls('b', 'dance', ['sink']), ...(extra ? [cls('c', 'dance', ['sink'])] : [])],
  };
}

/** hint: per session, its start in minutes after 15:00 on MON */
function match(inst: Instance, after: number[]) {
  const m = compileSolverModel(inst);
  const s = new State(m);
  const hint = Int32Array.from(after, (min) => min / m.unit);
  const got = matchHinted(s, hint, null);
  return {
    rooms: Array.from(got.room, (r) => (r < 0 ? null : m.roomIds[r])),
    staff: Array.from(got.staff, (p) => (p < 0 ? null : m.staffIds[p])),
  };
}

describe('matchHinted', () => {
  it('moves an earlier session to another room and staff member to make way (augmenting paths)', () => {
    const got = match(school(), [0, 30]);
    expect(got.rooms).toEqual(['hall', 'room-1']);
    expect(got.staff).toEqual(['t2', 't1']);
  });

  it('takes the free room and member when nothing is in the way', () => {
    const got = match(school(), [0, 60]);
    expect(got.rooms).toEqual(['room-1', 'room-1']);
    expect(got.staff).toEqual(['t1', 't1']);
  });

  it('leaves a session without room and staff when every way is blocked, keeping the others', () => {
    // c overlaps b and needs the same room and member
    const got = match(school(true), [0, 30, 60]);
    expect(got.rooms).toEqual(['hall', 'room-1', null]);
    expect(got.staff).toEqual(['t2', 't1', null]);
  });

  it('keeps weekly maxima', () => {
    const inst = school();
    (inst.staff[0] as { maxMinutesPerWeek: number }).maxMinutesPerWeek = 60;
    (inst.staff[1] as { maxMinutesPerWeek: number }).maxMinutesPerWeek = 60;
    const got = match(inst, [0, 60]);
    // a takes t1 first (no overlap with b), then b needs t1: a moves to t2
    expect(got.staff).toEqual(['t2', 't1']);
  });
});

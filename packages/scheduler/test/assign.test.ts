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
function match(inst: Instance, after: number[], preferred: Record<string, string> = {}) {
  const m = compileSolverModel(inst);
  const s = new State(m);
  const hint = Int32Array.from(after, (min) => min / m.unit);
  const wish = Int32Array.from(m.classIds, (c) => m.staffIds.indexOf(preferred[c] ?? ''));
  const got = matchHinted(s, hint, null, { preferred: wish });
  return {
    rooms: Array.from(got.room, (r) => (r < 0 ? null : m.roomIds[r])),
    staff: Array.from(got.staff, (p) => (p < 0 ? null : m.staffIds[p])),
    impossible: got.impossible,
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

  it('moves sessions out of the way when a path would have to move two at once (exact assignment)', () => {
    // b (sink) needs room-s, where a is; a can only go to the hall, where c1 and c2 are (one
    // after the other); they can go to the small quiet room. An augmenting path moves one
    // session per room, so it strands b.
    const inst = school();
    const base = inst.classes[0] as Instance['classes'][number];
    const cls = (id: string, size: number, minutes: number, roomFeatures: string[] = []) => ({ ...base, id, size, minutes, roomFeatures });
    inst.classes = [cls('a', 20, 45), cls('c1', 10, 20), cls('c2', 10, 40), cls('b', 20, 90, ['sink'])];
    inst.rooms = [
      { id: 'room-s', capacity: 20, features: ['sink'] },
      { id: 'hall', capacity: 30, features: ['projector'] },
      { id: 'quiet', capacity: 10, features: ['quiet', 'mats'] },
    ];
    inst.staff = ['t1', 't2', 't3'].map((id): Instance['staff'][number] => ({ id, kind: 'teacher', skills: ['chess'], available: { MON: [['15:00', '18:00']] }, maxMinutesPerWeek: 600 }));
    const got = match(inst, [0, 0, 20, 30]);
    expect(got.rooms).toEqual(['hall', 'quiet', 'quiet', 'room-s']);
    expect(got.staff.every((p) => p !== null)).toBe(true);
  });

  it('moves sessions to other members when a path would have to move two at once (exact assignment, weekly maxima kept)', () => {
    // b (dance) needs t1, who has a; a can only go to t2, who has c1 and c2 (one after the
    // other); they can go to t3
    const inst = school();
    const base = inst.classes[0] as Instance['classes'][number];
    const cls = (id: string, skill: string, minutes: number) => ({ ...base, id, skill, minutes, roomFeatures: [] });
    inst.classes = [cls('a', 'chess', 45), cls('c1', 'go', 20), cls('c2', 'go', 40), cls('b', 'dance', 90)];
    inst.rooms = ['r1', 'r2', 'r3'].map((id) => ({ id, capacity: 20, features: [] }));
    const member = (id: string, skills: string[], maxMinutesPerWeek = 600): Instance['staff'][number] => ({ id, kind: 'teacher', skills, available: { MON: [['15:00', '18:00']] }, maxMinutesPerWeek });
    inst.staff = [member('t1', ['chess', 'dance']), member('t2', ['chess', 'go']), member('t3', ['go'])];
    const wishes = { a: 't1', c1: 't2', c2: 't2' };
    expect(match(inst, [0, 0, 20, 30], wishes)).toMatchObject({ staff: ['t2', 't3', 't3', 't1'], impossible: false });
    // t3 may work 40 minutes a week, not the 60 of c1 and c2: b has nobody, the others keep
    // theirs, and the times are known to have no staff
    inst.staff[2] = member('t3', ['go'], 40);
    expect(match(inst, [0, 0, 20, 30], wishes)).toMatchObject({ staff: ['t1', 't2', 't2', null], impossible: true });
  });
});

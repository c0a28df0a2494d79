import { describe, expect, it } from 'vitest';
import { check, diffSessions, generateInstance, solve, type Day, type Instance, type Session } from '../src/index';

// Repair mode: after a change to the school's week, a valid timetable that moves as few
// published sessions as possible, and reports how many moved.

const school = (): Instance => generateInstance({ seed: 11, students: 1200, clubs: 25 });

function published(inst: Instance): Session[] {
  const r = solve(inst, { seed: 1 });
  if (r.status !== 'ok') throw new Error(r.reason);
  return r.sessions;
}

function repair(inst: Instance, previous: Session[]): { sessions: Session[]; moved: number } {
  const r = solve(inst, { seed: 1, previous });
  if (r.status !== 'ok') throw new Error(r.reason);
  expect(check(inst, { sessions: r.sessions }).violations).toEqual([]);
  return { sessions: r.sessions, moved: r.stats.moved };
}

/** The staff member with the most sessions on a day. */
function busiest(sessions: Session[], day: Day): string {
  const count = new Map<string, number>();
  for (const s of sessions) if (s.day === day) count.set(s.staff, (count.get(s.staff) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? '';
}

describe('repair mode', () => {
  const inst = school();
  const before = published(inst);

  it('moves nothing when nothing changed', () => {
    const { sessions, moved } = repair(inst, before);
    expect(moved).toBe(0);
    expect(sessions).toEqual(before);
  });

  it('moves only what it must when a staff member is away on Thursday', () => {
    const away = busiest(before, 'THU');
    const affected = before.filter((s) => s.staff === away && s.day === 'THU').length;
    const changed = structuredClone(inst);
    delete (changed.staff.find((s) => s.id === away) as { available: Partial<Record<Day, unknown>> }).available.THU;
    const { sessions, moved } = repair(changed, before);
    expect(sessions.some((s) => s.staff === away && s.day === 'THU')).toBe(false);
    expect(moved).toBeGreaterThanOrEqual(affected);
    expect(moved).toBeLessThanOrEqual(affected + 2);
    const diff = diffSessions(before, sessions);
    expect(diff.kept).toHaveLength(before.length - moved);
    expect(diff.moved.length + diff.removed.length).toBe(moved);
  });

  it('moves only the sessions of a room that closes', () => {
    const counts = new Map<string, number>();
    for (const s of before) counts.set(s.room, (counts.get(s.room) ?? 0) + 1);
    const [closed, affected] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [string, number];
    const changed = structuredClone(inst);
    changed.rooms = changed.rooms.filter((r) => r.id !== closed);
    const { sessions, moved } = repair(changed, before);
    expect(sessions.some((s) => s.room === closed)).toBe(false);
    expect(moved).toBeGreaterThanOrEqual(affected);
    expect(moved).toBeLessThanOrEqual(affected + 2);
  });

  it('adds a new class around the published sessions', () => {
    const changed = structuredClone(inst);
    const model = changed.classes[0] as Instance['classes'][number];
    changed.classes.push({ ...model, id: 'calligraphy-new-1', sessions: 1 });
    const { sessions, moved } = repair(changed, before);
    expect(moved).toBeLessThanOrEqual(1);
    expect(diffSessions(before, sessions).added).toEqual([{ class: 'calligraphy-new-1', after: expect.any(Number) }]);
  });

  it('keeps a locked session the admin moved, and moves what it displaced', () => {
    const shift = (t: string, by: number): string => {
      const m = Number(t.slice(0, 2)) * 60 + Number(t.slice(3)) + by;
      return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    };
    // a published session moved 10–30 minutes, still obeying every rule about itself alone
    let locked: Session | undefined;
    for (const x of before) {
      for (const by of [-30, -20, -10, 10, 20, 30]) {
        const moved = { ...x, start: shift(x.start, by), end: shift(x.end, by) };
        const alone = check(inst, { sessions: [moved] }).violations.filter((v) => v.rule !== 'session-count');
        if (!alone.length) locked = moved;
      }
      if (locked) break;
    }
    if (!locked) throw new Error('no session can be shifted in this fixture');
    const r = solve(inst, { seed: 1, previous: before, locked: [locked] });
    if (r.status !== 'ok') throw new Error(r.reason);
    expect(r.sessions).toContainEqual(locked);
    expect(check(inst, { sessions: r.sessions }).ok).toBe(true);
    expect(r.stats.moved).toBeGreaterThanOrEqual(1);
    expect(r.stats.moved).toBeLessThanOrEqual(4);
  });
});

describe('repair mode with students', () => {
  it('plans afresh, instead of refusing, when the kept sessions leave the displaced ones no times (the school alone has a timetable)', () => {
    for (const seed of [10, 30]) {
      const inst = generateInstance({ seed, students: 600, clubs: 15, withStudents: true });
      const before = published(inst);
      // the member with the most sessions in the week is away on Thursdays from now on
      const load = new Map<string, number>();
      for (const s of before) load.set(s.staff, (load.get(s.staff) ?? 0) + 1);
      const away = [...load].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
      const changed: Instance = { ...inst, staff: inst.staff.map((p) => (p.id === away ? { ...p, available: Object.fromEntries(Object.entries(p.available).filter(([d]) => d !== 'THU')) } : p)) };
      expect(solve(changed, { seed: 1 }).status).toBe('ok');
      const trace: string[] = [];
      const r = solve(changed, { seed: 1, previous: before, trace: (l) => trace.push(l) });
      expect(trace).toContain('timing: no times that work around the kept sessions; again without them');
      expect(r.status).toBe('ok');
      if (r.status !== 'ok') continue;
      expect(check(changed, { sessions: r.sessions }).violations).toEqual([]);
      expect(r.stats.moved).toBe(diffSessions(before, r.sessions).moved.length);
      // planned afresh, yet near the published week: the timing model asks for fewer moved
      // sessions, not fewer pairs (it moved 52 of 65 and 54 of 72 sessions before)
      expect(r.stats.moved).toBeLessThan(before.length / 2);
    }
  });
});

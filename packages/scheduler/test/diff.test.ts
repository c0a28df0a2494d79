import { describe, expect, it } from 'vitest';
import { diffSessions, type Session } from '../src/index';

const s = (cls: string, day: Session['day'], start: string, room = 'room-1', staff = 't001'): Session => ({
  class: cls,
  day,
  start,
  end: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:${start.slice(3)}`,
  room,
  staff,
});

describe('diffSessions', () => {
  it('matches identical sessions whatever their order', () => {
    const before = [s('a', 'MON', '16:00'), s('b', 'TUE', '16:00')];
    const d = diffSessions(before, [before[1] as Session, before[0] as Session]);
    expect(d.kept).toEqual([
      { class: 'a', before: 0, after: 1 },
      { class: 'b', before: 1, after: 0 },
    ]);
    expect([d.moved, d.added, d.removed]).toEqual([[], [], []]);
  });

  it('says what changed for a moved session, pairing sessions of one class on the same day first', () => {
    const before = [s('a', 'MON', '16:00'), s('a', 'WED', '16:00')];
    const after = [s('a', 'THU', '16:00'), s('a', 'WED', '17:00', 'room-2', 't002')];
    const d = diffSessions(before, after);
    expect(d.moved).toEqual([
      { class: 'a', before: 0, after: 0, changes: ['day'] },
      { class: 'a', before: 1, after: 1, changes: ['time', 'room', 'staff'] },
    ]);
  });

  it('lists added and removed sessions', () => {
    const d = diffSessions([s('a', 'MON', '16:00'), s('gone', 'FRI', '16:00')], [s('a', 'MON', '16:00'), s('new', 'TUE', '17:00')]);
    expect(d.added).toEqual([{ class: 'new', after: 1 }]);
    expect(d.removed).toEqual([{ class: 'gone', before: 1 }]);
  });
});

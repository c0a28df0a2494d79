import { describe, expect, it } from 'vitest';
import {
  endIfStarting,
  gridStart,
  startChoices,
  inView,
  layoutWeek,
  viewChoices,
  type Viewed,
} from '../src/pages/timetable/grid';
import { currentTerm } from '../src/pages/timetable/term';

const session = (id: string, day: string, start: string, end: string, more: Partial<Viewed> = {}): Viewed => ({
  id,
  day,
  start,
  end,
  grades: [1],
  roomId: 'r1',
  roomName: '教室 101',
  staffId: 's1',
  staffName: '王老师',
  ...more,
});

describe('the week grid', () => {
  it('has rows of half an hour from the earliest session’s up to 18:00, each session in the row its start falls in', () => {
    const sessions = [
      session('b', 'MON', '15:45', '16:30'),
      session('a', 'MON', '15:30', '16:15'),
      session('c', 'WED', '17:15', '18:00'),
      session('d', 'FRI', '16:00', '16:45'),
    ];
    const rows = layoutWeek(sessions, gridStart(sessions));
    expect(rows.map((r) => `${r.start}–${r.end}`)).toEqual([
      '15:00–15:30',
      '15:30–16:00',
      '16:00–16:30',
      '16:30–17:00',
      '17:00–17:30',
      '17:30–18:00',
    ]);
    expect(rows[1]!.cells.MON.map((s) => s.id)).toEqual(['a', 'b']); // by start
    expect(rows[4]!.cells.WED.map((s) => s.id)).toEqual(['c']);
    expect(rows[2]!.cells.FRI.map((s) => s.id)).toEqual(['d']);
    expect(rows.flatMap((r) => Object.values(r.cells).flat()).length).toBe(4);
  });

  it('starts at 15:00, or earlier when a session of the version does (the same rows in every view of it)', () => {
    expect(gridStart([])).toBe('15:00');
    expect(gridStart([session('a', 'TUE', '16:30', '17:15')])).toBe('15:00');
    expect(gridStart([session('a', 'TUE', '14:10', '15:00'), session('b', 'MON', '16:00', '17:00')])).toBe('14:00');
    const rows = layoutWeek([session('b', 'MON', '16:00', '17:00')], '14:00');
    expect(rows[0]!.start).toBe('14:00');
    expect(rows[4]!.cells.MON.map((s) => s.id)).toEqual(['b']);
  });

  it('orders sessions starting together by end, then id', () => {
    const rows = layoutWeek(
      [session('z', 'THU', '16:00', '16:45'), session('y', 'THU', '16:00', '17:00'), session('x', 'THU', '16:00', '16:45')],
      '15:00',
    );
    expect(rows[2]!.cells.THU.map((s) => s.id)).toEqual(['x', 'z', 'y']);
  });

  it('loses no session starting at or after 18:00 (against the rules, but shown where it is)', () => {
    const rows = layoutWeek([session('late', 'MON', '18:10', '18:55')], '15:00');
    expect(rows.at(-1)!.start).toBe('18:00');
    expect(rows.at(-1)!.cells.MON.map((s) => s.id)).toEqual(['late']);
  });

  it('offers every start on the 5-minute grid from 12:00 until before 18:00, and the session’s own', () => {
    const starts = startChoices('16:00');
    expect(starts.length).toBe(72);
    expect([starts[0], starts[1], starts.at(-1)]).toEqual(['12:00', '12:05', '17:55']);
    expect(starts).toContain('17:30'); // it would end after 18:00 for most sessions: the API says why
    const offGrid = startChoices('16:02');
    expect(offGrid.length).toBe(73);
    expect(offGrid.slice(offGrid.indexOf('16:00'), offGrid.indexOf('16:00') + 3)).toEqual(['16:00', '16:02', '16:05']);
  });

  it('keeps a session’s length when it moves', () => {
    expect(endIfStarting({ start: '16:00', end: '16:45' }, '17:30')).toBe('18:15');
    expect(endIfStarting({ start: '15:30', end: '17:00' }, '09:05')).toBe('10:35');
  });
});

describe('the views of the grid', () => {
  const sessions = [
    session('a', 'MON', '15:30', '16:15', {
      grades: [2, 10],
      roomId: 'r2',
      roomName: '阅览室',
      staffId: 's2',
      staffName: '李阿姨',
    }),
    session('b', 'TUE', '15:30', '16:15', { grades: [1, 2] }),
    session('c', 'WED', '15:30', '16:15', { grades: [3], roomId: 'r3', roomName: '教室 12' }),
    session('d', 'THU', '15:30', '16:15', { grades: [3], roomId: 'r4', roomName: '教室 9' }),
  ];

  it('offers the grades by level, the rooms and staff members by name', () => {
    expect(viewChoices(sessions, 'grade').map((c) => c.value)).toEqual(['1', '2', '3', '10']);
    expect(viewChoices(sessions, 'room').map((c) => c.name)).toEqual(['教室 9', '教室 12', '教室 101', '阅览室']);
    expect(viewChoices(sessions, 'staff')).toEqual([
      { value: 's2', name: '李阿姨' },
      { value: 's1', name: '王老师' },
    ]);
  });

  it('shows a grade’s sessions (a class of several grades in each), a room’s, a staff member’s', () => {
    const ids = (kind: 'grade' | 'room' | 'staff', value: string) =>
      sessions.filter((s) => inView(s, kind, value)).map((s) => s.id);
    expect(ids('grade', '2')).toEqual(['a', 'b']);
    expect(ids('grade', '1')).toEqual(['b']);
    expect(ids('room', 'r1')).toEqual(['b']);
    expect(ids('staff', 's1')).toEqual(['b', 'c', 'd']);
  });
});

describe('the term the page opens on', () => {
  const terms = [
    { id: 'spring', startDate: '2027-02-20', endDate: '2027-06-30' },
    { id: 'autumn', startDate: '2026-09-01', endDate: '2027-01-20' },
  ];
  it('is the one under way, else the next, else the last', () => {
    expect(currentTerm(terms, '2026-10-14')?.id).toBe('autumn');
    expect(currentTerm(terms, '2027-02-01')?.id).toBe('spring');
    expect(currentTerm(terms, '2026-08-01')?.id).toBe('autumn');
    expect(currentTerm(terms, '2027-08-01')?.id).toBe('spring');
    expect(currentTerm([], '2027-08-01')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assignSessionIds,
  boundedWarnings,
  countChanges,
  diffVersions,
  MAX_WARNINGS,
  moveSession,
  SessionChange,
  sortSessions,
  timetableVersionId,
  type TimetableSession,
} from '../src/timetable';
import type { Weekday } from '../src/time';

type Slot = { classId: string; day: Weekday; start: string; end: string; roomId: string; staffId: string };
const slot = (classId: string, day: Weekday, start: string, over: Partial<Slot> = {}): Slot => ({
  classId,
  day,
  start,
  end: over.end ?? `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}${start.slice(2)}`,
  roomId: 'r-1',
  staffId: 'st-1',
  ...over,
});
const withId = (id: string, s: Slot) => ({ id, ...s });
const session = (id: string, s: Slot, locked = false): TimetableSession => ({ id, clubId: 'c-1', locked, ...s });

// ---------------------------------------------------------------- assignSessionIds
describe('assignSessionIds', () => {
  it('gives an identical session its old id, whatever the order', () => {
    // Prepare
    const previous = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.1', slot('A', 'WED', '16:00'))];
    // Act
    const out = assignSessionIds(previous, [slot('A', 'WED', '16:00'), slot('A', 'MON', '16:00')]);
    // Assess
    expect(out.map((s) => s.id)).toEqual(['A.1', 'A.0']);
  });

  it('prefers the identical session over another of the class on the same day', () => {
    // A.0 at 16:00 stays; a session moved from 17:00 to 18:00 keeps A.1 though it comes first
    const previous = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.1', slot('A', 'MON', '17:00'))];
    const out = assignSessionIds(previous, [slot('A', 'MON', '18:00'), slot('A', 'MON', '16:00')]);
    expect(out.map((s) => s.id)).toEqual(['A.1', 'A.0']);
  });

  it('counts a change of room or staff as not identical', () => {
    const previous = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.1', slot('A', 'MON', '16:00', { roomId: 'r-2' }))];
    const out = assignSessionIds(previous, [slot('A', 'MON', '16:00', { roomId: 'r-2' }), slot('A', 'MON', '16:00')]);
    expect(out.map((s) => s.id)).toEqual(['A.1', 'A.0']);
    const staff = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.1', slot('A', 'MON', '16:00', { staffId: 'st-2' }))];
    expect(assignSessionIds(staff, [slot('A', 'MON', '16:00', { staffId: 'st-2' })]).map((s) => s.id)).toEqual(['A.1']);
  });

  it('then prefers a session of the class on the same day over one on another day', () => {
    // both moved within their day: without the same-day pass the first would take A.0
    const previous = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.1', slot('A', 'WED', '16:00'))];
    const out = assignSessionIds(previous, [slot('A', 'WED', '17:00', { roomId: 'r-9' }), slot('A', 'MON', '15:00')]);
    expect(out.map((s) => s.id)).toEqual(['A.1', 'A.0']);
  });

  it('then takes any session of the class, on any day', () => {
    const previous = [withId('A.3', slot('A', 'MON', '16:00'))];
    expect(assignSessionIds(previous, [slot('A', 'THU', '17:00', { staffId: 'st-9' })]).map((s) => s.id)).toEqual(['A.3']);
  });

  it("never takes the id of another class's session, even an identical one", () => {
    const previous = [withId('B.0', slot('B', 'MON', '16:00'))];
    expect(assignSessionIds(previous, [slot('A', 'MON', '16:00')]).map((s) => s.id)).toEqual(['A.0']);
  });

  it('gives new sessions the lowest free number of their class', () => {
    // Prepare: A.1 was removed in an earlier version
    const previous = [withId('A.0', slot('A', 'MON', '16:00')), withId('A.2', slot('A', 'TUE', '16:00'))];
    const next = [slot('A', 'MON', '16:00'), slot('A', 'TUE', '16:00'), slot('A', 'WED', '16:00'), slot('A', 'THU', '16:00')];
    // Act
    const out = assignSessionIds(previous, next);
    // Assess
    expect(out.map((s) => s.id)).toEqual(['A.0', 'A.2', 'A.1', 'A.3']);
  });

  it('numbers every session from 0 when there is no previous version', () => {
    const out = assignSessionIds([], [slot('A', 'MON', '16:00'), slot('B', 'MON', '16:00'), slot('A', 'TUE', '16:00')]);
    expect(out.map((s) => s.id)).toEqual(['A.0', 'B.0', 'A.1']);
  });

  it('keeps the other fields of each session and does not change its arguments', () => {
    // Prepare
    const previous = [withId('A.0', slot('A', 'MON', '16:00'))];
    const next = [{ ...slot('A', 'MON', '16:00'), locked: true, clubId: 'c-1' }];
    const before = structuredClone({ previous, next });
    // Act
    const out = assignSessionIds(previous, next);
    // Assess
    expect(out).toEqual([{ ...next[0], id: 'A.0' }]);
    expect({ previous, next }).toEqual(before);
  });

  describe('for any previous and next sessions', () => {
    const CLASSES = ['A', 'B', 'C'] as const;
    const slotArb = fc.record({
      classId: fc.constantFrom(...CLASSES),
      day: fc.constantFrom<Weekday>('MON', 'TUE', 'WED'),
      start: fc.constantFrom('16:00', '16:30'),
      end: fc.constant('17:30'),
      roomId: fc.constantFrom('r-1', 'r-2'),
      staffId: fc.constantFrom('st-1', 'st-2'),
    });
    /** previous sessions with unique "<classId>.<n>" ids, numbers not necessarily contiguous */
    const previousArb = fc.array(fc.tuple(slotArb, fc.nat(8)), { maxLength: 14 }).map((list) => {
      const seen = new Set<string>();
      return list.flatMap(([s, n]) => {
        const id = `${s.classId}.${n}`;
        if (seen.has(id)) return [];
        seen.add(id);
        return [{ id, ...s }];
      });
    });
    const nextArb = fc.array(slotArb, { maxLength: 14 });

    it('gives no two sessions one id, reuses as many old ids as it can and numbers the rest lowest first', () => {
      fc.assert(
        fc.property(previousArb, nextArb, (previous, next) => {
          // Act
          const out = assignSessionIds(previous, next);
          // Assess
          const ids = out.map((s) => s.id);
          expect(new Set(ids).size).toBe(ids.length);
          for (const c of CLASSES) {
            const prevIds = previous.filter((p) => p.classId === c).map((p) => p.id);
            const mine = out.filter((s) => s.classId === c).map((s) => s.id);
            const reused = mine.filter((id) => prevIds.includes(id));
            expect(reused.length).toBe(Math.min(prevIds.length, mine.length));
            const fresh = mine.filter((id) => !prevIds.includes(id)).map((id) => Number(/^[A-C]\.(\d+)$/.exec(id)![1]));
            for (const id of mine.filter((id) => !prevIds.includes(id))) expect(id.startsWith(`${c}.`)).toBe(true);
            const taken = new Set(reused.map((id) => Number(id.split('.')[1])));
            const lowest: number[] = [];
            for (let n = 0; lowest.length < fresh.length; n++) if (!taken.has(n)) lowest.push(n);
            expect(fresh).toEqual(lowest);
          }
        }),
        { numRuns: 400 },
      );
    });

    it('gives back every old id to an unchanged timetable, in any order', () => {
      fc.assert(
        fc.property(
          previousArb.chain((previous) =>
            fc.tuple(fc.constant(previous), fc.shuffledSubarray(previous, { minLength: previous.length })),
          ),
          ([previous, shuffled]) => {
            const out = assignSessionIds(
              previous,
              shuffled.map(({ id: _id, ...s }) => s),
            );
            const byId = new Map(previous.map((p) => [p.id, p]));
            for (const s of out) {
              const p = byId.get(s.id);
              expect(p).toBeDefined();
              const { id: _id, ...was } = p!;
              expect(s).toEqual({ ...was, id: s.id });
            }
            expect(out.map((s) => s.id).sort()).toEqual(previous.map((p) => p.id).sort());
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});

// ---------------------------------------------------------------- diffVersions
describe('diffVersions', () => {
  const before = [
    session('A.0', slot('A', 'MON', '16:00')),
    session('A.1', slot('A', 'WED', '16:00')),
    session('B.0', slot('B', 'MON', '16:00', { roomId: 'r-2' })),
    session('C.0', slot('C', 'TUE', '16:00')),
    session('D.0', slot('D', 'THU', '16:00')),
    session('E.0', slot('E', 'FRI', '16:00')),
    session('F.0', slot('F', 'FRI', '16:00')),
  ];

  it('lists added, removed and moved sessions, sorted by id, and leaves out unchanged ones', () => {
    // Prepare
    const after = [
      session('F.0', slot('F', 'FRI', '16:00'), true), // only locked: unchanged
      session('E.0', slot('E', 'FRI', '16:00', { staffId: 'st-2' })), // staff alone
      session('D.0', slot('D', 'THU', '16:00', { end: '17:30' })), // longer
      session('C.0', slot('C', 'WED', '16:00')), // another day
      session('B.1', slot('B', 'TUE', '16:00')), // new
      session('A.1', slot('A', 'WED', '16:00', { roomId: 'r-3' })), // room alone
      session('A.0', slot('A', 'MON', '16:00')), // unchanged
      // B.0 removed
    ];
    // Act
    const changes = diffVersions(before, after);
    // Assess
    expect(changes.map((c) => `${c.sessionId} ${c.kind}`)).toEqual([
      'A.1 moved',
      'B.0 removed',
      'B.1 added',
      'C.0 moved',
      'D.0 moved',
      'E.0 moved',
    ]);
    for (const c of changes) expect(SessionChange.safeParse(c).success).toBe(true);
  });

  it('says where a session was and where it is, and only that', () => {
    const after = [
      session('A.0', slot('A', 'MON', '16:00')),
      session('A.1', slot('A', 'THU', '17:00', { roomId: 'r-3', staffId: 'st-2' })),
    ];
    const changes = diffVersions(before.slice(0, 2), after);
    expect(changes).toEqual([
      {
        sessionId: 'A.1',
        classId: 'A',
        kind: 'moved',
        before: { day: 'WED', start: '16:00', end: '17:00', roomId: 'r-1', staffId: 'st-1' },
        after: { day: 'THU', start: '17:00', end: '18:00', roomId: 'r-3', staffId: 'st-2' },
      },
    ]);
  });

  it('has no "after" for a removed session and no "before" for an added one', () => {
    const changes = diffVersions([session('A.0', slot('A', 'MON', '16:00'))], [session('A.1', slot('A', 'MON', '16:00'))]);
    expect(changes).toEqual([
      { sessionId: 'A.0', classId: 'A', kind: 'removed', before: expect.objectContaining({ day: 'MON' }), after: null },
      { sessionId: 'A.1', classId: 'A', kind: 'added', before: null, after: expect.objectContaining({ day: 'MON' }) },
    ]);
  });

  it('is empty for the same timetable in another order, and everything added from nothing', () => {
    expect(diffVersions(before, [...before].reverse())).toEqual([]);
    expect(diffVersions([], before).every((c) => c.kind === 'added')).toBe(true);
    expect(diffVersions(before, []).map((c) => c.kind)).toEqual(Array(before.length).fill('removed'));
  });
});

// ---------------------------------------------------------------- moveSession
describe('moveSession', () => {
  const s = session('A.0', slot('A', 'MON', '16:00', { end: '16:45' }), true);

  it('keeps the length when the start moves, across the hour', () => {
    expect(moveSession(s, { start: '16:30' })).toMatchObject({ start: '16:30', end: '17:15' });
    expect(moveSession(s, { start: '15:20' })).toMatchObject({ start: '15:20', end: '16:05' });
  });

  it('changes only the day when only the day is given', () => {
    expect(moveSession(s, { day: 'THU' })).toEqual({ ...s, day: 'THU' });
  });

  it('changes only the room, or only the staff member, when only that is given', () => {
    expect(moveSession(s, { roomId: 'r-2' })).toEqual({ ...s, roomId: 'r-2' });
    expect(moveSession(s, { staffId: 'st-2' })).toEqual({ ...s, staffId: 'st-2' });
  });

  it('changes everything given at once, keeping id, class, club and lock', () => {
    expect(moveSession(s, { day: 'FRI', start: '17:00', roomId: 'r-2', staffId: 'st-2' })).toEqual({
      id: 'A.0',
      classId: 'A',
      clubId: 'c-1',
      locked: true,
      day: 'FRI',
      start: '17:00',
      end: '17:45',
      roomId: 'r-2',
      staffId: 'st-2',
    });
  });

  it('keeps what is passed as undefined, and changes nothing for no change', () => {
    expect(moveSession(s, { day: undefined, start: '17:00', roomId: undefined, staffId: undefined })).toEqual({
      ...s,
      start: '17:00',
      end: '17:45',
    });
    expect(moveSession(s, {})).toEqual(s);
  });

  it('does not change the session it was given', () => {
    const copy = structuredClone(s);
    moveSession(s, { day: 'TUE', start: '17:00' });
    expect(s).toEqual(copy);
  });
});

// ---------------------------------------------------------------- sortSessions
describe('sortSessions', () => {
  it('orders by day of the week, then start, then id', () => {
    // Prepare
    const list = [
      { id: 'x', day: 'TUE' as const, start: '15:00' },
      { id: 'b', day: 'MON' as const, start: '17:00' },
      { id: 'c', day: 'MON' as const, start: '16:00' },
      { id: 'a', day: 'MON' as const, start: '16:00' },
      { id: 'y', day: 'SUN' as const, start: '09:00' },
      { id: 'z', day: 'FRI' as const, start: '16:00' },
    ];
    // Act
    const sorted = sortSessions(list);
    // Assess
    expect(sorted.map((s) => s.id)).toEqual(['a', 'c', 'b', 'x', 'z', 'y']);
  });

  it('returns a new list and leaves the one given alone', () => {
    const list = [
      { id: 'b', day: 'TUE' as const, start: '16:00' },
      { id: 'a', day: 'MON' as const, start: '16:00' },
    ];
    const sorted = sortSessions(list);
    expect(sorted).not.toBe(list);
    expect(list.map((s) => s.id)).toEqual(['b', 'a']);
    expect(sorted.map((s) => s.id)).toEqual(['a', 'b']);
  });
});

describe('timetableVersionId', () => {
  it('pads the number so that ids sort in version order', () => {
    expect(timetableVersionId('t-1', 7)).toBe('t-1#V0007');
    expect([timetableVersionId('t-1', 10), timetableVersionId('t-1', 9)].sort()).toEqual(['t-1#V0009', 't-1#V0010']);
  });
});

describe('boundedWarnings', () => {
  it('keeps a short list as it is', () => {
    const few = ['a', 'b'];
    expect(boundedWarnings(few)).toEqual(few);
    expect(boundedWarnings(Array.from({ length: MAX_WARNINGS }, (_, i) => `w${i}`))).toHaveLength(MAX_WARNINGS);
  });

  it('keeps the first lines of a long list and says how many more there were', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const kept = boundedWarnings(many);
    expect(kept).toHaveLength(MAX_WARNINGS);
    expect(kept.slice(0, -1)).toEqual(many.slice(0, MAX_WARNINGS - 1));
    expect(kept.at(-1)).toBe(`… and ${1000 - MAX_WARNINGS + 1} more warnings like these`);
  });
});

describe('countChanges', () => {
  it('counts the added, moved and removed sessions of a diff', () => {
    const before = [session('A.0', slot('A', 'MON', '16:00')), session('B.0', slot('B', 'MON', '16:00'))];
    const after = [
      session('A.0', slot('A', 'TUE', '16:00')),
      session('C.0', slot('C', 'MON', '16:00')),
      session('C.1', slot('C', 'WED', '16:00')),
    ];
    expect(countChanges(diffVersions(before, after))).toEqual({ added: 2, moved: 1, removed: 1 });
    expect(countChanges([])).toEqual({ added: 0, moved: 0, removed: 0 });
  });
});

import { formatHHMM, WEEK } from '../time';
import type { CheckModel, ClassModel, RoomModel, StaffModel } from './model';

// The hard rules of ../shared/bench/README.md, one named function each. A rule reports
// every violation it finds; the checker counts them exactly as check.mjs does (one per
// session and rule, one per class with the wrong count, one per overlapping pair …).

export type RuleName =
  | 'session-shape'
  | 'unknown-class'
  | 'bad-day'
  | 'day-not-scheduled'
  | 'bad-time'
  | 'duration'
  | 'grid'
  | 'too-late'
  | 'grade-day'
  | 'too-early'
  | 'unknown-room'
  | 'capacity'
  | 'features'
  | 'unknown-staff'
  | 'skill'
  | 'fixed-staff'
  | 'unavailable'
  | 'session-count'
  | 'same-day'
  | 'room-overlap'
  | 'staff-overlap'
  | 'weekly-max'
  | 'student-overlap'
  | 'refusal'
  | 'refusal-reason'
  | 'expected-refusal';

export interface Violation {
  rule: RuleName;
  message: string;
  /** indexes into the answer's sessions */
  sessions: number[];
}

/** Where rules report: `report` lists one violation, `more` counts n more that are not listed. */
export interface Sink {
  report(rule: RuleName, message: string, sessions: number[]): void;
  more(rule: RuleName, n: number): void;
  /** false once enough violations are listed; rules then only count */
  wantMore(): boolean;
}

/** A session whose class is known, with its day and times parsed as far as they parse. */
export interface Placed {
  i: number;
  label: string;
  cls: ClassModel;
  day: unknown;
  /** week number of `day` when it is a day name (scheduled or not), else null */
  d: number | null;
  start: unknown;
  end: unknown;
  s: number | null;
  e: number | null;
  room: unknown;
  staff: unknown;
}

/** An interval the overlap rules compare: session i on week day d, [s, e). */
export interface Timed {
  i: number;
  d: number;
  s: number;
  e: number;
  cls: string;
}

const quote = (x: unknown): string => (typeof x === 'string' ? `'${x}'` : JSON.stringify(x) ?? String(x));
const at = (x: Timed): string => `${WEEK[x.d]} ${formatHHMM(x.s)}-${formatHHMM(x.e)}`;

/** True when start and end both parsed and the session has a positive length. */
export function hasTimes(p: Placed): p is Placed & { s: number; e: number } {
  return p.s !== null && p.e !== null && p.e > p.s;
}

// ------------------------------------------------------------------ one session

/** Rule 1: sessions fall on a day name that is one of the instance's days. */
export function scheduledDay(m: CheckModel, p: Placed, out: Sink): void {
  if (p.d === null) out.report('bad-day', `${p.label}: day ${quote(p.day)} is not one of ${WEEK.join(' ')}`, [p.i]);
  else if (!m.days.has(p.day as string)) out.report('day-not-scheduled', `${p.label}: ${String(p.day)} is not one of the instance's days`, [p.i]);
}

/** Rule 1–2: start and end are "HH:MM" times. */
export function wellFormedTimes(p: Placed, out: Sink): void {
  if (p.s === null) out.report('bad-time', `${p.label}: start ${quote(p.start)} is not a time "HH:MM"`, [p.i]);
  if (p.e === null) out.report('bad-time', `${p.label}: end ${quote(p.end)} is not a time "HH:MM"`, [p.i]);
}

/** Rule 1: a session lasts exactly the class's minutes. */
export function exactDuration(p: Placed, out: Sink): void {
  if (p.s === null || p.e === null) return;
  if (p.e - p.s !== p.cls.minutes) out.report('duration', `${p.label}: lasts ${p.e - p.s} min, class ${p.cls.id} needs ${p.cls.minutes}`, [p.i]);
}

/** Rule 2: starts lie on the granularity grid counted from midnight. */
export function onGrid(m: CheckModel, p: Placed, out: Sink): void {
  if (p.s === null || p.e === null) return;
  if (p.s % m.granularity !== 0) out.report('grid', `${p.label}: start ${String(p.start)} is not on the ${m.granularity}-minute grid`, [p.i]);
}

/** Rule 2: nothing ends after dayEnd (18:00), when parents collect their children. */
export function endsByDayEnd(m: CheckModel, p: Placed, out: Sink): void {
  if (p.s === null || p.e === null) return;
  if (p.e > m.dayEnd) out.report('too-late', `${p.label}: ends after dayEnd ${formatHHMM(m.dayEnd)}`, [p.i]);
}

/** Rule 2: a grade without an earliestStart for a day has no club sessions that day. */
export function gradeMeetsThatDay(m: CheckModel, p: Placed, out: Sink): void {
  if (p.d === null) return;
  for (const g of p.cls.grades) {
    if (m.grades.get(g)?.get(p.day as string) === undefined) out.report('grade-day', `${p.label}: grade ${g} has no club sessions on ${String(p.day)}`, [p.i]);
  }
}

/** Rule 2: a session starts after every one of its grades' lessons and homework help are over. */
export function notBeforeEarliestStart(m: CheckModel, p: Placed, out: Sink): void {
  if (p.d === null || p.s === null) return;
  for (const g of p.cls.grades) {
    const earliest = m.grades.get(g)?.get(p.day as string);
    if (earliest !== undefined && p.s < earliest) {
      out.report('too-early', `${p.label}: starts before ${formatHHMM(earliest)}, the earliest start of grade ${g} on ${String(p.day)}`, [p.i]);
    }
  }
}

/** Rule 3: the session names a room of the instance; returns it. */
export function knownRoom(m: CheckModel, p: Placed, out: Sink): RoomModel | undefined {
  if (typeof p.room !== 'string') {
    out.report('session-shape', `${p.label}: no "room" string`, [p.i]);
    return undefined;
  }
  const room = m.rooms.get(p.room);
  if (!room) out.report('unknown-room', `${p.label}: unknown room ${quote(p.room)}`, [p.i]);
  return room;
}

/** Rule 3: the room holds the whole class. */
export function roomHoldsClass(room: RoomModel, p: Placed, out: Sink): void {
  if (room.capacity < p.cls.size) out.report('capacity', `${p.label}: room ${String(p.room)} holds ${room.capacity}, class ${p.cls.id} has ${p.cls.size}`, [p.i]);
}

/** Rule 3: the room has every feature the class needs (dance floor, piano, kiln …). */
export function roomHasFeatures(room: RoomModel, p: Placed, out: Sink): void {
  const missing = p.cls.features.filter((f) => !room.features.has(f));
  if (missing.length) out.report('features', `${p.label}: room ${String(p.room)} lacks ${missing.map(quote).join(', ')}`, [p.i]);
}

/** Rule 4: the session names a staff member of the instance; returns them. */
export function knownStaff(m: CheckModel, p: Placed, out: Sink): StaffModel | undefined {
  if (typeof p.staff !== 'string') {
    out.report('session-shape', `${p.label}: no "staff" string`, [p.i]);
    return undefined;
  }
  const st = m.staff.get(p.staff);
  if (!st) out.report('unknown-staff', `${p.label}: unknown staff ${quote(p.staff)}`, [p.i]);
  return st;
}

/** Rule 4: the staff member has the class's skill. */
export function staffHasSkill(st: StaffModel, p: Placed, out: Sink): void {
  if (!st.skills.has(p.cls.skill)) out.report('skill', `${p.label}: staff ${String(p.staff)} lacks skill ${quote(p.cls.skill)}`, [p.i]);
}

/** Rule 4: a class with a fixed staff member is taken by that member only. */
export function fixedStaffTakesIt(p: Placed, out: Sink): void {
  if (p.cls.staff !== null && p.cls.staff !== p.staff) {
    out.report('fixed-staff', `${p.label}: class ${p.cls.id} must be taken by ${p.cls.staff}, not ${String(p.staff)}`, [p.i]);
  }
}

/** Rule 4: the staff member is available for the whole session, inside ONE availability interval. */
export function staffAvailable(st: StaffModel, p: Placed, out: Sink): void {
  if (!hasTimes(p) || p.d === null) return;
  const windows = st.available.get(p.day as string) ?? [];
  if (windows.some(([a, b]) => a <= p.s && p.e <= b)) return;
  const list = windows.length ? windows.map(([a, b]) => `${formatHHMM(a)}-${formatHHMM(b)}`).join(', ') : 'none';
  out.report('unavailable', `${p.label}: staff ${String(p.staff)} is not available for the whole session (${String(p.day)}: ${list})`, [p.i]);
}

// ------------------------------------------------------------------ across sessions

/** Rule 1: each class meets exactly `sessions` times a week. */
export function sessionCount(cls: ClassModel, indexes: readonly number[], out: Sink): void {
  const n = indexes.length;
  if (n !== cls.sessions) out.report('session-count', `class ${cls.id} has ${n} session${n === 1 ? '' : 's'}, needs ${cls.sessions}`, [...indexes]);
}

/** Rule 1: a class meets at most once a day (one violation per extra session on a day). */
export function distinctDays(cls: ClassModel, placed: readonly Placed[], out: Sink): void {
  const first = new Map<string, number>();
  for (const p of placed) {
    if (typeof p.day !== 'string') continue;
    const j = first.get(p.day);
    if (j === undefined) first.set(p.day, p.i);
    else out.report('same-day', `sessions[${p.i}]: class ${cls.id} meets twice on ${p.day}`, [j, p.i]);
  }
}

/** Rule 3: a room hosts one session at a time; touching sessions do not overlap. */
export function roomNotDoubleBooked(room: string, list: Timed[], out: Sink): void {
  pairsOf('room-overlap', list, out, false, (a, b) => `room ${room} double-booked: ${both(a, b)}`);
}

/** Rule 4: a staff member takes one session at a time. */
export function staffNotDoubleBooked(staff: string, list: Timed[], out: Sink): void {
  pairsOf('staff-overlap', list, out, false, (a, b) => `staff ${staff} double-booked: ${both(a, b)}`);
}

/** Rule 4: nobody works more than their maxMinutesPerWeek. */
export function withinWeeklyMax(staff: string, st: StaffModel, minutes: number, indexes: readonly number[], out: Sink): void {
  if (minutes > st.max) out.report('weekly-max', `staff ${staff} works ${minutes} min a week, maximum ${st.max}`, [...indexes]);
}

/** Rule 5: no student is in two sessions at once (pairs of one class are the same-day rule's). */
export function studentNotDoubleBooked(student: string, list: Timed[], out: Sink): void {
  pairsOf('student-overlap', list, out, true, (a, b) => `student ${student} has ${a.cls} (${at(a)}) and ${b.cls} (${at(b)}) at once`);
}

const both = (a: Timed, b: Timed): string => `sessions[${a.i}] (${a.cls} ${at(a)}) and sessions[${b.i}] (${b.cls} ${at(b)})`;

function pairsOf(rule: RuleName, list: Timed[], out: Sink, apart: boolean, words: (a: Timed, b: Timed) => string): void {
  let listed = 0;
  const total = overlappingPairs(
    list,
    (a, b) => {
      listed++;
      out.report(rule, words(a, b), [a.i, b.i]);
    },
    () => out.wantMore(),
    apart,
  );
  out.more(rule, total - listed);
}

/**
 * Counts pairs of intervals on the same day that overlap (a.s < b.e and b.s < a.e), in
 * O(n log n) however many overlap: sweeping by start, the intervals still running sit in a
 * min-heap by end. Calls onPair for pairs while wantMore() holds. With `apart`, pairs of
 * one class are not counted. Sorts `list` in place.
 */
export function overlappingPairs(list: Timed[], onPair: (a: Timed, b: Timed) => void, wantMore: () => boolean, apart = false): number {
  list.sort((a, b) => a.d - b.d || a.s - b.s || a.e - b.e || a.i - b.i);
  const heap: Timed[] = [];
  const running = new Map<string, number>(); // class → intervals of it in the heap
  const less = (x: number, y: number): boolean => (heap[x] as Timed).e < (heap[y] as Timed).e;
  const swap = (x: number, y: number): void => {
    const t = heap[x] as Timed;
    heap[x] = heap[y] as Timed;
    heap[y] = t;
  };
  const push = (t: Timed): void => {
    heap.push(t);
    for (let j = heap.length - 1; j > 0; ) {
      const parent = (j - 1) >> 1;
      if (!less(j, parent)) break;
      swap(j, parent);
      j = parent;
    }
    if (apart) running.set(t.cls, (running.get(t.cls) ?? 0) + 1);
  };
  const pop = (): void => {
    const top = heap[0] as Timed;
    const last = heap.pop() as Timed;
    if (heap.length) {
      heap[0] = last;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        let m = j;
        if (l < heap.length && less(l, m)) m = l;
        if (l + 1 < heap.length && less(l + 1, m)) m = l + 1;
        if (m === j) break;
        swap(m, j);
        j = m;
      }
    }
    if (apart) running.set(top.cls, (running.get(top.cls) ?? 1) - 1);
  };
  let day = -1;
  let pairs = 0;
  for (const x of list) {
    if (x.d !== day) {
      heap.length = 0;
      running.clear();
      day = x.d;
    }
    while (heap.length && (heap[0] as Timed).e <= x.s) pop();
    const n = heap.length - (apart ? (running.get(x.cls) ?? 0) : 0);
    if (n > 0) {
      pairs += n;
      for (const y of heap) {
        if (!wantMore()) break;
        if (!apart || y.cls !== x.cls) onPair(y, x);
      }
    }
    push(x);
  }
  return pairs;
}

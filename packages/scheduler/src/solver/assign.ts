import { Sat } from './sat';
import { State } from './state';

// Rooms and staff for the sessions whose day and start the timing phase fixed. Placing
// them one at a time, each taking its best free room and staff member, strands sessions
// whose every room (or member) an earlier one took although another would have done for
// that one. Here the hinted sessions are matched in order of start, and a session whose
// rooms are all taken takes one anyway when the session there can move to another room
// free for its whole interval (an augmenting path, as in bipartite matching; intervals
// make it interval-graph colouring with lists). Staff likewise, keeping the weekly maxima.
// Where the paths strand a session, the assignment is made exactly by a SAT solver that
// starts from the matching's answer (per day for rooms; for the week for staff, whose
// weekly maxima join the days). Sessions already in the state (locked, kept) stay where
// they are.

/** Augmenting-path steps per session (a budget, never a clock). */
const STEPS = 4_000;
/** Longest augmenting path, in sessions moved. */
const DEPTH = 12;
/** Conflicts the exact assignment may spend (a day's rooms, or the week's staff). */
const EXACT_CONFLICTS = 20_000;

export interface Matched {
  /** per session, its room, or -1 when none was found */
  room: Int32Array;
  /** per session, its staff member, or -1 when none was found */
  staff: Int32Array;
  /** the exact assignment proved that no rooms (or no staff) exist for these times */
  impossible: boolean;
}

/** Soft wishes tried first: per class a preferred staff member, per session a previous room and member (-1: none). */
export interface Wishes {
  preferred?: Int32Array | null;
  prevRoom?: Int32Array | null;
  prevStaff?: Int32Array | null;
}

/**
 * Rooms and staff for the unassigned sessions with a hinted start (`hint[x]` = d·slots + t,
 * -1 for none): every room free for the whole session and compatible, every member
 * available, free, and within the weekly maximum, counting the state's sessions. A session
 * gets both or neither. `staffHint` (per session, -1 for none) is tried first.
 */
export function matchHinted(s: State, hint: Int32Array, staffHint: Int32Array | null, wishes: Wishes = {}): Matched {
  const m = s.m;
  const D = m.days.length;
  const S = m.slots;
  const n = m.nSessions;
  const roomGrid = Int32Array.from(s.roomAt);
  const staffGrid = Int32Array.from(s.staffAt);
  const load = Float64Array.from(s.load);
  const room = new Int32Array(n).fill(-1);
  const staff = new Int32Array(n).fill(-1);
  const movable = new Uint8Array(n);
  const seen = new Int32Array(n);
  let stamp = 0;
  let steps = 0;

  const xs: number[] = [];
  for (let x = 0; x < n; x++) if (!s.isAssigned(x) && (hint[x] as number) >= 0) xs.push(x);
  xs.sort((a, b) => (hint[a] as number) - (hint[b] as number) || a - b);
  for (const x of xs) movable[x] = 1;

  const dayOf = (x: number): number => ((hint[x] as number) / S) | 0;
  const startOf = (x: number): number => (hint[x] as number) - dayOf(x) * S;
  const lenOf = (x: number): number => m.length[m.classOf[x] as number] as number;
  const minutesOf = (x: number): number => m.minutes[m.classOf[x] as number] as number;

  /** the one session in cells [at, at + len) of a grid: -1 when none, -2 when more than one */
  const occupant = (grid: Int32Array, at: number, len: number): number => {
    let y = -1;
    for (let k = at; k < at + len; k++) {
      const z = grid[k] as number;
      if (z < 0 || z === y) continue;
      if (y >= 0) return -2;
      y = z;
    }
    return y;
  };

  const putRoom = (x: number, r: number, who: number): void => {
    const at = (r * D + dayOf(x)) * S + startOf(x);
    roomGrid.fill(who, at, at + lenOf(x));
    room[x] = who >= 0 ? r : -1;
  };

  const roomOrder = (x: number): Int32Array | number[] => {
    const rooms = m.roomsOf[m.classOf[x] as number] as Int32Array;
    const was = wishes.prevRoom ? (wishes.prevRoom[x] as number) : -1;
    return was >= 0 && rooms.includes(was) ? [was, ...Array.from(rooms).filter((r) => r !== was)] : rooms;
  };

  const placeRoom = (x: number, depth: number): boolean => {
    const rooms = roomOrder(x);
    const d = dayOf(x);
    const t = startOf(x);
    const len = lenOf(x);
    for (const r of rooms) {
      if (State.free(roomGrid, (r * D + d) * S + t, len)) {
        putRoom(x, r, x);
        return true;
      }
    }
    if (depth >= DEPTH) return false;
    for (const r of rooms) {
      if (++steps > STEPS) return false;
      const y = occupant(roomGrid, (r * D + d) * S + t, len);
      if (y < 0 || !movable[y] || seen[y] === stamp) continue;
      seen[y] = stamp;
      putRoom(y, r, -1);
      putRoom(x, r, x);
      if (placeRoom(y, depth + 1)) return true;
      putRoom(x, r, -1);
      putRoom(y, r, y);
    }
    return false;
  };

  /** per staff member, the matched sessions they take */
  const ofStaff = m.staffIds.map(() => new Set<number>());
  const putStaff = (x: number, p: number, who: number): void => {
    const at = (p * D + dayOf(x)) * S + startOf(x);
    staffGrid.fill(who, at, at + lenOf(x));
    staff[x] = who >= 0 ? p : -1;
    load[p] = (load[p] as number) + (who >= 0 ? minutesOf(x) : -minutesOf(x));
    if (who >= 0) (ofStaff[p] as Set<number>).add(x);
    else (ofStaff[p] as Set<number>).delete(x);
  };

  const staffOrder = (x: number): number[] => {
    const list = Array.from(m.staffOf[m.classOf[x] as number] as Int32Array);
    const h = staffHint ? (staffHint[x] as number) : -1;
    const wish = wishes.preferred ? (wishes.preferred[m.classOf[x] as number] as number) : -1;
    const was = wishes.prevStaff ? (wishes.prevStaff[x] as number) : -1;
    const rank = (p: number): number => (p === wish ? 0 : p === was ? 1 : p === h ? 2 : 3);
    // the preferred member, the previous one, the hinted one, then the least loaded
    return list.sort((a, b) => rank(a) - rank(b) || (load[a] as number) - (load[b] as number) || a - b);
  };

  const placeStaff = (x: number, depth: number): boolean => {
    const d = dayOf(x);
    const t = startOf(x);
    const len = lenOf(x);
    const end = m.base + (t + len) * m.unit;
    const minutes = minutesOf(x);
    const list = staffOrder(x).filter((p) => (m.availEnd[(p * D + d) * S + t] as number) >= end);
    for (const p of list) {
      if ((load[p] as number) + minutes <= (m.staffMax[p] as number) && State.free(staffGrid, (p * D + d) * S + t, len)) {
        putStaff(x, p, x);
        return true;
      }
    }
    if (depth >= DEPTH) return false;
    for (const p of list) {
      if (++steps > STEPS) return false;
      const y = occupant(staffGrid, (p * D + d) * S + t, len);
      // free then but over the weekly maximum: another of p's sessions moves to someone else
      const ys = y === -1 ? [...(ofStaff[p] as Set<number>)] : [y];
      for (const z of ys) {
        if (z < 0 || !movable[z] || seen[z] === stamp) continue;
        if ((load[p] as number) - minutesOf(z) + minutes > (m.staffMax[p] as number)) continue;
        if (++steps > STEPS) return false;
        seen[z] = stamp;
        putStaff(z, p, -1);
        putStaff(x, p, x);
        if (placeStaff(z, depth + 1)) return true;
        putStaff(x, p, -1);
        putStaff(z, p, z);
      }
    }
    return false;
  };

  const interval = (x: number): Interval => ({ d: dayOf(x), t: startOf(x), len: lenOf(x) });
  for (const x of xs) {
    stamp++;
    steps = 0;
    seen[x] = stamp;
    placeRoom(x, 0);
  }
  // a day with a stranded session: its rooms exactly, where the sessions placed before leave room
  let impossible = false;
  const strandedDays = new Set(xs.filter((x) => (room[x] as number) < 0).map(dayOf));
  for (const d of strandedDays) {
    const day = xs.filter((x) => dayOf(x) === d);
    const rooms = (x: number): number[] => Array.from(roomOrder(x)).filter((r) => State.free(s.roomAt, (r * D + d) * S + startOf(x), lenOf(x)));
    const got = exactly(day, rooms, interval, room, S);
    if (got === 'impossible') impossible = true;
    if (!(got instanceof Map)) continue;
    for (const x of day) if ((room[x] as number) >= 0) putRoom(x, room[x] as number, -1);
    for (const x of day) putRoom(x, got.get(x) as number, x);
  }
  const roomed = xs.filter((x) => (room[x] as number) >= 0);
  for (const x of roomed) {
    stamp++;
    steps = 0;
    seen[x] = stamp;
    placeStaff(x, 0);
  }
  if (roomed.some((x) => (staff[x] as number) < 0)) {
    const members = (x: number): number[] => {
      const end = m.base + (startOf(x) + lenOf(x)) * m.unit;
      const at = dayOf(x) * S + startOf(x);
      return staffOrder(x).filter((p) => (m.availEnd[p * D * S + at] as number) >= end && State.free(s.staffAt, p * D * S + at, lenOf(x)));
    };
    const weekly = { weight: minutesOf, left: (p: number): number => (m.staffMax[p] as number) - (s.load[p] as number) };
    const got = exactly(roomed, members, interval, staff, S, weekly);
    if (got === 'impossible') impossible = true;
    if (got instanceof Map) {
      for (const x of roomed) if ((staff[x] as number) >= 0) putStaff(x, staff[x] as number, -1);
      for (const x of roomed) putStaff(x, got.get(x) as number, x);
    }
  }
  for (const x of roomed) if ((staff[x] as number) < 0) putRoom(x, room[x] as number, -1);
  return { room, staff, impossible };
}

interface Interval {
  d: number;
  t: number;
  len: number;
}

/**
 * One resource (room or staff member) for each session, from its options, none in two
 * overlapping sessions, and within weekly limits when given: by SAT, with `current` (the
 * matching's answer, -1 for none) as the first phase, so that the solver repairs around
 * the stranded sessions. `impossible` when there is none (a session has no options, or
 * the solver proved it), null when none was found within the budget.
 */
function exactly(
  xs: readonly number[],
  options: (x: number) => readonly number[],
  at: (x: number) => Interval,
  current: Int32Array,
  S: number,
  limit?: { weight: (x: number) => number; left: (p: number) => number },
): Map<number, number> | 'impossible' | null {
  const sat = new Sat();
  const vars: { x: number; o: number; v: number }[][] = [];
  const byResource = new Map<number, { v: number; x: number }[]>();
  for (const x of xs) {
    const opts = options(x);
    if (!opts.length) return 'impossible';
    const row = opts.map((o) => ({ x, o, v: sat.newVar(current[x] === o) }));
    vars.push(row);
    sat.addClause(row.map((e) => 2 * e.v));
    sat.addAtMost(
      row.map((e) => 2 * e.v),
      1,
    );
    for (const e of row) byResource.get(e.o)?.push(e) ?? byResource.set(e.o, [e]);
  }
  for (const [o, uses] of byResource) {
    // overlapping sessions: at every start, at most one of those running then
    const starts = new Set(uses.map(({ x }) => at(x).d * S + at(x).t));
    for (const k of starts) {
      const lits: number[] = [];
      for (const { x, v } of uses) {
        const { d, t, len } = at(x);
        if (d * S + t <= k && k < d * S + t + len) lits.push(2 * v);
      }
      if (lits.length > 1 && !sat.addAtMost(lits, 1)) return 'impossible';
    }
    if (limit && !sat.addAtMost(
      uses.map(({ v }) => 2 * v),
      limit.left(o),
      uses.map(({ x }) => limit.weight(x)),
    ))
      return 'impossible';
  }
  const res = sat.solve(EXACT_CONFLICTS);
  if (res !== true) return res === false ? 'impossible' : null;
  const out = new Map<number, number>();
  for (const row of vars) for (const e of row) if (sat.isTrue(e.v)) out.set(e.x, e.o);
  return out;
}

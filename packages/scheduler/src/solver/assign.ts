import { State } from './state';

// Rooms and staff for the sessions whose day and start the timing phase fixed. Placing
// them one at a time, each taking its best free room and staff member, strands sessions
// whose every room (or member) an earlier one took although another would have done for
// that one. Here the hinted sessions are matched in order of start, and a session whose
// rooms are all taken takes one anyway when the session there can move to another room
// free for its whole interval (an augmenting path, as in bipartite matching; intervals
// make it interval-graph colouring with lists). Staff likewise, keeping the weekly maxima.
// Sessions already in the state (locked, kept) stay where they are.

/** Augmenting-path steps per session (a budget, never a clock). */
const STEPS = 4_000;
/** Longest augmenting path, in sessions moved. */
const DEPTH = 12;

export interface Matched {
  /** per session, its room, or -1 when none was found */
  room: Int32Array;
  /** per session, its staff member, or -1 when none was found */
  staff: Int32Array;
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

  for (const x of xs) {
    stamp++;
    steps = 0;
    seen[x] = stamp;
    if (!placeRoom(x, 0)) continue;
    stamp++;
    steps = 0;
    seen[x] = stamp;
    if (!placeStaff(x, 0)) putRoom(x, room[x] as number, -1);
  }
  return { room, staff };
}

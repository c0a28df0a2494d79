import type { CheckModel } from '../check/model';
import { checkWith } from '../check/check';
import type { Session } from '../schema';
import { parseHHMM } from '../time';
import type { SolverModel } from './model';
import type { Infeasible } from './proofs';
import type { Previous } from './search';
import { State } from './state';

// Sessions that enter the search already placed: locked ones (never moved) and, in
// repair mode, those of the previous timetable that still obey every rule.

export interface Placement {
  c: number;
  d: number;
  t: number;
  r: number;
  p: number;
}

/** The solver's coordinates of a session that obeys every rule about itself alone, or null. */
export function placementOf(m: SolverModel, x: Session): Placement | null {
  const c = m.classIndex.get(x.class);
  const d = m.dayIndex.get(x.day);
  const r = m.roomIndex.get(x.room);
  const p = m.staffIndex.get(x.staff);
  const s = parseHHMM(x.start);
  const e = parseHHMM(x.end);
  if (c === undefined || d === undefined || r === undefined || p === undefined || s === null || e === null) return null;
  if (e - s !== m.minutes[c] || (s - m.base) % m.unit !== 0) return null;
  const t = (s - m.base) / m.unit;
  if (!(m.candidates[c] as Int32Array).includes(d * m.slots + t)) return null; // grid, earliest start, dayEnd
  if (!(m.roomsOf[c] as Int32Array).includes(r) || !(m.staffOf[c] as Int32Array).includes(p)) return null;
  if ((m.availEnd[(p * m.days.length + d) * m.slots + t] as number) < e) return null;
  return { c, d, t, r, p };
}

/** A free session variable of class c, or -1 when all are placed. */
function freeSessionOf(state: State, c: number): number {
  const m = state.m;
  for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) if (!state.isAssigned(x)) return x;
  return -1;
}

/** true when placing class c at (d, t, r, p) clashes with nothing placed and stays within p's week. */
function fits(state: State, at: Placement): boolean {
  const m = state.m;
  const D = m.days.length;
  const S = m.slots;
  const len = m.length[at.c] as number;
  return (
    (state.classDay[at.c * D + at.d] as number) < 0 &&
    State.free(state.roomAt, (at.r * D + at.d) * S + at.t, len) &&
    State.free(state.staffAt, (at.p * D + at.d) * S + at.t, len) &&
    state.studentsFree(at.c, at.d, at.t, len) &&
    (state.load[at.p] as number) + (m.minutes[at.c] as number) <= (m.staffMax[at.p] as number)
  );
}

/** Places and freezes locked sessions; when they break a rule (alone or together), says which and why. */
export function placeLocked(state: State, cm: CheckModel, locked: readonly Session[]): Infeasible | null {
  if (!locked.length) return null;
  const verdict = checkWith(cm, { sessions: locked });
  const broken = verdict.violations.find((v) => {
    if (v.rule !== 'session-count') return true;
    const cls = locked[v.sessions[0] ?? -1]?.class;
    return v.sessions.length > (cm.classes.get(cls ?? '')?.sessions ?? 0);
  });
  if (broken) {
    const i = broken.sessions[0] ?? 0;
    const id = locked[i]?.class ?? '';
    return { reason: `locked session ${describe(locked[i])} breaks rule '${broken.rule}': ${broken.message}`, culprit: { kind: 'locked', id } };
  }
  for (const [i, x] of locked.entries()) {
    const at = placementOf(state.m, x);
    const v = at ? freeSessionOf(state, at.c) : -1;
    if (!at || v < 0 || !fits(state, at)) {
      return { reason: `locked session ${describe(x)} cannot be kept (sessions[${i}] of the locks)`, culprit: { kind: 'locked', id: x.class } };
    }
    state.assign(v, at.d, at.t, at.r, at.p);
    state.frozen[v] = 1;
  }
  return null;
}

/** Places the previous timetable's sessions that still obey every rule; returns where each placed one stood. */
export function keepPrevious(state: State, previous: readonly Session[]): Previous {
  const n = state.m.nSessions;
  const prev: Previous = {
    d: new Int32Array(n).fill(-1),
    t: new Int32Array(n).fill(-1),
    r: new Int32Array(n).fill(-1),
    p: new Int32Array(n).fill(-1),
  };
  for (const x of previous) {
    const at = placementOf(state.m, x);
    if (!at || !fits(state, at)) continue;
    const v = freeSessionOf(state, at.c);
    if (v < 0) continue;
    state.assign(v, at.d, at.t, at.r, at.p);
    prev.d[v] = at.d;
    prev.t[v] = at.t;
    prev.r[v] = at.r;
    prev.p[v] = at.p;
  }
  return prev;
}

const describe = (x: Session | undefined): string => (x ? `${x.class} ${x.day} ${x.start}-${x.end} in ${x.room} with ${x.staff}` : '?');

/** Sessions the soft goals may not move: locked ones, and in repair mode those still where they were. */
export function pinnedSessions(state: State, prev: Previous | null): Uint8Array {
  const pinned = Uint8Array.from(state.frozen);
  if (prev) {
    for (let x = 0; x < state.m.nSessions; x++) {
      if (prev.d[x] === state.day[x] && prev.t[x] === state.start[x] && prev.r[x] === state.room[x] && prev.p[x] === state.staff[x]) pinned[x] = 1;
    }
  }
  return pinned;
}

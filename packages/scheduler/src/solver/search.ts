import type { Random } from '../random';
import { KIND } from './model';
import { matchHinted } from './assign';
import { State } from './state';

// Placing sessions, in two phases.
//
// 1. Construction: sessions, most constrained first, each take their best conflict-free
//    value (day, start, room, staff) by the soft goals; those without one wait.
// 2. Repair, a tabu search over partial timetables (after PartialCol for graph
//    colouring): every step looks at a few waiting sessions, gives the one with the
//    cheapest move its value and ejects the sessions that clash with it. The state always
//    obeys every hard rule; only the set of waiting sessions shrinks and grows. A session
//    ejected from a spot may not return there for a while (tenure grows with the waiting
//    set), unless it could do so without a clash.
// A session kept from the previous timetable (repair mode) is expensive to eject and a
// locked one cannot be ejected at all.

/** Where a session stood in the previous timetable (repair mode), -1 for none. */
export interface Previous {
  d: Int32Array;
  t: Int32Array;
  r: Int32Array;
  p: Int32Array;
}

/** Suggested starts and staff from the timing phase (per session, -1 for none). */
export interface Hint {
  start: Int32Array;
  staff: Int32Array;
  /** assign rooms and staff to the hinted starts by matching (the hint is per-slot feasible for them) */
  match?: boolean;
}

export interface SearchResult {
  complete: boolean;
  iterations: number;
  /** sessions left without a place when the search gave up */
  unplaced: number[];
  /** how often each session was ejected */
  ejections: Int32Array;
}

const INF = Number.POSITIVE_INFINITY;
const CONFLICT = 10_000; // ejecting one session
const EJECTED = 2000; // … more for each time it was ejected before (sessions that keep being ejected are the hard ones)
const EJECTED_CAP = 100;
const AGAIN = 3_000; // … more for each time the session being placed ejected it before
const KEPT = 100_000; // ejecting one that stands where the previous timetable had it
const ADJACENT = 1_000; // a sibling session on the day before or after
const EDGE = 4; // per slot between the session and the nearest end of its possible window
const OTHER_ROOM = 30; // not the room of the class's other sessions
const OTHER_STAFF = 30; // not the staff member of the class's other sessions
const NOT_TEACHER = 10; // a volunteer or external where a teacher could take it
const NOT_PREFERRED = 60; // not the staff member the admin asked for
const LOAD = 1 / 8; // per minute the staff member already works
const PREVIOUS = -600; // the spot the session had in the previous timetable
const HINTED = -3_000; // the start the timing phase found (students free of overlaps)
const JITTER = 3;
const ROOMS_TRIED = 6; // free rooms compared for the best fit
const SLIVER = 9; // slots: a gap shorter than this (45 min at 5-min slots) is hard to use …
const SLIVER_COST = 8; // … and costs this much per missing slot
const SAMPLE = 6;
const TOP = 4; // cheapest values tried with ejection chains per repair step
const RELOCATED = 1_000; // a session in the way that moves to a free spot // waiting sessions looked at per repair step
const TENURE = 0.6; // tabu tenure: this share of the waiting sessions, plus up to TENURE_RANDOM
const TENURE_RANDOM = 10;
const SPREAD_ROUNDS = 10; // passes of spreadDays
const SPREAD_TRIALS = 40; // ejection-chain trials spreadDays may make, per session (a budget, not a clock)
// … and in a row without a move, with students: there a chain almost never works (a
// 20,000-student school spent 6 s on 84,600 trials that moved nothing). Without students no
// such limit: in tight schools (staff hours that hug the sessions) the moves came thousands
// of trials apart, and stopping after 2,000 idle ones left 37 pairs on a 5,000-student
// school where the budget brought them to 9 in 0.15 s more
const SPREAD_PATIENCE = 2_000;

// Repair steps spreadDays may take after moving a session away from its siblings, per
// session, in schools without students (with students they cost seconds and moved nothing:
// 20,000 students, 35 s for one pair fewer; 2,000 students, seeds 1–6, no pair fewer) …
const SPREAD_REPAIR = 50;
const REPAIR_STEPS = 100; // … and after one move at most

// Repair steps for a search whose hinted sessions provably have no rooms or no staff (the
// exact assignment of the hinted times is UNSAT): it can still complete by moving them,
// but new times usually come sooner.
const HOPELESS_STEPS = 2_000;

interface Move {
  x: number;
  d: number;
  t: number;
  r: number;
  p: number;
  /** sessions in the way */
  clash: number[];
  /** those of them that move to a free spot: [session, d, t, r, p] */
  moves: (readonly [number, number, number, number, number])[];
  /** ejection weight of all the sessions in the way */
  ejectWeight: number;
  /** ejection weight of those that cannot move, plus RELOCATED for each that can */
  cost: number;
}

/** The K cheapest values offered (session, day, start, room, staff), unordered. */
class TopK {
  size = 0;
  readonly soft: Float64Array;
  readonly x: Int32Array;
  readonly d: Int32Array;
  readonly t: Int32Array;
  readonly r: Int32Array;
  readonly p: Int32Array;
  constructor(readonly k: number) {
    this.soft = new Float64Array(k);
    this.x = new Int32Array(k);
    this.d = new Int32Array(k);
    this.t = new Int32Array(k);
    this.r = new Int32Array(k);
    this.p = new Int32Array(k);
  }
  clear(): void {
    this.size = 0;
  }
  /** offers cost at or above this are not kept */
  bound(): number {
    if (this.size < this.k) return INF;
    let worst = 0;
    for (let i = 0; i < this.size; i++) worst = Math.max(worst, this.soft[i] as number);
    return worst;
  }
  offer(cost: number, x: number, d: number, t: number, r: number, p: number): void {
    let i = this.size;
    if (i === this.k) {
      i = 0;
      for (let j = 1; j < this.k; j++) if ((this.soft[j] as number) > (this.soft[i] as number)) i = j;
      if (cost >= (this.soft[i] as number)) return;
    } else this.size++;
    this.soft[i] = cost;
    this.x[i] = x;
    this.d[i] = d;
    this.t[i] = t;
    this.r[i] = r;
    this.p[i] = p;
  }
}

export class Search {
  private readonly s: State;
  private readonly rng: Random;
  private readonly prev: Previous | null;
  readonly ejections: Int32Array;
  private readonly teacherCan: Uint8Array;
  /** waiting sessions, and each one's index in the list (-1: placed) */
  private readonly waiting: number[] = [];
  private readonly waitAt: Int32Array;
  /** [x·days + d] → iteration until which x may not return near tabuStart on day d */
  private readonly tabuUntil: Int32Array;
  private readonly tabuStart: Int32Array;
  private iteration = 0;
  /** true while improving soft goals (hints no longer matter) */
  private polishing = false;
  // the value chosen by the last select…()
  private vd = -1;
  private vt = -1;
  private vr = -1;
  private vp = -1;
  private readonly clash: number[] = [];
  private readonly top = new TopK(TOP);
  /** conflict statistics: how often placing session x ejected session y, keyed x·n + y */
  private readonly pairs = new Map<number, number>();
  /** the session whose value is being chosen */
  private current = -1;
  /** ejection-chain trials left to spreadDays */
  private chainTrials = 0;
  /** ejection-chain trials since spreadDays last moved a session */
  private idleTrials = 0;
  /** repair steps left to spreadDays */
  private repairSteps = 0;
  /** while spreadDays runs: sessions no move may eject (pinned, and the one being moved) */
  private held: Uint8Array | null = null;
  /** idle trials spreadDays may make in a row: SPREAD_PATIENCE where classes share students, no limit elsewhere */
  private readonly patience: number;

  /** per session, d·slots + t of a suggested start (from the timing phase), or -1 */
  private readonly hint: Int32Array | null;
  /** per session, a suggested staff member (from the timing phase), or -1 */
  private readonly staffHint: Int32Array | null;
  /** the hinted times have no rooms or no staff (proved by the exact assignment): searching on from them is hopeless */
  hintImpossible = false;
  /** true: construct() matches rooms and staff to the hinted starts */
  private readonly matchHint: boolean;
  /** per class, the staff member the admin prefers, or -1 */
  private readonly preferred: Int32Array | null;

  constructor(
    state: State,
    rng: Random,
    prev: Previous | null,
    hint: Hint | null = null,
    preferred: Int32Array | null = null,
  ) {
    this.s = state;
    this.rng = rng;
    this.prev = prev;
    this.hint = hint?.start ?? null;
    this.staffHint = hint?.staff ?? null;
    this.matchHint = hint?.match ?? false;
    this.preferred = preferred;
    const m = state.m;
    this.ejections = new Int32Array(m.nSessions);
    this.waitAt = new Int32Array(m.nSessions).fill(-1);
    this.tabuUntil = new Int32Array(m.nSessions * m.days.length);
    this.tabuStart = new Int32Array(m.nSessions * m.days.length);
    this.teacherCan = Uint8Array.from(m.staffOf, (list) => (list.some((p) => m.staffKind[p] === KIND.teacher) ? 1 : 0));
    this.patience = state.blocked ? SPREAD_PATIENCE : Infinity;
  }

  /** Places every unplaced session, or gives up after maxIterations repair steps. */
  run(maxIterations: number): SearchResult {
    this.construct();
    const iterations = this.repair(this.hintImpossible ? Math.min(maxIterations, HOPELESS_STEPS) : maxIterations);
    return { complete: this.waiting.length === 0, iterations, unplaced: [...this.waiting], ejections: this.ejections };
  }

  /** Repair steps until no session waits or maxIterations are done; returns how many it took. */
  private repair(maxIterations: number): number {
    let iterations = 0;
    const pick: number[] = [];
    while (this.waiting.length > 0 && iterations < maxIterations) {
      iterations++;
      this.iteration++;
      this.sample(pick);
      const top = this.top;
      top.clear();
      for (const x of pick) this.selectLeastConflict(x, true);
      for (let i = 0; top.size === 0 && i < pick.length; i++) this.selectLeastConflict(pick[i] as number, false); // all tabu: take one anyway
      if (top.size === 0) break; // locked sessions take every spot of every sampled session
      this.applyBest();
    }
    return iterations;
  }

  /** Tries the values in `top` with ejection chains and carries out the cheapest; false when none can be tried. */
  private applyBest(): boolean {
    const top = this.top;
    let best = INF;
    let bestMove: Move | null = null;
    for (let i = 0; i < top.size; i++) {
      const move = this.trial(top.x[i] as number, top.d[i] as number, top.t[i] as number, top.r[i] as number, top.p[i] as number);
      if (!move) continue;
      const cost = (top.soft[i] as number) - move.ejectWeight + move.cost; // the clashes, now costed with the chains
      if (cost < best) {
        best = cost;
        bestMove = move;
      }
    }
    if (bestMove) this.apply(bestMove);
    return bestMove !== null;
  }

  /**
   * Soft goal 1, after every session is placed: moves sessions of classes that meet on two
   * consecutive days to days apart from their siblings — into a free spot, or into one
   * whose occupants can all move to free spots without making things worse, or (without
   * students) into one whose occupants the repair search places again, keeping the move
   * when the pairs of the school do not grow (so the pair may move on to a class that can
   * shed it in a later round). Pinned sessions (locked, or kept from the previous
   * timetable) stay.
   */
  spreadDays(pinned: Uint8Array): void {
    const s = this.s;
    const m = s.m;
    this.polishing = true;
    this.chainTrials = SPREAD_TRIALS * m.nSessions;
    this.idleTrials = 0;
    this.repairSteps = s.blocked ? 0 : SPREAD_REPAIR * m.nSessions;
    this.held = Uint8Array.from(pinned);
    // a few rounds: a move in one round can open a spot for another class in the next
    for (let round = 0, moved = true; moved && round < SPREAD_ROUNDS; round++) {
      moved = false;
      for (let c = 0; c < m.classIds.length; c++) {
        if ((m.sessionsOf[c] as number) < 2 || adjacentPairs(s, c) === 0) continue;
        for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) {
          if (pinned[x] || !this.nextToSibling(x, c)) continue;
          if (!this.moveFree(x) && !this.moveWithChain(x, c) && !this.moveWithRepair(x, c)) continue;
          moved = true;
          this.idleTrials = 0;
          if (adjacentPairs(s, c) === 0) break;
        }
      }
    }
    this.polishing = false;
    this.held = null;
  }

  /** true when day d (x's own by default) is next to the day of another session of x's class. */
  private nextToSibling(x: number, c: number, d = this.s.day[x] as number): boolean {
    const s = this.s;
    const m = s.m;
    const week = m.weekNo[d] as number;
    for (let y = m.firstSession[c] as number; y < (m.firstSession[c + 1] as number); y++) {
      if (y !== x && s.isAssigned(y) && Math.abs((m.weekNo[s.day[y] as number] as number) - week) === 1) return true;
    }
    return false;
  }

  /**
   * Moves x to a day away from its class's other sessions, ejecting whatever is in the way
   * (x and the pinned sessions held), and lets the repair search place the ejected sessions
   * again. Kept when every session has a place, x's class has fewer pairs and the school
   * no more; undone otherwise. True when kept.
   */
  private moveWithRepair(x: number, c: number): boolean {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    if (this.repairSteps <= 0) return false;
    // days with no session of the class, none next to them (x's own day aside)
    let away = 0;
    for (let d = 0; d < D; d++) if (d !== s.day[x] && (s.classDay[c * D + d] as number) < 0 && !this.nextToSibling(x, c, d)) away |= 1 << d;
    if (away === 0) return false;
    const before = totalPairs(s);
    const own = adjacentPairs(s, c);
    const was = [Int32Array.from(s.day), Int32Array.from(s.start), Int32Array.from(s.room), Int32Array.from(s.staff)] as const;
    s.unassign(x);
    this.wait(x);
    this.top.clear();
    this.selectLeastConflict(x, false, away);
    this.repairSteps--;
    if (this.applyBest()) {
      const held = this.held as Uint8Array;
      held[x] = 1;
      this.repairSteps -= this.repair(Math.min(REPAIR_STEPS, this.repairSteps));
      held[x] = 0;
      if (this.waiting.length === 0 && totalPairs(s) <= before && adjacentPairs(s, c) < own) return true;
    }
    // undo: every session back where it was
    while (this.waiting.length > 0) this.unwait(this.waiting[this.waiting.length - 1] as number);
    const [day, start, room, staff] = was;
    const changed: number[] = [];
    for (let y = 0; y < m.nSessions; y++) {
      if (s.day[y] === day[y] && s.start[y] === start[y] && s.room[y] === room[y] && s.staff[y] === staff[y]) continue;
      changed.push(y);
      if (s.isAssigned(y)) s.unassign(y);
    }
    for (const y of changed) s.assign(y, day[y] as number, start[y] as number, room[y] as number, staff[y] as number);
    return false;
  }

  /** Moves x to its best free spot if that lowers its class's consecutive days; true when it did. */
  private moveFree(x: number): boolean {
    const s = this.s;
    const c = s.m.classOf[x] as number;
    const before = adjacentPairs(s, c);
    const old = [s.day[x] as number, s.start[x] as number, s.room[x] as number, s.staff[x] as number] as const;
    s.unassign(x);
    if (this.selectFree(x)) {
      s.assign(x, this.vd, this.vt, this.vr, this.vp);
      if (adjacentPairs(s, c) < before) return true;
      s.unassign(x);
    }
    s.assign(x, old[0], old[1], old[2], old[3]);
    return false;
  }

  /** Moves x to a spot whose occupants all move to free spots, if consecutive days drop overall; true when it did. */
  private moveWithChain(x: number, c: number): boolean {
    const s = this.s;
    const m = s.m;
    const held = this.held as Uint8Array;
    const D = m.days.length;
    const S = m.slots;
    const len = m.length[c] as number;
    const old = [s.day[x] as number, s.start[x] as number, s.room[x] as number, s.staff[x] as number] as const;
    const ownBefore = adjacentPairs(s, c);
    if (this.chainTrials <= 0 || this.idleTrials >= this.patience) return false;
    s.unassign(x);
    for (const cand of m.candidates[c] as Int32Array) {
      const d = (cand / S) | 0;
      const t = cand - d * S;
      if (d === old[0] || (s.classDay[c * D + d] as number) >= 0) continue;
      if (!s.studentsFree(c, d, t, len)) {
        // students in the way: only worth it when their sessions can all move
        const inWay: number[] = [];
        s.studentClashes(c, d, t, len, inWay);
        if (inWay.some((y) => held[y] || s.frozen[y])) continue;
      }
      const end = m.base + (t + len) * m.unit;
      // the class's own room first, then the best-fitting others; every staff member free then
      const rooms = [old[2], ...Array.from(m.roomsOf[c] as Int32Array).filter((r) => r !== old[2]).slice(0, ROOMS_TRIED)];
      for (const p of m.staffOf[c] as Int32Array) {
        if ((m.availEnd[(p * D + d) * S + t] as number) < end) continue;
        for (const r of rooms) {
          const clash = this.clashesOf(x, d, t, r, p);
          if (!clash || clash.some((y) => held[y] || s.frozen[y])) continue;
          if (this.chainTrials-- <= 0 || this.idleTrials++ >= this.patience) break;
          const move = this.trial(x, d, t, r, p);
          if (!move || move.moves.length !== clash.length) continue;
          const others = new Set(clash.map((y) => m.classOf[y] as number).filter((k) => k !== c));
          let before = ownBefore;
          for (const k of others) before += adjacentPairs(s, k);
          const clashOld = clash.map((y) => [s.day[y] as number, s.start[y] as number, s.room[y] as number, s.staff[y] as number] as const);
          for (const y of clash) s.unassign(y);
          s.assign(x, d, t, r, p);
          for (const [y, yd, yt, yr, yp] of move.moves) s.assign(y, yd, yt, yr, yp);
          let after = adjacentPairs(s, c);
          for (const k of others) after += adjacentPairs(s, k);
          if (after < before) return true;
          for (const [y] of move.moves) s.unassign(y);
          s.unassign(x);
          clash.forEach((y, i) => {
            const [yd, yt, yr, yp] = clashOld[i] as readonly [number, number, number, number];
            s.assign(y, yd, yt, yr, yp);
          });
        }
      }
    }
    s.assign(x, old[0], old[1], old[2], old[3]);
    return false;
  }

  private construct(): void {
    const m = this.s.m;
    const key = difficulty(this.s, this.rng);
    const order: number[] = [];
    for (let x = 0; x < m.nSessions; x++) if (!this.s.isAssigned(x)) order.push(x);
    order.sort((a, b) => (key[a] as number) - (key[b] as number) || a - b);
    const hint = this.hint;
    if (hint && this.matchHint) {
      // rooms and staff for the hinted starts by matching, before anyone takes them greedily
      const matched = matchHinted(this.s, hint, this.staffHint, {
        preferred: this.preferred,
        prevRoom: this.prev?.r ?? null,
        prevStaff: this.prev?.p ?? null,
      });
      this.hintImpossible = matched.impossible;
      const D = m.days.length;
      const S = m.slots;
      for (const x of order) {
        const r = matched.room[x] as number;
        const p = matched.staff[x] as number;
        if (r < 0 || p < 0) continue;
        const c = m.classOf[x] as number;
        const len = m.length[c] as number;
        const d = ((hint[x] as number) / S) | 0;
        const t = (hint[x] as number) - d * S;
        const s = this.s;
        if (
          (s.classDay[c * D + d] as number) < 0 &&
          s.studentsFree(c, d, t, len) &&
          State.free(s.roomAt, (r * D + d) * S + t, len) &&
          State.free(s.staffAt, (p * D + d) * S + t, len) &&
          (s.load[p] as number) + (m.minutes[c] as number) <= (m.staffMax[p] as number)
        )
          s.assign(x, d, t, r, p);
      }
    }
    for (const x of order) {
      if (this.s.isAssigned(x)) continue;
      // with hints, a session that cannot take its own waits: elsewhere it would take others' starts
      const at = hint ? (hint[x] as number) : -1;
      if (at >= 0 ? this.selectFree(x, at) : this.selectFree(x)) this.s.assign(x, this.vd, this.vt, this.vr, this.vp);
      else this.wait(x);
    }
  }

  /** Up to SAMPLE waiting sessions, at random. */
  private sample(out: number[]): void {
    out.length = 0;
    const w = this.waiting;
    if (w.length <= SAMPLE) {
      for (const x of w) out.push(x);
      return;
    }
    while (out.length < SAMPLE) {
      const x = w[this.rng.below(w.length)] as number;
      if (!out.includes(x)) out.push(x);
    }
  }

  private wait(x: number): void {
    this.waitAt[x] = this.waiting.length;
    this.waiting.push(x);
  }

  private unwait(x: number): void {
    const i = this.waitAt[x] as number;
    const last = this.waiting.pop() as number;
    if (last !== x) {
      this.waiting[i] = last;
      this.waitAt[last] = i;
    }
    this.waitAt[x] = -1;
  }

  private weight(y: number): number {
    const s = this.s;
    if (s.frozen[y] || this.held?.[y]) return INF;
    const prev = this.prev;
    const w = CONFLICT + EJECTED * Math.min(this.ejections[y] as number, EJECTED_CAP);
    if (prev && prev.d[y] === s.day[y] && prev.t[y] === s.start[y] && prev.r[y] === s.room[y] && prev.p[y] === s.staff[y]) return w + KEPT;
    return w;
  }

  /** Soft cost of starting session x (class c) at slot t of day d, before room and staff. */
  private timeCost(x: number, c: number, d: number, t: number): number {
    const m = this.s.m;
    const D = m.days.length;
    let cost = 0;
    if ((m.sessionsOf[c] as number) > 1) {
      const week = m.weekNo[d] as number;
      for (let e = 0; e < D; e++) {
        if (e === d || (this.s.classDay[c * D + e] as number) < 0) continue;
        const gap = (m.weekNo[e] as number) - week;
        if (gap === 1 || gap === -1) cost += ADJACENT;
      }
    }
    const first = m.firstStart[c * D + d] as number;
    cost += EDGE * (m.slots - t - (m.length[c] as number));
    const prev = this.prev;
    if (prev && prev.d[x] === d && prev.t[x] === t) cost += PREVIOUS;
    if (this.hint && !this.polishing && this.hint[x] === d * m.slots + t) cost += HINTED;
    return cost + this.rng.next() * JITTER;
  }

  /** Another placed session of x's class, whose room and staff x should share, or -1. */
  private sibling(x: number, c: number): number {
    const m = this.s.m;
    for (let y = m.firstSession[c] as number; y < (m.firstSession[c + 1] as number); y++) if (y !== x && this.s.isAssigned(y)) return y;
    return -1;
  }

  private staffCost(x: number, c: number, p: number, siblingStaff: number): number {
    const s = this.s;
    let cost = (s.load[p] as number) * LOAD;
    if (siblingStaff >= 0 && p !== siblingStaff) cost += OTHER_STAFF;
    if (s.m.staffKind[p] !== KIND.teacher && this.teacherCan[c]) cost += NOT_TEACHER;
    if (this.prev && this.prev.p[x] === p) cost += PREVIOUS / 4;
    const wish = this.preferred?.[c] ?? -1;
    if (wish >= 0 && p !== wish) return cost + NOT_PREFERRED;
    if (this.staffHint && !this.polishing && this.staffHint[x] === p) cost += HINTED;
    return cost;
  }

  /** Picks x's best conflict-free value into (vd, vt, vr, vp), at start `only` if given; false when there is none. */
  private selectFree(x: number, only = -1): boolean {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const len = m.length[c] as number;
    const minutes = m.minutes[c] as number;
    const rooms = m.roomsOf[c] as Int32Array;
    const staff = m.staffOf[c] as Int32Array;
    const sib = this.sibling(x, c);
    const sibRoom = sib >= 0 ? (s.room[sib] as number) : -1;
    const sibStaff = sib >= 0 ? (s.staff[sib] as number) : -1;
    const prevRoom = this.prev ? (this.prev.r[x] as number) : -1;
    let best = INF;
    for (const cand of only >= 0 ? [only] : (m.candidates[c] as Int32Array)) {
      const d = (cand / S) | 0;
      const t = cand - d * S;
      if ((s.classDay[c * D + d] as number) >= 0 || !s.studentsFree(c, d, t, len)) continue;
      let cost = this.timeCost(x, c, d, t);
      if (cost >= best) continue;
      const endMin = m.base + (t + len) * m.unit;
      let bp = -1;
      let bpCost = INF;
      for (const p of staff) {
        if ((m.availEnd[(p * D + d) * S + t] as number) < endMin) continue;
        if ((s.load[p] as number) + minutes > (m.staffMax[p] as number)) continue;
        if (!State.free(s.staffAt, (p * D + d) * S + t, len)) continue;
        const pc = this.staffCost(x, c, p, sibStaff);
        if (pc < bpCost) {
          bpCost = pc;
          bp = p;
        }
      }
      if (bp < 0) continue;
      cost += bpCost;
      if (cost >= best) continue;
      let br = -1;
      if (prevRoom >= 0 && State.free(s.roomAt, (prevRoom * D + d) * S + t, len)) br = prevRoom;
      else if (sibRoom >= 0 && State.free(s.roomAt, (sibRoom * D + d) * S + t, len)) br = sibRoom;
      else {
        // the best packed of the first few free rooms (by fit): small leftover gaps waste a room
        let bestFit = INF;
        let seen = 0;
        for (const r of rooms) {
          const at = (r * D + d) * S;
          if (!State.free(s.roomAt, at + t, len)) continue;
          const fit = gapCost(s.roomAt, at, t, len, S);
          if (fit < bestFit) {
            bestFit = fit;
            br = r;
          }
          if (++seen >= ROOMS_TRIED || fit === 0) break;
        }
        if (br >= 0) cost += bestFit + (sibRoom >= 0 ? OTHER_ROOM : 0);
      }
      if (br < 0 || cost >= best) continue;
      best = cost;
      this.vd = d;
      this.vt = t;
      this.vr = br;
      this.vp = bp;
    }
    return best < INF;
  }

  /** Ejection cost of whatever occupies cells [at, at + len) of a grid. */
  private gridCost(grid: Int32Array, at: number, len: number): number {
    let cost = 0;
    let last = -1;
    for (let k = at; k < at + len; k++) {
      const y = grid[k] as number;
      if (y >= 0 && y !== last) {
        cost += this.weight(y);
        last = y;
      }
    }
    return cost;
  }

  /** Ejection cost of making room in p's week for `minutes` more (ignoring what a clash there frees). */
  private overtimeCost(p: number, minutes: number): number {
    const s = this.s;
    const over = (s.load[p] as number) + minutes - (s.m.staffMax[p] as number);
    if (over <= 0) return 0;
    let cost = 0;
    let freed = 0;
    for (const y of this.sessionsOfStaff(p)) {
      if (freed >= over) break;
      cost += this.weight(y);
      freed += s.m.minutes[s.m.classOf[y] as number] as number;
    }
    return freed >= over ? cost : INF;
  }

  /** p's sessions that may be ejected, longest first (the fewest to free a given number of minutes). */
  private sessionsOfStaff(p: number): number[] {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    const list: number[] = [];
    let last = -1;
    for (let k = p * D * S; k < (p + 1) * D * S; k++) {
      const y = s.staffAt[k] as number;
      if (y >= 0 && y !== last && !s.frozen[y] && !this.held?.[y]) list.push(y);
      last = y;
    }
    return list.sort((a, b) => (m.minutes[m.classOf[b] as number] as number) - (m.minutes[m.classOf[a] as number] as number) || a - b);
  }

  private isTabu(x: number, d: number, t: number, len: number): boolean {
    const k = x * this.s.m.days.length + d;
    return (this.tabuUntil[k] as number) > this.iteration && Math.abs(t - (this.tabuStart[k] as number)) < len;
  }

  /**
   * Offers x's values whose clashing sessions are cheapest to eject to `top` (values that
   * hit a locked session cost INF and are never offered). Tabu spots count only when they
   * clash with nothing.
   */
  private selectLeastConflict(x: number, respectTabu: boolean, days = -1): void {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const len = m.length[c] as number;
    const minutes = m.minutes[c] as number;
    const rooms = m.roomsOf[c] as Int32Array;
    const staff = m.staffOf[c] as Int32Array;
    const sib = this.sibling(x, c);
    const sibRoom = sib >= 0 ? (s.room[sib] as number) : -1;
    const sibStaff = sib >= 0 ? (s.staff[sib] as number) : -1;
    const clash = this.clash;
    const overtime = new Map<number, number>();
    this.current = x;
    const top = this.top;
    for (const cand of m.candidates[c] as Int32Array) {
      const d = (cand / S) | 0;
      const t = cand - d * S;
      if ((s.classDay[c * D + d] as number) >= 0 || ((days >> d) & 1) === 0) continue;
      const tabu = respectTabu && this.isTabu(x, d, t, len);
      let cost = this.timeCost(x, c, d, t);
      if (!s.studentsFree(c, d, t, len)) {
        if (tabu) continue;
        clash.length = 0;
        s.studentClashes(c, d, t, len, clash);
        for (const y of clash) cost += this.weight(y);
      }
      if (cost >= top.bound()) continue;
      const endMin = m.base + (t + len) * m.unit;
      let bp = -1;
      let bpCost = INF;
      for (const p of staff) {
        if ((m.availEnd[(p * D + d) * S + t] as number) < endMin) continue;
        let ot = overtime.get(p);
        if (ot === undefined) {
          ot = this.overtimeCost(p, minutes);
          overtime.set(p, ot);
        }
        const pc = ot + this.gridCost(s.staffAt, (p * D + d) * S + t, len) + this.staffCost(x, c, p, sibStaff);
        if (pc < bpCost) {
          bpCost = pc;
          bp = p;
        }
      }
      cost += bpCost;
      if (cost >= top.bound() || (tabu && bpCost >= CONFLICT)) continue;
      let br = -1;
      let brCost = INF;
      for (const r of rooms) {
        const rc = this.gridCost(s.roomAt, (r * D + d) * S + t, len) + (sibRoom >= 0 && r !== sibRoom ? OTHER_ROOM : 0);
        if (rc < brCost) {
          brCost = rc;
          br = r;
          if (rc <= OTHER_ROOM) break;
        }
      }
      cost += brCost;
      if (cost >= top.bound() || (tabu && brCost >= CONFLICT)) continue;
      top.offer(cost, x, d, t, br, bp);
    }
  }

  /**
   * The sessions that clash with x at (d, t, r, p), including those that must go to keep p
   * within the weekly maximum; null when even that cannot make room in p's week.
   */
  private clashesOf(x: number, d: number, t: number, r: number, p: number): number[] | null {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const len = m.length[c] as number;
    const out: number[] = [];
    const add = (y: number): void => {
      if (y >= 0 && !out.includes(y)) out.push(y);
    };
    for (let k = 0; k < len; k++) {
      add(s.roomAt[(r * D + d) * S + t + k] as number);
      add(s.staffAt[(p * D + d) * S + t + k] as number);
    }
    if (!s.studentsFree(c, d, t, len)) {
      const clash: number[] = [];
      s.studentClashes(c, d, t, len, clash);
      for (const y of clash) add(y);
    }
    const minutes = m.minutes[c] as number;
    let load = s.load[p] as number;
    for (const y of out) if (s.staff[y] === p) load -= m.minutes[m.classOf[y] as number] as number;
    if (load + minutes > (m.staffMax[p] as number)) {
      for (const y of this.sessionsOfStaff(p)) {
        if (load + minutes <= (m.staffMax[p] as number)) break;
        if (out.includes(y)) continue;
        add(y);
        load -= m.minutes[m.classOf[y] as number] as number;
      }
      if (load + minutes > (m.staffMax[p] as number)) return null;
    }
    return out;
  }

  /**
   * Tries x at (d, t, r, p) and undoes it: the sessions in the way move to a free spot
   * where they have one (an ejection chain of depth two) and are ejected otherwise.
   * Returns the move with its cost: the ejection weights of those that could not move.
   */
  private trial(x: number, d: number, t: number, r: number, p: number): Move | null {
    const s = this.s;
    const clash = this.clashesOf(x, d, t, r, p);
    if (!clash) return null;
    const weights = clash.map((y) => this.weight(y));
    const old = clash.map((y) => [s.day[y] as number, s.start[y] as number, s.room[y] as number, s.staff[y] as number] as const);
    for (const y of clash) s.unassign(y);
    s.assign(x, d, t, r, p);
    const moves: (readonly [number, number, number, number, number])[] = [];
    let cost = 0;
    clash.forEach((y, i) => {
      if (this.selectFree(y)) {
        moves.push([y, this.vd, this.vt, this.vr, this.vp]);
        s.assign(y, this.vd, this.vt, this.vr, this.vp);
        cost += RELOCATED;
      } else cost += weights[i] as number;
    });
    for (const [y] of moves) s.unassign(y);
    s.unassign(x);
    clash.forEach((y, i) => {
      const [od, ot, or, op] = old[i] as readonly [number, number, number, number];
      s.assign(y, od, ot, or, op);
    });
    let ejectWeight = 0;
    for (const w of weights) ejectWeight += w;
    return { x, d, t, r, p, clash, moves, ejectWeight, cost };
  }

  /** Carries out a move found by trial(). */
  private apply(move: Move): void {
    const s = this.s;
    for (const y of move.clash) this.eject(y, move.x);
    this.unwait(move.x);
    s.assign(move.x, move.d, move.t, move.r, move.p);
    for (const [y, d, t, r, p] of move.moves) {
      this.unwait(y);
      s.assign(y, d, t, r, p);
    }
  }

  private eject(y: number, by: number): void {
    const s = this.s;
    const key = by * s.m.nSessions + y;
    this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
    const k = y * s.m.days.length + (s.day[y] as number);
    this.tabuUntil[k] = this.iteration + Math.floor(TENURE * this.waiting.length) + this.rng.below(TENURE_RANDOM);
    this.tabuStart[k] = s.start[y] as number;
    this.ejections[y] = (this.ejections[y] as number) + 1;
    s.unassign(y);
    this.wait(y);
  }
}

/** Pairs of sessions of one class on consecutive days, over all classes. */
function totalPairs(s: State): number {
  let n = 0;
  for (let c = 0; c < s.m.classIds.length; c++) n += adjacentPairs(s, c);
  return n;
}

/** Pairs of sessions of class c on consecutive days. */
export function adjacentPairs(s: State, c: number): number {
  const m = s.m;
  const D = m.days.length;
  let n = 0;
  for (let d = 0; d < D; d++) {
    if ((s.classDay[c * D + d] as number) < 0) continue;
    for (let e = d + 1; e < D; e++) if ((s.classDay[c * D + e] as number) >= 0 && (m.weekNo[e] as number) - (m.weekNo[d] as number) === 1) n++;
  }
  return n;
}

/**
 * How badly a session at slots [t, t + len) leaves the free time around it in one room's
 * day: nothing for gaps of 0 or long enough for another session, a lot for slivers.
 */
function gapCost(grid: Int32Array, at: number, t: number, len: number, slots: number): number {
  let before = 0;
  for (let k = t - 1; k >= 0 && (grid[at + k] as number) < 0; k--) before++;
  let after = 0;
  for (let k = t + len; k < slots && (grid[at + k] as number) < 0; k++) after++;
  const sliver = (g: number): number => (g === 0 || g >= SLIVER ? 0 : SLIVER_COST * (SLIVER - g));
  return sliver(before) + sliver(after);
}

/** Static difficulty of each session's class (lower: harder, placed first). */
function difficulty(s: State, rng: Random): Float64Array {
  const m = s.m;
  const D = m.days.length;
  const S = m.slots;
  const key = new Float64Array(m.nSessions);
  for (let c = 0; c < m.classIds.length; c++) {
    const staff = m.staffOf[c] as Int32Array;
    const len = m.length[c] as number;
    let options = 0;
    for (const cand of m.candidates[c] as Int32Array) {
      const d = (cand / S) | 0;
      const t = cand - d * S;
      const endMin = m.base + (t + len) * m.unit;
      let available = 0;
      for (const p of staff) if ((m.availEnd[(p * D + d) * S + t] as number) >= endMin) available++;
      options += Math.min(available, (m.roomsOf[c] as Int32Array).length);
    }
    const k = m.sessionsOf[c] as number;
    const value = options / k / (1 + (m.neighbours[c] as Int32Array).length / 8) / len;
    for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) key[x] = value * (0.9 + 0.2 * rng.next());
  }
  return key;
}

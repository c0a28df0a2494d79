import type { SolverModel } from './model';
import { Sat } from './sat';
import { State } from './state';

// Times first, for schools that list students: the students' "no two classes at once" rule
// makes a tight packing puzzle that local search handles badly, so the days and starts of
// all sessions are found together by a SAT solver, with rooms and staff left to the search.
//
// One Boolean per class and candidate start ("c meets at (d, t)"), one per class, day and
// slot where a class it must not overlap may start ("c is in session then"; numbered by day
// and slot, and set by propagation only). A start implies the slots it covers; a start of c implies
// that no class sharing a student with c is in session at that slot (two intervals overlap
// exactly when one starts inside the other); and each class meets on exactly `sessions`
// days, with one start on each (starts are tried true first, so the solver builds a
// timetable rather than ruling starts out one by one). Classes that can only use one and
// the same staff member, or one and the same room, are treated like classes sharing a
// student; classes that can only use rooms (or staff members) of one set are counted
// against its free members wherever one of them may start. Sessions already placed (locked, or kept in repair mode)
// are fixed. The encoding is a relaxation of the full problem but for one thing: a class
// whose staff the model chooses keeps one member all week (a soft goal, not a rule). So
// with all starts and no staff chosen (`none`), UNSAT proves that no timetable exists.

/**
 * Which starts the model offers each class: `shifted`, those of a left-shifted timetable
 * (see `leftShiftAnchors`: a few a day, a small model even for a 20,000-student school);
 * `wide`, the same where classes that can only use rooms of one set of up to ROOM_GROUP_MAX
 * also chain from the others of the set (a session may wait for a room, not only for a
 * student or a small room set);
 * `anchored`, window edges, common lengths from them and staff members' arrival and
 * departure (more room to dodge busy staff and rooms); `all`, every candidate. Only UNSAT
 * with `all` proves that no timetable exists.
 */
export type Starts = 'shifted' | 'wide' | 'anchored' | 'all';

/** Start positions of `anchored`: at a window's edge, or one common session length away from it. */
const ANCHORS_MIN = [0, 45, 60, 90];

/**
 * Whose staff the model chooses: `few`, classes with at most STAFF_MODELLED possible members;
 * `most`, as many more (fewest possible members first) as keep the staff clauses under
 * STAFF_CLAUSES — for tight schools, whose staff members' hours and weekly maxima leave
 * the times of `few` without a member for some sessions; `none`, no class (for proofs).
 * `sessions`: the classes of `few`, a member chosen for each session rather than one for
 * the whole week (as the rules allow: with all starts, a relaxation, for bounds); `each`:
 * the same for every class (for small models: the sessions of a few classes, the others
 * placed).
 */
export type StaffModel = 'few' | 'most' | 'sessions' | 'each' | 'none';

export type TimeResult =
  /** `earlier`: the first times found, when the solver then found times with fewer pairs on consecutive days (see `Timing.run`) */
  | { status: 'sat'; hint: Int32Array; staffHint: Int32Array; earlier?: Times }
  /** the model would be an earlier one's: `most` models no more classes' staff than `few`, `wide` offers no more starts than `shifted` */
  | { status: 'same' }
  | { status: 'unsat'; restricted: boolean }
  | { status: 'unknown' };

export interface Times {
  hint: Int32Array;
  staffHint: Int32Array;
}

/** A timing model, searched in steps: each `run` goes on where the last one stopped, keeping what the SAT solver learnt. */
export interface Timing {
  /**
   * Times within a budget of more conflicts and assignments (see `Sat.solve`) for the SAT
   * search and the rounds of Hall cuts: `unknown` when it ran out — or, with `handOn`, the
   * times of the last round of cuts when there was one. With students, times that hold
   * every cut are then improved for soft goal 1 on a budget of their own (SPREAD_WORK):
   * the solver is asked for times with fewer pairs of a class's sessions on consecutive
   * days, again and again, each holding every cut.
   */
  run(budget: Budget, handOn?: boolean): TimeResult;
  /**
   * Times with at most `limit` of what the asks count (pairs of a class's sessions on
   * consecutive days), within a budget of more conflicts and assignments: false proves
   * the model has none (with `all` starts and no staff chosen, or a member chosen for each
   * session, no timetable has), null when the budget ran out. With `cutRounds`, times
   * that leave the sessions running at some slot without distinct rooms or staff members
   * (see hallCuts) are asked again with that counted, up to that many times. Learnt
   * clauses stay; the ask itself is retired.
   */
  allows(limit: number, budget: Budget, cutRounds?: number): Times | false | null;
  /** the most pairs (with starts to stay near: moved sessions) times can have: every one the asks count */
  readonly most: number;
  /** the SAT solver's conflicts so far */
  readonly conflicts: number;
  /** … and assignments (its work: see `Sat.solve`) */
  readonly assignments: number;
}

export interface Budget {
  conflicts: number;
  assignments?: number;
}

/** Per session of the model, d·slots + t of a start that keeps every student free of overlaps; -1 for placed sessions. */
export function findTimes(
  m: SolverModel,
  state: State,
  maxConflicts: number,
  starts: Starts,
  hallCutting = true,
  staffModel: StaffModel = 'few',
  trace?: (line: string) => void,
  near: Int32Array | null = null,
): TimeResult {
  const timing = timingModel(m, state, starts, hallCutting, staffModel, trace, near);
  return 'run' in timing ? timing.run({ conflicts: maxConflicts }, true) : timing;
}

/**
 * The timing model for the sessions `state` leaves unplaced, or its answer when building it
 * settled the question (`same`, or UNSAT); the placed sessions stay, and a start where
 * they leave a class no room or no staff member is not offered. The model reads `state`
 * while it lives: it must not change meanwhile. `near`: starts to stay near (see movedSessions); `phases`: per
 * session, a start the SAT solver tries first (by default `near`'s).
 */
export function timingModel(
  m: SolverModel,
  state: State,
  starts: Starts,
  hallCutting = true,
  staffModel: StaffModel = 'few',
  trace?: (line: string) => void,
  near: Int32Array | null = null,
  phases: Int32Array | null = near,
): Timing | TimeResult {
  const D = m.days.length;
  const S = m.slots;
  const C = m.classIds.length;
  const edges = conflictGraph(m);
  const restricted = starts !== 'all';
  const anchors = (joinRooms: number): ((c: number) => Uint8Array) => leftShiftAnchors(m, state, edges, staffModel === 'most' ? Infinity : STAFF_MODELLED, joinRooms);
  const shifted = starts === 'shifted' || starts === 'wide' ? anchors(starts === 'wide' ? ROOM_GROUP_MAX : ROOM_JOIN_MAX) : null;
  const values = m.candidates.map((cs, c) => (shifted ? leftShifted(m, c, shifted(c), cs) : restricted ? anchoredOnly(m, c, cs) : cs));
  if (starts === 'wide') {
    const narrow = anchors(ROOM_JOIN_MAX);
    const same = (a: Int32Array, b: Int32Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
    if (values.every((v, c) => same(v, leftShifted(m, c, narrow(c), m.candidates[c] as Int32Array)))) return { status: 'same' };
  }

  // what is already placed: days used per class, and occupied slots per class
  const usedDays = new Int32Array(C);
  const placedCount = new Int32Array(C);
  const busy = new Uint8Array(C * D * S);
  for (let x = 0; x < m.nSessions; x++) {
    if (!state.isAssigned(x)) continue;
    const c = m.classOf[x] as number;
    const d = state.day[x] as number;
    const t = state.start[x] as number;
    usedDays[c] = (usedDays[c] as number) | (1 << d);
    placedCount[c] = (placedCount[c] as number) + 1;
    busy.fill(1, (c * D + d) * S + t, (c * D + d) * S + t + (m.length[c] as number));
  }

  const sat = new Sat();
  const occ = new Int32Array(C * D * S).fill(-1);
  const occupancy = (c: number, d: number, s: number): number => {
    const k = (c * D + d) * S + s;
    if ((occ[k] as number) < 0) occ[k] = sat.newVar(false, false);
    return occ[k] as number;
  };
  const Z: Int32Array[] = [];
  const kept: number[][] = [];
  /** per class with sessions to place, its variables "meets on day d" */
  const meets: (number[] | undefined)[] = [];
  for (let c = 0; c < C; c++) {
    const need = (m.sessionsOf[c] as number) - (placedCount[c] as number);
    const len = m.length[c] as number;
    const list: number[] = [];
    if (need > 0) {
      for (const v of values[c] as Int32Array) {
        const d = (v / S) | 0;
        const t = v - d * S;
        if ((usedDays[c] as number) & (1 << d)) continue;
        if (clashesWithPlaced(edges[c] as Int32Array, busy, D, S, d, t, len)) continue;
        if (state.assigned > 0 && !placeLeft(m, state, c, d, t)) continue;
        list.push(v);
      }
    }
    kept.push(list);
    const z = Int32Array.from(list, () => sat.newVar(true, true));
    // decide first on starts where many staff members could take the class
    list.forEach((v, i) => sat.prefer(z[i] as number, staffAt(m, c, v) * STAFF_PREFERENCE));
    // a class with starts to stay near (its previous timetable's) tries those first
    const wanted = new Set<number>();
    if (phases) for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) if ((phases[x] as number) >= 0) wanted.add(phases[x] as number);
    if (wanted.size) list.forEach((v, i) => sat.setPhase(z[i] as number, wanted.has(v)));
    Z.push(z);
  }
  const modelled = modelledStaff(m, kept, staffModel);
  if (!modelled) return { status: 'same' };
  // "c is in session at (d, s)" is needed where a class that must not overlap c may start
  // (two sessions overlap exactly when one starts inside the other), and, for classes
  // counted against a set of rooms or staff members, where one of the set's classes may
  // start or the set's free members become fewer (the most sessions run at once there)
  const groups = capacityGroups(m, kept, ROOM_GROUP_MAX, Infinity);
  const groupsOf: number[][] = Array.from({ length: C }, () => []);
  const countedAt = groups.map((g, i) => {
    const at = new Uint8Array(D * S);
    for (const c of g.classes) {
      (groupsOf[c] as number[]).push(i);
      for (const v of kept[c] as number[]) at[v] = 1;
    }
    for (let d = 0; d < D; d++) for (let s = 1; s < S; s++) if (g.free(state, d, s) < g.free(state, d, s - 1)) at[d * S + s] = 1;
    return at;
  });
  const watched = new Uint8Array(D * S);
  const needed = new Uint8Array(C * D * S);
  for (let c = 0; c < C; c++) {
    const list = kept[c] as number[];
    const len = m.length[c] as number;
    watched.fill(0);
    for (const g of groupsOf[c] as number[]) orInto(watched, countedAt[g] as Uint8Array);
    for (const n of edges[c] as Int32Array) for (const v of kept[n] as number[]) watched[v] = 1;
    for (const v of list) {
      const d = (v / S) | 0;
      for (let s = v; s < v + len; s++) if (watched[s]) needed[(c * D + d) * S + s - d * S] = 1;
    }
  }
  // numbered by day and slot: a start's propagation then touches neighbouring variables
  for (let d = 0; d < D; d++) for (let s = 0; s < S; s++) for (let c = 0; c < C; c++) if (needed[(c * D + d) * S + s]) occupancy(c, d, s);
  for (let c = 0; c < C; c++) {
    const list = kept[c] as number[];
    const z = Z[c] as Int32Array;
    const len = m.length[c] as number;
    for (let i = 0; i < list.length; i++) {
      const d = ((list[i] as number) / S) | 0;
      const t = (list[i] as number) - d * S;
      for (let s = t; s < t + len; s++) if (needed[(c * D + d) * S + s]) sat.addClause([2 * (z[i] as number) + 1, 2 * occupancy(c, d, s)]);
    }
  }
  for (let c = 0; c < C; c++) {
    const list = kept[c] as number[];
    const z = Z[c] as Int32Array;
    for (let i = 0; i < list.length; i++) {
      const d = ((list[i] as number) / S) | 0;
      const t = (list[i] as number) - d * S;
      for (const n of edges[c] as Int32Array) {
        const o = occ[(n * D + d) * S + t] as number;
        if (o >= 0) sat.addClause([2 * (z[i] as number) + 1, 2 * o + 1]);
      }
    }
    const need = (m.sessionsOf[c] as number) - (placedCount[c] as number);
    if (need <= 0) continue;
    if (need > D) return restrictedUnsat(restricted);
    // W[d] → some start on d; at least `need` of the W are true
    const W: number[] = [];
    meets[c] = W;
    for (let d = 0; d < D; d++) {
      const w = sat.newVar(false, false);
      W.push(w);
      const lits = [2 * w + 1];
      for (let i = 0; i < list.length; i++) if ((((list[i] as number) / S) | 0) === d) lits.push(2 * (z[i] as number));
      sat.addClause(lits);
      // … and the other way round, with one start a day at most (so that trying starts first,
      // as the solver does, never blocks more time than the class needs)
      for (const l of lits.slice(1)) sat.addClause([l ^ 1, 2 * w]);
      atMostK(sat, lits.slice(1), 1);
    }
    for (const subset of subsets(D, D - need + 1)) if (!sat.addClause(subset.map((d) => 2 * (W[d] as number)))) return restrictedUnsat(restricted);
    atMostK(sat, W.map((w) => 2 * w), need);
  }

  // rooms and staff, counted: at any slot, the classes in session that can only use rooms of
  // a set R (staff of a set P) are at most as many as R's free rooms (P's members available
  // and free then). A relaxation (Hall's condition for the groups named by the classes' own
  // sets); without it, the times found often leave a class no room.
  for (const [i, g] of groups.entries()) {
    const at = countedAt[i] as Uint8Array;
    for (let d = 0; d < D; d++) {
      for (let s = 0; s < S; s++) {
        if (!at[d * S + s]) continue;
        const lits: number[] = [];
        for (const c of g.classes) {
          const o = occ[(c * D + d) * S + s] as number;
          if (o >= 0) lits.push(2 * o);
        }
        const cap = g.free(state, d, s);
        if (lits.length > cap && !atMostK(sat, lits, cap)) return restrictedUnsat(restricted);
      }
    }
  }

  // staff, for the modelled classes: one of their possible members takes all of the
  // class's sessions (with `sessions`, each session: at least one member a day it meets);
  // he or she must be available then and take one session at a time
  const who = new Map<number, number[]>(); // class → its A variables, parallel to staffOf
  const perSession = staffModel === 'sessions' || staffModel === 'each';
  const whoOnDay = new Map<number, number[]>(); // with `sessions` or `each`: class → per day, its A variables
  const taking = new Map<number, number[]>(); // staff → classes that may take them
  for (let c = 0; c < C; c++) {
    const staff = m.staffOf[c] as Int32Array;
    if (!modelled[c]) continue;
    if (perSession) {
      const a = Array.from({ length: D * staff.length }, () => sat.newVar(false, true));
      whoOnDay.set(c, a);
      const W = meets[c] as number[];
      for (let d = 0; d < D; d++) sat.addClause([2 * (W[d] as number) + 1, ...a.slice(d * staff.length, (d + 1) * staff.length).map((v) => 2 * v)]);
    } else {
      const a = Array.from(staff, () => sat.newVar(false, true));
      who.set(c, a);
      sat.addClause(a.map((v) => 2 * v));
      for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) sat.addClause([2 * (a[i] as number) + 1, 2 * (a[j] as number) + 1]);
    }
    staff.forEach((p) => taking.get(p)?.push(c) ?? taking.set(p, [c]));
  }
  /** the variable "p takes class c's session on day d" */
  const takes = (c: number, p: number, d: number): number => {
    const staff = m.staffOf[c] as Int32Array;
    const onDay = whoOnDay.get(c);
    return onDay ? (onDay[d * staff.length + staff.indexOf(p)] as number) : ((who.get(c) as number[])[staff.indexOf(p)] as number);
  };
  for (const [p, classes] of taking) {
    // the starts of each class p can take (available, free of placed sessions), the others forbidden
    const can = new Map<number, Uint8Array>();
    for (const c of classes) {
      const ok = startsFor(m, state, c, p, kept[c] as number[]);
      can.set(c, ok);
      const list = kept[c] as number[];
      const z = Z[c] as Int32Array;
      for (let i = 0; i < list.length; i++) if (!ok[i]) sat.addClause([2 * (z[i] as number) + 1, 2 * takes(c, p, ((list[i] as number) / S) | 0) + 1]);
    }
    if (classes.length < 2) continue; // alone: only availability and placed sessions matter
    const busyVar = new Map<number, number>(); // (class, d, s) → "class in session then, with p"
    const busyOf = (c: number, d: number, s2: number): number => {
      const k = (c * D + d) * S + s2;
      let v = busyVar.get(k);
      if (v === undefined) {
        v = sat.newVar(false, false);
        busyVar.set(k, v);
      }
      return v;
    };
    // p is in session with c where one of p's classes may start (two sessions overlap exactly when one starts inside the other) …
    watched.fill(0);
    for (const c of classes) (kept[c] as number[]).forEach((v, i) => {
      if ((can.get(c) as Uint8Array)[i]) watched[v] = 1;
    });
    for (const c of classes) {
      const ok = can.get(c) as Uint8Array;
      const list = kept[c] as number[];
      const z = Z[c] as Int32Array;
      const len = m.length[c] as number;
      for (let i = 0; i < list.length; i++) {
        if (!ok[i]) continue;
        const v = list[i] as number;
        const d = (v / S) | 0;
        const t = v - d * S;
        const ap = takes(c, p, d);
        for (let s2 = t; s2 < t + len; s2++) if (watched[v + s2 - t]) sat.addClause([2 * (z[i] as number) + 1, 2 * ap + 1, 2 * busyOf(c, d, s2)]);
      }
    }
    // … and in session with at most one class at a time
    const running = new Map<number, number[]>(); // d·S + s → literals
    for (const [k, v] of busyVar) {
      const at = k % (D * S);
      const lits = running.get(at);
      if (lits) lits.push(2 * v);
      else running.set(at, [2 * v]);
    }
    for (const lits of running.values()) atMostK(sat, lits, 1);
  }

  // weekly maxima of the modelled staff: the classes (sessions) a member takes fit in what
  // his or her placed sessions leave of the week
  for (const [p, classes] of taking) {
    const left = (m.staffMax[p] as number) - (state.load[p] as number);
    if (perSession) {
      const days = classes.flatMap((c) => Array.from({ length: D }, (_, d) => c * D + d).filter((k) => !((usedDays[c] as number) & (1 << (k % D)))));
      sat.addAtMost(
        days.map((k) => 2 * takes((k / D) | 0, p, k % D)),
        left,
        days.map((k) => m.minutes[(k / D) | 0] as number),
      );
    } else {
      const lits = classes.map((c) => 2 * takes(c, p, 0));
      sat.addAtMost(lits, left, classes.map((c) => ((m.sessionsOf[c] as number) - (placedCount[c] as number)) * (m.minutes[c] as number)));
    }
  }

  // rooms and staff, lazily: when the times found leave the sessions running at some slot
  // without a matching to distinct rooms (staff members), the set that is short (Hall's
  // condition) is counted at that slot and the solver runs again, keeping what it learnt
  let solved = false; // the SAT solver's current model answers every clause added so far
  let last: Uint8Array | null = null; // the model of the last call that found one
  let first: Uint8Array | null = null; // the first model that held every Hall cut …
  let best: Uint8Array | null = null; // … and the one with the fewest pairs on consecutive days (with `near`: moved sessions) since
  let pairs: number[][] | null = null; // see dayPairs (pairs, or with `near` moved sessions)
  let pairLits: number[] | null = null; // per pair, "the class meets on both days" (see fewerPairs)
  let goal = -1; // when ≥ 0, the variable that asks for fewer pairs than `best` (an assumption)
  let goalSlack = 0; // pairs fewer than `best` the goal asks for
  let short = false; // asks are for one pair fewer on SHORT_STEP conflicts once one was not answered on its budget
  let begun: { conflicts: number; assignments: number } | null = null; // the solver's counts when the model first ran
  let stepUntil = Infinity; // the goal's budget (conflicts, assignments)
  let stepWork = Infinity;
  let rounds = 0;
  let unsat: TimeResult | null = null;
  let done: TimeResult | null = null; // the answer once the search for fewer pairs has ended
  const label = `${starts}/${staffModel}`;
  trace?.(`sat ${label}: ${sat.variables} variables, ${groups.length} room and staff sets counted`);
  return {
    run(budget: Budget, handOn = false): TimeResult {
      if (unsat) return unsat;
      if (done) return done;
      begun ??= { conflicts: sat.conflicts, assignments: sat.assignments };
      let until = sat.conflicts + budget.conflicts;
      let work = sat.assignments + (budget.assignments ?? Infinity);
      for (;;) {
        if (!solved) {
          const res = sat.solve(Math.max(0, Math.min(until, stepUntil) - sat.conflicts), Math.max(0, Math.min(work, stepWork) - sat.assignments), goal >= 0 ? [2 * goal] : []);
          trace?.(`sat ${label}${rounds ? ` after ${rounds} rounds of Hall cuts` : ''}${goal >= 0 ? `, ${goalSlack} ${near ? 'fewer moved' : 'pairs fewer'}` : ''}: ${res === true ? 'sat' : res === false ? 'unsat' : 'unknown'}, ${sat.conflicts} conflicts, ${sat.decisions} decisions, ${sat.assignments} assignments in all`);
          if (res === null && goal >= 0 && best && sat.conflicts < until && sat.assignments < work) {
            // not answered on the step's budget: one fewer, asked again and again on short steps,
            // each setting out from the best times again (its restarts start afresh too)
            if (!short) {
              short = true;
              if (!sat.addClause([2 * goal + 1])) return (unsat = restrictedUnsat(restricted));
              ask(1);
            } else stepUntil = sat.conflicts + SHORT_STEP;
            sat.setTarget(best);
            continue;
          }
          if (res === false && goal >= 0 && goalSlack > 1) {
            // not that many fewer: one fewer, then
            if (!sat.addClause([2 * goal + 1])) return (unsat = restrictedUnsat(restricted));
            ask(1);
            continue;
          }
          // no times with fewer pairs, or no budget left to find them: the best ones stand
          if (res !== true && best) return finish();
          if (res === false) return (unsat = restrictedUnsat(restricted));
          if (res === null) return handOn && last ? hintOf(last) : { status: 'unknown' };
          solved = true;
          // the first times found: the Hall cuts get a budget of their own (they converge)
          if (!last) {
            until = sat.conflicts + budget.conflicts;
            work = sat.assignments + (budget.assignments ?? Infinity);
          }
          last = sat.model();
        }
        // (while improving, times that break a cut after the last round are not taken)
        const capped = rounds >= CUT_ROUNDS;
        const cuts = hallCutting && (!capped || best) ? hallCuts(m, state, kept, Z, sat) : [];
        if (cuts.length && capped) return finish();
        if (cuts.length) {
          trace?.(`Hall cuts, round ${rounds}: ${cuts.length} cuts`);
          rounds++;
          solved = false;
          for (const cut of cuts) if (!atMostK(sat, cut.lits, cut.cap)) return (unsat = restrictedUnsat(restricted));
          continue;
        }
        if (!hallCutting || (capped && !best)) return hintOf(last as Uint8Array);
        // times that hold every cut: ask for ones with fewer pairs, on a budget of their own
        if (!first) {
          first = last as Uint8Array;
          until = Math.min(sat.conflicts + budget.conflicts * SPREAD_WORK, begun.conflicts + budget.conflicts * SPREAD_UNTIL);
          work = Math.min(sat.assignments + (budget.assignments ?? Infinity) * SPREAD_WORK, begun.assignments + (budget.assignments ?? Infinity) * SPREAD_UNTIL);
        }
        best = last as Uint8Array;
        const pairs = pairsOf(best);
        trace?.(near ? `${pairs} sessions moved` : `${pairs} pairs of a class's sessions on consecutive days`);
        if (goal >= 0 && !sat.addClause([2 * goal + 1])) return (unsat = restrictedUnsat(restricted));
        goal = -1;
        if (pairs === 0) return finish();
        ask(Math.max(1, Math.ceil(pairs * SPREAD_STEP)));
        solved = false;
      }

      /** Asks for `slack` pairs fewer than `best`, on a step's budget. */
      function ask(slack: number): void {
        goal = fewerPairs((goalSlack = short ? 1 : slack));
        stepUntil = sat.conflicts + (short ? SHORT_STEP : budget.conflicts * SPREAD_STEP_WORK);
        stepWork = short ? Infinity : sat.assignments + (budget.assignments ?? Infinity) * SPREAD_STEP_WORK;
      }
    },
    allows(limit: number, budget: Budget, cutRounds = 0): Times | false | null {
      if (unsat) return false;
      solved = false;
      const g = atMostPairs(limit);
      const until = sat.conflicts + budget.conflicts;
      const work = sat.assignments + (budget.assignments ?? Infinity);
      let res: boolean | null;
      for (let round = 0; ; round++) {
        res = sat.solve(Math.max(0, until - sat.conflicts), Math.max(0, work - sat.assignments), [2 * g]);
        if (res !== true || round >= cutRounds) break;
        const cuts = hallCuts(m, state, kept, Z, sat);
        if (!cuts.length) break;
        trace?.(`Hall cuts, round ${round}: ${cuts.length} cuts`);
        if (!cuts.every((cut) => atMostK(sat, cut.lits, cut.cap))) {
          unsat = restrictedUnsat(restricted);
          return false;
        }
      }
      const times = res === true ? timesOf(sat.model()) : res;
      sat.addClause([2 * g + 1]);
      return times;
    },
    get most(): number {
      return (pairs ??= dayPairs()).length;
    },
    get conflicts(): number {
      return sat.conflicts;
    },
    get assignments(): number {
      return sat.assignments;
    },
  };

  /** The best times, with the first ones when they differ (a search may fail on the new times, whose staff maxima the cuts do not count). */
  function finish(): TimeResult {
    return (done = { ...hintOf(best as Uint8Array), ...(best !== first && { earlier: timesOf(first as Uint8Array) }) });
  }

  /**
   * What the asks count, each as literals that are all true when it happens: per pair of
   * consecutive days a class with two sessions or more may meet on (one of them at least
   * still to place), "meets on day d" of the days still to place — or, with starts to stay
   * near, the moved sessions (see movedSessions).
   */
  function dayPairs(): number[][] {
    if (near) return movedSessions();
    const out: number[][] = [];
    for (const [c, W] of meets.entries()) {
      if (!W || (m.sessionsOf[c] as number) < 2) continue;
      const used = usedDays[c] as number;
      for (let d = 0; d < D; d++) {
        for (let e = 0; e < D; e++) {
          if ((m.weekNo[e] as number) - (m.weekNo[d] as number) !== 1 || (used & (1 << d) && used & (1 << e))) continue;
          out.push([d, e].filter((k) => !(used & (1 << k))).map((k) => 2 * (W[k] as number)));
        }
      }
    }
    return out;
  }

  /**
   * With starts to stay near (a previous timetable's, planned afresh), per session whose
   * start the model offers, "that start is not taken": fewer moved sessions, not fewer
   * pairs, is what a school re-planning its published week wants first.
   */
  function movedSessions(): number[][] {
    const out: number[][] = [];
    for (let c = 0; c < C; c++) {
      const list = kept[c] as number[];
      const z = Z[c] as Int32Array;
      for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) {
        const i = near && (near[x] as number) >= 0 ? list.indexOf(near[x] as number) : -1;
        if (i >= 0) out.push([2 * (z[i] as number) + 1]);
      }
    }
    return out;
  }

  /** What is counted (see dayPairs: pairs, or moved sessions) in a model. */
  function pairsOf(model: Uint8Array): number {
    pairs ??= dayPairs();
    return pairs.filter((ls) => ls.every((l) => model[l >> 1] === ((l & 1) ^ 1))).length;
  }

  /** A new variable that, when true, allows `slack` fewer of what dayPairs counts (pairs, or moved sessions) than `best` has. */
  function fewerPairs(slack: number): number {
    return atMostPairs(pairsOf(best as Uint8Array) - slack);
  }

  /** A new variable that, when true, allows at most `limit` of what dayPairs counts. */
  function atMostPairs(limit: number): number {
    pairs ??= dayPairs();
    // per pair (moved session), a literal made true when all of its literals are
    pairLits ??= pairs.map((ws) => {
      const a = sat.newVar(false, false);
      sat.addClause([2 * a, ...ws.map((l) => l ^ 1)]);
      return 2 * a;
    });
    const g = sat.newVar(false, false);
    const M = pairLits.length;
    sat.addAtMost([...pairLits, 2 * g], limit + M, [...pairLits.map(() => 1), M]);
    return g;
  }

  function hintOf(model: Uint8Array): TimeResult & { status: 'sat' } {
    return { status: 'sat', ...timesOf(model) };
  }

  function timesOf(model: Uint8Array): Times {
    const hint = new Int32Array(m.nSessions).fill(-1);
    for (let c = 0; c < C; c++) {
      const list = kept[c] as number[];
      const z = Z[c] as Int32Array;
      const byDay = new Map<number, number>();
      for (let i = 0; i < list.length; i++) {
        if (!model[z[i] as number]) continue;
        const d = ((list[i] as number) / S) | 0;
        if (!byDay.has(d)) byDay.set(d, list[i] as number);
      }
      const days = pickDays([...byDay.keys()], m, (m.sessionsOf[c] as number) - (placedCount[c] as number), usedDays[c] as number);
      let next = 0;
      for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) {
        if (state.isAssigned(x)) continue;
        const d = days[next++];
        if (d !== undefined) hint[x] = byDay.get(d) as number;
      }
    }
    const staffHint = new Int32Array(m.nSessions).fill(-1);
    for (const [c, a] of who) {
      const i = a.findIndex((v) => model[v] === 1);
      if (i < 0) continue;
      for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) if (!state.isAssigned(x)) staffHint[x] = (m.staffOf[c] as Int32Array)[i] as number;
    }
    for (const [c, a] of whoOnDay) {
      const staff = m.staffOf[c] as Int32Array;
      for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) {
        if (state.isAssigned(x) || (hint[x] as number) < 0) continue;
        const d = ((hint[x] as number) / S) | 0;
        const i = staff.findIndex((_, j) => model[a[d * staff.length + j] as number] === 1);
        if (i >= 0) staffHint[x] = staff[i] as number;
      }
    }
    return { hint, staffHint };
  }
}

/**
 * Rounds of Hall cuts (rooms and staff) before the times found are handed on as they are.
 * Worth it with students (their times are hard to repair later); a school without students
 * fares better with fewer, cheaper SAT calls and the search repairing rooms and staff.
 */
const CUT_ROUNDS = 40;

/**
 * Soft goal 1 in the timing model, with students (where moving a session later almost never
 * works: on a 20,000-student school's timetable no session of a class that meets on two
 * consecutive days had another day and start free of its students' other classes). Once
 * times hold every Hall cut, the solver is asked for times with SPREAD_STEP (a share) fewer
 * pairs, then one fewer when that is UNSAT, each ask on SPREAD_STEP_WORK of a turn's budget
 * and all of them on SPREAD_WORK, and never past SPREAD_UNTIL of the turn counted from the
 * model's first run (so a school whose first times were costly gets little or nothing).
 * On `gen.mjs` 20,000 with students, seeds 1–30, the mean pairs went from 312 to 279
 * (the first asks cost a few hundred conflicts; later ones thousands). An ask not answered
 * on its budget is not the end: from then on the asks are for one pair fewer, each on
 * SHORT_STEP conflicts and asked again when not answered (every call starts its restarts
 * afresh, and the budget of all asks bounds them): 279 → 260 pairs; each step setting out
 * from the best times again (`Sat.setTarget`; the target phases had drifted with the
 * conflicts of the steps before): 252 (better on 13 schools, worse on 6),
 * SPREAD_UNTIL 0.6 → 0.5 keeping the slowest school at about the time it had (its asks
 * found nothing; 100 conflicts a step: 264, 30: more still).
 */
const SPREAD_WORK = 0.25;
const SPREAD_STEP = 0.05;
const SPREAD_STEP_WORK = 0.05;
const SPREAD_UNTIL = 0.5;
const SHORT_STEP = 300;

interface Cut {
  /** start literals of sessions that would all need a member of one small set at one slot */
  lits: number[];
  /** how many members of the set are free then */
  cap: number;
}

/**
 * For the starts currently true in `sat`: at every slot, the sessions running then are
 * matched to distinct rooms (and to distinct staff members available for the whole
 * session). When a session is left over, the rooms (staff) its failed search visited are
 * all taken by sessions that can only use them: the set R is short. The cut counts, at that
 * slot, every start whose possible rooms (staff) all lie in R against R's free members —
 * a relaxation that the current times break.
 */
export function hallCuts(m: SolverModel, state: State, kept: readonly (readonly number[])[], Z: readonly Int32Array[], sat: Sat): Cut[] {
  const D = m.days.length;
  const S = m.slots;
  const C = m.classIds.length;
  const running: number[][] = Array.from({ length: D * S }, () => []); // (d, s) → classes·S + t
  for (let c = 0; c < C; c++) {
    const list = kept[c] as readonly number[];
    const z = Z[c] as Int32Array;
    const len = m.length[c] as number;
    for (let i = 0; i < list.length; i++) {
      if (!sat.isTrue(z[i] as number)) continue;
      const d = ((list[i] as number) / S) | 0;
      const t = (list[i] as number) - d * S;
      for (let s = t; s < t + len; s++) (running[d * S + s] as number[]).push(c * S + t);
    }
  }
  const roomOptions = (c: number, d: number, t: number): number[] => Array.from(m.roomsOf[c] as Int32Array).filter((r) => roomLeft(m, state, c, r, d, t));
  const staffOptions = (c: number, d: number, t: number): number[] => Array.from(m.staffOf[c] as Int32Array).filter((p) => memberLeft(m, state, c, p, d, t));
  const roomFree = (r: number, d: number, s: number): boolean => (state.roomAt[(r * D + d) * S + s] as number) < 0;
  const staffFree = (p: number, d: number, s: number): boolean =>
    (m.availEnd[(p * D + d) * S + s] as number) >= m.base + (s + 1) * m.unit && (state.staffAt[(p * D + d) * S + s] as number) < 0;
  const cuts: Cut[] = [];
  for (const [options, free] of [
    [roomOptions, roomFree],
    [staffOptions, staffFree],
  ] as const) {
    const cache = new Map<number, number[]>();
    const opts = (c: number, d: number, t: number): number[] => {
      const k = (c * D + d) * S + t;
      let o = cache.get(k);
      if (!o) cache.set(k, (o = options(c, d, t)));
      return o;
    };
    const owner = new Map<number, number>(); // room (staff member) → session (class·S + start) it is matched to
    const matched = new Map<number, number>(); // and the other way round
    const seen = new Set<number>();
    let day = 0;
    const augment = (item: number): boolean => {
      for (const o of opts((item / S) | 0, day, item % S)) {
        if (seen.has(o)) continue;
        seen.add(o);
        const w = owner.get(o);
        if (w === undefined || augment(w)) {
          owner.set(o, item);
          matched.set(item, o);
          return true;
        }
      }
      return false;
    };
    for (let d = 0; d < D; d++) {
      day = d;
      owner.clear();
      matched.clear();
      for (let s = 0; s < S; s++) {
        const items = running[d * S + s] as number[];
        // the matching of the slot before, without the sessions that ended, is one of this slot's
        const now = new Set(items);
        for (const [item, o] of matched) {
          if (now.has(item)) continue;
          matched.delete(item);
          owner.delete(o);
        }
        if (items.length < 2) continue;
        for (const item of items) {
          if (matched.has(item)) continue;
          seen.clear();
          if (augment(item)) continue;
          const R = seen;
          const lits: number[] = [];
          for (let c = 0; c < C; c++) {
            const list = kept[c] as readonly number[];
            const z = Z[c] as Int32Array;
            const len = m.length[c] as number;
            for (let i = 0; i < list.length; i++) {
              const v = list[i] as number;
              const t = v - d * S;
              if (t < 0 || t >= S || t > s || s >= t + len) continue;
              const o = opts(c, d, t);
              if (o.length && o.every((x) => R.has(x))) lits.push(2 * (z[i] as number));
            }
          }
          let cap = 0;
          for (const x of R) if (free(x, d, s)) cap++;
          // only a cut the current times break makes the solver move (rooms taken by placed
          // sessions for part of an interval leave the set short without breaking the count)
          if (lits.filter((l) => sat.isTrue(l >> 1)).length > cap) cuts.push({ lits, cap });
          break; // one cut per slot and kind a round
        }
      }
    }
  }
  return cuts;
}

/** At most k of the literals are true; false when that is already impossible. */
export function atMostK(sat: Sat, lits: readonly number[], k: number): boolean {
  if (k < 0) return false;
  if (lits.length <= k) return true;
  if (k === 1 && lits.length <= 6) {
    // a few binary clauses propagate faster than a counted constraint
    for (let i = 0; i < lits.length; i++) for (let j = i + 1; j < lits.length; j++) sat.addClause([(lits[i] as number) ^ 1, (lits[j] as number) ^ 1]);
    return true;
  }
  return sat.addAtMost(lits, k);
}

/**
 * Room and staff sets at most this large are small: a class that can only use one of them
 * may wait for a session of another class to end (see `leftShiftAnchors`).
 */
const GROUP_MAX = 8;
/**
 * … and in the left-shifted model (`shifted`), classes that can only use rooms of a set of
 * at most this many also chain from the others of the set: on gen.mjs seed 7's
 * 20,000-student school with students, 38 reading classes share 10 library rooms at 60 %
 * of their afternoons, and without their waits for a room the model has no answer.
 */
const ROOM_JOIN_MAX = 12;
/**
 * Room sets at most this large are counted in the timing model (all staff sets are). The
 * larger ones are a school's ordinary classrooms, which hardly ever run short; counting
 * them as well gave the same SAT searches on the 20,000-student schools with students
 * measured, in a larger model; the Hall cuts catch the few slots where they run short.
 */
const ROOM_GROUP_MAX = 100;

interface CapacityGroup {
  /** classes (with starts left to find) that can only use rooms (or staff) of the group's set */
  classes: number[];
  /** how many of the set are free at slot s of day d */
  free(state: State, d: number, s: number): number;
}

/** The room and staff sets (of at most `roomMax` and `staffMax` members) that more classes depend on than they have members. */
export function capacityGroups(m: SolverModel, kept: readonly ArrayLike<number>[], roomMax = GROUP_MAX, staffMax = GROUP_MAX): CapacityGroup[] {
  const D = m.days.length;
  const S = m.slots;
  const C = m.classIds.length;
  const out: CapacityGroup[] = [];
  const build = (lists: readonly Int32Array[], max: number, free: (members: Int32Array, state: State, d: number, s: number) => number): void => {
    const seen = new Set<string>();
    const sets = lists.map((l) => new Set(l));
    for (let c = 0; c < C; c++) {
      const list = lists[c] as Int32Array;
      if (!list.length || list.length > max || !(kept[c] as ArrayLike<number>).length) continue;
      const members = Int32Array.from(list).sort();
      const key = members.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      const own = sets[c] as Set<number>;
      const classes: number[] = [];
      for (let e = 0; e < C; e++) {
        const l = lists[e] as Int32Array;
        if (l.length && l.length <= list.length && (kept[e] as ArrayLike<number>).length && l.every((x) => own.has(x))) classes.push(e);
      }
      if (classes.length > members.length) out.push({ classes, free: (state, d, s) => free(members, state, d, s) });
    }
  };
  build(m.roomsOf, roomMax, (rooms, state, d, s) => {
    let n = 0;
    for (const r of rooms) if ((state.roomAt[(r * D + d) * S + s] as number) < 0) n++;
    return n;
  });
  build(m.staffOf, staffMax, (staff, state, d, s) => {
    let n = 0;
    const end = m.base + (s + 1) * m.unit;
    for (const p of staff) if ((m.availEnd[(p * D + d) * S + s] as number) >= end && (state.staffAt[(p * D + d) * S + s] as number) < 0) n++;
    return n;
  });
  return out;
}

const STAFF_PREFERENCE = 1e-3;
/** How many of the class's possible staff are available for a whole session starting at v. */
function staffAt(m: SolverModel, c: number, v: number): number {
  const D = m.days.length;
  const S = m.slots;
  const d = (v / S) | 0;
  const t = v - d * S;
  const end = m.base + (t + (m.length[c] as number)) * m.unit;
  let n = 0;
  for (const p of m.staffOf[c] as Int32Array) if ((m.availEnd[(p * D + d) * S + t] as number) >= end) n++;
  return n;
}

/** A class with at most this many possible staff members gets its staff chosen in the SAT model too. */
const STAFF_MODELLED = 10;
/** With `most`: the largest number of "starts with p ⇒ p in session with it" clauses to make (an upper bound). */
const STAFF_CLAUSES = 2_000_000;

/** Per class, 1 when the model chooses its staff member; null when `most` adds no class to `few`. */
function modelledStaff(m: SolverModel, kept: readonly (readonly number[])[], model: StaffModel): Uint8Array | null {
  const C = m.classIds.length;
  const out = new Uint8Array(C);
  const counts = [...new Set(Array.from(m.staffOf, (s) => s.length))].sort((a, b) => a - b);
  // at most one clause per class, start, possible member and slot of the session
  const size = (limit: number): number => {
    let n = 0;
    for (let c = 0; c < C; c++) {
      const staff = m.staffOf[c] as Int32Array;
      if (staff.length <= limit) n += staff.length * (kept[c] as readonly number[]).length * (m.length[c] as number);
    }
    return n;
  };
  if (model === 'none') return out;
  let limit = model === 'each' ? Infinity : STAFF_MODELLED;
  if (model === 'most') {
    for (const k of counts) if (k > limit && size(k) <= STAFF_CLAUSES) limit = k;
    if (!counts.some((k) => k > STAFF_MODELLED && k <= limit)) return null;
  }
  for (let c = 0; c < C; c++) if ((m.staffOf[c] as Int32Array).length <= limit && (kept[c] as readonly number[]).length) out[c] = 1;
  return out;
}

/** Per start of `list` (class c's), 1 when p is available for the whole session and free of placed sessions then. */
function startsFor(m: SolverModel, state: State, c: number, p: number, list: readonly number[]): Uint8Array {
  const S = m.slots;
  return Uint8Array.from(list, (v) => (memberFree(m, state, c, p, (v / S) | 0, v % S) ? 1 : 0));
}

/** true when the placed sessions leave class c a room and a staff member for a session at slot t of day d. */
function placeLeft(m: SolverModel, state: State, c: number, d: number, t: number): boolean {
  return (m.roomsOf[c] as Int32Array).some((r) => roomLeft(m, state, c, r, d, t)) && (m.staffOf[c] as Int32Array).some((p) => memberLeft(m, state, c, p, d, t));
}

/** Room r is free of placed sessions for all of a session of class c at slot t of day d. */
function roomLeft(m: SolverModel, state: State, c: number, r: number, d: number, t: number): boolean {
  return State.free(state.roomAt, (r * m.days.length + d) * m.slots + t, m.length[c] as number);
}

/** p is available for all of a session of class c at slot t of day d, and free of placed sessions then. */
function memberFree(m: SolverModel, state: State, c: number, p: number, d: number, t: number): boolean {
  const len = m.length[c] as number;
  const at = (p * m.days.length + d) * m.slots + t;
  return (m.availEnd[at] as number) >= m.base + (t + len) * m.unit && State.free(state.staffAt, at, len);
}

/** … and has the session's minutes left in his or her week. */
function memberLeft(m: SolverModel, state: State, c: number, p: number, d: number, t: number): boolean {
  return memberFree(m, state, c, p, d, t) && (m.staffMax[p] as number) - (state.load[p] as number) >= (m.minutes[c] as number);
}

/** UNSAT of a model restricted to some starts proves nothing. */
const restrictedUnsat = (restricted: boolean): TimeResult => ({ status: 'unsat', restricted });

/**
 * Per class, day and slot: can a session start there in a left-shifted timetable? Move
 * every session of a timetable as early as it goes and each starts at its grades' earliest
 * start, when its staff member arrives, or where a session it must not overlap ends
 * (rounded up to the grid). So the slots are the chains of session lengths from the
 * earliest starts of the classes linked to it by students, and from the ends of placed
 * sessions; a class that can only use rooms of one set of at most `joinRooms` (or staff
 * of a set of at most GROUP_MAX) also gets the slots of the others of the set, and a class
 * with at most `arrivalsUpTo` possible staff members chains from their arrivals. Only
 * arrivals of the many-staff classes' members, and waits for rooms of larger sets, are
 * left out.
 */
export function leftShiftAnchors(m: SolverModel, state: State, edges: readonly Int32Array[], arrivalsUpTo = STAFF_MODELLED, joinRooms = GROUP_MAX): (c: number) => Uint8Array {
  const D = m.days.length;
  const S = m.slots;
  const C = m.classIds.length;
  const comp = components(edges);
  const lengths = [...new Set(m.length)];
  const grid = (t: number): number => {
    while (t < S && (m.base + t * m.unit) % m.inst.granularity !== 0) t++;
    return t;
  };
  const placedEnds: number[] = [];
  for (let x = 0; x < m.nSessions; x++) if (state.isAssigned(x)) placedEnds.push((state.day[x] as number) * S + grid((state.start[x] as number) + (m.length[m.classOf[x] as number] as number)));
  const queue: number[] = [];
  const push = (at: Uint8Array, d: number, t: number): void => {
    if (t >= 0 && t < S && !at[d * S + t]) {
      at[d * S + t] = 1;
      queue.push(d * S + t);
    }
  };
  const chains = (at: Uint8Array): void => {
    while (queue.length) {
      const v = queue.pop() as number;
      const d = (v / S) | 0;
      for (const l of lengths) push(at, d, grid(v - d * S + l));
    }
  };
  const byComp = new Map<number, Uint8Array>();
  for (let c = 0; c < C; c++) {
    const k = comp[c] as number;
    let at = byComp.get(k);
    if (!at) {
      byComp.set(k, (at = new Uint8Array(D * S)));
      for (const v of placedEnds) push(at, (v / S) | 0, v % S);
    }
    for (let d = 0; d < D; d++) push(at, d, m.firstStart[c * D + d] as number);
    chains(at);
  }
  // a class that depends on a set of rooms or a small set of staff members may wait for a
  // session of another component to end
  const joined = new Map<number, Uint8Array>();
  for (const g of capacityGroups(m, m.candidates, joinRooms)) {
    const at = new Uint8Array(D * S);
    for (const e of g.classes) orInto(at, byComp.get(comp[e] as number) as Uint8Array);
    for (const e of g.classes) {
      const prev = joined.get(e);
      if (prev) orInto(prev, at);
      else joined.set(e, Uint8Array.from(at));
    }
  }
  // a class may wait for a staff member to arrive: one with few possible members (at most
  // `arrivalsUpTo`) on any day, any other on a day when at most STAFF_MODELLED of them are
  // there for any start it has then (an early Wednesday afternoon, before most arrive). Only
  // the few-staff class chains sessions after an arrival; the other takes the arrival times
  // alone (chaining them too made the 20,000-student runs ~20% slower, gen.mjs seeds 1-30)
  return (c) => {
    const shared = joined.get(c) ?? (byComp.get(comp[c] as number) as Uint8Array);
    const staff = m.staffOf[c] as Int32Array;
    const few = staff.length <= arrivalsUpTo;
    let at: Uint8Array | null = null;
    for (let d = 0; d < D; d++) {
      const first = m.firstStart[c * D + d] as number;
      if (first < 0 || (!few && mostThere(m, c, d, shared) > STAFF_MODELLED)) continue;
      at ??= Uint8Array.from(shared);
      for (const p of staff) {
        for (let t = first; t < S; t++) {
          if (!arrives(m, p, d, t)) continue;
          if (few) push(at, d, grid(t));
          else if (grid(t) < S) at[d * S + grid(t)] = 1;
        }
      }
    }
    if (!at) return shared;
    chains(at);
    return at;
  };
}

/** The most of class c's possible staff members available for a whole session at one of the starts `at` offers on day d. */
function mostThere(m: SolverModel, c: number, d: number, at: Uint8Array): number {
  const D = m.days.length;
  const S = m.slots;
  const len = m.length[c] as number;
  let most = 0;
  for (let t = Math.max(0, m.firstStart[c * D + d] as number); t + len <= S; t++) {
    if (!at[d * S + t]) continue;
    const end = m.base + (t + len) * m.unit;
    let n = 0;
    for (const p of m.staffOf[c] as Int32Array) if ((m.availEnd[(p * D + d) * S + t] as number) >= end) n++;
    most = Math.max(most, n);
  }
  return most;
}

/** Does an availability interval of staff member p start at slot t of day d? */
function arrives(m: SolverModel, p: number, d: number, t: number): boolean {
  const k = (p * m.days.length + d) * m.slots + t;
  return (m.availEnd[k] as number) >= 0 && (t === 0 || (m.availEnd[k - 1] as number) < m.base + t * m.unit);
}

function orInto(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) | (from[i] as number);
}

/** Per class, a representative of the classes linked to it by chains of `edges`. */
function components(edges: readonly Int32Array[]): Int32Array {
  const C = edges.length;
  const comp = new Int32Array(C).fill(-1);
  for (let c = 0; c < C; c++) {
    if ((comp[c] as number) >= 0) continue;
    comp[c] = c;
    const stack = [c];
    while (stack.length) {
      const a = stack.pop() as number;
      for (const b of edges[a] as Int32Array) {
        if ((comp[b] as number) < 0) {
          comp[b] = c;
          stack.push(b);
        }
      }
    }
  }
  return comp;
}

/** The candidates of class c at left-shifted slots; all of them when those leave it fewer days than it meets. */
function leftShifted(m: SolverModel, c: number, at: Uint8Array, cs: Int32Array): Int32Array {
  const out = cs.filter((v) => at[v] === 1);
  const days = new Set(Array.from(out, (v) => (v / m.slots) | 0));
  return days.size >= (m.sessionsOf[c] as number) ? out : cs;
}

/** Candidate starts at a window edge or an anchor length from one (falls back to all when none is). */
function anchoredOnly(m: SolverModel, c: number, cs: Int32Array): Int32Array {
  const D = m.days.length;
  const S = m.slots;
  const len = m.length[c] as number;
  const offsets = ANCHORS_MIN.filter((a) => a % m.unit === 0).map((a) => a / m.unit);
  const out = cs.filter((v) => {
    const d = (v / S) | 0;
    const t = v - d * S;
    const first = m.firstStart[c * D + d] as number;
    if (offsets.some((o) => t === first + o || t + len === S - o)) return true;
    // … or at the edge of a possible staff member's time that day
    for (const p of m.staffOf[c] as Int32Array) {
      const end = m.availEnd[(p * D + d) * S + t] as number;
      if (end < 0) continue;
      if (arrives(m, p, d, t)) return true;
      if (end === m.base + (t + len) * m.unit) return true; // availability ends with the session
    }
    return false;
  });
  return out.length ? out : cs;
}

function clashesWithPlaced(neighbours: Int32Array, busy: Uint8Array, D: number, S: number, d: number, t: number, len: number): boolean {
  for (const n of neighbours) {
    const at = (n * D + d) * S;
    for (let s = t; s < t + len; s++) if (busy[at + s]) return true;
  }
  return false;
}

/** Classes that may never overlap: they share a student, or their only possible staff member or room is the same. */
export function conflictGraph(m: SolverModel): Int32Array[] {
  const C = m.classIds.length;
  const sets = m.neighbours.map((n) => new Set(n));
  const bySingle = (lists: readonly Int32Array[]): void => {
    const groups = new Map<number, number[]>();
    lists.forEach((list, c) => {
      if (list.length === 1) groups.get(list[0] as number)?.push(c) ?? groups.set(list[0] as number, [c]);
    });
    for (const g of groups.values()) for (const a of g) for (const b of g) if (a !== b) sets[a]?.add(b);
  };
  bySingle(m.staffOf);
  bySingle(m.roomsOf);
  return Array.from({ length: C }, (_, c) => Int32Array.from([...(sets[c] as Set<number>)].sort((a, b) => a - b)));
}

/** `need` of the given days, spread out when possible (no two next to each other, nor next to used ones). */
function pickDays(days: number[], m: SolverModel, need: number, usedMask: number): number[] {
  days.sort((a, b) => a - b);
  const week = (d: number): number => m.weekNo[d] as number;
  const chosen: number[] = [];
  const near = (d: number): boolean => {
    for (let e = 0; e < m.days.length; e++) if ((usedMask & (1 << e)) !== 0 && Math.abs(week(e) - week(d)) === 1) return true;
    return chosen.some((e) => Math.abs(week(e) - week(d)) === 1);
  };
  for (const d of days) if (chosen.length < need && !near(d)) chosen.push(d);
  for (const d of days) if (chosen.length < need && !chosen.includes(d)) chosen.push(d);
  return chosen;
}

/** All subsets of {0 … n-1} with r elements. */
export function subsets(n: number, r: number): number[][] {
  const out: number[][] = [];
  const walk = (from: number, acc: number[]): void => {
    if (acc.length === r) {
      out.push([...acc]);
      return;
    }
    for (let i = from; i < n; i++) {
      acc.push(i);
      walk(i + 1, acc);
      acc.pop();
    }
  };
  if (r >= 0 && r <= n) walk(0, []);
  return out;
}

import type { Instance } from '../schema';
import { compileSolverModel, type SolverModel } from './model';
import { State } from './state';
import { subsets, timingModel, type StaffModel, type Timing } from './timing';

/** Classes that cannot avoid meeting on days next to each other, and how many such pairs they must have together. */
export interface ForcedPairs {
  classes: string[];
  pairs: number;
  /** the sets of staff members and rooms whose time the classes' days were chosen in together ("staff t001", "room lab-01 lab-02"; none for a class on its own) */
  shared: string[];
}

export interface ConsecutiveDaysBound {
  /** no timetable of the instance has fewer pairs of sessions of one class on consecutive days */
  total: number;
  /** the classes whose own days, or whose shared staff members' or rooms' time, force pairs */
  groups: ForcedPairs[];
  /**
   * pairs beyond the groups' that the classes force together: every class's students,
   * rooms and staff counted at every slot, no timetable has as few as the groups' sum
   * (proven by the SAT solver within its budget; 0 when it proved nothing more)
   */
  together: number;
}

/** Sets of possible staff members or rooms of at most this size are shared resources (larger ones link too many classes). */
const SET_MAX = 3;

/**
 * The most joint choices of days looked at for one group of classes linked by the sets
 * they depend on; past it, each set's classes are taken apart (still a bound, a weaker one).
 */
const NODES = 200_000;

/**
 * The SAT solver's budget for the first pair the classes force together (see `together`):
 * on `gen.mjs` 20,000-student schools with students, proving that none of the 30 can do
 * without pairs took 17 to 53,747 conflicts (0.5–7.3 s). Each pair more takes a few to
 * tens of thousands, and the asks for them share a tenth of it (with all of it, a
 * 5,000-student school with students spent about 30 s on its bound).
 */
const TOGETHER_CONFLICTS = 100_000;

/**
 * A lower bound on the soft measure `consecutiveDays`. A class on its own: the fewest pairs
 * of days next to each other among the ways to choose its number of days from the days it
 * can meet on at all (a start on the grid, after its grades' earliest start, ending by
 * dayEnd, with a possible staff member there): four sessions in a five-day week have two
 * pairs, three sessions in a week whose Friday the class cannot use one. Classes whose
 * possible staff members are one small set (a fixed teacher; the two who teach guzheng), or
 * whose rooms are, are taken together with the others that depend on the same set: their
 * days are chosen jointly so that each day's sessions fit in the set's time that day (its
 * members' available slots, its rooms' slots, from the classes' earliest start). These
 * groups ignore students and everyone's other classes; then the SAT solver, on a budget of
 * `conflicts`, proves what all classes together force beyond them (`together`: first of
 * all whether a school that lists students can do without pairs at all). Where the
 * solver's timetable reaches the bound, no timetable does better. A class with more
 * sessions than days it can meet on is infeasible and left out (the solver names it).
 */
export function consecutiveDaysBound(instance: Instance, conflicts = TOGETHER_CONFLICTS): ConsecutiveDaysBound {
  const m = compileSolverModel(instance);
  const { total, groups } = forcedGroups(m);
  const together = forcedTogether(m, total, conflicts);
  return { total: total + together, groups, together };
}

/** The groups' part of `consecutiveDaysBound` (classes on their own, or with those that share their small sets of staff or rooms). */
export function forcedGroups(m: SolverModel): { total: number; groups: ForcedPairs[] } {
  const C = m.classIds.length;
  const choices = Array.from({ length: C }, (_, c) => dayChoices(m, c));
  const feasible = (c: number): boolean => (choices[c] as Choice[]).length > 0;

  // the classes that depend on one small set of staff members or rooms, linked into groups
  const parent = Int32Array.from({ length: C }, (_, c) => c);
  const root = (c: number): number => {
    let r = c;
    while (parent[r] !== r) r = parent[r] as number;
    return r;
  };
  const resources = new Map<string, Resource>();
  const depend = (key: string, c: number, capacity: (d: number, first: number) => number): void => {
    const res = resources.get(key) ?? { key, classes: [], capacity };
    res.classes.push(c);
    resources.set(key, res);
    parent[root(c)] = root(res.classes[0] as number);
  };
  for (let c = 0; c < C; c++) {
    if (!feasible(c)) continue;
    const staff = m.staffOf[c] as Int32Array;
    const rooms = m.roomsOf[c] as Int32Array;
    if (staff.length <= SET_MAX) {
      const key = `staff ${Array.from(staff, (p) => m.inst.staff[p]?.id).join(' ')}`;
      depend(key, c, (d, first) => staff.reduce((a, p) => a + staffSlots(m, p, d, first), 0));
    }
    if (rooms.length <= SET_MAX) depend(`room ${Array.from(rooms, (r) => m.inst.rooms[r]?.id).join(' ')}`, c, (_, first) => rooms.length * (m.slots - first));
  }
  const members = new Map<number, number[]>();
  for (let c = 0; c < C; c++) if (feasible(c)) members.get(root(c))?.push(c) ?? members.set(root(c), [c]);
  const setsOf = new Map<number, Resource[]>();
  for (const r of resources.values()) setsOf.get(root(r.classes[0] as number))?.push(r) ?? setsOf.set(root(r.classes[0] as number), [r]);

  let total = 0;
  const groups: ForcedPairs[] = [];
  const add = (classes: readonly number[], shared: readonly Resource[], joint: number | null): void => {
    const pairs = joint ?? classes.reduce((a, c) => a + ((choices[c] as Choice[])[0] as Choice).pairs, 0);
    if (pairs === 0) return;
    total += pairs;
    groups.push({ classes: classes.map((c) => m.classIds[c] as string), pairs, shared: classes.length > 1 ? shared.map((r) => r.key) : [] });
  };
  for (const [group, classes] of members) {
    const shared = setsOf.get(group) ?? [];
    const joint = classes.length > 1 ? jointPairs(m, classes, choices, shared) : null;
    if (classes.length === 1 || joint !== null) {
      add(classes, shared, joint);
      continue;
    }
    // too many joint choices: the classes of each set in turn, each class counted once
    const taken = new Set<number>();
    for (const r of shared.sort((a, b) => a.classes.length - b.classes.length)) {
      const own = r.classes.filter((c) => !taken.has(c));
      for (const c of own) taken.add(c);
      const part = { ...r, classes: own };
      if (own.length) add(own, [part], own.length > 1 ? jointPairs(m, own, choices, [part]) : null);
    }
  }
  return { total, groups };
}

/**
 * Pairs that no timetable avoids beyond `from`: a timing model with every start, whose
 * answers include every timetable's times, is asked for times with at most `from` pairs
 * within `conflicts` with no staff chosen; when that has some, within a quarter of it with
 * a member chosen for each session of the classes with few possible members (their hours
 * and weekly maxima counted: on own 2,000 seed 23, a robotics volunteer with 135 minutes a
 * week who alone is there on Tuesdays). Then the model that had none is asked for `from`
 * + 1, and so on, until it has some or a tenth of `conflicts` more has run out.
 */
function forcedTogether(m: SolverModel, from: number, conflicts: number): number {
  const refuted = (staff: StaffModel, budget: number): Timing | null => {
    const timing = timingModel(m, new State(m), 'all', false, staff);
    // no times at all: the solver names the culprit
    return 'run' in timing && from < timing.most && timing.allows(from, { conflicts: budget }) === false ? timing : null;
  };
  const timing = refuted('none', conflicts) ?? refuted('sessions', conflicts / 4);
  if (!timing) return 0;
  const until = timing.conflicts + conflicts / 10;
  let limit = from + 1;
  while (limit < timing.most && timing.conflicts < until && timing.allows(limit, { conflicts: until - timing.conflicts }) === false) limit++;
  return limit - from;
}

export interface Choice {
  /** bit d: the class meets on day d */
  days: number;
  pairs: number;
}

interface Resource {
  /** "staff t001 t002", "room lab-01" */
  key: string;
  classes: number[];
  /** slots of day d it can hold sessions in, from slot `first` on */
  capacity: (d: number, first: number) => number;
}

/** Class c's choices of days (as many as its sessions, among the days it can meet on), fewest pairs first. */
function dayChoices(m: SolverModel, c: number): Choice[] {
  let open = 0;
  for (const v of m.candidates[c] as Int32Array) open |= 1 << Math.floor(v / m.slots);
  return choicesOf(open, m.sessionsOf[c] as number, m.weekNo);
}

/** The choices of k days of the mask `open` (bit d: day d, whose number in the week is weekNo[d]), fewest pairs first; none if it has fewer than k. */
export function choicesOf(open: number, k: number, weekNo: ArrayLike<number>): Choice[] {
  const days = Array.from(weekNo, (_, d) => d).filter((d) => (open >> d) & 1);
  const masks = subsets(days.length, k).map((pick) => pick.reduce((mask, i) => mask | (1 << (days[i] as number)), 0));
  return masks.map((mask) => ({ days: mask, pairs: pairsIn(mask, weekNo) })).sort((a, b) => a.pairs - b.pairs);
}

/** Pairs of days of the mask next to each other in the week (SUN and MON are not). */
function pairsIn(days: number, weekNo: ArrayLike<number>): number {
  let pairs = 0;
  for (let a = 0; a < weekNo.length; a++) {
    if (!((days >> a) & 1)) continue;
    for (let b = 0; b < weekNo.length; b++) if ((days >> b) & 1 && weekNo[b] === (weekNo[a] as number) + 1) pairs++;
  }
  return pairs;
}

/** Slots of day d, from `first` on, in which staff member p is available. */
function staffSlots(m: SolverModel, p: number, d: number, first: number): number {
  let n = 0;
  for (let t = first; t < m.slots; t++) if ((m.availEnd[(p * m.days.length + d) * m.slots + t] as number) >= 0) n++;
  return n;
}

/**
 * The fewest pairs the classes can have together when every day's sessions of the classes
 * that depend on a resource fit in its time that day (a branch and bound over their
 * choices of days); null when it looked at NODES choices without finishing.
 */
function jointPairs(m: SolverModel, classes: readonly number[], choices: readonly Choice[][], shared: readonly Resource[]): number | null {
  const D = m.days.length;
  // per resource and day: the slots its classes may use, and the slots taken so far
  const cap = shared.map((r) =>
    Array.from({ length: D }, (_, d) => {
      const first = Math.min(...r.classes.map((c) => m.firstStart[c * D + d] as number).filter((f) => f >= 0));
      return Number.isFinite(first) ? r.capacity(d, first) : 0;
    }),
  );
  const used = shared.map(() => new Array<number>(D).fill(0));
  const uses = classes.map((c) => shared.map((r, i) => (r.classes.includes(c) ? i : -1)).filter((i) => i >= 0));
  // the fewest pairs the classes from i on can have, each on its own: for pruning
  const rest = new Array<number>(classes.length + 1).fill(0);
  for (let i = classes.length - 1; i >= 0; i--) rest[i] = (rest[i + 1] as number) + ((choices[classes[i] as number] as Choice[])[0] as Choice).pairs;
  let best = Infinity;
  let nodes = 0;
  const fits = (i: number, days: number, len: number): boolean =>
    (uses[i] as number[]).every((k) => {
      for (let d = 0; d < D; d++) if ((days >> d) & 1 && ((used[k] as number[])[d] as number) + len > ((cap[k] as number[])[d] as number)) return false;
      return true;
    });
  const take = (i: number, days: number, len: number): void => {
    for (const k of uses[i] as number[]) for (let d = 0; d < D; d++) if ((days >> d) & 1) (used[k] as number[])[d] = ((used[k] as number[])[d] as number) + len;
  };
  const search = (i: number, pairs: number): void => {
    if (pairs + (rest[i] as number) >= best || nodes > NODES) return;
    if (i === classes.length) {
      best = pairs;
      return;
    }
    const c = classes[i] as number;
    const len = m.length[c] as number;
    for (const choice of choices[c] as Choice[]) {
      nodes++;
      if (!fits(i, choice.days, len)) continue;
      take(i, choice.days, len);
      search(i + 1, pairs + choice.pairs);
      take(i, choice.days, -len);
    }
  };
  search(0, 0);
  // no joint choice fits: the instance has no timetable (the solver says why); count the classes alone
  return nodes > NODES || best === Infinity ? null : best;
}

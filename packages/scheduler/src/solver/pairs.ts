import type { Random } from '../random';
import { forcedGroups } from './bounds';
import type { SolverModel } from './model';
import { adjacentPairs, Search } from './search';
import { pinnedSessions } from './seed';
import type { State } from './state';
import { timingModel, type StaffModel } from './timing';

// Soft goal 1 for schools without students, after spreadDays: fewer pairs of a class's
// sessions on consecutive days, from the timing model — for the whole week, then around
// one class at a time.

/**
 * Without students, a timetable that spreadDays left with more pairs than the classes'
 * groups force (see `forcedGroups`) gets one more try: the timing model with every start
 * and a staff member chosen for each session of the classes with few (the model of
 * `consecutiveDaysBound`'s second stage) is asked for times with the groups' pairs — or,
 * when it has none, with one pair fewer than the timetable — on a budget of FEWER_WORK
 * each, setting out from the timetable's times; searches from those times (at most
 * FEWER_TRIES, of FEWER_UNITS units each, until one reaches the groups' pairs) and
 * spreadDays again; the new timetable with the fewest pairs (from `fresh`: only the
 * locked sessions placed) is taken when it has fewer than the old (`work`: a timing turn's
 * SAT work). spreadDays moves one session at a time; on own 2,000 seed 29 a tea-art class with two externals met on THU
 * and FRI, where the model's times — six classes of four externals rearranged — led to a
 * timetable without pairs (and so on `gen.mjs` 2,000 seed 12, 5,000 seed 25 and 5,000
 * `tight` seed 22, and own 5,000 `tight` seed 7). Then `neighbourhoods`, pair by pair,
 * from each of these timetables, fewest pairs first, until one reaches the groups' pairs
 * or their shared budget runs out: the global ask rearranges the whole week, but often
 * leaves a pair or two that a small rearrangement around the class removes (own 5,000
 * `tight`, seeds 1–30: 74 pairs without either, 48 with the global ask only, 47 with the
 * neighbourhoods only, 41 with both; seed 22 reaches 0 only with both).
 */
export function fewerPairs(
  m: SolverModel,
  state: State,
  fresh: () => State,
  rng: Random,
  preferred: Int32Array | null,
  { unit, work: turn }: { unit: number; work: number },
  trace?: (line: string) => void,
): State | null {
  const before = pairsIn(state);
  const least = forcedGroups(m).total;
  if (before <= least) return null;
  const locked = fresh(); // read by the timing model while it lives: the searches get states of their own
  // the SAT solver sets out from the timetable's own times (asks came back sooner, and more of them with times)
  const current = new Int32Array(m.nSessions).fill(-1);
  for (let x = 0; x < m.nSessions; x++) if (!locked.isAssigned(x)) current[x] = (state.day[x] as number) * m.slots + (state.start[x] as number);
  const timing = timingModel(m, locked, 'all', false, 'sessions', trace, null, current);
  if (!('run' in timing)) return null;
  const work = turn * FEWER_WORK;
  let times = timing.allows(least, { conflicts: Infinity, assignments: work });
  if (times === false && before - 1 > least) times = timing.allows(before - 1, { conflicts: Infinity, assignments: work });
  let best: State | null = null;
  let fewest = before;
  const timetables: [State, number][] = [[state, before]];
  for (let attempt = 0; times && attempt < FEWER_TRIES && fewest > least; attempt++) {
    const next = fresh();
    const search = new Search(next, rng.fork(`try ${attempt}`), null, { start: times.hint, staff: times.staffHint }, preferred);
    if (!search.run(unit * FEWER_UNITS).complete) continue;
    search.spreadDays(pinnedSessions(next, null));
    const after = pairsIn(next);
    trace?.(`fewer pairs: ${before} → ${after} from the timing model's times`);
    timetables.push([next, after]);
    if (after < fewest) [best, fewest] = [next, after];
  }
  // then pair by pair, from the timetables with fewest pairs first, on a budget shared by all
  timetables.sort((a, b) => a[1] - b[1]);
  const budget = { work: work * NEIGHBOURHOOD_WORK };
  for (const [i, [from]] of timetables.entries()) {
    if (fewest <= least || budget.work <= 0) break;
    const better = neighbourhoods(m, from, fresh, rng.fork(`neighbourhoods ${i}`), preferred, unit, least, budget, trace);
    const after = better ? pairsIn(better) : Infinity;
    if (after < fewest) [best, fewest] = [better, after];
  }
  return best;
}

/**
 * Pairs one class at a time (Shaw's large neighbourhood search, 1998): for a class meeting
 * on consecutive days, the sessions of a neighbourhood of classes are taken out and the
 * rest stays; the timing model with all starts and a member chosen for each session of
 * every class of the neighbourhood (`each`: with the others placed, exact for staff, and
 * Hall cuts for rooms) is asked for their times with fewer pairs, and a search places them
 * from there (it may move others), kept when the school has fewer pairs. Neighbourhoods:
 * the class, the classes now taught by one of its possible members or in one of its rooms
 * (of a class with ROOMS_FEW at most), and those in the way of its starts (a session then
 * in one of its rooms or with one of its possible members); then as many levels wider
 * (the classes now taught by a possible member of one of the set's classes …) as keep it
 * under NEIGHBOURHOOD_SESSIONS; when none of them has times with fewer pairs, the first
 * once more with staff relaxed (`sessions`: a member chosen only for classes with few),
 * whose times the search then repairs by moving others. Rounds until one finds nothing;
 * a class is asked again only after the timetable changed. `budget.work`: SAT assignments
 * left, shared with the caller.
 */
function neighbourhoods(
  m: SolverModel,
  state: State,
  fresh: () => State,
  rng: Random,
  preferred: Int32Array | null,
  unit: number,
  least: number,
  budget: { work: number },
  trace?: (line: string) => void,
): State | null {
  const C = m.classIds.length;
  const S = m.slots;
  let current = state;
  let pairs = pairsIn(current);
  let version = 0; // timetables taken
  const askedAt = new Int32Array(C).fill(-1); // per class, the version it was last asked at
  const sessionsIn = (set: Uint8Array): number => {
    let n = 0;
    for (let c = 0; c < C; c++) if (set[c]) n += m.sessionsOf[c] as number;
    return n;
  };
  /** the set and the classes now taught by a possible member of one of its classes, or in one of its rooms (classes with few) */
  const widen = (set: Uint8Array): Uint8Array => {
    const staff = new Uint8Array(m.staffIds.length);
    const rooms = new Uint8Array(m.roomIds.length);
    for (let c = 0; c < C; c++) {
      if (!set[c]) continue;
      for (const p of m.staffOf[c] as Int32Array) staff[p] = 1;
      if ((m.roomsOf[c] as Int32Array).length <= ROOMS_FEW) for (const r of m.roomsOf[c] as Int32Array) rooms[r] = 1;
    }
    const out = Uint8Array.from(set);
    for (let x = 0; x < m.nSessions; x++) if (staff[current.staff[x] as number] || rooms[current.room[x] as number]) out[m.classOf[x] as number] = 1;
    return out;
  };
  /** the classes of the sessions in the way of c's starts: in one of its rooms, or with one of its possible members, then */
  const inTheWay = (c: number, set: Uint8Array): Uint8Array => {
    const out = Uint8Array.from(set);
    const len = m.length[c] as number;
    const rooms = new Set(m.roomsOf[c]);
    const staff = new Set(m.staffOf[c]);
    const starts = m.candidates[c] as Int32Array;
    for (let x = 0; x < m.nSessions; x++) {
      const k = m.classOf[x] as number;
      if (out[k] || !(rooms.has(current.room[x] as number) || staff.has(current.staff[x] as number))) continue;
      const at = (current.day[x] as number) * S + (current.start[x] as number);
      const end = at + (m.length[k] as number);
      for (const v of starts) {
        if (v < end && at < v + len) {
          out[k] = 1;
          break;
        }
      }
    }
    return out;
  };
  /** the locked sessions, and the others outside the set where they are now */
  const around = (set: Uint8Array): State => {
    const out = fresh();
    for (let x = 0; x < m.nSessions; x++) if (!set[m.classOf[x] as number] && !out.isAssigned(x)) out.assign(x, current.day[x] as number, current.start[x] as number, current.room[x] as number, current.staff[x] as number);
    return out;
  };
  let taken = true;
  while (taken && pairs > least && budget.work > 0) {
    taken = false;
    for (let c = 0; c < C && pairs > least && budget.work > 0; c++) {
      if (adjacentPairs(current, c) === 0 || askedAt[c] === version) continue;
      askedAt[c] = version;
      const own = new Uint8Array(C);
      own[c] = 1;
      const near = widen(own);
      const way = inTheWay(c, near);
      const first = sessionsIn(way) <= NEIGHBOURHOOD_SESSIONS ? way : near;
      let set = first;
      let answer = ask(c, set, 'each');
      for (let size = sessionsIn(set); answer === 'none'; ) {
        const wider = widen(set);
        const grown = sessionsIn(wider);
        if (grown === size || grown > NEIGHBOURHOOD_SESSIONS) break;
        [set, size] = [wider, grown];
        answer = ask(c, set, 'each');
      }
      if (answer === 'none') answer = ask(c, first, 'sessions');
      if (answer === 'taken') taken = true;
    }
  }
  return version > 0 ? current : null;

  /** 'taken': the school has fewer pairs now; 'tried': times found, the search did not keep fewer; 'none': no times found */
  function ask(c: number, set: Uint8Array, staffModel: StaffModel): 'taken' | 'tried' | 'none' {
    const base = around(set);
    const phases = new Int32Array(m.nSessions).fill(-1);
    let inside = 0;
    for (let k = 0; k < C; k++) if (set[k]) inside += adjacentPairs(current, k);
    for (let x = 0; x < m.nSessions; x++) if (!base.isAssigned(x)) phases[x] = (current.day[x] as number) * S + (current.start[x] as number);
    const timing = timingModel(m, base, 'all', false, staffModel, undefined, null, phases);
    if (!('run' in timing)) return 'none';
    const times = timing.allows(inside - 1, { conflicts: Infinity, assignments: Math.min(budget.work, NEIGHBOURHOOD_ASK) }, ASK_CUT_ROUNDS);
    budget.work -= timing.assignments;
    const label = `neighbourhood of ${m.classIds[c]} (${sessionsIn(set)} sessions, staff ${staffModel})`;
    if (!times) {
      trace?.(`${label}: ${times === false ? 'no times with fewer pairs' : 'no times found'}`);
      return 'none';
    }
    const next = around(set); // the model reads base while it lives
    const search = new Search(next, rng.fork(`${m.classIds[c]} ${version}`), null, { start: times.hint, staff: times.staffHint }, preferred);
    if (!search.run(unit).complete) return 'tried';
    if (pairsIn(next) >= pairs) search.spreadDays(pinnedSessions(next, null));
    const after = pairsIn(next);
    trace?.(`${label}: ${pairs} → ${after} pairs`);
    if (after >= pairs) return 'tried';
    [current, pairs] = [next, after];
    version++;
    return 'taken';
  }
}

/**
 * The SAT work of an ask of `fewerPairs`, a share of a timing turn's (`work`, see
 * WORK_PER_SESSION in solve.ts), and its search's budget in units. `gen.mjs` 5,000 seed
 * 25's times took 2 million assignments (0.25: 2.75 million).
 */
const FEWER_WORK = 0.25;
const FEWER_UNITS = 4;
const FEWER_TRIES = 3;

/**
 * `neighbourhoods`: the SAT work of all asks (in asks of `fewerPairs`), of one ask at most
 * (most answer within 30,000 assignments; doubling these and the sessions below found no
 * more on own 5,000 `tight`, seeds 1–30), sessions in a neighbourhood at most, rounds of
 * Hall cuts per ask, and room sets small enough that the classes in their rooms join a
 * neighbourhood.
 */
const NEIGHBOURHOOD_WORK = 4;
const NEIGHBOURHOOD_ASK = 500_000;
const NEIGHBOURHOOD_SESSIONS = 150;
const ASK_CUT_ROUNDS = 10;
const ROOMS_FEW = 2;

/** Pairs of a class's sessions on consecutive days in the state's timetable. */
function pairsIn(state: State): number {
  let pairs = 0;
  for (let c = 0; c < state.m.classIds.length; c++) pairs += adjacentPairs(state, c);
  return pairs;
}

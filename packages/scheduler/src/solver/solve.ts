import { checkWith } from '../check/check';
import { compileCheckModel } from '../check/model';
import { Random } from '../random';
import type { Instance, Session } from '../schema';
import { formatHHMM } from '../time';
import { compileSolverModel, type SolverModel } from './model';
import { proveInfeasible, type Culprit, type Infeasible } from './proofs';
import { findTimes, timingModel, type Budget, type StaffModel, type Starts, type TimeResult, type Timing } from './timing';
import { Balancer } from './balance';
import { Search, type Hint, type Previous, type SearchResult } from './search';
import { fewerPairs } from './pairs';
import { keepPrevious, pinnedSessions, placeLocked } from './seed';
import { State } from './state';

export interface SolveOptions {
  /** PRNG seed: same instance, options and seed → same timetable */
  seed?: number;
  /** repair mode: the published timetable; sessions still valid are kept, moving as few as possible */
  previous?: readonly Session[];
  /** sessions that must appear unchanged */
  locked?: readonly Session[];
  /** class id → the staff member who should take it when they can (a soft wish; unknown ids are ignored) */
  preferredStaff?: Readonly<Record<string, string>>;
  /** search effort multiplier (default 1); the budget counts iterations, never time */
  effort?: number;
  /** milliseconds from some origin, only to report stats.ms (inject e.g. performance.now) */
  clock?: () => number;
  /** receives a line per phase (timing models, search attempts), e.g. for `--verbose` */
  trace?: (line: string) => void;
}

export interface SolveStats {
  sessions: number;
  consecutiveDays: number;
  teacherLoadSpread: number;
  /** previous sessions not kept identical (0 without `previous`) */
  moved: number;
  iterations: number;
  ms?: number;
}

export type SolveResult =
  | { status: 'ok'; sessions: Session[]; stats: SolveStats }
  | { status: 'infeasible'; reason: string; culprit: Culprit };

/** Thrown when the solver's own output fails the checker: a bug, never a timetable to publish. */
export class SolverBug extends Error {}

export function solve(instance: Instance, options: SolveOptions = {}): SolveResult {
  const started = options.clock?.();
  const m = compileSolverModel(instance);
  const proof = proveInfeasible(m);
  if (proof) return { status: 'infeasible', ...proof };

  const cm = compileCheckModel(instance);
  const rng = new Random(options.seed ?? 1);
  const preferred = preferredOf(m, options.preferredStaff);
  const unit = 1_000 + 10 * m.nSessions;
  let left = Math.round((options.effort ?? 1) * (100_000 + 500 * m.nSessions));
  let state: State;
  let result: SearchResult;
  let iterations = 0;
  let hint: Hint | null = null;
  let lastSearch: Search | null = null;
  let lastPrev: Previous | null = null;
  const students = m.neighbours.some((n) => n.length > 0);
  // the timing phase: with students from attempt 0, asked for new times after HARD_AFTER
  // failed searches on the last ones; without, once, after HARD_AFTER
  let timing: Generator<Times, void> | null = null;
  let timeAt = students ? 0 : HARD_AFTER;
  // the previous timetable's sessions are kept where they still fit, unless the timing phase found no times around them
  let keep = options.previous !== undefined;
  let wishes: Previous | null = null;
  /** a timetable with only the locked sessions placed (they fit: the first attempt checked) */
  const fresh = (): State => {
    const locked = new State(m);
    placeLocked(locked, cm, options.locked ?? []);
    return locked;
  };
  for (let attempt = 0; ; attempt++) {
    state = new State(m);
    const lockProblem = placeLocked(state, cm, options.locked ?? []);
    if (lockProblem) return { status: 'infeasible', ...lockProblem };
    const prev: Previous | null = keep ? keepPrevious(state, options.previous ?? []) : wishes;
    if (attempt === timeAt && (students || hint === null)) {
      const hardest = students ? null : hardestClass(m, result!);
      timing ??= timings(m, state, options.effort ?? 1, hardest, options.trace);
      const times = timing.next();
      if (!times.done) {
        if (times.value.status === 'infeasible') return times.value;
        if (times.value.afresh && keep) {
          // the previous sessions are no longer kept, but where they stood (prev) is still the search's first wish
          keep = false;
          wishes = prev;
          state = fresh();
        }
        // with students the hint went through the Hall cuts: rooms and staff are matched to it
        hint = { ...times.value.hint, match: students };
        timeAt = attempt + HARD_AFTER;
      }
    }
    const search = new Search(state, rng.fork(`search ${attempt}`), prev, hint, preferred);
    lastSearch = search;
    lastPrev = prev;
    result = search.run(Math.min(unit * luby(attempt + 1), left));
    options.trace?.(`search ${attempt}: ${result.complete ? 'complete' : `${result.unplaced.length} sessions unplaced`} after ${result.iterations} iterations${!result.complete && search.hintImpossible ? ' (no rooms or staff exist for the times found)' : ''}`);
    // times that have no rooms or no staff at all: new ones at once
    if (!result.complete && search.hintImpossible) timeAt = attempt + 1;
    iterations += result.iterations;
    left -= result.iterations;
    if (result.complete || left <= 0) break;
  }
  if (!result.complete) {
    const id = hardestClass(m, result);
    const locked = options.locked?.length ? ' around the locked sessions' : '';
    return {
      status: 'infeasible',
      reason: `no timetable found${locked}: class ${id} could not be placed without a clash (room, staff, students or weekly maximum) within the search budget`,
      culprit: { kind: 'class', id },
    };
  }

  let pinned = pinnedSessions(state, options.previous ? lastPrev : null);
  lastSearch.spreadDays(pinned);
  options.trace?.('days spread');
  if (!students && !options.previous) {
    const work = (options.effort ?? 1) * Math.max(WORK_MIN, WORK_PER_SESSION * m.nSessions);
    const fewer = fewerPairs(m, state, fresh, rng.fork('fewer pairs'), preferred, { unit, work }, options.trace);
    if (fewer) {
      state = fewer;
      pinned = pinnedSessions(state, null);
    }
  }
  new Balancer(state, withPreferredStaff(state, pinned, preferred)).run();
  options.trace?.('load balanced');
  const sessions = toSessions(state);
  const verdict = checkWith(cm, { sessions });
  if (!verdict.ok) throw new SolverBug(`solver produced an invalid timetable: ${verdict.violations.slice(0, 3).map((v) => v.message).join('; ')}`);
  const stats: SolveStats = {
    sessions: sessions.length,
    consecutiveDays: verdict.consecutiveDays,
    teacherLoadSpread: verdict.teacherLoadSpread,
    moved: options.previous ? countMoved(options.previous, sessions) : 0,
    iterations,
  };
  if (started !== undefined && options.clock) stats.ms = options.clock() - started;
  return { status: 'ok', sessions, stats };
}

/**
 * Failed attempts after which a school without students gets the timing phase too: its
 * SAT model counts rooms and staff at every slot, which settles the schools whose search
 * keeps running into the same few rooms or staff members. A school with students gets
 * times from the next model then (tight schools whose left-shifted or anchored times
 * leave sessions without a staff member for their whole length), or at once when the
 * exact assignment proved that the times have no rooms or no staff.
 */
const HARD_AFTER = 3;

/**
 * The timing phase's models, in stages tried one after another. The models of a stage take
 * turns (see TURNS), each going on where it stopped, so that one that needs many conflicts
 * on a school does not hold up one that needs few: on the 20,000-student schools with
 * students, each of the first stage's models found times within a few thousand conflicts
 * on some school where another needed tens of thousands or found none. With students:
 * left-shifted starts (small models), the same where a session may also wait for a room
 * of a larger set (`wide`), and anchored starts, each with the staff of classes with few
 * possible members chosen in the model; then left-shifted and anchored starts with most
 * classes' staff chosen (tight schools, where staff hours and weekly maxima leave sessions
 * without a member), one at a time, their models being large; then all starts. Without
 * students (the timing phase is a fallback there): anchored, then all.
 */
const STUDENT_STAGES: readonly (readonly Tier[])[] = [
  [
    { starts: 'shifted', staff: 'few' },
    { starts: 'wide', staff: 'few' },
    { starts: 'anchored', staff: 'few' },
  ],
  [{ starts: 'shifted', staff: 'most' }],
  [{ starts: 'anchored', staff: 'most' }],
  [{ starts: 'all', staff: 'few' }],
];
const PLAIN_STAGES: readonly (readonly Tier[])[] = [[{ starts: 'anchored', staff: 'few' }], [{ starts: 'all', staff: 'few' }]];

/**
 * The SAT solver's work on a turn of a model with restricted starts, in assignments (see
 * `Sat.solve`), per session: where one conflict costs a few hundred assignments on one
 * school it cost 3,000 on another of the same size. The 20,000-student schools with
 * students (2,100 sessions, so 42 million a turn) find their times on left-shifted starts
 * within 1 to 31 million (gen.mjs seeds 1–30). With all starts (the last resort): 150,000
 * conflicts.
 */
const WORK_PER_SESSION = 20_000;
const WORK_MIN = 5_000_000;

/**
 * A model's turns in a stage, in units of its work budget: it gets up to four in all. The
 * stage's first model once had a first turn of two units (when left-shifted starts needed
 * up to 48 million assignments at 20,000 students); since they need at most 31, one is
 * enough there, and at 5,000 students with students (seeds 1–30, both generators, with and
 * without tight) the turns of one unit took 411 s in all against 448, with a maximum of
 * 9.8 s against 17.7 (shared seed 8, whose left-shifted starts are UNSAT: its anchored
 * starts now get their turn before that proof).
 */
const TURNS = [1, 1, 2, 4];

/** What the timing phase's model offers: which starts, and whose staff it chooses. */
interface Tier {
  starts: Starts;
  staff: StaffModel;
}

/** `afresh`: times for every session but the locked ones — the previous timetable's kept sessions left no times for the rest */
type Times = { status: 'ok'; hint: { start: Int32Array; staff: Int32Array }; afresh?: boolean } | ({ status: 'infeasible' } & Infeasible);

/**
 * The Luby sequence 1 1 2 1 1 2 4 1 1 2 1 1 2 4 8 … (i from 1): restart budgets that waste
 * at most a logarithmic factor against the best fixed budget, which nobody knows in
 * advance (Luby, Sinclair and Zuckerman 1993). Many short attempts from fresh early
 * choices beat a few long ones when a search gets stuck in one corner.
 */
export function luby(i: number): number {
  for (let k = 1; ; k++) {
    if (i === 2 ** k - 1) return 2 ** (k - 1);
    if (i < 2 ** k - 1) return luby(i - 2 ** (k - 1) + 1);
  }
}

/** The class of the unplaced session the failed search ejected most often. */
function hardestClass(m: SolverModel, result: SearchResult): string {
  const worst = result.unplaced.reduce((a, b) => ((result.ejections[b] as number) > (result.ejections[a] as number) ? b : a), result.unplaced[0] ?? 0);
  return m.classIds[m.classOf[worst] as number] as string;
}

/**
 * The timing phase: times from each stage's models in turn (see STUDENT_STAGES), one answer
 * for each `next()`, until they have none. A model whose times were handed on is not asked
 * again. For a school without students (`hardest` given: the class its search could not
 * place) UNSAT on all starts means the rooms and staff cannot hold every class before the
 * day ends; with students, that the students' classes cannot all meet.
 */
function* timings(m: SolverModel, given: State, effort: number, hardest: string | null, trace?: (line: string) => void): Generator<Times, void> {
  // the models are built from the sessions placed now (locked, kept), whatever the search does to `given` later
  const placed = (kept: boolean): State => {
    const state = new State(m);
    for (let x = 0; x < m.nSessions; x++) if (given.isAssigned(x) && (kept || given.frozen[x])) state.assign(x, given.day[x] as number, given.start[x] as number, given.room[x] as number, given.staff[x] as number);
    return state;
  };
  // sessions kept from a previous timetable (placed, not locked) may move: no times around
  // them proves nothing, and the models are built again without them, their starts the
  // models' first choices
  const near = new Int32Array(m.nSessions).fill(-1);
  for (let x = 0; x < m.nSessions; x++) if (given.isAssigned(x) && !given.frozen[x]) near[x] = (given.day[x] as number) * m.slots + (given.start[x] as number);
  const kept = near.some((v) => v >= 0);
  if (kept) {
    yield* timingsFrom(m, placed(true), effort, hardest, { movable: true, afresh: false }, trace);
    trace?.('timing: no times that work around the kept sessions; again without them');
  }
  yield* timingsFrom(m, placed(false), effort, hardest, { movable: false, afresh: kept }, trace, kept ? near : null);
}

/**
 * The stages of `timings` for the sessions `state` leaves unplaced, each answer marked
 * `afresh` when asked. UNSAT of a model without restrictions is a proof, yielded as such,
 * unless the state holds sessions that may move (`movable`: kept from a previous
 * timetable): then the stages end there, and the last one (all starts, costly) is left out.
 */
function* timingsFrom(
  m: SolverModel,
  state: State,
  effort: number,
  hardest: string | null,
  { movable, afresh }: { movable: boolean; afresh: boolean },
  trace?: (line: string) => void,
  near: Int32Array | null = null,
): Generator<Times, void> {
  const stages = hardest === null ? STUDENT_STAGES : PLAIN_STAGES;
  // Hall cuts with students only: without, the search repairs rooms and staff more cheaply
  const cutting = hardest === null;
  const work = effort * Math.max(WORK_MIN, WORK_PER_SESSION * m.nSessions);
  const budgetOf = (tier: Tier, share: number): Budget =>
    tier.starts === 'all' ? { conflicts: Math.round((effort * 150_000 * share) / TURNS.reduce((a, b) => a + b)) } : { conflicts: Infinity, assignments: Math.round(work * share) };
  for (const stage of movable ? stages.slice(0, -1) : stages) {
    const models: (Timing | null)[] = stage.map(() => null);
    const live = stage.map(() => true);
    for (let turn = 0; turn < TURNS.length; turn++) {
      for (let i = 0; i < stage.length; i++) {
        if (!live[i]) continue;
        const tier = stage[i] as Tier;
        const last = turn === TURNS.length - 1;
        const budget = budgetOf(tier, TURNS[turn] as number);
        let r = takeTurn(models, i, () => timingModel(m, state, tier.starts, cutting, tier.staff, trace, near), budget, last);
        trace?.(`timing ${tier.starts}/${tier.staff}, turn ${turn}: ${r.status}`);
        if (r.status === 'unknown' && !last) continue;
        live[i] = false;
        models[i] = null;
        // a modelled class keeps one staff member all week, which no rule asks: only UNSAT without them is a proof
        if (r.status === 'unsat' && !r.restricted && tier.staff !== 'none') r = findTimes(m, state, 150_000 * effort, tier.starts, cutting, 'none', trace, near);
        if (r.status === 'sat') {
          yield { status: 'ok', hint: { start: r.hint, staff: r.staffHint }, afresh };
          if (r.earlier) yield { status: 'ok', hint: { start: r.earlier.hint, staff: r.earlier.staffHint }, afresh };
        } else if (r.status === 'unsat' && !r.restricted) {
          if (movable) return;
          if (hardest !== null) {
            yield {
              status: 'infeasible',
              reason: `the rooms and staff cannot hold every class before ${m.inst.dayEnd} (no assignment of days and starts exists; class ${hardest} was the hardest to place)`,
              culprit: { kind: 'class', id: hardest },
            };
          } else {
            const id = tightestStudent(m);
            yield {
              status: 'infeasible',
              reason: `the students' classes cannot all meet without a student having two at once before ${m.inst.dayEnd} (student ${id} has the tightest week)`,
              culprit: { kind: 'student', id },
            };
          }
          return;
        }
      }
    }
  }
}

/**
 * Model i's turn: builds it when it has none yet, and runs it. The model is held in
 * `models` alone, not in a local of the generator: a suspended generator's frame keeps
 * stale locals alive, and one did keep a 5,000-student school's `shifted/most` model (about
 * 110 MB) while `anchored/most` was being built.
 */
function takeTurn(models: (Timing | null)[], i: number, build: () => Timing | TimeResult, budget: Budget, last: boolean): TimeResult {
  const built = models[i] ?? build();
  if (!('run' in built)) return built;
  models[i] = built;
  return built.run(budget, last);
}

/** The student whose classes fill the largest share of the time their grades have for clubs. */
function tightestStudent(m: SolverModel): string {
  let best = '';
  let bestLoad = -1;
  const D = m.days.length;
  for (const st of m.inst.students ?? []) {
    let need = 0;
    let open = 0;
    for (const id of new Set(st.classes)) {
      const c = m.classIndex.get(id);
      if (c === undefined) continue;
      need += (m.sessionsOf[c] as number) * (m.minutes[c] as number);
      let o = 0;
      for (let d = 0; d < D; d++) {
        const f = m.firstStart[c * D + d] as number;
        if (f >= 0) o += (m.slots - f) * m.unit;
      }
      open = Math.max(open, o);
    }
    const load = open > 0 ? need / open : 0;
    if (load > bestLoad) {
      bestLoad = load;
      best = st.id;
    }
  }
  return best;
}

/** Per class, the index of its preferred staff member, or -1. */
function preferredOf(m: SolverModel, wishes: Readonly<Record<string, string>> | undefined): Int32Array | null {
  if (!wishes) return null;
  const out = new Int32Array(m.classIds.length).fill(-1);
  for (const [classId, staffId] of Object.entries(wishes)) {
    const c = m.classIndex.get(classId);
    const p = m.staffIndex.get(staffId);
    if (c !== undefined && p !== undefined && (m.staffOf[c] as Int32Array).includes(p)) out[c] = p;
  }
  return out;
}

/** `pinned`, plus the sessions their class's preferred staff member took: load balancing leaves them be. */
function withPreferredStaff(state: State, pinned: Uint8Array, preferred: Int32Array | null): Uint8Array {
  if (!preferred) return pinned;
  const out = Uint8Array.from(pinned);
  for (let x = 0; x < state.m.nSessions; x++) if (preferred[state.m.classOf[x] as number] === state.staff[x]) out[x] = 1;
  return out;
}


function toSessions(state: State): Session[] {
  const m: SolverModel = state.m;
  const out: Session[] = [];
  for (let x = 0; x < m.nSessions; x++) {
    const c = m.classOf[x] as number;
    const start = m.base + (state.start[x] as number) * m.unit;
    out.push({
      class: m.classIds[c] as string,
      day: m.days[state.day[x] as number] as Session['day'],
      start: formatHHMM(start),
      end: formatHHMM(start + (m.minutes[c] as number)),
      room: m.roomIds[state.room[x] as number] as string,
      staff: m.staffIds[state.staff[x] as number] as string,
    });
  }
  const week = new Map(m.days.map((d, i) => [d, m.weekNo[i] as number]));
  return out.sort(
    (a, b) =>
      (week.get(a.day) ?? 0) - (week.get(b.day) ?? 0) ||
      a.start.localeCompare(b.start) ||
      a.room.localeCompare(b.room) ||
      a.class.localeCompare(b.class),
  );
}

const key = (x: Session): string => `${x.class}|${x.day}|${x.start}|${x.end}|${x.room}|${x.staff}`;

/** Previous sessions that do not appear identically in the new timetable. */
function countMoved(previous: readonly Session[], now: readonly Session[]): number {
  const left = new Map<string, number>();
  for (const x of now) left.set(key(x), (left.get(key(x)) ?? 0) + 1);
  let moved = 0;
  for (const x of previous) {
    const n = left.get(key(x)) ?? 0;
    if (n > 0) left.set(key(x), n - 1);
    else moved++;
  }
  return moved;
}

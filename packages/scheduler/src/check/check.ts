import { AnswerError } from '../parse';
import type { Instance } from '../schema';
import { dayNumber, parseHHMM } from '../time';
import { compileCheckModel, type CheckModel } from './model';
import {
  distinctDays,
  endsByDayEnd,
  exactDuration,
  fixedStaffTakesIt,
  gradeMeetsThatDay,
  hasTimes,
  knownRoom,
  knownStaff,
  notBeforeEarliestStart,
  onGrid,
  roomHasFeatures,
  roomHoldsClass,
  roomNotDoubleBooked,
  scheduledDay,
  sessionCount,
  staffAvailable,
  staffHasSkill,
  staffNotDoubleBooked,
  studentNotDoubleBooked,
  wellFormedTimes,
  withinWeeklyMax,
  type Placed,
  type RuleName,
  type Sink,
  type Timed,
  type Violation,
} from './rules';

/** What the checker accepts: a timetable whose sessions may be anything, or a refusal. */
export type AnswerInput = { sessions: readonly unknown[] } | { infeasible: true; reason?: unknown };

export interface CheckResult {
  ok: boolean;
  hardViolations: number;
  /** the first LISTED violations; hardViolations counts them all */
  violations: Violation[];
  /** rule → number of violations */
  counts: Partial<Record<RuleName, number>>;
  sessions: number;
  consecutiveDays: number;
  teacherLoadSpread: number;
  infeasible?: true;
  reason?: string | null;
}

export interface CheckOptions {
  /** the instance is known to have no timetable: a refusal with a reason is ok, a timetable is not */
  expectInfeasible?: boolean;
}

const LISTED = 1000;
const SHOWN = 10;
const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Checks an answer against every hard rule and measures the soft goals, counting as check.mjs does. */
export function check(instance: Instance, answer: AnswerInput, options: CheckOptions = {}): CheckResult {
  return checkWith(compileCheckModel(instance), answer, options);
}

/** `check` for a model compiled once (the solver and an edit session check many answers). */
export function checkWith(m: CheckModel, answer: AnswerInput, options: CheckOptions = {}): CheckResult {
  const violations: Violation[] = [];
  const counts: Partial<Record<RuleName, number>> = {};
  let total = 0;
  const out: Sink = {
    report(rule, message, sessions) {
      total++;
      counts[rule] = (counts[rule] ?? 0) + 1;
      if (violations.length < LISTED) violations.push({ rule, message, sessions });
    },
    more(rule, n) {
      if (n <= 0) return;
      total += n;
      counts[rule] = (counts[rule] ?? 0) + n;
    },
    wantMore: () => violations.length < LISTED,
  };
  const result = (sessions: number, consecutiveDays: number, teacherLoadSpread: number): CheckResult => ({
    ok: total === 0,
    hardViolations: total,
    violations,
    counts,
    sessions,
    consecutiveDays,
    teacherLoadSpread,
  });

  if ('infeasible' in answer && answer.infeasible === true) {
    const reason = typeof answer.reason === 'string' ? answer.reason : null;
    if (!options.expectInfeasible) {
      out.report('refusal', 'the answer is a refusal ("infeasible": true); refusing a feasible instance is wrong, and a checker cannot confirm infeasibility', []);
    } else if (!reason?.trim()) out.report('refusal-reason', 'the refusal gives no reason (a non-empty "reason" string is required)', []);
    return { ...result(0, 0, 0), infeasible: true, reason };
  }
  if (!('sessions' in answer)) throw new AnswerError([{ path: ['sessions'], message: 'must be an array of sessions' }]);
  if (options.expectInfeasible) out.report('expected-refusal', 'the instance is known to be infeasible but the answer is a timetable', []);

  const perClass = new Map<string, Placed[]>();
  const roomUse = new Map<string, Timed[]>();
  const staffUse = new Map<string, Timed[]>();
  const staffMinutes = new Map<string, number>();
  const staffSessions = new Map<string, number[]>();
  const classTimes = new Map<string, Timed[]>();
  const push = <T>(map: Map<string, T[]>, key: string, x: T): void => {
    const list = map.get(key);
    if (list) list.push(x);
    else map.set(key, [x]);
  };

  answer.sessions.forEach((x, i) => {
    const p = placeSession(m, x, i, out);
    if (!p) return;
    push(perClass, p.cls.id, p);
    scheduledDay(m, p, out);
    wellFormedTimes(p, out);
    exactDuration(p, out);
    onGrid(m, p, out);
    endsByDayEnd(m, p, out);
    gradeMeetsThatDay(m, p, out);
    notBeforeEarliestStart(m, p, out);
    const timed: Timed | null = hasTimes(p) && p.d !== null ? { i, d: p.d, s: p.s, e: p.e, cls: p.cls.id } : null;
    if (timed) push(classTimes, p.cls.id, timed);

    const room = knownRoom(m, p, out);
    if (room) {
      roomHoldsClass(room, p, out);
      roomHasFeatures(room, p, out);
      if (timed) push(roomUse, p.room as string, timed);
    }
    const st = knownStaff(m, p, out);
    if (st) {
      const id = p.staff as string;
      staffHasSkill(st, p, out);
      fixedStaffTakesIt(p, out);
      if (timed) {
        staffAvailable(st, p, out);
        push(staffUse, id, timed);
      }
      staffMinutes.set(id, (staffMinutes.get(id) ?? 0) + (hasTimes(p) ? p.e - p.s : p.cls.minutes));
      push(staffSessions, id, i);
    }
  });

  for (const cls of m.classes.values()) {
    const placed = perClass.get(cls.id) ?? [];
    sessionCount(
      cls,
      placed.map((p) => p.i),
      out,
    );
    distinctDays(cls, placed, out);
  }
  for (const [id, list] of roomUse) roomNotDoubleBooked(id, list, out);
  for (const [id, list] of staffUse) staffNotDoubleBooked(id, list, out);
  for (const [id, minutes] of staffMinutes) {
    const st = m.staff.get(id);
    if (st) withinWeeklyMax(id, st, minutes, staffSessions.get(id) ?? [], out);
  }
  for (const student of m.students ?? []) {
    const list: Timed[] = [];
    for (const c of student.classes) for (const t of classTimes.get(c) ?? []) list.push(t);
    if (list.length > 1) studentNotDoubleBooked(student.id, list, out);
  }

  return result(answer.sessions.length, consecutiveDays(perClass), teacherLoadSpread(m, staffMinutes));
}

/** Turns raw session i into a Placed session, or reports why it cannot be one (not an object, unknown class). */
export function placeSession(m: CheckModel, x: unknown, i: number, out: Sink): Placed | null {
  if (!isObject(x)) {
    out.report('session-shape', `sessions[${i}] is not an object`, [i]);
    return null;
  }
  const str = (v: unknown): string => (typeof v === 'string' ? v : '?');
  const label = `sessions[${i}] (${str(x.class)} ${str(x.day)} ${str(x.start)}-${str(x.end)})`;
  if (typeof x.class !== 'string') {
    out.report('session-shape', `sessions[${i}] has no "class" string`, [i]);
    return null;
  }
  const cls = m.classes.get(x.class);
  if (!cls) {
    out.report('unknown-class', `${label}: unknown class '${x.class}'`, [i]);
    return null;
  }
  return {
    i,
    label,
    cls,
    day: x.day,
    d: dayNumber(x.day) ?? null,
    start: x.start,
    end: x.end,
    s: parseHHMM(x.start),
    e: parseHHMM(x.end),
    room: x.room,
    staff: x.staff,
  };
}

/** Soft: pairs of sessions of one class on days next to each other in the week (SUN+MON is not). */
function consecutiveDays(perClass: ReadonlyMap<string, readonly Placed[]>): number {
  let n = 0;
  for (const placed of perClass.values()) {
    const days = new Set<number>();
    for (const p of placed) if (p.d !== null) days.add(p.d);
    for (const d of days) if (days.has(d + 1)) n++;
  }
  return n;
}

/** Soft: max minus min weekly minutes among teachers who take at least one session. */
function teacherLoadSpread(m: CheckModel, staffMinutes: ReadonlyMap<string, number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const [id, minutes] of staffMinutes) {
    if (m.staff.get(id)?.kind !== 'teacher') continue;
    lo = Math.min(lo, minutes);
    hi = Math.max(hi, minutes);
  }
  return hi === -Infinity ? 0 : hi - lo;
}

/** Reads an answer file's JSON: a timetable (sessions unchecked here) or a refusal; throws AnswerError otherwise. */
export function readAnswer(json: unknown): AnswerInput {
  if (!isObject(json)) throw new AnswerError([{ path: [], message: 'must be a JSON object' }]);
  if (json.infeasible === true) return { infeasible: true, reason: json.reason };
  if (!Array.isArray(json.sessions)) {
    throw new AnswerError([{ path: ['sessions'], message: 'must be an array (or the answer must be {"infeasible": true, "reason": …})' }]);
  }
  return { sessions: json.sessions };
}

/** The one-line verdict `timetable:check` prints, the same fields as check.mjs. */
export function verdict(r: CheckResult): Record<string, unknown> {
  return {
    ok: r.ok,
    ...(r.infeasible ? { infeasible: true, reason: r.reason ?? null } : {}),
    hardViolations: r.hardViolations,
    violations: r.violations.slice(0, SHOWN).map((v) => v.message),
    sessions: r.sessions,
    consecutiveDays: r.consecutiveDays,
    teacherLoadSpread: r.teacherLoadSpread,
  };
}

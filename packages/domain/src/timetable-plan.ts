/**
 * The timetable decisions the routes make, kept pure: what a generation asks of the solver
 * and what it yields (a job: see jobs.ts), and which hard rules an edit or a publication
 * would break. The routes and the generation job only load, call these, and store.
 *
 * The solver (`solve`) is reached only through `generateSessions`: a bundle that does not
 * generate (the timetable function) leaves it out, as every package here is free of side
 * effects (package.json `sideEffects: false`).
 */
import { check, solve, type CheckResult, type Violation } from '@kehou/scheduler';
import * as z from 'zod';
import { Id } from './common';
import type { Stamp } from './entity';
import { RuleViolation } from './errors';
import { JobProblem, JobStatus } from './jobs';
import { assignSessionIds, boundedWarnings, TimetableVersion, type TimetableData, type TimetableSession } from './timetable';
import { buildInstance, toSolverSessions } from './timetable-input';
import { explainViolation, sessionLabel, timetableNames } from './timetable-words';

export interface Generated {
  sessions: TimetableSession[];
  generation: NonNullable<TimetableVersion['generation']>;
  warnings: string[];
}

export interface GenerateOptions {
  seed: number;
  /** ignore where sessions were (locked ones still stay) */
  fresh: boolean;
  /** milliseconds from some origin, only to report how long the solver took */
  clock?: () => number;
}

/**
 * A new set of sessions for the term. Starts from `basis` (the sessions of the draft, else
 * of the published version): its locked sessions stay as they are, and unless `fresh` the others move as
 * little as the rules allow. Throws RuleViolation (422) when there is nothing to schedule,
 * a fixed staff member cannot be scheduled, or no timetable exists — with the solver's
 * reason and culprit.
 */
export function generateSessions(
  data: TimetableData,
  basis: readonly TimetableSession[] | null,
  options: GenerateOptions,
): Generated {
  const built = buildInstance(data);
  if (built.instance.classes.length === 0)
    throw new RuleViolation('no-classes', 'the term has no active clubs with classes to schedule');
  const names = timetableNames(data);
  for (const c of built.instance.classes) {
    if (c.staff && built.unavailable.has(c.staff)) {
      throw new RuleViolation(
        'fixed-staff-unavailable',
        `${names.cls(c.id)} must be taken by ${names.member(c.staff)}, who cannot be scheduled: ${built.unavailable.get(c.staff)}`,
        { culprit: { kind: 'staff', id: c.staff } },
      );
    }
  }
  const known = new Set(built.instance.classes.map((c) => c.id));
  const keep = (basis ?? []).filter((s) => known.has(s.classId));
  const locked = keep.filter((s) => s.locked);
  const result = solve(built.instance, {
    seed: options.seed,
    locked: toSolverSessions(locked),
    ...(options.fresh ? {} : { previous: toSolverSessions(keep) }),
    preferredStaff: Object.fromEntries(built.preferred),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (result.status === 'infeasible')
    throw new RuleViolation('timetable-infeasible', names.text(result.reason), { culprit: result.culprit });

  const lockedIds = new Set(locked.map((s) => s.id));
  const sessions = assignSessionIds(
    keep,
    result.sessions.map((s) => ({
      classId: s.class,
      clubId: built.classes.get(s.class)!.club.id,
      day: s.day as TimetableSession['day'],
      start: s.start,
      end: s.end,
      roomId: s.room,
      staffId: s.staff,
      locked: false,
    })),
  ).map((s) => ({ ...s, locked: lockedIds.has(s.id) }));
  return {
    sessions,
    generation: {
      seed: options.seed,
      millis: Math.round(result.stats.ms ?? 0),
      moved: options.fresh || !basis ? null : result.stats.moved,
      consecutiveDays: result.stats.consecutiveDays,
      teacherLoadSpread: result.stats.teacherLoadSpread,
    },
    warnings: boundedWarnings(built.warnings),
  };
}

/** A version as the API shows it: without where its records are kept, with how many sessions changed. */
export const VersionSummary = TimetableVersion.omit({ sessionSet: true, changeSet: true }).extend({
  changeCount: z.number().int().nullable().meta({ description: 'on publication: how many sessions changed in all' }),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export function versionSummary(v: TimetableVersion): VersionSummary {
  const { sessionSet: _s, changeSet: _c, ...rest } = v;
  const c = v.changeCounts;
  return { ...rest, changeCount: c ? c.added + c.moved + c.removed : null };
}

/** What a generation is asked: the solver's seed, and whether to ignore where sessions were. */
export const GenerateRequest = z.object({
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  fresh: z.boolean().default(false),
  withEnrolments: z.boolean().default(false).meta({
    description:
      "keep every enrolled child's clubs apart: the children holding a place in the term's classes get no two at once " +
      '(the classes a child holds never overlap)',
  }),
});
export type GenerateRequest = z.infer<typeof GenerateRequest>;

/** A generation of a term's draft, as a job: its status resource. */
export const GenerateJob = JobStatus.extend({
  jobId: Id,
  termId: Id,
  ...GenerateRequest.shape,
  draft: VersionSummary.nullable().meta({
    description: 'once finished: the draft it made, or replaced with a new revision (its sessions: …/versions/{number})',
  }),
  problem: JobProblem.nullable().meta({
    description:
      'once failed: what the request would have answered — 422 naming the rule (`no-classes`, `fixed-staff-unavailable`, ' +
      '`timetable-infeasible` with the culprit in `details`), 409 when the timetable changed meanwhile, 404 when the term is gone',
  }),
});
export type GenerateJob = z.infer<typeof GenerateJob>;

/** The record of a generation just accepted: queued, nothing done. */
export function queuedGeneration(jobId: string, termId: string, request: GenerateRequest, stamp: Stamp): GenerateJob {
  return {
    jobId,
    termId,
    seed: request.seed,
    fresh: request.fresh,
    withEnrolments: request.withEnrolments,
    state: 'queued',
    progress: { done: 0, of: 1 },
    message: null,
    at: stamp.now.toISOString(),
    by: stamp.by,
    startedAt: null,
    finishedAt: null,
    draft: null,
    problem: null,
  };
}

/** What a finished generation records: the draft, and in words what became of it. */
export function generatedDraft(
  draft: TimetableVersion,
  created: boolean,
): Pick<GenerateJob, 'draft' | 'message' | 'progress' | 'problem'> {
  const what = created
    ? `A new draft, version ${draft.number}`
    : `The draft, version ${draft.number}, replaced (revision ${draft.version})`;
  const solved = draft.generation ? ` in ${draft.generation.millis.toLocaleString('en')} ms` : '';
  return {
    draft: versionSummary(draft),
    message: `${what}: ${draft.sessionCount.toLocaleString('en')} sessions a week, solved${solved}`,
    progress: { done: 1, of: 1 },
    problem: null,
  };
}

/** What a failed generation records: the problem the request would have answered, its detail as the message. */
export function failedGeneration(problem: JobProblem): Pick<GenerateJob, 'draft' | 'message' | 'problem'> {
  return { draft: null, message: problem.detail, problem };
}

/** The scheduler's verdict on the sessions against the stored set-up. */
export function checkTimetable(data: TimetableData, sessions: readonly TimetableSession[]): CheckResult {
  return check(buildInstance(data).instance, { sessions: toSolverSessions(sessions) });
}

const violationKey = (v: Violation) => `${v.rule}\u0000${v.message}`;

/**
 * Refuses an edit of the draft (422, naming the rule) when it breaks a hard rule that held
 * before, at one of the sessions it touched. Violations the draft already had (the set-up
 * changed since it was made) do not block unrelated edits.
 */
export function assertEditKeepsRules(
  data: TimetableData,
  before: readonly TimetableSession[],
  after: readonly TimetableSession[],
  touchedIds: readonly string[],
): void {
  const old = new Set(checkTimetable(data, before).violations.map(violationKey));
  const touched = new Set(after.flatMap((s, i) => (touchedIds.includes(s.id) ? [i] : [])));
  const introduced = checkTimetable(data, after).violations.filter(
    (v) => !old.has(violationKey(v)) && (v.sessions.length === 0 || v.sessions.some((i) => touched.has(i))),
  );
  if (introduced.length) {
    const names = timetableNames(data);
    const words = introduced.map((v) => ({ rule: v.rule, message: explainViolation(data, after, v, names) }));
    throw new RuleViolation(words[0]!.rule, `refused: ${words.map((w) => w.message).join('; ')}`, { violations: words });
  }
}

/** A locked session stays where it is: it must be unlocked before it moves (422 `locked`). */
export function assertMovable(data: TimetableData, session: TimetableSession): void {
  if (session.locked)
    throw new RuleViolation('locked', `${sessionLabel(timetableNames(data), session)} is locked; unlock it to move it`);
}

/** Refuses to publish (422) a draft that breaks a hard rule — possible when the set-up changed after it was made. */
export function assertPublishable(data: TimetableData, sessions: readonly TimetableSession[]): void {
  const { hardViolations, violations } = checkTimetable(data, sessions);
  if (hardViolations > 0) {
    const names = timetableNames(data);
    const words = violations.slice(0, 20).map((v) => ({ rule: v.rule, message: explainViolation(data, sessions, v, names) }));
    throw new RuleViolation(
      words[0]!.rule,
      `the draft breaks ${hardViolations} rule(s) since the set-up changed; re-generate or fix it: ${words[0]!.message}`,
      { violations: words },
    );
  }
}

/**
 * A term's ranked allocation as the school keeps it (issue 29): a small head (the version,
 * the status, the seed and the figures) and the draft's parts, lists that grow with the
 * school (each class's seats, the grants by class, the choices left out, the children left
 * without a place, the lottery, and once published the grants that could not be honoured).
 * Running and publishing are jobs (jobs.ts): a large school's run reads every child, and its
 * publication writes every place. Pure: schemas, and what a job's record says.
 */
import * as z from 'zod';
import { Id, Instant } from './common';
import { Allocation } from './allocation';
import { Reason } from './enrolment';
import { Conflict, NotFound } from './errors';
import { JobProblem, JobStatus } from './jobs';
import type { Stamp } from './entity';

/** The head of a term's allocation: everything but the lists. */
export const AllocationHead = Allocation.pick({
  seed: true,
  rounds: true,
  children: true,
  placed: true,
  unplaced: true,
  ranks: true,
}).extend({
  schoolId: z.string(),
  termId: z.string(),
  version: z.number().int().meta({ description: 'each run and the publication write the next version' }),
  status: z.enum(['draft', 'published']),
  seedDerived: z.boolean().meta({ description: 'true when the admin gave no seed: it was derived from the term and the run' }),
  ranBy: z.string(),
  ranAt: Instant,
  publishedBy: z.string().nullable(),
  publishedAt: Instant.nullable(),
  granted: z.number().int().meta({ description: 'places the draft grants' }),
  waitlisted: z
    .number()
    .int()
    .meta({ description: 'published: choices of children without a place put on full classes’ waitlists, in lottery order' }),
  bumpedCount: z
    .number()
    .int()
    .meta({
      description:
        'published: grants that could not be honoured because the class had filled since the run (the child was ' +
        'waitlisted instead; see `bumped` in the lists)',
    }),
});
export type AllocationHead = z.infer<typeof AllocationHead>;

/** A class of the term as the run saw it. */
export const DraftClass = z.object({
  classId: z.string(),
  what: z.string().meta({ description: 'the class, e.g. 机器人 基础班' }),
  seatsLeft: z.number().int().meta({ description: 'seats left when the allocation ran' }),
});
export const DraftGrant = z.object({
  classId: z.string(),
  studentNo: z.string(),
  name: z.string(),
  rank: z.number().int().meta({ description: "the choice's rank: 1 = first choice" }),
  round: z.number().int(),
});
export const DraftDropped = z.object({
  studentNo: z.string(),
  name: z.string(),
  classId: z.string(),
  reasons: z.array(Reason),
});
export const DraftUnplaced = z.object({ studentNo: z.string(), name: z.string(), choices: z.array(z.string()) });
export const DraftBumped = z.object({
  studentNo: z.string(),
  name: z.string(),
  classId: z.string(),
  what: z.string(),
  rank: z.number().int(),
  position: z.number().int().meta({ description: 'the child’s place on the class’s waitlist when it was published' }),
});
export type DraftClass = z.infer<typeof DraftClass>;
export type DraftGrant = z.infer<typeof DraftGrant>;
export type DraftDropped = z.infer<typeof DraftDropped>;
export type DraftUnplaced = z.infer<typeof DraftUnplaced>;
export type DraftBumped = z.infer<typeof DraftBumped>;

/** The lists of an allocation, each stored in pages of bounded size, in this order. */
export const DRAFT_LISTS = ['classes', 'grants', 'unplacedChoices', 'dropped', 'lottery', 'bumped'] as const;
export type DraftList = (typeof DRAFT_LISTS)[number];
export interface DraftLists {
  /** every class of the term, with its seats left at the run */
  classes: DraftClass[];
  /** class by class (in the order of `classes`), each class's by round */
  grants: DraftGrant[];
  /** children left without a place, in lottery order, with their eligible choices (for the waitlists) */
  unplacedChoices: DraftUnplaced[];
  /** choices no longer eligible when the allocation ran, left out with the reasons */
  dropped: DraftDropped[];
  /** every child's id in the order the lottery drew them */
  lottery: string[];
  /** published: grants the class could no longer honour, class by class */
  bumped: DraftBumped[];
}
export const emptyLists = (): DraftLists => ({
  classes: [],
  grants: [],
  unplacedChoices: [],
  dropped: [],
  lottery: [],
  bumped: [],
});

/** Running or publishing an allocation, as a job: its status resource. */
export const AllocationJob = JobStatus.extend({
  jobId: Id,
  termId: Id,
  action: z.enum(['run', 'publish']),
  version: z.number().int().meta({
    description: 'run: the version of the allocation it replaces (0: none); publish: the version of the draft it publishes',
  }),
  seed: z.number().int().nullable().meta({ description: 'run: the seed of the lottery (given, or derived and recorded)' }),
  seedDerived: z.boolean(),
  allocation: AllocationHead.nullable().meta({
    description: 'once finished: the allocation as the job left it (its lists: GET …/enrolment/allocation)',
  }),
  problem: JobProblem.nullable().meta({
    description:
      'once failed: what the request would have answered — 422 naming the rule (`window-not-closed`, `wrong-mode`), ' +
      '409 when the allocation changed meanwhile or was published, 404 when the term is gone',
  }),
});
export type AllocationJob = z.infer<typeof AllocationJob>;

/** The record of a run or a publication just accepted: queued, nothing done. */
export function queuedAllocation(
  jobId: string,
  termId: string,
  o: { action: AllocationJob['action']; version: number; seed: number | null; seedDerived: boolean },
  stamp: Stamp,
): AllocationJob {
  return {
    jobId,
    termId,
    ...o,
    state: 'queued',
    progress: { done: 0, of: 1 },
    message: null,
    at: stamp.now.toISOString(),
    by: stamp.by,
    startedAt: null,
    finishedAt: null,
    allocation: null,
    problem: null,
  };
}

const n = (x: number) => x.toLocaleString('en');

/** What a finished job records: the allocation as it left it, and in words what it did. */
export function finishedAllocation(
  head: AllocationHead,
  units: number,
): Pick<AllocationJob, 'allocation' | 'message' | 'progress' | 'problem'> {
  const message =
    head.status === 'draft'
      ? `Draft version ${head.version}: ${n(head.placed)} of ${n(head.children)} children placed, ${n(head.granted)} places granted`
      : `Published (version ${head.version}): ${n(head.granted - head.bumpedCount)} places given, ${n(head.waitlisted)} choices waitlisted` +
        (head.bumpedCount
          ? `; ${n(head.bumpedCount)} grants could not be honoured (the class had filled) and those children were waitlisted instead`
          : '');
  return { allocation: head, message, progress: { done: units, of: units }, problem: null };
}

/** What a failed job records: the problem the request would have answered, its detail as the message. */
export function failedAllocation(problem: JobProblem): Pick<AllocationJob, 'allocation' | 'message' | 'problem'> {
  return { allocation: null, message: problem.detail, problem };
}

/** A seed derived from the term and the run when the admin gives none (FNV-1a of the text). */
export function derivedSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The allocation may change from `version`, the one the admin read (0: none yet): it is still
 * a draft — a published one is final (409) — and still that version (409 naming who ran the
 * one there is). Nothing to publish is 404.
 */
export function assertDraftAt(head: AllocationHead | null, version: number, action: AllocationJob['action']): void {
  if (!head) {
    if (action === 'publish') throw new NotFound('allocation');
    if (version === 0) return;
    throw new Conflict('There is no allocation of this term yet: run it from version 0', 'version', {
      current: { version: 0 },
    });
  }
  if (head.status === 'published')
    throw new Conflict(`The allocation was published at ${head.publishedAt} by ${head.publishedBy}; it is final`, 'state', {
      current: { version: head.version, status: head.status, publishedAt: head.publishedAt, publishedBy: head.publishedBy },
    });
  if (head.version !== version)
    throw new Conflict(`The draft is version ${head.version}, run by ${head.ranBy} at ${head.ranAt}`, 'version', {
      current: { version: head.version, ranBy: head.ranBy, ranAt: head.ranAt },
    });
}

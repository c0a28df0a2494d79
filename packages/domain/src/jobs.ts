/**
 * Work that can outgrow a request (API Gateway answers within 29 s) is a job: the request
 * checks its input, stores it, answers 202 with a status resource, and a worker does the
 * rest. Pure: the states a job goes through and the rules for its lease and its lock.
 *
 * queued ──(a runner claims it)──▶ running ──▶ finished
 *    │                               │  ▲
 *    └──────────▶ failed ◀───────────┘  └─ a runner stopped (crash, time up): another resumes it
 *
 * One job of a kind runs at a time per school, or per term for a generation or an allocation (a lock item
 * names it). A running job's runner renews its lease as it goes; a lease that runs out means
 * the runner is gone.
 */
import * as z from 'zod';
import { Id } from './common';

export const JOB_KINDS = ['import', 'generate', 'allocation'] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;

/** What the API hands the worker (an asynchronous invocation's event): which job to run. */
export const JobMessage = z.object({ kind: JobKind, schoolId: Id, jobId: Id });
export type JobMessage = z.infer<typeof JobMessage>;

export const JobState = z.enum(['queued', 'running', 'finished', 'failed']).meta({
  description: 'queued: accepted, waiting for the worker; running; finished (see the result); failed (see message)',
});
export type JobState = z.infer<typeof JobState>;

/** The fields every job's status resource has. */
export const JobStatus = z.object({
  state: JobState,
  progress: z.object({ done: z.number().int(), of: z.number().int() }).meta({ description: 'units of work done, of all' }),
  message: z.string().nullable().meta({ description: 'what happened, in words (why it failed)' }),
  at: z.string().meta({ description: 'ISO-8601 instant the job was accepted' }),
  by: z.string().meta({ description: 'user id of who started it' }),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type JobStatus = z.infer<typeof JobStatus>;

/**
 * What a job that failed would have answered as a request (RFC 9457 problem details): its
 * status (422 for a domain rule, which `rule` names), the message in words, and the details.
 */
export const JobProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    rule: z.string().optional().meta({ description: 'for a 422: the domain rule' }),
    details: z.unknown().optional().meta({ description: "for a 422: the rule's particulars (e.g. the culprit)" }),
    reason: z.string().optional().meta({ description: 'for a 409: why (e.g. version)' }),
  })
  .meta({ description: 'what the request would have answered, had it waited for the work' });
export type JobProblem = z.infer<typeof JobProblem>;

/** How a runner holds a job: its id, until when, and how many runs claimed it so far. */
export interface JobLease {
  state: JobState;
  at: string;
  runs: number;
  runner?: string;
  leaseUntil?: string;
}

/** A runner renews its lease at least this often; one silent for longer is taken to be gone. */
export const JOB_LEASE_MS = 60_000;
/** A runner that stops with an error keeps the job this long for the platform's retry (Lambda retries after 1 and 2 minutes). */
export const JOB_RETRY_GRACE_MS = 3 * 60_000;
/** A job not started this long after it was accepted is given up when another of its kind starts. */
export const JOB_QUEUE_MS = 15 * 60_000;
/** Lambda runs an asynchronous invocation at most this often: once, and two retries (infra/lib/api.ts). */
export const JOB_ATTEMPTS = 3;
/** What a caller refused because a job of the kind is in progress is told to wait. */
export const JOB_RETRY_AFTER_S = 10;

const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();
export const leaseUntil = (now: Date) => plus(now, JOB_LEASE_MS);
export const graceUntil = (now: Date) => plus(now, JOB_RETRY_GRACE_MS);

/**
 * What a runner given a job should do: nothing (it ended), start it, resume it (a runner
 * before it stopped), or wait (another runner holds a live lease: the platform retries).
 */
export function nextRun(job: JobLease | null, now: Date): 'none' | 'start' | 'resume' | 'busy' {
  if (!job || job.state === 'finished' || job.state === 'failed') return 'none';
  if (job.state === 'queued') return 'start';
  return job.runner === undefined || (job.leaseUntil ?? '') < now.toISOString() ? 'resume' : 'busy';
}

/**
 * Whether the job named by a lock still holds it. A lock is set aside when its job ended
 * without releasing it, was never started within JOB_QUEUE_MS, or its runner's lease (or
 * the grace for a retry) ran out.
 */
export function holdsLock(job: JobLease | null, now: Date): boolean {
  if (!job) return false;
  switch (job.state) {
    case 'finished':
    case 'failed':
      return false;
    case 'queued':
      return now.getTime() - new Date(job.at).getTime() < JOB_QUEUE_MS;
    case 'running':
      return (job.leaseUntil ?? '') >= now.toISOString();
  }
}

/** Why a job that lost its lock failed, in words. */
export const SET_ASIDE =
  'This job stopped before it finished (its worker was lost) and was set aside when another one started. ' +
  'What it wrote stays; running it again does only what is left.';

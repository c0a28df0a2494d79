/**
 * A job's run to its end, as the generation and allocation runners share it: claimed by one
 * runner (another holding it: JobBusy, and the platform runs it again later), worked, and
 * ended. The work ends the job itself, in the transaction that records what it made
 * (`finish`), so that both happen or neither. A failure that a retry may mend (the database
 * busy, a crash) releases the job and is thrown, for Lambda's retry, until the last attempt;
 * one refused for good (a domain rule, the records changed meanwhile) or on the last attempt
 * ends the job as failed, with the problem the request would have answered.
 */
import {
  Conflict,
  DomainError,
  JOB_ATTEMPTS,
  JobProblem,
  nextRun,
  Unavailable,
  type JobMessage,
  type JobStatus,
} from '@kehou/domain';
import { errorResponse, log } from '@kehou/http';
import { JobBusy, LeaseLost, type JobRef, type Runtime, type StoredJob, type TransactWrite } from '@kehou/store';

export interface Claimed<T extends JobStatus> {
  job: StoredJob<T>;
  runner: string;
  /** when the job was claimed */
  now: Date;
  /** the writes that end the job as finished, recording `set`, to send first in the transaction of the work's result */
  finish(set: Record<string, unknown>): TransactWrite[];
}

/** What the request would have answered for `e` (the API's one mapping of errors). */
const problemOf = (e: unknown): JobProblem => JobProblem.parse(JSON.parse(errorResponse(e).body ?? '{}'));

/** Refused for good: a domain rule, the records changed. Not the database busy, nor a request for a place still being decided. */
const refused = (e: unknown) =>
  e instanceof DomainError && !(e instanceof Unavailable) && !(e instanceof Conflict && e.reason === 'in-progress');

export async function runClaimed<T extends JobStatus>(
  m: JobMessage,
  rt: Runtime,
  ref: JobRef,
  job: StoredJob<T> | null,
  o: {
    /** what the job is, for the log */
    what: string;
    work(c: Claimed<T>): Promise<void>;
    /** what a failed job's record says, from the problem */
    failed(problem: JobProblem): Record<string, unknown>;
  },
): Promise<void> {
  const now = rt.clock();
  const next = nextRun(job, now);
  if (next === 'none' || !job) return;
  if (next === 'busy') throw new JobBusy(ref);
  const runner = rt.newId();
  if (!(await rt.store.jobs.claim(ref, job, runner, now))) throw new JobBusy(ref);

  // whether the work's last transaction failed because the job is no longer this runner's
  let lost = (_e: unknown) => false;
  const finish = (set: Record<string, unknown>) => {
    const ending = rt.store.jobs.ending(ref, job.lock, { runner }, rt.clock(), { ...set, state: 'finished' as const });
    lost = ending.lost;
    return ending.writes;
  };
  try {
    await o.work({ job, runner, now, finish });
  } catch (e) {
    if (e instanceof LeaseLost || lost(e)) return taken(m);
    if (!refused(e) && job.runs + 1 < JOB_ATTEMPTS) {
      // what the work wrote is nothing anyone reads, or recorded for the retry to resume from
      await rt.store.jobs.release(ref, runner, rt.clock(), {}).catch(() => undefined);
      throw e;
    }
    if (!refused(e)) log('error', `${o.what} failed on its last attempt`, { jobId: m.jobId, schoolId: m.schoolId, error: e });
    await rt.store.jobs
      .end(ref, job.lock, { runner }, rt.clock(), { ...o.failed(problemOf(e)), state: 'failed' as const })
      .catch((lostToo: unknown) => {
        if (!(lostToo instanceof LeaseLost)) throw lostToo;
        taken(m);
      });
  }
}

/** A job that is no longer this runner's: someone else ends it. */
export function taken(m: JobMessage): void {
  log('warn', 'job taken over', { kind: m.kind, jobId: m.jobId, schoolId: m.schoolId });
}

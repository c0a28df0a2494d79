/**
 * The generation job, run by the jobs function (the only function that carries the solver):
 * the term's stored set-up solved into its draft, as the request asked (seed, fresh).
 *
 * The draft is written and the job ended in one transaction, so a run again after a crash
 * (Lambda's retry, a duplicate delivery) finds the job finished, or writes the draft itself:
 * never two. A generation that cannot be made (a domain rule, the timetable changed
 * meanwhile, the term gone) fails with the problem the request would have answered; one
 * that stopped for another reason (the database busy, a crash) is run again, and fails on
 * its last attempt.
 */
import {
  DomainError,
  failedGeneration,
  generatedDraft,
  JOB_ATTEMPTS,
  JobProblem,
  nextRun,
  NotFound,
  Unavailable,
  type JobMessage,
} from '@kehou/domain';
import { errorResponse, log } from '@kehou/http';
import { generateDraft, generationJob, generationRef, JobBusy, LeaseLost, type Runtime } from '@kehou/store';

/** What the request would have answered for `e` (the API's one mapping of errors). */
const problemOf = (e: unknown): JobProblem => JobProblem.parse(JSON.parse(errorResponse(e).body ?? '{}'));

export async function runGeneration(m: JobMessage, rt: Runtime): Promise<void> {
  const ref = generationRef(m.schoolId, m.jobId);
  const job = await generationJob(rt.store, m.schoolId, m.jobId);
  const now = rt.clock();
  const next = nextRun(job, now);
  if (next === 'none' || !job) return;
  if (next === 'busy') throw new JobBusy(ref);
  const runner = rt.newId();
  if (!(await rt.store.jobs.claim(ref, job, runner, now))) throw new JobBusy(ref);

  // whether the draft's transaction failed because the job is no longer this runner's
  let lost = (_e: unknown) => false;
  try {
    const school = await rt.store.schools.get(m.schoolId, m.schoolId);
    if (!school) throw new NotFound('school');
    await generateDraft(rt.store, school, job.termId, {
      seed: job.seed,
      fresh: job.fresh,
      withEnrolments: job.withEnrolments,
      stamp: { by: job.by, now },
      newId: rt.newId,
      clock: () => performance.now(),
      finish: ({ created, version }) => {
        const ending = rt.store.jobs.ending(ref, job.lock, { runner }, rt.clock(), {
          state: 'finished',
          ...generatedDraft(version, created),
        });
        lost = ending.lost;
        return ending.writes;
      },
    });
  } catch (e) {
    if (e instanceof LeaseLost || lost(e)) return taken(m);
    const refused = e instanceof DomainError && !(e instanceof Unavailable);
    if (!refused && job.runs + 1 < JOB_ATTEMPTS) {
      // nothing was written (or the draft and the job's end were, together): a retry starts over
      await rt.store.jobs.release(ref, runner, rt.clock(), {}).catch(() => undefined);
      throw e;
    }
    if (!refused) log('error', 'generation failed on its last attempt', { jobId: m.jobId, schoolId: m.schoolId, error: e });
    await rt.store.jobs
      .end(ref, job.lock, { runner }, rt.clock(), { state: 'failed', ...failedGeneration(problemOf(e)) })
      .catch((lostToo: unknown) => {
        if (!(lostToo instanceof LeaseLost)) throw lostToo;
        taken(m);
      });
  }
}

/** A job that is no longer this runner's: someone else ends it. */
function taken(m: JobMessage): void {
  log('warn', 'job taken over', { kind: m.kind, jobId: m.jobId, schoolId: m.schoolId });
}

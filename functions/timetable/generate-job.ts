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
import { failedGeneration, generatedDraft, NotFound, type JobMessage } from '@kehou/domain';
import { generateDraft, generationJob, generationRef, type Runtime } from '@kehou/store';
import { runClaimed } from '../jobs/claimed';

export async function runGeneration(m: JobMessage, rt: Runtime): Promise<void> {
  await runClaimed(m, rt, generationRef(m.schoolId, m.jobId), await generationJob(rt.store, m.schoolId, m.jobId), {
    what: 'generation',
    failed: failedGeneration,
    work: async ({ job, now, finish }) => {
      const school = await rt.store.schools.get(m.schoolId, m.schoolId);
      if (!school) throw new NotFound('school');
      await generateDraft(rt.store, school, job.termId, {
        seed: job.seed,
        fresh: job.fresh,
        withEnrolments: job.withEnrolments,
        stamp: { by: job.by, now },
        newId: rt.newId,
        clock: () => performance.now(),
        finish: ({ created, version }) => finish(generatedDraft(version, created)),
      });
    },
  });
}

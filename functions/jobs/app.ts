/**
 * The jobs function: no HTTP routes. The API functions hand it a job (an asynchronous
 * invocation on AWS, this process locally) and it runs the job's runner, by kind: a student
 * import, a timetable generation (the solver runs here and nowhere else), or a run or
 * publication of a ranked allocation. A runner that
 * fails throws, so that Lambda runs the invocation again (twice); runners resume.
 */
import { JobMessage, type JobKind } from '@kehou/domain';
import { log } from '@kehou/http';
import { JobBusy, type Runtime } from '@kehou/store';
import { runAllocationJob } from '../enrolment/allocation-job';
import { runImport, type Budget } from '../people/import-job';
import { runGeneration } from '../timetable/generate-job';

const RUNNERS: Record<JobKind, (m: JobMessage, rt: Runtime, budget: Budget) => Promise<void>> = {
  import: runImport,
  generate: runGeneration,
  allocation: runAllocationJob,
};

export function jobsHandler(rt: Runtime) {
  return async (event: unknown, context: { getRemainingTimeInMillis(): number }): Promise<void> => {
    const parsed = JobMessage.safeParse(event);
    if (!parsed.success) {
      // nothing to retry: a message no runner can take
      log('error', 'not a job', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
      return;
    }
    const m = parsed.data;
    const started = performance.now();
    try {
      await RUNNERS[m.kind](m, rt, { remainingMs: () => context.getRemainingTimeInMillis() });
      log('info', 'job', { kind: m.kind, jobId: m.jobId, schoolId: m.schoolId, ms: Math.round(performance.now() - started) });
    } catch (e) {
      log(e instanceof JobBusy ? 'warn' : 'error', 'job stopped', {
        kind: m.kind,
        jobId: m.jobId,
        schoolId: m.schoolId,
        error: e,
      });
      throw e;
    }
  };
}

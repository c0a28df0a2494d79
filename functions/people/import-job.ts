/**
 * The import job, run by the jobs function: the rows the request checked and stored, against
 * the school's current records of the students and guardians they name (read by key: the
 * cost follows the file, not the school), written a step of rows at a time, with progress.
 *
 * Run again for the same job (a retry after a crash, a duplicate delivery, a hand-over when
 * time runs out) it does only what is left: a job that was running was checked when it
 * started, and the difference against what the school has now skips what was written.
 */
import {
  diffImport,
  finishedImport,
  importErrors,
  importSteps,
  MAX_IMPORT_ERRORS,
  nextRun,
  planImport,
  refusedImport,
  type ImportJob,
  type JobMessage,
} from '@kehou/domain';
import { log } from '@kehou/http';
import { JobBusy, LeaseLost, type BulkOutcome, type JobRef, type Runtime } from '@kehou/store';

/** Rows of the file a step writes; after each, the runner records progress and renews its lease. */
export const STEP_ROWS = 500;
/** With less time left than a step may take, the runner hands the job over to a new invocation. */
export const STEP_BUDGET_MS = 60_000;

export interface Budget {
  /** what is left of the invocation's time (Lambda's context.getRemainingTimeInMillis) */
  remainingMs(): number;
}

const EXPIRED =
  'The file of this import was kept for a day and expired before it was imported; nothing was imported. Import it again.';

export async function runImport(m: JobMessage, rt: Runtime, budget: Budget): Promise<void> {
  const ref: JobRef = { kind: 'import', schoolId: m.schoolId, jobId: m.jobId };
  const job = await rt.store.imports.get(m.schoolId, m.jobId);
  const now = rt.clock();
  const next = nextRun(job, now);
  if (next === 'none' || !job) return;
  if (next === 'busy') throw new JobBusy(ref);
  const fail = (set: Partial<ImportJob>) =>
    rt.store.jobs
      .end(ref, job.lock, { runs: job.runs }, now, { ...set, state: 'failed' })
      .catch((e: unknown) => ignoreLost(e, ref));

  const rows = await rt.store.imports.rows(m.schoolId, job);
  if (!rows) return fail({ message: EXPIRED });
  const plan = planImport(m.schoolId, rows);
  const current = await rt.store.imports.current(m.schoolId, plan);
  // a job that was running passed the check when it started: what exists now, it wrote (or someone since)
  const diff = diffImport(m.schoolId, plan, next === 'start' ? job.mode : 'upsert', current, { by: job.by, now });
  if (diff.issues.length) return fail(refusedImport(diff.issues));

  const runner = rt.newId();
  if (!(await rt.store.jobs.claim(ref, job, runner, now))) throw new JobBusy(ref);
  const out: { students: BulkOutcome; guardians: BulkOutcome } = {
    students: { written: job.studentsWritten, failed: [] },
    guardians: { written: job.guardiansWritten, failed: [] },
  };
  let done = job.progress.done;
  const record = () => {
    const failed = [...out.students.failed, ...out.guardians.failed].flatMap((f) =>
      f.rows.map((row) => ({ path: ['rows', row], message: f.message })),
    );
    return {
      progress: { done, of: rows.length },
      studentsWritten: out.students.written,
      guardiansWritten: out.guardians.written,
      errors: [...job.errors, ...importErrors(failed)].slice(0, MAX_IMPORT_ERRORS),
      errorCount: job.errorCount + failed.length,
    };
  };
  try {
    for (const step of importSteps(diff, rows.length, STEP_ROWS)) {
      if (budget.remainingMs() < STEP_BUDGET_MS) {
        await rt.store.jobs.release(ref, runner, rt.clock(), record());
        await rt.jobs.enqueue(m);
        return;
      }
      await rt.store.imports.write(m.schoolId, step, out);
      done = Math.max(done, step.done);
      await rt.store.jobs.renew(ref, runner, rt.clock(), record());
    }
    done = rows.length;
    const result = record();
    await rt.store.jobs.end(ref, job.lock, { runner }, rt.clock(), {
      state: 'finished',
      ...result,
      message: finishedImport({ rows: rows.length, ...result }),
    });
  } catch (e) {
    if (e instanceof LeaseLost) return ignoreLost(e, ref);
    // what was written is recorded; a retry resumes
    await rt.store.jobs.release(ref, runner, rt.clock(), record()).catch(() => undefined);
    throw e;
  }
}

/** A job that is no longer this runner's: someone else ends it. */
function ignoreLost(e: unknown, ref: JobRef): void {
  if (!(e instanceof LeaseLost)) throw e;
  log('warn', 'job taken over', { kind: ref.kind, jobId: ref.jobId, schoolId: ref.schoolId });
}

/**
 * Imports of students and guardians, as jobs (jobs.ts): the checked rows stored as the
 * job's input (JSON, gzipped, in parts), the current records of the students and guardians
 * a file names read by key (never the whole school), and the writes of each step.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Guardian, ImportJob, ImportPlan, ImportRow, ImportStep, Page, PageQuery, Student } from '@kehou/domain';
import { readMany, writeBulk, type BulkOutcome } from './bulk';
import type { Db } from './client';
import { guardianSpec, studentSpec } from './entities';
import { Jobs, type JobPort, type JobRef, type StoredJob } from './jobs';
import { fromItem } from './repository';

/** One import of a school at a time. */
const LOCK = 'import';
const ref = (schoolId: string, importId: string): JobRef => ({ kind: 'import', schoolId, jobId: importId });

export class Imports {
  constructor(
    private readonly db: Db,
    private readonly jobs: Jobs,
  ) {}

  /** Accepts an import: see Jobs.submit (409 while another import of the school is in progress). */
  start(schoolId: string, job: ImportJob, rows: readonly ImportRow[], now: Date, port: JobPort): Promise<void> {
    return this.jobs.submit(ref(schoolId, job.importId), LOCK, job, gzipSync(JSON.stringify(rows)), now, port);
  }

  /** The import with what its runner needs. */
  get(schoolId: string, importId: string): Promise<StoredJob<ImportJob> | null> {
    return this.jobs.get<ImportJob>(ref(schoolId, importId));
  }

  list(schoolId: string, page: PageQuery): Promise<Page<ImportJob>> {
    return this.jobs.list<ImportJob>('import', schoolId, page);
  }

  /** The rows the import was accepted with (checked then); null once they expired. */
  async rows(schoolId: string, job: StoredJob<ImportJob>): Promise<ImportRow[] | null> {
    const bytes = await this.jobs.input(ref(schoolId, job.importId), job.parts);
    return bytes && (JSON.parse(gunzipSync(bytes).toString('utf8')) as ImportRow[]);
  }

  /** The school's current records of the students and guardians the plan names. */
  async current(
    schoolId: string,
    plan: ImportPlan,
  ): Promise<{ students: Map<string, Student>; guardians: Map<string, Guardian> }> {
    const [students, guardians] = await Promise.all([
      readMany(
        this.db,
        plan.students.map((s) => studentSpec.key(schoolId, s.studentNo)),
      ),
      readMany(
        this.db,
        plan.guardians.map((g) => guardianSpec.key(schoolId, g.id)),
      ),
    ]);
    const byId = <T extends { id: string }>(items: Record<string, unknown>[], sets?: readonly string[]) =>
      new Map(items.map((i) => fromItem<T>(i, sets)).map((e) => [e.id, e]));
    return { students: byId<Student>(students, studentSpec.sets), guardians: byId<Guardian>(guardians, guardianSpec.sets) };
  }

  /** Writes a step, counting into `students` and `guardians` as it goes (see writeBulk). */
  async write(schoolId: string, step: ImportStep, out: { students: BulkOutcome; guardians: BulkOutcome }): Promise<void> {
    await writeBulk(this.db, studentSpec, schoolId, step.students, out.students);
    await writeBulk(this.db, guardianSpec, schoolId, step.guardians, out.guardians);
  }
}

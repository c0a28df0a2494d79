/**
 * Jobs in the table (see @kehou/domain jobs.ts for their states and rules): the record, the
 * lock it holds (the school's for its kind, or a term's for a generation), the job's input
 * stored in parts that expire, and the runner's claim, lease, progress and end. Every change of state is a conditional write,
 * so two requests, or two runners of one job, never both win.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  Conflict,
  graceUntil,
  holdsLock,
  JOB_RETRY_AFTER_S,
  leaseUntil,
  SET_ASIDE,
  Unavailable,
  type JobKind,
  type JobLease,
  type JobMessage,
  type JobStatus,
  type Page,
  type PageQuery,
} from '@kehou/domain';
import type { Db } from './client';
import type { TransactWrite } from './transact';
import { mapped, storeError } from './errors';
import { putMany, readMany } from './bulk';
import { keys } from './keys';
import { fromItem, queryPage } from './repository';
import type { Store } from './store';

/** Where the API hands jobs to the worker: an asynchronous invocation on AWS, this process locally (see runtime.ts). */
export interface JobPort {
  enqueue(message: JobMessage): Promise<void>;
}

export interface JobRef {
  kind: JobKind;
  schoolId: string;
  jobId: string;
}

/** A job as stored: its status resource and what runners need (never shown to users). */
export type StoredJob<T extends JobStatus> = T & JobLease & { kind: JobKind; lock: string; parts: number };

/** How a job ends: finished or failed, with what its record says then. */
export type JobEnd = Record<string, unknown> & { state: 'finished' | 'failed' };

/** Bytes of a job's input per item (DynamoDB's limit is 400 KB). */
export const PART_BYTES = 64 * 1024;
/** Parts of a job's input expire (DynamoDB's TTL) a day after the job was accepted. */
const PART_TTL_S = 24 * 3600;

/** Another runner holds the job: the platform should run this one again later (Lambda retries an invocation that failed). */
export class JobBusy extends Error {
  constructor(ref: JobRef) {
    super(`job ${ref.kind} ${ref.jobId} of school ${ref.schoolId} is held by another runner`);
  }
}

/** The runner no longer holds the job: another took it over, or it was set aside. */
export class LeaseLost extends Error {
  constructor(ref: JobRef) {
    super(`job ${ref.kind} ${ref.jobId} of school ${ref.schoolId} is no longer this runner's`);
  }
}

const conditionFailed = (e: unknown) => (e as { name?: string }).name === 'ConditionalCheckFailedException';
/** Why a transaction was refused at item i, if it was. */
const reasonAt = (e: unknown, i: number) =>
  (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons?.[i]?.Code;
/** A transaction refused because of one of its items' conditions, or a concurrent write of the same item. */
const refusedAt = (e: unknown, i: number) => {
  const code = reasonAt(e, i);
  return code === 'ConditionalCheckFailed' || code === 'TransactionConflict';
};

/** An update of a job that sets `set` and removes `remove`, on a condition with its own names and values. */
function jobUpdate(
  db: Db,
  ref: JobRef,
  change: { set: Record<string, unknown>; remove?: readonly string[] },
  condition: { expression: string; names: Record<string, string>; values: Record<string, unknown> },
) {
  const names: Record<string, string> = { ...condition.names };
  const values: Record<string, unknown> = { ...condition.values };
  const sets = Object.entries(change.set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removes = (change.remove ?? []).map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return {
    TableName: db.table,
    Key: keys.job(ref.schoolId, ref.kind, ref.jobId),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition.expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** The job's runner is `runner`. */
const heldBy = (runner: string) => ({
  expression: '#state = :running AND runner = :me',
  names: { '#state': 'state' },
  values: { ':running': 'running', ':me': runner },
});

/** The job is as a runner saw it (`runs` claims so far) and nobody holds it: queued, or running without a live lease. */
const unclaimed = (seen: { runs: number }, now: Date) => ({
  expression:
    '#runs = :runs AND (#state = :queued OR (#state = :running AND (attribute_not_exists(runner) OR leaseUntil < :now)))',
  names: { '#state': 'state', '#runs': 'runs' },
  values: { ':runs': seen.runs, ':queued': 'queued', ':running': 'running', ':now': now.toISOString() },
});

export class Jobs {
  constructor(private readonly db: Db) {}

  async get<T extends JobStatus>(ref: JobRef): Promise<StoredJob<T> | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.job(ref.schoolId, ref.kind, ref.jobId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<StoredJob<T>>(out.Item) : null;
  }

  /** A job's status resource (what users see of it). */
  static view<T extends JobStatus>(job: StoredJob<T>): T {
    const { kind: _kind, lock: _lock, parts: _parts, runs: _runs, runner: _runner, leaseUntil: _lease, ...status } = job;
    return status as unknown as T;
  }

  async list<T extends JobStatus>(kind: JobKind, schoolId: string, page: PageQuery): Promise<Page<T>> {
    const p = await queryPage<StoredJob<T>>(this.db, keys.jobsOf(schoolId, kind), page);
    return { items: p.items.map((j) => Jobs.view(j)), next: p.next };
  }

  /**
   * Accepts a job: takes the lock `lock` of the school for it (a live job holding it: 409
   * with Retry-After, `busy` in words, nothing written), stores the record and the input,
   * and hands it to the worker. When storing the input or handing it over fails, the job is
   * failed, the lock released, and the caller told to retry (503).
   */
  async submit(
    ref: JobRef,
    lock: string,
    record: JobStatus,
    input: Uint8Array,
    now: Date,
    port: JobPort,
    busy = `Another ${ref.kind} of this school is in progress; try again when it has finished`,
  ): Promise<void> {
    const parts = Math.ceil(input.length / PART_BYTES);
    const item = {
      ...keys.job(ref.schoolId, ref.kind, ref.jobId),
      type: 'job',
      ...record,
      kind: ref.kind,
      lock,
      parts,
      runs: 0,
    };
    await this.takeLock(ref, lock, item, now, busy);
    try {
      const expiresAt = Math.floor(now.getTime() / 1000) + PART_TTL_S;
      await putMany(
        this.db,
        Array.from({ length: parts }, (_, n) => ({
          ...keys.jobPart(ref.schoolId, ref.jobId, n),
          type: 'job-part',
          data: input.subarray(n * PART_BYTES, (n + 1) * PART_BYTES),
          expiresAt,
        })),
      );
      await port.enqueue({ kind: ref.kind, schoolId: ref.schoolId, jobId: ref.jobId });
    } catch (e) {
      // should this fail too, the job is set aside JOB_QUEUE_MS after it was accepted
      await this.end(ref, lock, { runs: 0 }, now, {
        state: 'failed',
        message: 'The job could not be started; nothing was done.',
      }).catch(() => undefined);
      throw e instanceof Unavailable ? e : new Unavailable('The job could not be started; nothing was done. Please retry.', 5);
    }
  }

  /** The lock for a new job (and its record, in the same transaction); a job that holds it no longer is set aside. */
  private async takeLock(ref: JobRef, lock: string, item: Record<string, unknown>, now: Date, message: string): Promise<void> {
    const lockKey = keys.jobLock(ref.schoolId, lock);
    const lockItem = { ...lockKey, type: 'lock', kind: ref.kind, jobId: ref.jobId, at: now.toISOString() };
    const busy = () => new Conflict(message, 'in-progress', { retryAfterSeconds: JOB_RETRY_AFTER_S });
    const putJob = { Put: { TableName: this.db.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } };
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.db.table, Item: lockItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            putJob,
          ],
        }),
      );
      return;
    } catch (e) {
      if (!refusedAt(e, 0)) throw storeError(e);
    }
    const held = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: lockKey, ConsistentRead: true })),
    );
    const holderId = held.Item?.jobId as string | undefined;
    if (!holderId) throw busy(); // released meanwhile: the caller may retry at once
    const holderRef: JobRef = { ...ref, kind: held.Item!.kind as JobKind, jobId: holderId };
    const holder = await this.get(holderRef);
    if (holdsLock(holder, now)) throw busy();
    // set aside the job that lost the lock, if it has not ended, as it was seen
    const setAside = holder && (holder.state === 'queued' || holder.state === 'running');
    try {
      await this.db.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: lockItem,
                ConditionExpression: 'jobId = :holder',
                ExpressionAttributeValues: { ':holder': holderId },
              },
            },
            putJob,
            ...(setAside
              ? [
                  {
                    Update: jobUpdate(
                      this.db,
                      holderRef,
                      {
                        set: { state: 'failed', message: SET_ASIDE, finishedAt: now.toISOString() },
                        remove: ['runner', 'leaseUntil'],
                      },
                      {
                        expression: '#runs = :runs AND #state = :seen',
                        names: { '#runs': 'runs', '#state': 'state' },
                        values: { ':runs': holder.runs, ':seen': holder.state },
                      },
                    ),
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (e) {
      if (refusedAt(e, 0) || refusedAt(e, 2)) throw busy();
      throw storeError(e);
    }
  }

  /** The input a job was accepted with; null once it expired. */
  async input(ref: JobRef, parts: number): Promise<Uint8Array | null> {
    const items = await readMany(
      this.db,
      Array.from({ length: parts }, (_, n) => keys.jobPart(ref.schoolId, ref.jobId, n)),
    );
    if (items.length !== parts) return null;
    const byPart = new Map(items.map((i) => [i.pk as string, i.data as Uint8Array]));
    return Buffer.concat(Array.from({ length: parts }, (_, n) => byPart.get(keys.jobPart(ref.schoolId, ref.jobId, n).pk)!));
  }

  /** Claims the job for `runner` if it is still as the runner saw it and nobody holds it. False: someone else did. */
  async claim(ref: JobRef, seen: { runs: number }, runner: string, now: Date): Promise<boolean> {
    try {
      const when = unclaimed(seen, now);
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: keys.job(ref.schoolId, ref.kind, ref.jobId),
          UpdateExpression:
            'SET #state = :running, runner = :me, leaseUntil = :lease, #runs = :next, startedAt = if_not_exists(startedAt, :now)',
          ConditionExpression: when.expression,
          ExpressionAttributeNames: when.names,
          ExpressionAttributeValues: { ...when.values, ':me': runner, ':lease': leaseUntil(now), ':next': seen.runs + 1 },
        }),
      );
      return true;
    } catch (e) {
      if (conditionFailed(e)) return false;
      throw storeError(e);
    }
  }

  /** Records progress and renews the runner's lease; LeaseLost if the job is no longer the runner's. */
  async renew(ref: JobRef, runner: string, now: Date, set: Record<string, unknown>): Promise<void> {
    await this.asRunner(ref, runner, { set: { ...set, leaseUntil: leaseUntil(now) } });
  }

  /**
   * The runner stops without ending the job (an error; its time is up): what it did is
   * recorded, and the job waits for a runner to resume it, for JOB_RETRY_GRACE_MS before
   * another job may take the lock.
   */
  async release(ref: JobRef, runner: string, now: Date, set: Record<string, unknown>): Promise<void> {
    await this.asRunner(ref, runner, { set: { ...set, leaseUntil: graceUntil(now) }, remove: ['runner'] });
  }

  private async asRunner(ref: JobRef, runner: string, change: Parameters<typeof jobUpdate>[2]): Promise<void> {
    try {
      await this.db.doc.send(new UpdateCommand(jobUpdate(this.db, ref, change, heldBy(runner))));
    } catch (e) {
      if (conditionFailed(e)) throw new LeaseLost(ref);
      throw storeError(e);
    }
  }

  /**
   * Ends the job (finished or failed, with what it did) and releases its lock, in one
   * transaction: by its runner, or, if nobody holds it, as it was seen (`runs`).
   * LeaseLost if it was no longer so.
   */
  async end(ref: JobRef, lock: string, by: { runner: string } | { runs: number }, now: Date, set: JobEnd): Promise<void> {
    const ending = this.ending(ref, lock, by, now, set);
    try {
      await this.db.doc.send(new TransactWriteCommand({ TransactItems: ending.writes }));
    } catch (e) {
      if (refusedAt(e, 0)) throw new LeaseLost(ref);
      throw storeError(e);
    }
  }

  /**
   * The writes that end the job (see `end`), for the runner to send first in the
   * transaction of the work they record, so that the work is done and the job ended at
   * once or neither (a generation's draft: see drafts.ts). `lost`: whether that
   * transaction failed because the job was no longer as `by` says.
   */
  ending(
    ref: JobRef,
    lock: string,
    by: { runner: string } | { runs: number },
    now: Date,
    set: JobEnd,
  ): { writes: TransactWrite[]; lost: (e: unknown) => boolean } {
    return {
      writes: [
        {
          Update: jobUpdate(
            this.db,
            ref,
            { set: { ...set, finishedAt: now.toISOString() }, remove: ['runner', 'leaseUntil'] },
            'runner' in by ? heldBy(by.runner) : unclaimed(by, now),
          ),
        },
        {
          Delete: {
            TableName: this.db.table,
            Key: keys.jobLock(ref.schoolId, lock),
            ConditionExpression: 'attribute_not_exists(pk) OR jobId = :job',
            ExpressionAttributeValues: { ':job': ref.jobId },
          },
        },
      ],
      lost: (e) => reasonAt(e, 0) === 'ConditionalCheckFailed',
    };
  }
}

/**
 * Jobs of a kind that runs one of a term at a time (a generation, an allocation): a job's
 * reference, its submission (409 `busy` with Retry-After while another of the term is queued
 * or running; see Jobs.submit), and the job with what its runner needs.
 */
export function termJobs<J extends JobStatus & { jobId: string; termId: string }>(kind: JobKind, busy: string) {
  const ref = (schoolId: string, jobId: string): JobRef => ({ kind, schoolId, jobId });
  return {
    ref,
    submit: (store: Store, schoolId: string, job: J, now: Date, port: JobPort): Promise<void> =>
      store.jobs.submit(ref(schoolId, job.jobId), `${kind}#${job.termId}`, job, new Uint8Array(), now, port, busy),
    get: (store: Store, schoolId: string, jobId: string): Promise<StoredJob<J> | null> => store.jobs.get<J>(ref(schoolId, jobId)),
  };
}

/**
 * Bulk reads and writes, their cost in proportion to what is asked for:
 * - reads of many items by key (BatchGet, 100 keys a call);
 * - puts of many plain items (BatchWrite, 25 a call), e.g. a job's input;
 * - writes of versioned entities (an import): transactions of up to 100 items (a new
 *   entity is one item; a changed one two, with the version it replaces kept in history),
 *   a few transactions at a time. A transaction is all or nothing; one whose conditions
 *   fail (someone changed a record meanwhile) is retried without the records that changed,
 *   and those are reported, never silently dropped or overwritten.
 * Items DynamoDB leaves unprocessed (throttling) are sent again, after a pause.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Unavailable, type ImportChange } from '@kehou/domain';
import type { Db } from './client';
import { mapped, storeError } from './errors';
import type { Key } from './keys';
import { historyPut, toItem, type Entity, type EntitySpec } from './repository';

const MAX_ITEMS = 100; // DynamoDB's limit per transaction
const MAX_GET = 100; // per BatchGetItem
const MAX_PUT = 25; // per BatchWriteItem
const PARALLEL = 4;
const ROUNDS = 8; // sends of what DynamoDB left unprocessed, before giving up

/** Runs `run` over the items, `parallel` at a time; every started run ends before an error is thrown. */
export async function inParallel<T>(items: readonly T[], parallel: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (next < items.length && !failure) {
      try {
        await run(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
}

const slices = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Sends what is left until DynamoDB has taken it all, pausing longer each round. */
async function untilDone<T>(first: T[], send: (items: T[]) => Promise<T[]>): Promise<void> {
  let left = first;
  for (let round = 0; left.length; round++) {
    if (round === ROUNDS) throw new Unavailable('The database is busy; please retry shortly', 5);
    if (round) await sleep(Math.min(2000, 50 * 2 ** round));
    left = await send(left);
  }
}

/** The items at these keys (consistent reads); keys of missing items are left out. */
export async function readMany(db: Db, keys: readonly Key[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  await inParallel(slices(keys, MAX_GET), PARALLEL, (slice) =>
    untilDone(slice, async (left) => {
      const res = await mapped(() =>
        db.doc.send(new BatchGetCommand({ RequestItems: { [db.table]: { Keys: left, ConsistentRead: true } } })),
      );
      out.push(...(res.Responses?.[db.table] ?? []));
      return (res.UnprocessedKeys?.[db.table]?.Keys ?? []) as Key[];
    }),
  );
  return out;
}

/** Puts items unconditionally (items nobody else writes, e.g. a job's input). */
export async function putMany(db: Db, items: readonly Record<string, unknown>[]): Promise<void> {
  await inParallel(slices(items, MAX_PUT), PARALLEL, (slice) =>
    untilDone(
      slice.map((Item) => ({ PutRequest: { Item } })),
      async (left) => {
        const res = await mapped(() => db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: left } })));
        return (res.UnprocessedItems?.[db.table] ?? []) as typeof left;
      },
    ),
  );
}

export interface BulkOutcome {
  written: number;
  failed: Array<{ rows: number[]; message: string }>;
}

export function buildBulkChunk<T extends Entity>(table: string, spec: EntitySpec<T>, schoolId: string, chunk: ImportChange<T>[]) {
  return {
    TransactItems: chunk.flatMap((c) => [
      {
        Put: {
          TableName: table,
          Item: toItem(table, spec, schoolId, c.next),
          ...(c.prev
            ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': c.prev.version } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      ...(c.prev ? [historyPut(table, spec, schoolId, c.prev)] : []),
    ]),
  };
}

async function writeChunk<T extends Entity>(
  db: Db,
  spec: EntitySpec<T>,
  schoolId: string,
  chunk: ImportChange<T>[],
  out: BulkOutcome,
) {
  let pending = chunk;
  while (pending.length) {
    try {
      await db.doc.send(new TransactWriteCommand(buildBulkChunk(db.table, spec, schoolId, pending)));
      out.written += pending.length;
      return;
    } catch (e) {
      const reasons = (e as { name?: string; CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
      if ((e as { name?: string }).name !== 'TransactionCanceledException' || !reasons) throw storeError(e);
      // item i of the transaction belongs to change owner[i]
      const owner = pending.flatMap((c, i) => (c.prev ? [i, i] : [i]));
      const changed = new Set<number>();
      reasons.forEach((r, i) => {
        if (r.Code === 'ConditionalCheckFailed') changed.add(owner[i]!);
      });
      if (changed.size === 0) throw storeError(e);
      for (const i of changed) {
        const c = pending[i]!;
        out.failed.push({
          rows: c.rows,
          message: `${spec.what} ${c.next.id} was changed by someone else during the import; import again to apply this row`,
        });
      }
      pending = pending.filter((_, i) => !changed.has(i));
    }
  }
}

/**
 * Writes the changes, counting into `out` as transactions succeed, so that a caller knows
 * what was written even when a later transaction fails (the error is thrown once every
 * transaction under way has ended).
 */
export async function writeBulk<T extends Entity>(
  db: Db,
  spec: EntitySpec<T>,
  schoolId: string,
  changes: readonly ImportChange<T>[],
  out: BulkOutcome = { written: 0, failed: [] },
): Promise<BulkOutcome> {
  const chunks: ImportChange<T>[][] = [];
  let chunk: ImportChange<T>[] = [];
  let items = 0;
  for (const c of changes) {
    const n = c.prev ? 2 : 1;
    if (items + n > MAX_ITEMS) {
      chunks.push(chunk);
      chunk = [];
      items = 0;
    }
    chunk.push(c);
    items += n;
  }
  if (chunk.length) chunks.push(chunk);
  await inParallel(chunks, PARALLEL, (c) => writeChunk(db, spec, schoolId, c, out));
  return out;
}

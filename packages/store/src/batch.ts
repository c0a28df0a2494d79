/**
 * Many records at once, outside a transaction, for records that nobody reads until a
 * transaction points at them (a version's set of sessions) or that converge when written
 * again (read models): a query read to its end in 1 MB pages, records of known keys in one
 * BatchGet, and writes in batches of 25 (BatchWriteItem), a few batches at a time. What a
 * batch leaves unprocessed is sent again after a jittered wait, a bounded number of times
 * (then 503).
 */
import { BatchGetCommand, BatchWriteCommand, QueryCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Unavailable } from '@kehou/domain';
import type { Db } from './client';
import { mapped } from './errors';
import type { Key } from './keys';
import { backoffMs } from './capacity';
import { TABLE, type IndexName } from './table';

export type BatchWrite = { put: Record<string, unknown> } | { delete: Key };

const BATCH = 25; // DynamoDB's limit per BatchWriteItem
const PARALLEL = 8;
const ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every item of a partition (or index partition), with a sort-key prefix if given; consistent on the table. */
export async function queryItems(
  db: Db,
  where: { index?: IndexName; pk: string; skPrefix?: string },
): Promise<Record<string, unknown>[]> {
  const pkAttr = where.index ? TABLE.indexes[where.index].partitionKey : TABLE.partitionKey;
  const skAttr = where.index ? TABLE.indexes[where.index].sortKey : TABLE.sortKey;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await mapped(() =>
      db.doc.send(
        new QueryCommand({
          TableName: db.table,
          ...(where.index ? { IndexName: where.index } : { ConsistentRead: true }),
          KeyConditionExpression: where.skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
          ExpressionAttributeNames: where.skPrefix ? { '#pk': pkAttr, '#sk': skAttr } : { '#pk': pkAttr },
          ExpressionAttributeValues: where.skPrefix ? { ':pk': where.pk, ':prefix': where.skPrefix } : { ':pk': where.pk },
          ExclusiveStartKey: start,
        }),
      ),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** The records of up to 100 known keys (those that exist), read consistently in one round trip. */
export async function getItems(db: Db, wanted: readonly Key[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let ask: Record<string, unknown>[] | undefined = wanted.map((k) => ({ ...k }));
  for (let attempt = 0; ask?.length; attempt++) {
    if (attempt === ATTEMPTS) throw new Unavailable('The database is busy; please retry', 1);
    if (attempt > 0) await sleep(backoffMs(attempt, Math.random));
    const out = await mapped(() =>
      db.doc.send(new BatchGetCommand({ RequestItems: { [db.table]: { Keys: ask!, ConsistentRead: true } } })),
    );
    found.push(...(out.Responses?.[db.table] ?? []));
    ask = out.UnprocessedKeys?.[db.table]?.Keys as Record<string, unknown>[] | undefined;
  }
  return found;
}

type Requests = NonNullable<BatchWriteCommandInput['RequestItems']>[string];

async function writeBatch(db: Db, requests: Requests): Promise<void> {
  let pending: Requests | undefined = requests;
  for (let attempt = 0; pending?.length; attempt++) {
    if (attempt === ATTEMPTS) throw new Unavailable('The database is busy; please retry', 1);
    if (attempt > 0) await sleep(backoffMs(attempt, Math.random));
    const out = await mapped(() => db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending! } })));
    pending = out.UnprocessedItems?.[db.table];
  }
}

/** Puts and deletes, 25 a call, PARALLEL calls at a time; not atomic (see the file's note). */
export async function writeBatches(db: Db, writes: readonly BatchWrite[]): Promise<void> {
  const batches: Requests[] = [];
  for (let i = 0; i < writes.length; i += BATCH)
    batches.push(
      writes
        .slice(i, i + BATCH)
        .map((w) =>
          'put' in w
            ? { PutRequest: { Item: w.put } }
            : { DeleteRequest: { Key: w.delete as unknown as Record<string, unknown> } },
        ),
    );
  let next = 0;
  const worker = async () => {
    while (next < batches.length) await writeBatch(db, batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, batches.length) }, worker));
}

/**
 * Bulk writes of versioned entities (an import): transactions of up to 100 items (a new
 * entity is one item; a changed one two, with the version it replaces kept in history),
 * a few transactions at a time. A transaction is all or nothing; one whose
 * conditions fail (someone changed a record meanwhile) is retried without the records that
 * changed, and those are reported, never silently dropped or overwritten.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ImportChange } from '@kehou/domain';
import type { Db } from './client';
import { storeError } from './errors';
import { historyPut, toItem, type Entity, type EntitySpec } from './repository';

const MAX_ITEMS = 100; // DynamoDB's limit per transaction
const PARALLEL = 4;

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

export async function writeBulk<T extends Entity>(
  db: Db,
  spec: EntitySpec<T>,
  schoolId: string,
  changes: ImportChange<T>[],
): Promise<BulkOutcome> {
  const out: BulkOutcome = { written: 0, failed: [] };
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
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) await writeChunk(db, spec, schoolId, chunks[next++]!, out);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, chunks.length) }, worker));
  return out;
}

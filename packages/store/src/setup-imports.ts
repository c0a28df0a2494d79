/**
 * Set-up imports (rooms, staff, clubs) written all or nothing, within the request. Each
 * record's writes are the repositories' own (the record, its unique claims, the version it
 * replaces kept in history), packed into transactions of up to 100 items, a few sent at a
 * time. If one fails (someone changed a record or took a name meanwhile), the transactions
 * that succeeded are undone, each undo conditioned on the record being as the import left
 * it, and the failure is answered naming the row: nothing is half-imported.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, type Club, type ImportChange, type Room, type Staff } from '@kehou/domain';
import type { Db } from './client';
import { clubSpec, roomSpec, staffSpec } from './entities';
import { mapped, type ConditionMeaning } from './errors';
import { keys } from './keys';
import { buildCreate, buildReplace, toItem, type BuiltWrite, type Entity, type EntitySpec } from './repository';
import { Transaction, TRANSACTION_LIMITS, type TransactWrite } from './transact';

/** Transactions sent at once. */
const PARALLEL = 4;
/** Bytes a transaction is filled to, below DynamoDB's 4 MB (by the JSON of its writes, which is larger). */
const FILL_BYTES = 3 * 1024 * 1024;

type Named = Entity & { name: string };

/** How a message names the row rows[i] of the file ("row 14"). */
export type RowLabel = (i: number) => string;

/**
 * The writes of one change, as the repositories make them, with what a failed condition
 * means at the change's row of the file.
 */
export function importWrite<T extends Named>(
  table: string,
  spec: EntitySpec<T>,
  schoolId: string,
  c: ImportChange<T>,
  label: RowLabel,
): BuiltWrite {
  const w = c.prev ? buildReplace(table, spec, schoolId, c.prev, c.next) : buildCreate(table, spec, schoolId, c.next);
  const row = c.rows[0] ?? 0;
  const meanings = w.meanings.map((m): ConditionMeaning | null => {
    if (m?.kind === 'unique') return { ...m, path: ['rows', row, ...m.path], message: `${label(row)}: ${m.message}` };
    if (m?.kind === 'version') return { ...m, what: `${spec.what} ${c.next.name} (${label(row)})` };
    if (m?.kind === 'must-not-exist')
      return {
        ...m,
        path: ['rows', row],
        message: `${label(row)}: ${spec.what} ${c.next.name} was created meanwhile, by another import of the same file`,
      };
    return m;
  });
  return { input: w.input, meanings };
}

/**
 * What undoes a change that was written: a new record deleted, a changed one put back as
 * it was (its kept version removed from history), unique claims as they were; each only
 * if the record is still the version the import wrote.
 */
export function undoWrite<T extends Entity>(
  table: string,
  spec: EntitySpec<T>,
  schoolId: string,
  c: ImportChange<T>,
): TransactWrite[] {
  const ours = { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': c.next.version } };
  const claims = (e: T | null) => new Map((e ? (spec.unique?.(e) ?? []) : []).map((u) => [`${u.what}\u0000${u.value}`, u]));
  const before = claims(c.prev);
  const after = claims(c.next);
  const out: TransactWrite[] = [
    c.prev
      ? { Put: { TableName: table, Item: toItem(table, spec, schoolId, c.prev), ...ours } }
      : { Delete: { TableName: table, Key: spec.key(schoolId, c.next.id), ...ours } },
  ];
  if (c.prev)
    out.push({
      Delete: { TableName: table, Key: keys.history(schoolId, spec.kind, c.prev.id, c.prev.updatedAt, c.prev.version) },
    });
  for (const [id, u] of after)
    if (!before.has(id))
      out.push({
        Delete: {
          TableName: table,
          Key: keys.unique(schoolId, u.what, u.value),
          ConditionExpression: '#owner = :id',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':id': c.next.id },
        },
      });
  for (const [id, u] of before)
    if (!after.has(id))
      out.push({
        Put: {
          TableName: table,
          Item: { ...keys.unique(schoolId, u.what, u.value), type: 'unique', owner: c.prev!.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
  return out;
}

/** Changes packed in order into transactions: each change whole in one, at most 100 items and FILL_BYTES each. */
export function packChanges<T>(changes: readonly T[], size: (c: T) => { items: number; bytes: number }): T[][] {
  const packs: T[][] = [];
  let pack: T[] = [];
  let items = 0;
  let bytes = 0;
  for (const c of changes) {
    const s = size(c);
    if (pack.length && (items + s.items > TRANSACTION_LIMITS.items || bytes + s.bytes > FILL_BYTES)) {
      packs.push(pack);
      pack = [];
      items = 0;
      bytes = 0;
    }
    pack.push(c);
    items += s.items;
    bytes += s.bytes;
  }
  if (pack.length) packs.push(pack);
  return packs;
}

export class SetupImports {
  constructor(private readonly db: Db) {}

  rooms(schoolId: string, changes: readonly ImportChange<Room>[], label: RowLabel): Promise<void> {
    return this.write(roomSpec, schoolId, changes, label);
  }
  staff(schoolId: string, changes: readonly ImportChange<Staff>[], label: RowLabel): Promise<void> {
    return this.write(staffSpec, schoolId, changes, label);
  }
  clubs(schoolId: string, changes: readonly ImportChange<Club>[], label: RowLabel): Promise<void> {
    return this.write(clubSpec, schoolId, changes, label);
  }

  /** Writes the changes, all or nothing (see above); throws what failed, at its row. */
  private async write<T extends Named>(
    spec: EntitySpec<T>,
    schoolId: string,
    changes: readonly ImportChange<T>[],
    label: RowLabel,
  ): Promise<void> {
    const writes = changes.map((c) => ({ change: c, w: importWrite(this.db.table, spec, schoolId, c, label) }));
    const packs = packChanges(writes, ({ w }) => ({
      items: w.input.TransactItems!.length,
      bytes: Buffer.byteLength(JSON.stringify(w.input.TransactItems)),
    }));
    const done: Array<(typeof writes)[number][]> = [];
    let failure: { error: unknown } | null = null;
    await inTurns(packs, async (pack) => {
      if (failure) return;
      const t = Transaction.of({
        input: { TransactItems: pack.flatMap((p) => p.w.input.TransactItems!) },
        meanings: pack.flatMap((p) => p.w.meanings),
      });
      try {
        await t.send(this.db);
        done.push(pack);
      } catch (error) {
        failure ??= { error };
      }
    });
    if (!failure) return;
    const stuck = await this.undo(
      spec,
      schoolId,
      done.flat().map((d) => d.change),
    );
    if (stuck.length)
      throw new Conflict(
        `${(failure as { error: Error }).error.message}; and ${stuck.map((c) => `${spec.what} ${c.next.name}`).join(', ')}, ` +
          'written before that, could not be undone (changed again meanwhile): import the file again to finish it',
        'state',
      );
    throw (failure as { error: unknown }).error;
  }

  /** Undoes written changes; returns those that could not be undone. */
  private async undo<T extends Named>(
    spec: EntitySpec<T>,
    schoolId: string,
    changes: readonly ImportChange<T>[],
  ): Promise<ImportChange<T>[]> {
    const undos = changes.map((c) => ({ change: c, items: undoWrite(this.db.table, spec, schoolId, c) }));
    const packs = packChanges(undos, (u) => ({ items: u.items.length, bytes: Buffer.byteLength(JSON.stringify(u.items)) }));
    const stuck: ImportChange<T>[] = [];
    await inTurns(packs, async (pack) => {
      try {
        await mapped(() => this.db.doc.send(new TransactWriteCommand({ TransactItems: pack.flatMap((u) => u.items) })));
      } catch {
        // one at a time, so that each that can be undone is
        for (const u of pack)
          await this.db.doc.send(new TransactWriteCommand({ TransactItems: u.items })).catch(() => stuck.push(u.change));
      }
    });
    return stuck;
  }
}

/** Runs `run` over the items, PARALLEL at a time, until all have run. */
async function inTurns<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
}

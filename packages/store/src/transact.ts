/**
 * Transactions, built with what each condition means and guarded against DynamoDB's
 * limits: a change that touches more than 100 records, or more than 4 MB, is refused in
 * words (422) before it is sent, instead of DynamoDB's ValidationException becoming a 500.
 * Failures are mapped by the store edge (errors.ts), item by item.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { RuleViolation } from '@kehou/domain';
import type { Db } from './client';
import { mapped, type ConditionMeaning } from './errors';

/** One write of a transaction: Put, Update, Delete or ConditionCheck. */
export type TransactWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limits for one TransactWriteItems call. */
export const TRANSACTION_LIMITS = { items: 100, bytes: 4 * 1024 * 1024 } as const;

export interface TransactionParams {
  input: TransactWriteCommandInput;
  meanings: Array<ConditionMeaning | null>;
}

export class Transaction {
  private readonly writes: TransactWrite[] = [];
  private readonly meanings: Array<ConditionMeaning | null> = [];

  /** A transaction of writes built elsewhere (`meanings[i]` is what item i's condition means). */
  static of(w: { input: TransactWriteCommandInput; meanings: ReadonlyArray<ConditionMeaning | null> }): Transaction {
    const t = new Transaction();
    (w.input.TransactItems ?? []).forEach((write, i) => t.add(write, w.meanings[i] ?? null));
    return t;
  }

  /** How many writes it has: the index the next one will have. */
  get size(): number {
    return this.writes.length;
  }

  /** Adds a write and what a failure of its condition means (null: it has none that can fail in use). */
  add(write: TransactWrite, meaning: ConditionMeaning | null = null): this {
    this.writes.push(write);
    this.meanings.push(meaning);
    return this;
  }

  /** The parameters to send, or a RuleViolation if DynamoDB would refuse them for their size. */
  build(): TransactionParams {
    const n = this.writes.length;
    if (n > TRANSACTION_LIMITS.items)
      throw new RuleViolation(
        'too-many-records',
        `this change touches ${n} records; DynamoDB allows at most ${TRANSACTION_LIMITS.items} in one transaction`,
        { records: n, limit: TRANSACTION_LIMITS.items },
      );
    const bytes = this.writes.reduce((sum, w) => sum + writeSize(w), 0);
    if (bytes > TRANSACTION_LIMITS.bytes)
      throw new RuleViolation(
        'too-much-data',
        `this change writes ${(bytes / 2 ** 20).toFixed(1)} MB; DynamoDB allows at most 4 MB in one transaction`,
        { bytes, limit: TRANSACTION_LIMITS.bytes },
      );
    return { input: { TransactItems: [...this.writes] }, meanings: [...this.meanings] };
  }

  /** Sends it; a failed condition becomes the domain error its meaning names. */
  async send(db: Db): Promise<void> {
    const { input, meanings } = this.build();
    await mapped(() => db.doc.send(new TransactWriteCommand(input)), meanings);
  }
}

/** The bytes a write carries, by DynamoDB's item-size rules: the item put, or the key and the values of an update. */
function writeSize(w: TransactWrite): number {
  if (w.Put) return itemSize(w.Put.Item);
  if (w.Update) return itemSize(w.Update.Key) + itemSize(w.Update.ExpressionAttributeValues);
  return itemSize((w.Delete ?? w.ConditionCheck)?.Key);
}

const itemSize = (item: Record<string, unknown> | undefined): number =>
  Object.entries(item ?? {}).reduce((s, [name, v]) => s + Buffer.byteLength(name, 'utf8') + sizeOf(v), 0);

/**
 * DynamoDB's size of a value: strings and binaries their bytes, a number about a byte per
 * two digits, lists and maps 3 bytes plus a byte per element (a map also its names).
 */
function sizeOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number' || typeof v === 'bigint') return Math.ceil(String(v).replace(/[-.]/g, '').length / 2) + 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((s: number, x) => s + sizeOf(x), 0);
  if (Array.isArray(v)) return v.reduce((s: number, x) => s + 1 + sizeOf(x), 3);
  if (typeof v === 'object' && v !== null) return 3 + Object.keys(v).length + itemSize(v as Record<string, unknown>);
  return 1; // boolean, null
}

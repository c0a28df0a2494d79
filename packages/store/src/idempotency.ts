/**
 * Idempotency records: the first request with a key claims it; a retry with the same key
 * and the same request gets the stored response; the same key with another request is
 * refused. Records expire after a day (TTL).
 */
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import { mapped, oldItem, storeError } from './errors';
import { keys } from './keys';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim =
  { state: 'new' } | { state: 'replay'; response: StoredResponse } | { state: 'in-progress' } | { state: 'mismatch' };

const TTL_SECONDS = 24 * 3600;
/** a claim whose request never finished (the function died) may be taken over after this */
const STALE_MS = 60_000;

export class IdempotencyStore {
  constructor(private readonly db: Db) {}

  async claim(userId: string, key: string, fingerprint: string, now: Date): Promise<Claim> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...keys.idempotency(userId, key),
            type: 'idempotency',
            status: 'in-progress',
            fingerprint,
            startedAt: now.getTime(),
            expiresAt: Math.floor(now.getTime() / 1000) + TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :busy AND startedAt < :stale)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':busy': 'in-progress', ':stale': now.getTime() - STALE_MS },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { state: 'new' };
    } catch (e) {
      const old = oldItem((e as { name?: string; Item?: Record<string, unknown> }).Item);
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException' || !old) throw storeError(e);
      if (old.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (old.status === 'done') return { state: 'replay', response: old.response as StoredResponse };
      return { state: 'in-progress' };
    }
  }

  async complete(userId: string, key: string, response: StoredResponse): Promise<void> {
    await mapped(() =>
      this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: keys.idempotency(userId, key),
          UpdateExpression: 'SET #status = :done, #response = :r',
          ExpressionAttributeNames: { '#status': 'status', '#response': 'response' },
          ExpressionAttributeValues: { ':done': 'done', ':r': response },
        }),
      ),
    );
  }

  /** Frees the key of a request that failed, so that it can be retried. */
  async release(userId: string, key: string): Promise<void> {
    await mapped(() => this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: keys.idempotency(userId, key) })));
  }
}

/**
 * Calendar feeds: a staff member's timetable at a secret URL that calendar apps poll. The
 * table keeps only the SHA-256 of the token, so the URLs cannot be read back from it; a
 * rotation replaces the token in one transaction and the old URL stops working at once.
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from './client';
import { mapped } from './errors';
import { keys } from './keys';
import { Transaction } from './transact';

export interface FeedTarget {
  schoolId: string;
  staffId: string;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export class Feeds {
  constructor(private readonly db: Db) {}

  /** Who a token belongs to, or null (unknown or rotated away). */
  async resolve(token: string): Promise<FeedTarget | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.feed(tokenHash(token)) })),
    );
    return out.Item ? { schoolId: String(out.Item.schoolId), staffId: String(out.Item.staffId) } : null;
  }

  /** Makes `token` the staff member's feed, retiring the previous one. */
  async rotate(target: FeedTarget, token: string, at: string, by: string): Promise<void> {
    const ofKey = keys.feedOf(target.schoolId, target.staffId);
    const current = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: ofKey, ConsistentRead: true })),
    );
    const old = current.Item?.hash as string | undefined;
    const hash = tokenHash(token);
    const tx = new Transaction();
    if (old) tx.add({ Delete: { TableName: this.db.table, Key: keys.feed(old) } });
    tx.add({
      Put: { TableName: this.db.table, Item: { ...keys.feed(hash), type: 'feed', ...target, createdAt: at, createdBy: by } },
    });
    tx.add(
      {
        Put: {
          TableName: this.db.table,
          Item: { ...ofKey, type: 'feed-of', hash, createdAt: at, createdBy: by },
          ...(old
            ? {
                ConditionExpression: '#hash = :old',
                ExpressionAttributeNames: { '#hash': 'hash' },
                ExpressionAttributeValues: { ':old': old },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      // the link changed between the read and this write: another rotation won
      {
        kind: 'must-not-exist',
        what: 'calendar feed',
        message: 'the calendar link was rotated by someone else at the same moment; ask again for a new one',
      },
    );
    await tx.send(this.db);
  }
}

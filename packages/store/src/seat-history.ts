/**
 * A holder's history across the school's queued resources ("who changed this child's places?"):
 * each history line the capacity primitive writes (capacity.ts) is also listed under its holder
 * in the user index (keys.ts: a holder's history), so one child's lines are one Query, newest
 * first, whatever the number of classes. The caller keeps the resources it asks about (a term's
 * classes); a page holds up to `limit` of those, and its cursor starts after its last one.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageQuery } from '@kehou/domain';
import type { SeatEvent } from './capacity';
import type { Db } from './client';
import { mapped } from './errors';
import { indexKeys, keys } from './keys';
import { fromItem } from './repository';
import { TABLE } from './table';

/** Items read a call while looking for a page's lines among other resources' */
const READ_AHEAD = 100;

export interface HolderEvent extends SeatEvent {
  /** the resource the line is about, e.g. `club-class:<classId>` */
  resource: string;
}

export class SeatHistories {
  constructor(private readonly db: Db) {}

  /** A page of the holder's history lines about the resources `keep` accepts, newest first. */
  async ofHolder(
    schoolId: string,
    holder: string,
    page: PageQuery,
    keep: (resource: string) => boolean,
  ): Promise<Page<HolderEvent>> {
    const where = { ...indexKeys.seatEventsOfHolder(schoolId, holder), descending: true };
    const ix = TABLE.indexes[where.index];
    const prefix = keys.seatCounter(schoolId, '').pk;
    const items: HolderEvent[] = [];
    let start: Record<string, unknown> | undefined = this.db.cursors.decode(where, page.cursor);
    for (;;) {
      const out = await mapped(() =>
        this.db.doc.send(
          new QueryCommand({
            TableName: this.db.table,
            IndexName: where.index,
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
            ExpressionAttributeNames: { '#pk': ix.partitionKey, '#sk': ix.sortKey },
            ExpressionAttributeValues: { ':pk': where.pk, ':prefix': where.skPrefix },
            ScanIndexForward: false,
            Limit: Math.max(READ_AHEAD, page.limit),
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        const resource = String(item.pk).slice(prefix.length);
        if (!keep(resource)) continue;
        items.push({ ...fromItem<SeatEvent>(item), resource });
        if (items.length === page.limit) return { items, next: this.db.cursors.encode(where, item) };
      }
      start = out.LastEvaluatedKey;
      if (!start) return { items, next: null };
    }
  }
}

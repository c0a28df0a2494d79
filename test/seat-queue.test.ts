/**
 * Queued resources of the capacity primitive on DynamoDB Local: arrival tickets, grants in
 * arrival order, ordered waitlists, and promotion in one transaction when a holder leaves.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Capacity, keys, type Db, type Place, type SeatResource } from '@kehou/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from './support/db';

let db: Db;
let capacity: Capacity;
let n = 0;
const AT = '2026-09-01T08:00:00.000Z';
const BY = { id: 'u-1', name: '明妈' };
const resource = (): SeatResource => ({ schoolId: 's1', id: `club-class:q${++n}`, what: '机器人 基础班' });
const holder = (i: number | string) => ({ id: `stu-${i}`, what: `学生${i}` });
const anyone = async () => null;

beforeAll(async () => {
  const t = await freshTable();
  db = t.db;
  // waits for a ticket in flight are not slept: the test counts attempts, not time
  capacity = new Capacity(db, { sleep: async () => {} });
});

async function items(r: SeatResource, prefix: string) {
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.seatCounter(r.schoolId, r.id).pk, ':p': prefix },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('a queued resource', () => {
  it('grants 30 of 200 concurrent requests, in arrival order, and waitlists the rest in order', async () => {
    const r = resource();
    await capacity.openQueue(r, 30);
    const places = await Promise.all(Array.from({ length: 200 }, (_, i) => capacity.request(r, holder(i), AT, BY)));
    const granted = places.filter((p) => p.state === 'granted');
    const waiting = places.flatMap((p) => (p.state === 'waitlisted' ? [p] : []));
    expect(granted.map((p) => p.arrival).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(waiting.map((p) => p.arrival).sort((a, b) => a - b)).toEqual(Array.from({ length: 170 }, (_, i) => i + 31));
    // each was told its place at the moment it arrived: nobody ahead of it had left yet
    for (const p of waiting) expect(p.position).toBe(p.arrival - 30);
    expect(await capacity.seats(r)).toEqual({ capacity: 30, taken: 30 });
    expect((await items(r, 'CLAIM#')).length).toBe(30);
    const list = await capacity.waiting(r);
    expect(list.map((p) => p.arrival)).toEqual(Array.from({ length: 170 }, (_, i) => i + 31));
  });

  it('answers a holder who asks again with the place they have', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    const twice = await Promise.all([1, 2, 3].map(() => capacity.request(r, holder('a'), AT, BY)));
    expect(twice.map((p) => p.state)).toEqual(['granted', 'granted', 'granted']);
    expect(twice.filter((p) => !p.replayed)).toHaveLength(1);
    expect(await capacity.request(r, holder('b'), AT, BY)).toMatchObject({ state: 'waitlisted', position: 1, arrival: 2 });
    expect(await capacity.request(r, holder('b'), AT, BY)).toMatchObject({ state: 'waitlisted', position: 1, replayed: true });
    expect(await capacity.seats(r)).toEqual({ capacity: 1, taken: 1 });
  });

  it('moves the first waiter up when a holder leaves, in one step, with the history', async () => {
    const r = resource();
    await capacity.openQueue(r, 2);
    for (const i of [1, 2, 3, 4]) await capacity.request(r, holder(i), AT, BY);
    const out = await capacity.leave(r, 'stu-1', 'withdrawn', '2026-09-02T08:00:00.000Z', BY, anyone);
    expect(out.promoted).toMatchObject({ holder: 'stu-3', state: 'granted', arrival: 3 });
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 2 });
    expect(await capacity.place(r, 'stu-3')).toMatchObject({ state: 'granted' });
    expect(await capacity.place(r, 'stu-4')).toMatchObject({ state: 'waitlisted', position: 1 });
    expect(await capacity.place(r, 'stu-1')).toBeNull();
    const history = (await capacity.history(r, { limit: 50 })).items.map((e) => `${e.action} ${e.holder}`);
    expect(history).toEqual([
      'joined stu-1',
      'joined stu-2',
      'waitlisted stu-3',
      'waitlisted stu-4',
      'withdrawn stu-1',
      'promoted stu-3',
    ]);
    const promoted = (await capacity.history(r, { limit: 50 })).items.find((e) => e.action === 'promoted');
    expect(promoted).toMatchObject({ by: 'u-1', byName: '明妈', note: '学生1 withdrew' });
  });

  it('passes over a waiter who may no longer take the seat, and frees it when nobody waits', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    for (const i of [1, 2, 3]) await capacity.request(r, holder(i), AT, BY);
    const out = await capacity.leave(r, 'stu-1', 'removed', AT, BY, async (w) =>
      w.id === 'stu-2' ? '学生2 now has 舞蹈 then' : null,
    );
    expect(out.passed).toEqual([{ holder: 'stu-2', what: '学生2', reason: '学生2 now has 舞蹈 then' }]);
    expect(out.promoted).toMatchObject({ holder: 'stu-3' });
    expect(await capacity.place(r, 'stu-2')).toBeNull();
    await capacity.leave(r, 'stu-3', 'withdrawn', AT, BY, anyone);
    expect(await capacity.seats(r)).toEqual({ capacity: 1, taken: 0 });
    // the freed seat goes to the next to arrive
    expect(await capacity.request(r, holder(5), AT, BY)).toMatchObject({ state: 'granted', arrival: 4 });
  });

  it('lets a waiter leave the waitlist; the ones behind move up a place and the line skips them', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    for (const i of [1, 2, 3]) await capacity.request(r, holder(i), AT, BY);
    await capacity.leave(r, 'stu-2', 'withdrawn', AT, BY, anyone);
    expect(await capacity.place(r, 'stu-3')).toMatchObject({ state: 'waitlisted', position: 1 });
    expect((await capacity.leave(r, 'stu-1', 'withdrawn', AT, BY, anyone)).promoted).toMatchObject({ holder: 'stu-3' });
  });

  it('lets a holder ask again when their first request died undecided', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    // a request put the holder's entry and died
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...keys.seatEntry(r.schoolId, r.id, 'stu-1'), holder: 'stu-1', what: '学生1', state: 'pending', at: AT },
      }),
    );
    const soon = new Date(Date.parse(AT) + 1000).toISOString();
    await expect(capacity.request(r, holder(1), soon, BY)).rejects.toMatchObject({ reason: 'in-progress' });
    const later = new Date(Date.parse(AT) + 61_000).toISOString();
    expect(await capacity.request(r, holder(1), later, BY)).toMatchObject({ state: 'granted', arrival: 1, replayed: false });
  });

  it('voids a ticket whose request never wrote its place, and promotes the next', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    await capacity.request(r, holder(1), AT, BY);
    // a request took ticket 2 and died before writing anything
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.seatQueue(r.schoolId, r.id),
        UpdateExpression: 'SET issued = issued + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
    await capacity.request(r, holder(3), AT, BY);
    const out = await capacity.leave(r, 'stu-1', 'withdrawn', AT, BY, anyone);
    expect(out.promoted).toMatchObject({ holder: 'stu-3', arrival: 3 });
    expect((await items(r, 'WAIT#')).map((i) => i.state)).toEqual(['void']);
  });
});

/**
 * The capacity primitive on DynamoDB Local: under concurrent claims and releases the
 * counter never passes the capacity, always equals the number of claims, and no claim is
 * lost or doubled.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound } from '@kehou/domain';
import { keys, type Capacity, type Db, type SeatResource } from '@kehou/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from './support/db';

let db: Db;
let capacity: Capacity;
let n = 0;
const AT = '2026-09-01T08:00:00.000Z';
const resource = (what = 'Robotics 基础班'): SeatResource => ({ schoolId: 's1', id: `club-class:c${++n}`, what });
const holder = (i: number | string) => ({ id: `stu-${i}`, what: `student ${i}` });

beforeAll(async () => {
  const t = await freshTable();
  db = t.db;
  capacity = t.store.capacity;
});

/** The claim items of a resource, read consistently from the table. */
async function claimItems(r: SeatResource): Promise<string[]> {
  const { pk } = keys.seatCounter(r.schoolId, r.id);
  const out = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :claim)',
      ExpressionAttributeValues: { ':pk': pk, ':claim': 'CLAIM#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => String(i.holder)).sort();
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    (o) => String(o),
    (e: unknown) => (e instanceof Conflict ? e.reason : e instanceof NotFound ? 'not-found' : Promise.reject(e)),
  );
const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [x]: (m[x] ?? 0) + 1 }), {});

describe('claims', () => {
  it('grants exactly 10 of 60 concurrent claims on 10 places; the other 50 are full', async () => {
    const r = resource();
    await capacity.setCapacity(r, 10);
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => outcome(capacity.claim(r, holder(i), AT))));
    expect(count(outcomes)).toEqual({ granted: 10, full: 50 });
    expect(await capacity.seats(r)).toEqual({ capacity: 10, taken: 10 });
    const granted = outcomes.flatMap((o, i) => (o === 'granted' ? [`stu-${i}`] : [])).sort();
    expect(await claimItems(r)).toEqual(granted);
  });

  it('says what is full in words, with the counter', async () => {
    const r = resource('机器人 提升班');
    await capacity.setCapacity(r, 1);
    await capacity.claim(r, holder(1), AT);
    const e = await capacity.claim(r, holder(2), AT).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect(e).toMatchObject({
      reason: 'full',
      message: '机器人 提升班 is full: all its 1 place taken',
      current: { capacity: 1, taken: 1 },
    });
  });

  it('holds one seat for a holder who claims five times at once', async () => {
    const r = resource();
    await capacity.setCapacity(r, 3);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => outcome(capacity.claim(r, holder('twice'), AT))));
    expect(count(outcomes)).toEqual({ granted: 1, 'already-held': 4 });
    expect(await capacity.seats(r)).toEqual({ capacity: 3, taken: 1 });
    expect(await claimItems(r)).toEqual(['stu-twice']);
    expect(await capacity.claim(r, holder('twice'), AT)).toBe('already-held');
  });

  it('answers 404 for a resource that has no places set up', async () => {
    const e = await capacity.claim(resource('Chess'), holder(1), AT).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFound);
    expect((e as Error).message).toBe('places of Chess not found');
  });

  it('lists the holders in order of arrival', async () => {
    const r = resource();
    await capacity.setCapacity(r, 5);
    for (const [i, at] of [
      [3, '2026-09-01T08:00:00.000Z'],
      [1, '2026-09-01T08:00:01.000Z'],
      [2, '2026-09-01T08:00:02.000Z'],
    ] as const)
      await capacity.claim(r, holder(i), at);
    const page = await capacity.holders(r, { limit: 2 });
    const rest = await capacity.holders(r, { limit: 2, cursor: page.next! });
    expect([...page.items, ...rest.items]).toEqual([
      { holder: 'stu-3', at: '2026-09-01T08:00:00.000Z' },
      { holder: 'stu-1', at: '2026-09-01T08:00:01.000Z' },
      { holder: 'stu-2', at: '2026-09-01T08:00:02.000Z' },
    ]);
  });
});

describe('releases', () => {
  it('frees the seat for another holder; releasing a seat not held is 404', async () => {
    const r = resource();
    await capacity.setCapacity(r, 1);
    expect(await capacity.claim(r, holder('a'), AT)).toBe('granted');
    expect(await outcome(capacity.claim(r, holder('b'), AT))).toBe('full');
    await capacity.release(r, holder('a'));
    expect(await capacity.claim(r, holder('b'), AT)).toBe('granted');
    expect(await claimItems(r)).toEqual(['stu-b']);
    const e = await capacity.release(r, holder('a')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFound);
    expect((e as Error).message).toBe("student a's place in Robotics 基础班 not found");
    expect(await capacity.seats(r)).toEqual({ capacity: 1, taken: 1 });
  });

  it('loses and doubles no claim when releases and claims race', async () => {
    const r = resource();
    await capacity.setCapacity(r, 5);
    const first = await Promise.all(Array.from({ length: 30 }, (_, i) => outcome(capacity.claim(r, holder(i), AT))));
    const holding = first.flatMap((o, i) => (o === 'granted' ? [i] : []));
    const waiting = first.flatMap((o, i) => (o === 'full' ? [i] : []));
    expect(holding).toHaveLength(5);
    const [released, again] = await Promise.all([
      Promise.all(holding.map((i) => outcome(capacity.release(r, holder(i))))),
      Promise.all(waiting.map((i) => outcome(capacity.claim(r, holder(i), AT)))),
    ]);
    expect(released).toEqual(Array(5).fill('undefined'));
    const winners = waiting.filter((_, k) => again[k] === 'granted').map((i) => `stu-${i}`);
    expect(again.every((o) => o === 'granted' || o === 'full')).toBe(true);
    expect(winners.length).toBeLessThanOrEqual(5);
    expect(await claimItems(r)).toEqual(winners.sort());
    expect(await capacity.seats(r)).toEqual({ capacity: 5, taken: winners.length });
  });
});

describe('capacity', () => {
  it('refuses to go below the seats taken, in words, and may grow', async () => {
    const r = resource();
    await capacity.setCapacity(r, 3);
    for (const i of [1, 2, 3]) await capacity.claim(r, holder(i), AT);
    const e = await capacity.setCapacity(r, 2).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect(e).toMatchObject({
      reason: 'state',
      message: 'Robotics 基础班 has 3 places taken; its capacity cannot go below that (asked for 2)',
    });
    expect(await capacity.setCapacity(r, 3)).toEqual({ capacity: 3, taken: 3 });
    expect(await capacity.setCapacity(r, 4)).toEqual({ capacity: 4, taken: 3 });
    expect(await capacity.claim(r, holder(4), AT)).toBe('granted');
    expect(await outcome(capacity.claim(r, holder(5), AT))).toBe('full');
  });
});

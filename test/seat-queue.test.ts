/**
 * Queued resources of the capacity primitive on DynamoDB Local: arrival tickets, grants in
 * arrival order, ordered waitlists, and promotion in one transaction when a holder leaves.
 */
import { PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Capacity, IDLE_SEAT_NOTE, keys, SYSTEM_ACTOR, Transaction, type Db, type SeatResource } from '@kehou/store';
import { beforeAll, describe, expect, it, vi } from 'vitest';
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

/**
 * A Db whose transactions that would put `holder`'s claim are held back (a function frozen, or
 * killed, between taking its ticket and writing its answer): `drop` makes them fail as a crash
 * does; otherwise they wait until `wake()` sends them, as a frozen function woken later would.
 */
function dying(holder: string, drop: boolean) {
  let wake!: () => void;
  const woken = new Promise<void>((res) => (wake = res));
  let held = 0;
  const doc = new Proxy(db.doc, {
    get(target, p, receiver) {
      if (p !== 'send') return Reflect.get(target, p, receiver);
      return async (cmd: { input?: { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> } }) => {
        const claims =
          cmd instanceof TransactWriteCommand && cmd.input?.TransactItems?.some((w) => w.Put?.Item?.sk === `CLAIM#${holder}`);
        if (claims && held++ === 0) {
          if (drop) throw new Error('the function died');
          await woken;
        }
        return target.send(cmd as never);
      };
    },
  });
  return { capacity: new Capacity({ ...db, doc }, { sleep: async () => {} }), wake };
}

const later = (s: number) => new Date(Date.parse(AT) + s * 1000).toISOString();

describe('a seat left idle by a request that died', () => {
  it('is given to the first waiter once no request is undecided within the stale bound, exactly once', async () => {
    const r = resource();
    await capacity.openQueue(r, 2);
    // stu-1 takes ticket 1 (admitted) and dies before its answer is written
    await expect(dying('stu-1', true).capacity.request(r, holder(1), AT, BY)).rejects.toThrow('the function died');
    for (const i of [2, 3, 4]) await capacity.request(r, holder(i), AT, BY);
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 1 });
    expect(await capacity.place(r, 'stu-3')).toMatchObject({ state: 'waitlisted', position: 1 });

    // within the bound stu-1's request may still be running: nothing is given on
    expect(await capacity.repair(r, later(30), anyone)).toEqual([]);
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 1 });

    const promoted = await capacity.repair(r, later(61), anyone);
    expect(promoted).toMatchObject([{ holder: 'stu-3', state: 'granted', arrival: 3 }]);
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 2 });
    expect(await capacity.place(r, 'stu-4')).toMatchObject({ state: 'waitlisted', position: 1 });
    // and never twice
    expect(await capacity.repair(r, later(120), anyone)).toEqual([]);
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 2 });
    const history = (await capacity.history(r, { limit: 50 })).items.filter((e) => e.action === 'promoted');
    expect(history).toMatchObject([{ holder: 'stu-3', by: SYSTEM_ACTOR.id, note: IDLE_SEAT_NOTE }]);
  });

  it('is free for the next arrival when nobody waits; the request, woken later, queues again', async () => {
    const r = resource();
    await capacity.openQueue(r, 2);
    const frozen = dying('stu-0', false);
    const zombie = frozen.capacity.request(r, holder(0), AT, BY);
    await vi.waitFor(async () => expect((await items(r, 'QUEUE'))[0]?.issued).toBe(1));
    await capacity.request(r, holder(1), AT, BY);
    expect(await capacity.repair(r, later(61), anyone)).toEqual([]);
    expect(await capacity.request(r, holder(2), later(62), BY)).toMatchObject({ state: 'granted', arrival: 3, seatsLeft: 0 });
    // its seat went to the next arrival: waking, it takes a new ticket instead of a second copy of that seat
    frozen.wake();
    expect(await zombie).toMatchObject({ state: 'waitlisted', arrival: 4, position: 1 });
    expect(await capacity.seats(r)).toEqual({ capacity: 2, taken: 2 });
    expect((await items(r, 'CLAIM#')).map((i) => i.holder).sort()).toEqual(['stu-1', 'stu-2']);
  });

  it('comes back exactly once when repairs and leaves race, and a request woken after it takes a new ticket', async () => {
    const r = resource();
    await capacity.openQueue(r, 3);
    // stu-0 takes ticket 1 (admitted) and freezes before its answer is written
    const frozen = dying('stu-0', false);
    const zombie = frozen.capacity.request(r, holder(0), AT, BY);
    await vi.waitFor(async () => expect((await items(r, 'QUEUE'))[0]?.issued).toBe(1));
    for (let i = 1; i <= 8; i++) await capacity.request(r, holder(i), AT, BY); // 1, 2 granted; 3…8 wait
    expect(await capacity.seats(r)).toEqual({ capacity: 3, taken: 2 });

    const at = later(61);
    await Promise.all([
      ...Array.from({ length: 5 }, () => capacity.repair(r, at, anyone)),
      capacity.leave(r, 'stu-1', 'withdrawn', at, BY, anyone),
      capacity.leave(r, 'stu-2', 'removed', at, BY, anyone),
    ]);
    // three seats came free (the idle one and two left): the first three waiters, each once
    const claims = (await items(r, 'CLAIM#')).map((i) => i.holder).sort();
    expect(claims).toEqual(['stu-3', 'stu-4', 'stu-5']);
    expect(await capacity.seats(r)).toEqual({ capacity: 3, taken: 3 });
    expect((await capacity.waiting(r)).map((p) => p.holder)).toEqual(['stu-6', 'stu-7', 'stu-8']);
    const promoted = (await capacity.history(r, { limit: 100 })).items.filter((e) => e.action === 'promoted');
    expect(promoted.map((e) => e.holder).sort()).toEqual(['stu-3', 'stu-4', 'stu-5']);
    expect(promoted.filter((e) => e.note === IDLE_SEAT_NOTE)).toHaveLength(1);

    // the frozen request wakes: its ticket's seat was given on, so it queues again, last
    frozen.wake();
    expect(await zombie).toMatchObject({ state: 'waitlisted', position: 4, arrival: 10 });
    expect(await capacity.seats(r)).toEqual({ capacity: 3, taken: 3 });
    expect(await capacity.repair(r, later(200), anyone)).toEqual([]);
    expect((await items(r, 'CLAIM#')).length).toBe(3);
  });

  it('is given on first when the holder asks again after the stale bound; then they take a new ticket', async () => {
    const r = resource();
    await capacity.openQueue(r, 1);
    await expect(dying('stu-1', true).capacity.request(r, holder(1), AT, BY)).rejects.toThrow();
    await capacity.request(r, holder(2), AT, BY);
    expect(await capacity.request(r, holder(1), later(61), BY, anyone)).toMatchObject({
      state: 'waitlisted',
      position: 1,
      arrival: 3,
      replayed: false,
    });
    expect(await capacity.place(r, 'stu-2')).toMatchObject({ state: 'granted', arrival: 2 });
    expect(await capacity.seats(r)).toEqual({ capacity: 1, taken: 1 });
  });
});

describe('a queued resource’s capacity', () => {
  const change = async (r: SeatResource, to: number) => {
    const { writes, raised } = await capacity.capacityWrites(r, to);
    await Transaction.of(writes).send(db);
    return raised;
  };

  it('lowered, takes seats owed first and never one a request in flight was admitted to', async () => {
    const r = resource();
    await capacity.openQueue(r, 3);
    const frozen = dying('stu-0', false);
    const inFlight = frozen.capacity.request(r, holder(0), AT, BY); // ticket 1, admitted
    await vi.waitFor(async () => expect((await items(r, 'QUEUE'))[0]?.issued).toBe(1));
    await capacity.request(r, holder(1), AT, BY); // ticket 2: one seat free after it
    await expect(capacity.capacityWrites(r, 1)).rejects.toMatchObject({
      reason: 'state',
      message: '1 place of 机器人 基础班 is being given to requests right now; try again in a minute',
    });
    expect(await change(r, 2)).toBe(0);
    expect((await items(r, 'QUEUE'))[0]).toMatchObject({ line: 2, issued: 2 });
    frozen.wake();
    expect(await inFlight).toMatchObject({ state: 'granted', arrival: 1 });
    expect(await capacity.request(r, holder(2), AT, BY)).toMatchObject({ state: 'waitlisted', position: 1 });
    await expect(capacity.capacityWrites(r, 1)).rejects.toMatchObject({
      message: '机器人 基础班 has 2 places taken; its capacity cannot go below that (asked for 1)',
    });
    // raised by 2 and lowered by 1 before the line is given them: one seat owed is left, for stu-2
    expect(await change(r, 4)).toBe(2);
    await change(r, 3);
    expect((await items(r, 'COUNTER'))[0]).toMatchObject({ capacity: 3, taken: 2, owed: 1 });
    expect(await capacity.repair(r, AT, anyone, { note: 'raised' })).toMatchObject([{ holder: 'stu-2', arrival: 3 }]);
    expect(await capacity.seats(r)).toEqual({ capacity: 3, taken: 3 });
    expect((await items(r, 'QUEUE'))[0]).toMatchObject({ line: 3, issued: 3 });
  });
});

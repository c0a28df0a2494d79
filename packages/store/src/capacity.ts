/**
 * The capacity primitive: every seat of any kind (a club class's places, a volunteer
 * shift's slots, a summer site's places) is claimed and released here, and nowhere else.
 *
 * A resource is a counter item `{ capacity, taken }` and one claim item per holder, in one
 * partition of its own (keys.ts). A claim is ONE transaction: put the holder's claim (only
 * if it is not there) and add one to `taken` (only if `taken < capacity`). So `taken` is
 * always the number of claims, never above the capacity, whatever runs at the same time:
 * the caller gets `granted`, `already-held` (the holder has a seat: a retried request is
 * safe), or Conflict `full` (409). Transactions that collide on the counter
 * (TransactionConflict) are retried here with jittered exponential backoff, a bounded
 * number of times; past the bound the caller gets Unavailable (503, retry).
 *
 * Claims carry their arrival (`at`) and are listed by arrival through the collection
 * index.
 *
 * A QUEUED resource (a club class in first-come-first-served enrolment) adds arrival order
 * and a waitlist, and is used only through `request`/`leave` (not `claim`/`release`).
 * Arrival is a ticket: a plain `SET issued = issued + 1` on the resource's QUEUE item, which
 * DynamoDB applies one at a time without transaction conflicts, so 500 requests at once get
 * tickets 1…500 with none lost, repeated or reordered by retries. The QUEUE item also holds
 * the `line`: tickets up to it are admitted (it starts at the capacity). A ticket is decided
 * by arithmetic at the moment it is issued — admitted (t ≤ line) or waiting — and only then
 * written: an admitted ticket becomes a claim (with `taken + 1`, checked below capacity), a
 * waiting one a WAIT#<ticket> item. So seats go strictly in arrival order, and the waitlist
 * is ordered by ticket. Before its ticket, a request puts the holder's ENTRY (state
 * `pending`, then `granted` or `waiting`): a second request of the same holder finds it and
 * gets the same answer (a retry is safe), and a child's entries are listed by holder.
 *
 * The line moves only in a transaction that consumes the ticket after it: when a holder
 * leaves, the next ticket is promoted in ONE transaction (the leaver's claim and entry out,
 * the waiter's wait item out, the waiter's claim in, the line + 1; `taken` unchanged); a
 * ticket whose holder left the waitlist or was passed over (no longer eligible) is skipped;
 * with nobody waiting, the leaver's seat is freed (`taken - 1`, the line + 1: the next
 * arrival is admitted). A ticket issued whose wait item is not written yet (its request is
 * in flight) is waited for a moment; if it never comes (the request died) it is voided, and
 * a request that finds its ticket voided takes a new one. A granted seat is never taken
 * back: the line only grows.
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, type Page, type PageQuery } from '@kehou/domain';
import type { Db } from './client';
import { isTransactionConflict, mapped, oldItem, storeError } from './errors';
import { indexKeys, keys, type Key } from './keys';
import { getItems, queryItems } from './batch';
import { queryPage } from './repository';
import { Transaction, type TransactionParams } from './transact';

/** Something with a capacity, in a school; `what` names it for people ("机器人 基础班"). */
export interface SeatResource {
  schoolId: string;
  /** unique in the school, chosen by the caller's module, e.g. `club-class:<classId>` */
  id: string;
  what: string;
}

/** Who takes a seat: a student, a volunteer; `what` names them for people. */
export interface SeatHolder {
  id: string;
  what: string;
}

export interface Seats {
  capacity: number;
  taken: number;
}

export interface SeatClaim {
  holder: string;
  /** when the seat was claimed (ISO-8601) */
  at: string;
  /** of a queued resource's seat: the holder for people, and their arrival ticket */
  what?: string;
  arrival?: number;
}

export type ClaimOutcome = 'granted' | 'already-held';

/** A holder's place in a queued resource: granted, or waiting at a position (1: next). `arrival`: their ticket. */
export type Place =
  | { holder: string; what: string; state: 'granted'; arrival: number; at: string }
  | { holder: string; what: string; state: 'waitlisted'; arrival: number; at: string; position: number };

/** Who did something to a place, for its history. */
export interface Actor {
  id: string;
  name: string;
}

export const SEAT_ACTIONS = ['joined', 'waitlisted', 'withdrawn', 'removed', 'left-waitlist', 'promoted', 'passed-over'] as const;
export type SeatAction = (typeof SEAT_ACTIONS)[number];

/** A line of a queued resource's history: who joined, left, moved up, by whom, when. */
export interface SeatEvent {
  action: SeatAction;
  holder: string;
  what: string;
  arrival: number;
  at: string;
  by: string;
  byName: string;
  note: string | null;
}

/** What a leave did: the leaver's place, who moved up into it, who was passed over (and why). */
export interface Departure {
  left: Place;
  promoted: Place | null;
  passed: Array<{ holder: string; what: string; reason: string }>;
}

/** A holder's entry in one of the school's queued resources. */
export interface HeldEntry {
  resource: string;
  state: 'granted' | 'waiting';
  arrival: number;
}

export interface CapacityOptions {
  /** tries of a write that collides with others on the counter, before Unavailable (default 8) */
  attempts?: number;
  /** in [0, 1): the jitter of the backoff */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const BACKOFF_BASE_MS = 20;
/** a queued resource's transactions meet many others at its opening: they try this many times as often */
const QUEUED_ATTEMPTS = 2;
/** a request undecided for this long died (the API's limit is 29 s): the holder's next request takes its place */
const STALE_PENDING_MS = 60_000;
const BACKOFF_CAP_MS = 1000;

/** "Full jitter": a random wait up to an exponentially growing ceiling. */
export const backoffMs = (attempt: number, random: () => number) =>
  random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));

/** `capacity` is one of DynamoDB's reserved words */
const COUNTER_NAMES = { '#capacity': 'capacity', '#taken': 'taken' };

export function buildClaim(table: string, r: SeatResource, h: SeatHolder, at: string): TransactionParams {
  return new Transaction()
    .add({
      Put: {
        TableName: table,
        Item: {
          ...keys.seatClaim(r.schoolId, r.id, h.id),
          ...indexKeys.seatClaimArrival(r.schoolId, r.id, at, h.id),
          type: 'seat',
          holder: h.id,
          at,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })
    .add({
      Update: {
        TableName: table,
        Key: keys.seatCounter(r.schoolId, r.id),
        UpdateExpression: 'SET #taken = #taken + :one',
        ConditionExpression: '#taken < #capacity',
        ExpressionAttributeNames: COUNTER_NAMES,
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    })
    .build();
}

export function buildRelease(table: string, r: SeatResource, h: SeatHolder): TransactionParams {
  return new Transaction()
    .add(
      {
        Delete: {
          TableName: table,
          Key: keys.seatClaim(r.schoolId, r.id, h.id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      { kind: 'must-exist', what: `${h.what}'s place in ${r.what}` },
    )
    .add({
      Update: {
        TableName: table,
        Key: keys.seatCounter(r.schoolId, r.id),
        UpdateExpression: 'SET #taken = #taken - :one',
        ConditionExpression: '#taken > :zero',
        ExpressionAttributeNames: { '#taken': 'taken' },
        ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      },
    })
    .build();
}

/** Makes the counter (none taken) or changes its capacity, never below the seats taken. */
export function buildSetCapacity(table: string, r: SeatResource, capacity: number): UpdateCommandInput {
  return {
    TableName: table,
    Key: keys.seatCounter(r.schoolId, r.id),
    UpdateExpression: 'SET #capacity = :c, #taken = if_not_exists(#taken, :zero), #type = :type',
    ConditionExpression: 'attribute_not_exists(#taken) OR #taken <= :c',
    ExpressionAttributeNames: { ...COUNTER_NAMES, '#type': 'type' },
    ExpressionAttributeValues: { ':c': capacity, ':zero': 0, ':type': 'seat-counter' },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

interface AwsFailure {
  name: string;
  CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }>;
  Item?: Record<string, unknown>;
}

const places = (n: number) => `${n} ${n === 1 ? 'place' : 'places'}`;
const fullConflict = (r: SeatResource, seats: Seats) =>
  new Conflict(`${r.what} is full: all its ${places(seats.capacity)} taken`, 'full', { current: seats });

export class Capacity {
  private readonly attempts: number;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    o: CapacityOptions = {},
  ) {
    this.attempts = o.attempts ?? 8;
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? ((ms) => new Promise((res) => setTimeout(res, ms)));
  }

  /** Sets a resource's capacity (making its counter the first time); 409 below the seats taken. */
  async setCapacity(r: SeatResource, capacity: number): Promise<Seats> {
    try {
      const out = await this.retrying(() => this.db.doc.send(new UpdateCommand(buildSetCapacity(this.db.table, r, capacity))));
      return seatsOf(out.Attributes!);
    } catch (e) {
      const old = (e as AwsFailure).name === 'ConditionalCheckFailedException' ? oldItem((e as AwsFailure).Item) : undefined;
      if (!old) throw storeError(e);
      const seats = seatsOf(old);
      throw new Conflict(
        `${r.what} has ${places(seats.taken)} taken; its capacity cannot go below that (asked for ${capacity})`,
        'state',
        { current: seats },
      );
    }
  }

  /** Takes a seat for the holder at `at`: granted, already held, or Conflict `full`. */
  async claim(r: SeatResource, h: SeatHolder, at: string): Promise<ClaimOutcome> {
    const { input } = buildClaim(this.db.table, r, h, at);
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(input)));
      return 'granted';
    } catch (e) {
      const [claim, counter] = (e as AwsFailure).CancellationReasons ?? [];
      if (claim?.Code === 'ConditionalCheckFailed') return 'already-held';
      if (counter?.Code === 'ConditionalCheckFailed') {
        const old = oldItem(counter.Item);
        throw old ? fullConflict(r, seatsOf(old)) : new NotFound(`places of ${r.what}`);
      }
      throw storeError(e);
    }
  }

  /** Gives the holder's seat back; NotFound if they hold none. */
  async release(r: SeatResource, h: SeatHolder): Promise<void> {
    const { input, meanings } = buildRelease(this.db.table, r, h);
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(input)));
    } catch (e) {
      throw storeError(e, meanings);
    }
  }

  /** The counter of a resource, or null if it has none yet. */
  async seats(r: SeatResource): Promise<Seats | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.seatCounter(r.schoolId, r.id), ConsistentRead: true }),
      ),
    );
    return out.Item ? seatsOf(out.Item) : null;
  }

  /** The holders of a resource's seats, in order of arrival. */
  holders(r: SeatResource, page: PageQuery): Promise<Page<SeatClaim>> {
    return queryPage<SeatClaim>(this.db, indexKeys.seatClaimsByArrival(r.schoolId, r.id), page);
  }

  // ── queued resources: arrival tickets, waitlists, promotion (see the header) ──

  /** Makes a queued resource with its capacity (its counter and its queue), once; later calls change nothing. */
  async openQueue(r: SeatResource, capacity: number): Promise<void> {
    const t = new Transaction()
      .add({
        Put: {
          TableName: this.db.table,
          Item: { ...keys.seatCounter(r.schoolId, r.id), type: 'seat-counter', capacity, taken: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })
      .add({
        Put: {
          TableName: this.db.table,
          Item: { ...keys.seatQueue(r.schoolId, r.id), type: 'seat-queue', issued: 0, line: capacity },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })
      .build();
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(t.input)));
    } catch (e) {
      if ((e as AwsFailure).CancellationReasons?.some((c) => c.Code === 'ConditionalCheckFailed')) return;
      throw storeError(e);
    }
  }

  /**
   * A holder asks for a seat at `at`: granted, or waitlisted at a position, in order of
   * arrival. Asking again (a retry, a second tap) answers the place they have.
   */
  async request(
    r: SeatResource,
    h: SeatHolder,
    at: string,
    by: Actor,
  ): Promise<Place & { seatsLeft: number; replayed: boolean }> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...keys.seatEntry(r.schoolId, r.id, h.id),
            ...indexKeys.seatEntryOfHolder(r.schoolId, h.id, r.id),
            type: 'seat-entry',
            resource: r.id,
            holder: h.id,
            what: h.what,
            state: 'pending',
            at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if ((e as AwsFailure).name !== 'ConditionalCheckFailedException') throw storeError(e);
      if (!(await this.takeOver(r, h.id, at))) {
        const [place, q] = await Promise.all([this.decided(r, h.id), this.queue(r)]);
        return { ...place, seatsLeft: Math.max(0, q.line - q.issued), replayed: true };
      }
    }
    for (;;) {
      const ticket = await this.ticket(r, h);
      const event = this.event(r, at, h, ticket.issued, by);
      if (ticket.issued <= ticket.line) {
        const tx = new Transaction()
          .add(this.entryTo(r, h.id, 'pending', { state: 'granted', arrival: ticket.issued }))
          .add(this.claimPut(r, h, at, ticket.issued), { kind: 'must-not-exist', what: `${h.what}'s place in ${r.what}` })
          .add(
            {
              Update: {
                TableName: this.db.table,
                Key: keys.seatCounter(r.schoolId, r.id),
                UpdateExpression: 'SET #taken = #taken + :one',
                ConditionExpression: '#taken < #capacity',
                ExpressionAttributeNames: COUNTER_NAMES,
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            { kind: 'state', message: `${r.what} is full` },
          )
          .add(event('joined'));
        await this.sendQueued(tx);
        return {
          holder: h.id,
          what: h.what,
          state: 'granted',
          arrival: ticket.issued,
          at,
          seatsLeft: ticket.line - ticket.issued,
          replayed: false,
        };
      }
      const tx = new Transaction()
        .add(this.entryTo(r, h.id, 'pending', { state: 'waiting', arrival: ticket.issued }))
        .add({
          Put: {
            TableName: this.db.table,
            Item: {
              ...keys.seatWait(r.schoolId, r.id, ticket.issued),
              type: 'seat-wait',
              holder: h.id,
              what: h.what,
              arrival: ticket.issued,
              at,
              state: 'waiting',
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })
        .add(event('waitlisted'));
      // the ticket was voided while this request was slow: take a new one
      if (await this.movedOn(tx, 1)) continue;
      const position = positionIn(ticket, ticket.issued);
      return {
        holder: h.id,
        what: h.what,
        state: 'waitlisted',
        arrival: ticket.issued,
        at,
        position,
        seatsLeft: 0,
        replayed: false,
      };
    }
  }

  /** A holder's place: granted, waitlisted with their position, or null (none, or not decided yet). */
  async place(r: SeatResource, holder: string): Promise<Place | null> {
    const e = await this.entry(r, holder);
    if (!e || e.state === 'pending') return null;
    return this.placeOf(r, e);
  }

  /**
   * A holder leaves (withdrawn, or removed by the school). From a waitlist they just leave
   * it. From a seat, the first eligible waiter moves up into it in the same transaction
   * (`eligible` says why a waiter may not take it, or null); waiters passed over leave the
   * waitlist, with the reason in the history. With nobody waiting, the seat is free.
   */
  async leave(
    r: SeatResource,
    holder: string,
    action: 'withdrawn' | 'removed',
    at: string,
    by: Actor,
    eligible: (waiter: SeatHolder) => Promise<string | null>,
  ): Promise<Departure> {
    const e = await this.entry(r, holder);
    if (!e || e.state === 'pending') throw new NotFound(`a place of ${holder} in ${r.what}`);
    const h = { id: holder, what: e.what };
    const left = await this.placeOf(r, e);
    if (e.state === 'waiting') {
      await this.sendQueued(
        new Transaction()
          .add(this.deleteWaiting(keys.seatEntry(r.schoolId, r.id, holder)), {
            kind: 'state',
            message: `${h.what} is no longer waiting for ${r.what}`,
          })
          .add(this.waitTo(r, e.arrival, 'left'))
          .add({
            Update: {
              TableName: this.db.table,
              Key: keys.seatQueue(r.schoolId, r.id),
              UpdateExpression: 'ADD gone :t',
              ExpressionAttributeValues: { ':t': new Set([e.arrival]) },
            },
          })
          .add(this.event(r, at, h, e.arrival, by)('left-waitlist')),
      );
      return { left, promoted: null, passed: [] };
    }
    const passed: Departure['passed'] = [];
    for (;;) {
      const q = await this.queue(r);
      const next = q.line + 1;
      const out = this.leaverOut(r, h, e.arrival, at, by, action);
      if (next > q.issued) {
        const tx = out
          .add({
            Update: {
              TableName: this.db.table,
              Key: keys.seatCounter(r.schoolId, r.id),
              UpdateExpression: 'SET #taken = #taken - :one',
              ConditionExpression: '#taken > :zero',
              ExpressionAttributeNames: { '#taken': 'taken' },
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          })
          .add(this.lineTo(r, q.line, 'AND issued < :next'));
        if (await this.movedOn(tx, 4)) continue;
        return { left, promoted: null, passed };
      }
      const w = await this.waitOrVoid(r, next);
      if (!w || w.state !== 'waiting') {
        await this.skip(r, q.line);
        continue;
      }
      const waiter = { id: String(w.holder), what: String(w.what) };
      const reason = await eligible(waiter);
      if (reason) {
        const tx = new Transaction()
          .add(this.waitTo(r, next, 'passed'))
          .add({ Delete: { TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, waiter.id) } })
          .add(this.lineTo(r, q.line))
          .add(this.event(r, at, waiter, next, by)('passed-over', reason));
        if (await this.movedOn(tx, 0, 2)) continue;
        passed.push({ holder: waiter.id, what: waiter.what, reason });
        continue;
      }
      const tx = out
        .add(this.deleteWaiting(keys.seatWait(r.schoolId, r.id, next)))
        .add(this.claimPut(r, waiter, at, next))
        .add(this.entryTo(r, waiter.id, 'waiting', { state: 'granted', arrival: next }))
        .add(this.lineTo(r, q.line))
        .add(this.event(r, at, waiter, next, by)('promoted', `${h.what} ${action === 'removed' ? 'was removed' : 'withdrew'}`));
      if (await this.movedOn(tx, 3, 5, 6)) continue;
      return { left, promoted: { holder: waiter.id, what: waiter.what, state: 'granted', arrival: next, at }, passed };
    }
  }

  /** The seats and the number waiting of a queued resource, or null if it has none yet. */
  async queueSeats(r: SeatResource): Promise<(Seats & { waiting: number }) | null> {
    const [seats, waiting] = await Promise.all([this.seats(r), this.waiting(r)]);
    return seats && { ...seats, waiting: waiting.length };
  }

  /** The counters of many resources of a school (those that have one), in one round trip per 100. */
  async seatsOfMany(schoolId: string, resources: readonly string[]): Promise<Map<string, Seats>> {
    const out = new Map<string, Seats>();
    for (let i = 0; i < resources.length; i += 100) {
      const found = await getItems(
        this.db,
        resources.slice(i, i + 100).map((id) => keys.seatCounter(schoolId, id)),
      );
      for (const item of found) out.set(String(item.pk).slice(`SEATS#${schoolId}#`.length), seatsOf(item));
    }
    return out;
  }

  /** The waitlist of a queued resource, in order (position 1 first). */
  async waiting(r: SeatResource): Promise<Array<Extract<Place, { state: 'waitlisted' }>>> {
    const items = await queryItems(this.db, keys.seatWaitsOf(r.schoolId, r.id));
    return items
      .filter((i) => i.state === 'waiting')
      .map((i, n) => ({
        holder: String(i.holder),
        what: String(i.what),
        state: 'waitlisted' as const,
        arrival: Number(i.arrival),
        at: String(i.at),
        position: n + 1,
      }));
  }

  /** A queued resource's history, oldest first. */
  history(r: SeatResource, page: PageQuery): Promise<Page<SeatEvent>> {
    return queryPage<SeatEvent>(this.db, keys.seatEventsOf(r.schoolId, r.id), page);
  }

  /** A holder's entries in the school's queued resources (an index: what the child holds and waits for). */
  async entriesOf(schoolId: string, holder: string): Promise<HeldEntry[]> {
    const items = await queryItems(this.db, indexKeys.seatEntriesOfHolder(schoolId, holder));
    return items
      .filter((i) => i.state === 'granted' || i.state === 'waiting')
      .map((i) => ({ resource: String(i.resource), state: i.state as HeldEntry['state'], arrival: Number(i.arrival) }));
  }

  /** An arrival ticket: `issued` is the holder's, `line` where admission stood at that moment. */
  private async ticket(r: SeatResource, h: SeatHolder): Promise<QueueState> {
    try {
      const out = await this.retrying(() =>
        this.db.doc.send(
          new UpdateCommand({
            TableName: this.db.table,
            Key: keys.seatQueue(r.schoolId, r.id),
            UpdateExpression: 'SET issued = issued + :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return queueState(out.Attributes!);
    } catch (e) {
      if ((e as AwsFailure).name !== 'ConditionalCheckFailedException') throw storeError(e);
      await mapped(() =>
        this.db.doc.send(new DeleteCommand({ TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, h.id) })),
      );
      throw new NotFound(`places of ${r.what}`);
    }
  }

  /**
   * A request whose first one died undecided (its entry `pending` for longer than a request can
   * take) carries on in its place: true if it took the entry over.
   */
  private async takeOver(r: SeatResource, holder: string, at: string): Promise<boolean> {
    const e = await this.entry(r, holder);
    if (!e || e.state !== 'pending' || Date.parse(at) - Date.parse(e.at) < STALE_PENDING_MS) return false;
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: keys.seatEntry(r.schoolId, r.id, holder),
          UpdateExpression: 'SET #at = :at',
          ConditionExpression: '#state = :pending AND #at = :was',
          ExpressionAttributeNames: { '#state': 'state', '#at': 'at' },
          ExpressionAttributeValues: { ':at': at, ':pending': 'pending', ':was': e.at },
        }),
      );
      return true;
    } catch (x) {
      if ((x as AwsFailure).name !== 'ConditionalCheckFailedException') throw storeError(x);
      return false;
    }
  }

  /** The answer for a holder whose entry exists: once their first request has decided it (it is waited for a moment). */
  private async decided(r: SeatResource, holder: string): Promise<Place> {
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const e = await this.entry(r, holder);
      if (e && e.state !== 'pending') return this.placeOf(r, e);
      await this.sleep(backoffMs(attempt + 2, () => 0.5 + this.random() / 2));
    }
    throw new Conflict('This child’s request for a place is still being decided; retry shortly', 'in-progress', {
      retryAfterSeconds: 1,
    });
  }

  private async entry(r: SeatResource, holder: string) {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, holder), ConsistentRead: true }),
      ),
    );
    const i = out.Item;
    return i
      ? {
          state: String(i.state) as 'pending' | 'granted' | 'waiting',
          arrival: Number(i.arrival ?? 0),
          what: String(i.what),
          at: String(i.at),
          holder,
        }
      : null;
  }

  private async placeOf(
    r: SeatResource,
    e: { holder: string; what: string; state: 'pending' | 'granted' | 'waiting'; arrival: number; at: string },
  ): Promise<Place> {
    const base = { holder: e.holder, what: e.what, arrival: e.arrival, at: e.at };
    return e.state === 'granted'
      ? { ...base, state: 'granted' }
      : { ...base, state: 'waitlisted', position: await this.position(r, e.arrival) };
  }

  private async queue(r: SeatResource): Promise<QueueState> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.seatQueue(r.schoolId, r.id), ConsistentRead: true })),
    );
    if (!out.Item) throw new NotFound(`places of ${r.what}`);
    return queueState(out.Item);
  }

  /** A waiting ticket's position: 1 + the tickets between the line and it, less those whose holders left the waitlist. */
  private async position(r: SeatResource, ticket: number, q?: QueueState): Promise<number> {
    return positionIn(q ?? (await this.queue(r)), ticket);
  }

  /**
   * The wait item of a ticket. One not written yet belongs to a request in flight: it is
   * waited for a moment, then voided (that request takes a new ticket), and null returned.
   */
  private async waitOrVoid(r: SeatResource, ticket: number): Promise<Record<string, unknown> | null> {
    const key = keys.seatWait(r.schoolId, r.id, ticket);
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      const out = await mapped(() =>
        this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: key, ConsistentRead: true })),
      );
      if (out.Item) return out.Item;
      await this.sleep(backoffMs(attempt + 2, () => 0.5 + this.random() / 2));
    }
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...key, type: 'seat-wait', arrival: ticket, state: 'void' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return null;
    } catch (e) {
      if ((e as AwsFailure).name !== 'ConditionalCheckFailedException') throw storeError(e);
      return this.waitOrVoid(r, ticket); // it came just now
    }
  }

  /** Moves the line past a ticket nobody waits on any more; another leave that moved it first is as good. */
  private async skip(r: SeatResource, line: number): Promise<void> {
    try {
      const { Update } = this.lineTo(r, line);
      await this.retrying(() =>
        this.db.doc.send(
          new UpdateCommand({
            ...Update,
            UpdateExpression: `${Update.UpdateExpression} DELETE gone :gone`,
            ExpressionAttributeValues: { ...Update.ExpressionAttributeValues, ':gone': new Set([line + 1]) },
          }),
        ),
      );
    } catch (e) {
      if ((e as AwsFailure).name !== 'ConditionalCheckFailedException') throw storeError(e);
    }
  }

  /**
   * Sends a transaction of a leave; true if another leave moved the line first (or the
   * waiter changed meanwhile: items `raced`), so the caller reads the queue again.
   */
  private async movedOn(t: Transaction, ...raced: number[]): Promise<boolean> {
    const { input, meanings } = t.build();
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(input)), QUEUED_ATTEMPTS * this.attempts);
      return false;
    } catch (e) {
      const reasons = (e as AwsFailure).CancellationReasons ?? [];
      if (raced.some((i) => reasons[i]?.Code === 'ConditionalCheckFailed')) return true;
      throw storeError(e, meanings);
    }
  }

  private async sendQueued(t: Transaction): Promise<void> {
    const { input, meanings } = t.build();
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(input)), QUEUED_ATTEMPTS * this.attempts);
    } catch (e) {
      throw storeError(e, meanings);
    }
  }

  /** The leaver's claim and entry out, with the history line: the first writes of a leave from a seat. */
  private leaverOut(r: SeatResource, h: SeatHolder, arrival: number, at: string, by: Actor, action: 'withdrawn' | 'removed') {
    return new Transaction()
      .add(
        {
          Delete: {
            TableName: this.db.table,
            Key: keys.seatClaim(r.schoolId, r.id, h.id),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        { kind: 'must-exist', what: `${h.what}'s place in ${r.what}` },
      )
      .add({ Delete: { TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, h.id) } })
      .add(this.event(r, at, h, arrival, by)(action));
  }

  /** Deletes an entry or a wait item only while it is waiting. */
  private deleteWaiting(key: Key) {
    return {
      Delete: {
        TableName: this.db.table,
        Key: key,
        ConditionExpression: '#state = :waiting',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':waiting': 'waiting' },
      },
    };
  }

  private claimPut(r: SeatResource, h: SeatHolder, at: string, arrival: number) {
    return {
      Put: {
        TableName: this.db.table,
        Item: {
          ...keys.seatClaim(r.schoolId, r.id, h.id),
          ...indexKeys.seatClaimArrival(r.schoolId, r.id, at, h.id),
          type: 'seat',
          holder: h.id,
          what: h.what,
          at,
          arrival,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  private entryTo(r: SeatResource, holder: string, from: string, to: { state: string; arrival: number }) {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatEntry(r.schoolId, r.id, holder),
        UpdateExpression: 'SET #state = :to, arrival = :arrival',
        ConditionExpression: '#state = :from',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':to': to.state, ':from': from, ':arrival': to.arrival },
      },
    };
  }

  private waitTo(r: SeatResource, ticket: number, state: 'left' | 'passed') {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatWait(r.schoolId, r.id, ticket),
        UpdateExpression: 'SET #state = :to',
        ConditionExpression: '#state = :waiting',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':to': state, ':waiting': 'waiting' },
      },
    };
  }

  /** The line one further, only from where it was read (`extra`: a further condition on `:next`). */
  private lineTo(r: SeatResource, line: number, extra = '') {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatQueue(r.schoolId, r.id),
        UpdateExpression: 'SET line = :next',
        ConditionExpression: `line = :line ${extra}`.trim(),
        ExpressionAttributeValues: { ':line': line, ':next': line + 1 },
      },
    };
  }

  /** A history line of the resource, for a holder and ticket, as one write of a transaction. */
  private event(r: SeatResource, at: string, h: SeatHolder, arrival: number, by: Actor) {
    return (action: SeatAction, note: string | null = null) => ({
      Put: {
        TableName: this.db.table,
        Item: {
          ...keys.seatEvent(r.schoolId, r.id, at, action === 'promoted' ? 1 : 0, h.id, action),
          ...indexKeys.seatEventOfHolder(r.schoolId, h.id, at, r.id, action),
          type: 'seat-event',
          action,
          holder: h.id,
          what: h.what,
          arrival,
          at,
          by: by.id,
          byName: by.name,
          note,
        },
      },
    });
  }

  /** Runs a write again, after a jittered wait, while it only lost a race with another transaction. */
  private async retrying<T>(write: () => Promise<T>, attempts = this.attempts): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (!isTransactionConflict(e) || attempt >= attempts) throw e;
        await this.sleep(backoffMs(attempt, this.random));
      }
    }
  }
}

const seatsOf = (item: Record<string, unknown>): Seats => ({ capacity: Number(item.capacity), taken: Number(item.taken) });

/** A queued resource's sequencer: tickets issued, the line, and the tickets above it whose holders left the waitlist. */
interface QueueState {
  issued: number;
  line: number;
  gone: ReadonlySet<number>;
}
const queueState = (item: Record<string, unknown>): QueueState => ({
  issued: Number(item.issued),
  line: Number(item.line),
  gone: new Set([...((item.gone as Set<number> | undefined) ?? [])].map(Number)),
});
const positionIn = (q: QueueState, ticket: number) =>
  ticket - q.line - [...q.gone].filter((g) => g > q.line && g < ticket).length;

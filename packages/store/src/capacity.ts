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
 * and a waitlist, and is used only through `request`/`leave`/`repair` (not `claim`/`release`).
 * Arrival is a ticket: a plain `SET issued = issued + 1` on the resource's QUEUE item, which
 * DynamoDB applies one at a time without transaction conflicts, so 500 requests at once get
 * tickets 1…500 with none lost, repeated or reordered by retries. The QUEUE item also holds
 * the `line`: tickets up to it are admitted (it starts at the capacity). A ticket is decided
 * by arithmetic at the moment it is issued — admitted (t ≤ line) or waiting — and only then
 * written: an admitted ticket becomes a claim (with `taken + 1`, checked below capacity), a
 * waiting one a WAIT#<ticket> item. So seats go strictly in arrival order, and the waitlist
 * is ordered by ticket. Before its ticket, a request puts the holder's ENTRY (state
 * `pending`, then `granted` or `waiting`, only by the request that put it: its `at`): a
 * second request of the same holder finds it and gets the same answer (a retry is safe). A
 * decided entry is listed with the holder's others (the holder index), and a seat taken or
 * left is written, in the same transaction, into the holder's HELD item (the resources they
 * have a seat in), which a request reads consistently with its other records in one
 * BatchGet (`requestKeys`): what eligibility needs, the holder's place and the queue. So a
 * request is five calls: that BatchGet, the caller's own query (a guardian's relations), the
 * entry, the ticket and the decision.
 *
 * The line moves only in a transaction that consumes the ticket after it: when a holder
 * leaves, the next ticket is promoted in ONE transaction (the leaver's claim and entry out,
 * the waiter's wait item out, the waiter's claim in, the line + 1; `taken` unchanged); a
 * ticket whose holder left the waitlist or was passed over (no longer eligible) is skipped;
 * with nobody waiting, the leaver's seat is freed (`taken - 1`, the line + 1: the next
 * arrival is admitted). A ticket issued whose wait item is not written yet (its request is
 * in flight) is waited for a moment; if it never comes (the request died) it is voided, and
 * a request that finds its ticket voided takes a new one. A granted seat is never taken back.
 *
 * Seats the line is owed: the counter's `owed`, seats that are nobody's and not yet free to
 * an arrival, each given on by `repair` as a leave with nobody leaving gives one (the first
 * eligible waiter moves up, `taken + 1`, or with nobody waiting the seat is free: the line
 * + 1). So at every moment capacity = taken + free (line − issued, when above 0) + owed +
 * admitted tickets whose answer is not written yet. Two things owe seats:
 * - A request that dies between its admitted ticket and its answer (a timeout, a crash)
 *   leaves such a ticket forever. `repair` finds those seats by that sum once no request of
 *   the resource is undecided within the stale bound (60 s; a request takes at most 29 s),
 *   owes them to the line and fences their tickets (`fence`: a ticket up to it that holds
 *   no seat never will; a request woken after it takes a new ticket), all in one transaction
 *   on the counter and the queue as they were read. It runs when the holder asks again, on
 *   every leave, and whenever the school's list of the class or a waiting child's view is
 *   read (see the README): the people a seat idle would wrong are the ones who look.
 * - A capacity raised by k (`capacityWrites`, in the transaction saving the class) owes k
 *   seats; lowered, it takes owed seats first, then free ones (the line comes down, never
 *   below the tickets issued), never a seat taken (409 below `taken`).
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
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

/** A waiter passed over (no longer eligible), and why. */
export interface Passed {
  holder: string;
  what: string;
  reason: string;
}

/** What a leave did: the leaver's place, who moved up into it, who was passed over (and why). */
export interface Departure {
  left: Place;
  promoted: Place | null;
  passed: Passed[];
}

/** Why a waiter may not move up into a seat now (null: they may). */
export type Eligibility = (waiter: SeatHolder) => Promise<string | null>;

/** What a holder's request finds (`Capacity.holderState`): the seats they hold, their place here if decided. */
export interface HolderState {
  /** the queued resources the holder has a seat in */
  held: string[];
  place: Place | null;
  /** seats free for the next arrivals */
  seatsLeft: number;
}

/** Who gives a seat on when the primitive does it on its own (a seat a dead request left idle). */
export const SYSTEM_ACTOR: Actor = { id: 'kehou', name: 'Kehou 课后' };
/** The history's note on a waiter moved up into a seat a dead request left idle. */
export const IDLE_SEAT_NOTE = 'a seat left idle by an unfinished request was given on';
const TAKEN_OVER = 'This request was taken over by a later one of the same child; its answer is that one’s';

/** A seat to move the line into: a leaver's, or one the resource owes its line (see `Capacity.repair`). */
type Vacancy =
  { kind: 'left'; leaver: SeatHolder; arrival: number; action: 'withdrawn' | 'removed' } | { kind: 'owed'; note: string };

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
   * The records a holder's request for a seat is decided on, for the caller to read in the
   * BatchGet it makes anyway (with the school's and the child's records): the resource's
   * queue, the holder's entry in it and the seats they hold. See `holderState`.
   */
  requestKeys(r: SeatResource, holder: string): Key[] {
    return [keys.seatQueue(r.schoolId, r.id), keys.seatEntry(r.schoolId, r.id, holder), keys.seatHoldings(r.schoolId, holder)];
  }

  /** What the records of `requestKeys` say, given what the caller's read found (`found(key)`: the item, if any). */
  holderState(r: SeatResource, holder: string, found: (k: Key) => Record<string, unknown> | undefined): HolderState {
    const [queue, entry, holdings] = this.requestKeys(r, holder).map(found);
    const e = entry && entryOf(entry, holder);
    const q = queue && queueState(queue);
    return {
      held: heldIn(holdings),
      place: e && e.state !== 'pending' && q ? placeIn(e, q) : null,
      seatsLeft: q ? Math.max(0, q.line - q.issued) : 0,
    };
  }

  /** The queued resources a holder has a seat in (read consistently). */
  async heldBy(schoolId: string, holder: string): Promise<string[]> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.seatHoldings(schoolId, holder), ConsistentRead: true }),
      ),
    );
    return heldIn(out.Item);
  }

  /**
   * A holder asks for a seat at `at`: granted, or waitlisted at a position, in order of
   * arrival. Asking again (a retry, a second tap) answers the place they have. A request that
   * finds the holder's earlier one died undecided carries on in its place, once the seat that
   * one may have left idle is given on (`eligible`: who may move up into it; see `repair`).
   */
  async request(
    r: SeatResource,
    h: SeatHolder,
    at: string,
    by: Actor,
    eligible?: Eligibility,
  ): Promise<Place & { seatsLeft: number; replayed: boolean }> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...keys.seatEntry(r.schoolId, r.id, h.id),
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
      if (!(await this.takeOver(r, h.id, at, eligible))) {
        const [place, q] = await Promise.all([this.decided(r, h.id), this.queue(r)]);
        return { ...place, seatsLeft: Math.max(0, q.line - q.issued), replayed: true };
      }
    }
    for (;;) {
      const ticket = await this.ticket(r, h);
      const t = ticket.issued;
      const event = this.event(r, at, h, t, by);
      const decided = (state: 'granted' | 'waiting') => this.entryTo(r, h.id, 'pending', { state, arrival: t }, at);
      if (t <= ticket.line) {
        const tx = new Transaction()
          .add(decided('granted'), { kind: 'state', message: TAKEN_OVER })
          .add(this.claimPut(r, h, at, t), { kind: 'must-not-exist', what: `${h.what}'s place in ${r.what}` })
          .add({
            Update: {
              TableName: this.db.table,
              Key: keys.seatCounter(r.schoolId, r.id),
              UpdateExpression: 'SET #taken = #taken + :one',
              ConditionExpression: '#taken < #capacity AND (attribute_not_exists(fence) OR fence < :ticket)',
              ExpressionAttributeNames: COUNTER_NAMES,
              ExpressionAttributeValues: { ':one': 1, ':ticket': t },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          })
          .add(this.holding(r, h.id, 'ADD'))
          .add(event('joined'));
        const counter = await this.counterRefused(tx, 2);
        // a repair gave this ticket's seat on, taking this request for dead: it takes a new ticket
        if (counter && Number(counter.fence ?? 0) >= t) continue;
        if (counter) throw fullConflict(r, seatsOf(counter));
        return { holder: h.id, what: h.what, state: 'granted', arrival: t, at, seatsLeft: ticket.line - t, replayed: false };
      }
      const tx = new Transaction()
        .add(decided('waiting'), { kind: 'state', message: TAKEN_OVER })
        .add({
          Put: {
            TableName: this.db.table,
            Item: {
              ...keys.seatWait(r.schoolId, r.id, t),
              type: 'seat-wait',
              holder: h.id,
              what: h.what,
              arrival: t,
              at,
              state: 'waiting',
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        })
        .add(event('waitlisted'));
      // the ticket was voided while this request was slow: take a new one
      if (await this.movedOn(tx, [1])) continue;
      return {
        holder: h.id,
        what: h.what,
        state: 'waitlisted',
        arrival: t,
        at,
        position: positionIn(ticket, t),
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
   * waitlist, with the reason in the history. With nobody waiting, the seat is free. Then
   * the resource is repaired (`repair`): a seat a dead request left idle is given on too.
   */
  async leave(
    r: SeatResource,
    holder: string,
    action: 'withdrawn' | 'removed',
    at: string,
    by: Actor,
    eligible: Eligibility,
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
    const moved = await this.advance(r, { kind: 'left', leaver: h, arrival: e.arrival, action }, at, by, eligible);
    await this.repair(r, at, eligible);
    return { left, ...moved! };
  }

  /**
   * Gives on every seat the resource owes its line, and first finds the seats left idle by
   * requests that died between their ticket and their answer: with no request of the last
   * minute undecided (a request takes at most 29 s), the seats neither taken, free for the
   * next arrival nor owed are exactly those, and are owed to the line from then on. Each seat
   * owed moves the line as a leave with nobody leaving does: the first eligible waiter moves
   * up (the history says why: `note`), or with nobody waiting the seat is free. Safe to run
   * at any time, from anywhere, at once with requests, leaves and other repairs: every step
   * is a transaction conditioned on what it was decided on. The waiters moved up, in order.
   */
  async repair(r: SeatResource, at: string, eligible: Eligibility, o: { by?: Actor; note?: string } = {}): Promise<Place[]> {
    const s = await this.state(r);
    // the common case, a resource in order: one read
    if (!s || (idleIn(s) <= 0 && s.c.owed <= 0)) return [];
    if (idleIn(s) > 0) await this.recover(r, at, s);
    const promoted: Place[] = [];
    for (;;) {
      const step = await this.advance(r, { kind: 'owed', note: o.note ?? IDLE_SEAT_NOTE }, at, o.by ?? SYSTEM_ACTOR, eligible);
      if (!step) return promoted;
      if (step.promoted) promoted.push(step.promoted);
    }
  }

  /**
   * The writes that set a queued resource's capacity, to send in the caller's transaction
   * (with the record the capacity is saved on), and the seats it adds. Raising it by k owes k
   * seats to the line (`repair` gives them on once the transaction is in). Lowering it takes
   * seats nobody has: owed ones first, then free ones (the line comes down, never below the
   * tickets issued); never a granted one — Conflict (409) below the seats taken, or while
   * the seats it would take are being given to requests in flight. A resource with no queue
   * yet gets a check that it still has none (its queue, when made, takes the new capacity).
   */
  async capacityWrites(r: SeatResource, capacity: number): Promise<{ writes: TransactionParams; raised: number }> {
    const s = await this.state(r);
    const t = new Transaction();
    if (!s) {
      t.add(
        {
          ConditionCheck: {
            TableName: this.db.table,
            Key: keys.seatQueue(r.schoolId, r.id),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { kind: 'state', message: `The places of ${r.what} were opened while its capacity was being saved; try again` },
      );
      return { writes: t.build(), raised: 0 };
    }
    const { c, q } = s;
    const changed = {
      kind: 'state' as const,
      message: `The places of ${r.what} changed while its capacity was being saved; try again`,
    };
    const d = capacity - c.capacity;
    if (d === 0) return { writes: t.build(), raised: 0 };
    if (d < 0 && capacity < c.taken)
      throw new Conflict(
        `${r.what} has ${places(c.taken)} taken; its capacity cannot go below that (asked for ${capacity})`,
        'state',
        { current: { capacity: c.capacity, taken: c.taken } },
      );
    const fromOwed = d < 0 ? Math.min(c.owed, -d) : 0;
    const fromLine = d < 0 ? -d - fromOwed : 0;
    const free = Math.max(0, q.line - q.issued);
    if (fromLine > free)
      throw new Conflict(
        `${places(fromLine - free)} of ${r.what} ${fromLine - free === 1 ? 'is' : 'are'} being given to requests right now; try again in a minute`,
        'state',
        { current: { capacity: c.capacity, taken: c.taken } },
      );
    t.add(
      {
        Update: {
          TableName: this.db.table,
          Key: keys.seatCounter(r.schoolId, r.id),
          UpdateExpression: 'SET #capacity = :new, owed = :owed',
          ConditionExpression: `#capacity = :old AND #taken <= :new AND ${owedIs(c.owed)}`,
          ExpressionAttributeNames: COUNTER_NAMES,
          ExpressionAttributeValues: {
            ':new': capacity,
            ':old': c.capacity,
            ':owed': d > 0 ? c.owed + d : c.owed - fromOwed,
            ':was': c.owed,
          },
        },
      },
      changed,
    );
    if (fromLine > 0)
      t.add(
        {
          Update: {
            TableName: this.db.table,
            Key: keys.seatQueue(r.schoolId, r.id),
            UpdateExpression: 'SET line = :to',
            ConditionExpression: 'line = :line AND issued <= :to',
            ExpressionAttributeValues: { ':line': q.line, ':to': q.line - fromLine },
          },
        },
        changed,
      );
    return { writes: t.build(), raised: Math.max(0, d) };
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
   * take) carries on in its place: true if it took the entry over. The seat the dead one may
   * have left idle is given on first (while the entry is stale, it keeps no repair waiting).
   */
  private async takeOver(r: SeatResource, holder: string, at: string, eligible?: Eligibility): Promise<boolean> {
    const e = await this.entry(r, holder);
    if (!e || e.state !== 'pending' || Date.parse(at) - Date.parse(e.at) < STALE_PENDING_MS) return false;
    if (eligible) await this.repair(r, at, eligible);
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

  private async entry(r: SeatResource, holder: string): Promise<Entry | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, holder), ConsistentRead: true }),
      ),
    );
    return out.Item ? entryOf(out.Item, holder) : null;
  }

  private async placeOf(r: SeatResource, e: Entry): Promise<Place> {
    return placeIn(e, e.state === 'granted' ? null : await this.queue(r));
  }

  private async queue(r: SeatResource): Promise<QueueState> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.seatQueue(r.schoolId, r.id), ConsistentRead: true })),
    );
    if (!out.Item) throw new NotFound(`places of ${r.what}`);
    return queueState(out.Item);
  }

  /** The counter and the queue of a queued resource, read together (consistently), or null if it has none. */
  private async state(r: SeatResource): Promise<QueuedState | null> {
    const [ck, qk] = [keys.seatCounter(r.schoolId, r.id), keys.seatQueue(r.schoolId, r.id)];
    const found = await getItems(this.db, [ck, qk]);
    const c = found.find((i) => i.sk === ck.sk);
    const q = found.find((i) => i.sk === qk.sk);
    return c && q ? { c: counterOf(c), q: queueState(q) } : null;
  }

  /**
   * Seats left idle by requests that died between their ticket and their answer, owed to the
   * line from now on; the number found. Only when no request of the resource is undecided
   * since `at` less the stale bound: then every ticket issued has had its answer or never
   * will, and capacity − taken − free seats − owed is the number of those seats. Their
   * tickets are fenced in the same transaction (`fence`: tickets up to it that hold no seat
   * never will), so a request that only seemed dead (a frozen function woken later) takes a
   * new ticket instead of a seat given on. Nothing is found twice: the transaction holds only
   * on the counter and the queue it was counted on.
   */
  private async recover(r: SeatResource, at: string, read: QueuedState): Promise<number> {
    let s: QueuedState | null = read;
    for (let attempt = 1; s && attempt <= this.attempts; attempt++) {
      const { c, q } = s;
      const idle = idleIn(s);
      if (idle <= 0 || (await this.undecidedSince(r, new Date(Date.parse(at) - STALE_PENDING_MS).toISOString()))) return 0;
      const tx = new Transaction()
        .add({
          Update: {
            TableName: this.db.table,
            Key: keys.seatCounter(r.schoolId, r.id),
            UpdateExpression: 'SET owed = :owed, fence = :fence',
            ConditionExpression: `#capacity = :capacity AND #taken = :taken AND ${owedIs(c.owed)}`,
            ExpressionAttributeNames: COUNTER_NAMES,
            ExpressionAttributeValues: {
              ':owed': c.owed + idle,
              ':was': c.owed,
              ':fence': Math.min(q.line, q.issued),
              ':capacity': c.capacity,
              ':taken': c.taken,
            },
          },
        })
        .add({
          ConditionCheck: {
            TableName: this.db.table,
            Key: keys.seatQueue(r.schoolId, r.id),
            ConditionExpression: 'line = :line AND issued = :issued',
            ExpressionAttributeValues: { ':line': q.line, ':issued': q.issued },
          },
        });
      if (!(await this.movedOn(tx, [0, 1]))) return idle;
      s = await this.state(r); // something moved meanwhile: count again
    }
    return 0;
  }

  /** Whether a request of the resource is undecided since `since` (its entry `pending`, put or taken over since then). */
  private async undecidedSince(r: SeatResource, since: string): Promise<boolean> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await mapped(() =>
        this.db.doc.send(
          new QueryCommand({
            TableName: this.db.table,
            ConsistentRead: true,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
            FilterExpression: '#state = :pending AND #at >= :since',
            ExpressionAttributeNames: { '#state': 'state', '#at': 'at' },
            ExpressionAttributeValues: {
              ':pk': keys.seatQueue(r.schoolId, r.id).pk,
              ':entry': 'ENTRY#',
              ':pending': 'pending',
              ':since': since,
            },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        ),
      );
      if ((out.Count ?? 0) > 0) return true;
      start = out.LastEvaluatedKey;
    } while (start);
    return false;
  }

  /**
   * Moves the line past the next ticket into a vacancy: a leaver's seat (their claim out in the
   * same transaction) or a seat owed to the line. The first eligible waiter moves up into it,
   * or, with nobody waiting, the seat is free for the next arrival; tickets nobody waits on
   * are skipped, waiters no longer eligible passed over. Null when no seat is owed any more.
   */
  private async advance(
    r: SeatResource,
    v: Vacancy,
    at: string,
    by: Actor,
    eligible: Eligibility,
  ): Promise<{ promoted: Place | null; passed: Passed[] } | null> {
    const passed: Passed[] = [];
    for (;;) {
      const s = await this.state(r);
      if (!s) throw new NotFound(`places of ${r.what}`);
      const { c, q } = s;
      const next = q.line + 1;
      // no seat owed (or, were the counter ever wrong, none left to give a waiter)
      if (v.kind === 'owed' && (c.owed <= 0 || (next <= q.issued && c.taken >= c.capacity))) return null;
      // the leaver's claim out, or the seat no longer owed: the first writes of each transaction
      const tx =
        v.kind === 'left'
          ? this.leaverOut(r, v.leaver, v.arrival, at, by, v.action)
          : new Transaction().add(this.counterTo(r, c, next > q.issued ? 0 : 1));
      const raced = v.kind === 'left' ? [] : [0];
      if (next > q.issued) {
        if (v.kind === 'left')
          tx.add({
            Update: {
              TableName: this.db.table,
              Key: keys.seatCounter(r.schoolId, r.id),
              UpdateExpression: 'SET #taken = #taken - :one',
              ConditionExpression: '#taken > :zero',
              ExpressionAttributeNames: { '#taken': 'taken' },
              ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
            },
          });
        raced.push(tx.size);
        if (await this.movedOn(tx.add(this.lineTo(r, q.line, 'AND issued < :next')), raced)) continue;
        return { promoted: null, passed };
      }
      const w = await this.waitOrVoid(r, next);
      if (!w || w.state !== 'waiting') {
        await this.skip(r, q.line);
        continue;
      }
      const waiter = { id: String(w.holder), what: String(w.what) };
      const event = this.event(r, at, waiter, next, by);
      const reason = await eligible(waiter);
      if (reason) {
        const out = new Transaction()
          .add(this.waitTo(r, next, 'passed'))
          .add({ Delete: { TableName: this.db.table, Key: keys.seatEntry(r.schoolId, r.id, waiter.id) } })
          .add(this.lineTo(r, q.line))
          .add(event('passed-over', reason));
        if (await this.movedOn(out, [0, 2])) continue;
        passed.push({ holder: waiter.id, what: waiter.what, reason });
        continue;
      }
      const note = v.kind === 'owed' ? v.note : `${v.leaver.what} ${v.action === 'removed' ? 'was removed' : 'withdrew'}`;
      raced.push(tx.size, tx.size + 2, tx.size + 4);
      tx.add(this.deleteWaiting(keys.seatWait(r.schoolId, r.id, next)))
        .add(this.claimPut(r, waiter, at, next))
        .add(this.entryTo(r, waiter.id, 'waiting', { state: 'granted', arrival: next }))
        .add(this.holding(r, waiter.id, 'ADD'))
        .add(this.lineTo(r, q.line))
        .add(event('promoted', note));
      if (await this.movedOn(tx, raced)) continue;
      return { promoted: { holder: waiter.id, what: waiter.what, state: 'granted', arrival: next, at }, passed };
    }
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
   * Sends a transaction of the queue; true if one of the items `raced` failed its condition
   * (another step moved the line or the counter first, or the waiter changed meanwhile), so the
   * caller reads the queue again.
   */
  private async movedOn(t: Transaction, raced: readonly number[]): Promise<boolean> {
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

  /** Sends a transaction; the counter (item `i`) as it was if its condition failed, else null. */
  private async counterRefused(t: Transaction, i: number): Promise<Record<string, unknown> | null> {
    const { input, meanings } = t.build();
    try {
      await this.retrying(() => this.db.doc.send(new TransactWriteCommand(input)), QUEUED_ATTEMPTS * this.attempts);
      return null;
    } catch (e) {
      const reason = (e as AwsFailure).CancellationReasons?.[i];
      const old = reason?.Code === 'ConditionalCheckFailed' ? oldItem(reason.Item) : undefined;
      if (old) return old;
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

  /** The leaver's claim, entry and holding out, with the history line: the first writes of a leave from a seat. */
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
      .add(this.holding(r, h.id, 'DELETE'))
      .add(this.event(r, at, h, arrival, by)(action));
  }

  /** One seat owed less: given to a waiter (`taken` one more, within the capacity) or freed for the next arrival. */
  private counterTo(r: SeatResource, c: Counter, taken: 0 | 1) {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatCounter(r.schoolId, r.id),
        UpdateExpression: taken ? 'SET owed = :owed, #taken = #taken + :one' : 'SET owed = :owed',
        ConditionExpression: taken ? `${owedIs(c.owed)} AND #taken < #capacity` : owedIs(c.owed),
        ...(taken ? { ExpressionAttributeNames: COUNTER_NAMES } : {}),
        ExpressionAttributeValues: { ':owed': c.owed - 1, ':was': c.owed, ...(taken ? { ':one': 1 } : {}) },
      },
    };
  }

  /** Adds the resource to the holder's seats held, or takes it out. */
  private holding(r: SeatResource, holder: string, op: 'ADD' | 'DELETE') {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatHoldings(r.schoolId, holder),
        UpdateExpression: `${op} held :r SET #type = :type`,
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':r': new Set([r.id]), ':type': 'seat-holdings' },
      },
    };
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

  /**
   * An entry decided (listed with the holder's others from then on), only from the state it
   * was read in; `at`: only the request that put it (or took it over) decides a pending one.
   */
  private entryTo(r: SeatResource, holder: string, from: string, to: { state: string; arrival: number }, at?: string) {
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.seatEntry(r.schoolId, r.id, holder),
        UpdateExpression: 'SET #state = :to, arrival = :arrival, userPk = :userPk, userSk = :userSk',
        ConditionExpression: at === undefined ? '#state = :from' : '#state = :from AND #at = :at',
        ExpressionAttributeNames: { '#state': 'state', ...(at === undefined ? {} : { '#at': 'at' }) },
        ExpressionAttributeValues: {
          ':to': to.state,
          ':from': from,
          ':arrival': to.arrival,
          ':userPk': indexKeys.seatEntryOfHolder(r.schoolId, holder, r.id).userPk,
          ':userSk': indexKeys.seatEntryOfHolder(r.schoolId, holder, r.id).userSk,
          ...(at === undefined ? {} : { ':at': at }),
        },
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
          ...keys.seatEvent(r.schoolId, r.id, at, action === 'promoted' ? 1 : 0, arrival, h.id, action),
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

/** A queued resource's counter: its seats, those owed to its line, and the tickets fenced (see `recover`). */
interface Counter extends Seats {
  owed: number;
}
const counterOf = (item: Record<string, unknown>): Counter => ({ ...seatsOf(item), owed: Number(item.owed ?? 0) });

/** A queued resource's counter and queue, read together. */
interface QueuedState {
  c: Counter;
  q: QueueState;
}
/** Seats neither taken, free for the next arrivals nor owed: those of admitted tickets whose answer is not written (yet, or ever). */
const idleIn = ({ c, q }: QueuedState) => c.capacity - c.taken - Math.max(0, q.line - q.issued) - c.owed;
/** The condition that `owed` is still what it was read as (`:was`; none written yet is 0). */
const owedIs = (owed: number) => (owed === 0 ? '(attribute_not_exists(owed) OR owed = :was)' : 'owed = :was');

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

/** A holder's entry in a queued resource. */
interface Entry {
  holder: string;
  what: string;
  state: 'pending' | 'granted' | 'waiting';
  arrival: number;
  at: string;
}
const entryOf = (i: Record<string, unknown>, holder: string): Entry => ({
  state: String(i.state) as Entry['state'],
  arrival: Number(i.arrival ?? 0),
  what: String(i.what),
  at: String(i.at),
  holder,
});
/** A decided entry's place (a waiting one's position from the queue). */
function placeIn(e: Entry, q: QueueState | null): Place {
  const base = { holder: e.holder, what: e.what, arrival: e.arrival, at: e.at };
  if (e.state === 'granted') return { ...base, state: 'granted' };
  if (!q) throw new Error(`the place of ${e.holder}, waiting, needs the queue`);
  return { ...base, state: 'waitlisted', position: positionIn(q, e.arrival) };
}
const heldIn = (item: Record<string, unknown> | undefined) => [...((item?.held as Set<string> | undefined) ?? [])].sort();

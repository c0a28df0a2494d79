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
 * index. That is where waitlists will fit, without changing claims: a holder refused as
 * `full` gets a WAIT#<holder> item in the same partition (condition: no claim and no wait
 * of the holder), indexed WAIT#<at>#<holder>, so the waitlist reads in arrival order; a
 * release then promotes the head in one transaction (delete the leaver's claim, delete the
 * head's wait item, which must exist, put its claim, which must not) and leaves `taken`
 * as it is; only with an empty waitlist does a release free the seat.
 */
import { GetCommand, TransactWriteCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { Conflict, NotFound, type Page, type PageQuery } from '@kehou/domain';
import type { Db } from './client';
import { isTransactionConflict, mapped, oldItem, storeError } from './errors';
import { indexKeys, keys } from './keys';
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
}

export type ClaimOutcome = 'granted' | 'already-held';

export interface CapacityOptions {
  /** tries of a write that collides with others on the counter, before Unavailable (default 8) */
  attempts?: number;
  /** in [0, 1): the jitter of the backoff */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const BACKOFF_BASE_MS = 20;
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

  /** Runs a write again, after a jittered wait, while it only lost a race with another transaction. */
  private async retrying<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (!isTransactionConflict(e) || attempt >= this.attempts) throw e;
        await this.sleep(backoffMs(attempt, this.random));
      }
    }
  }
}

const seatsOf = (item: Record<string, unknown>): Seats => ({ capacity: Number(item.capacity), taken: Number(item.taken) });

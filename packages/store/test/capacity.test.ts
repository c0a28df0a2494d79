/** The capacity primitive offline: its parameters pinned, its retries and its error paths with a mocked client. */
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Conflict, NotFound, Unavailable } from '@kehou/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { backoffMs, buildClaim, buildRelease, buildSetCapacity, Capacity } from '../src/capacity';
import { makeDb } from '../src/client';

const db = makeDb({ tableName: 'T', region: 'local', endpoint: 'http://127.0.0.1:1', cursorKey: 'k'.repeat(32) });
const mock = mockClient(DynamoDBDocumentClient);
afterEach(() => mock.reset());

const r = { schoolId: 's1', id: 'club-class:c1', what: 'Robotics 基础班' };
const h = { id: 'n7', what: 'student 王小明' };
const AT = '2026-09-01T08:00:00.000Z';
const meta = { $metadata: {} };
const cancelled = (...codes: Array<string | { Code: string; Item: Record<string, unknown> }>) =>
  new TransactionCanceledException({
    ...meta,
    message: 'cancelled',
    CancellationReasons: codes.map((c) => (typeof c === 'string' ? { Code: c } : { Code: c.Code, Item: marshall(c.Item) })),
  });

/** A Capacity whose waits are recorded, not slept, with a fixed jitter. */
function capacityWithClock(attempts = 4) {
  const waits: number[] = [];
  const capacity = new Capacity(db, {
    attempts,
    random: () => 0.5,
    sleep: async (ms) => void waits.push(ms),
  });
  return { capacity, waits };
}

describe('parameters', () => {
  it('claims in one transaction: the claim if new, and the counter if below the capacity', () => {
    expect(buildClaim('T', r, h, AT)).toEqual({
      input: {
        TransactItems: [
          {
            Put: {
              TableName: 'T',
              Item: {
                pk: 'SEATS#s1#club-class:c1',
                sk: 'CLAIM#n7',
                colPk: 'SEATS#s1#club-class:c1',
                colSk: `CLAIM#${AT}#n7`,
                type: 'seat',
                holder: 'n7',
                at: AT,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: 'T',
              Key: { pk: 'SEATS#s1#club-class:c1', sk: 'COUNTER' },
              UpdateExpression: 'SET #taken = #taken + :one',
              ConditionExpression: '#taken < #capacity',
              ExpressionAttributeNames: { '#capacity': 'capacity', '#taken': 'taken' },
              ExpressionAttributeValues: { ':one': 1 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      },
      meanings: [null, null],
    });
  });

  it('releases in one transaction: the claim, which must exist, and one off the counter', () => {
    const w = buildRelease('T', r, h);
    expect(w.input.TransactItems).toEqual([
      {
        Delete: {
          TableName: 'T',
          Key: { pk: 'SEATS#s1#club-class:c1', sk: 'CLAIM#n7' },
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      {
        Update: {
          TableName: 'T',
          Key: { pk: 'SEATS#s1#club-class:c1', sk: 'COUNTER' },
          UpdateExpression: 'SET #taken = #taken - :one',
          ConditionExpression: '#taken > :zero',
          ExpressionAttributeNames: { '#taken': 'taken' },
          ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
        },
      },
    ]);
    expect(w.meanings).toEqual([{ kind: 'must-exist', what: "student 王小明's place in Robotics 基础班" }, null]);
  });

  it('sets the capacity, making the counter the first time, never below the seats taken', () => {
    expect(buildSetCapacity('T', r, 12)).toEqual({
      TableName: 'T',
      Key: { pk: 'SEATS#s1#club-class:c1', sk: 'COUNTER' },
      UpdateExpression: 'SET #capacity = :c, #taken = if_not_exists(#taken, :zero), #type = :type',
      ConditionExpression: 'attribute_not_exists(#taken) OR #taken <= :c',
      ExpressionAttributeNames: { '#capacity': 'capacity', '#taken': 'taken', '#type': 'type' },
      ExpressionAttributeValues: { ':c': 12, ':zero': 0, ':type': 'seat-counter' },
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });
});

describe('retries', () => {
  it('waits a jittered, growing, capped time between tries', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffMs(a, () => 0.5))).toEqual([10, 20, 40, 80, 500]);
    expect(backoffMs(3, () => 0)).toBe(0);
  });

  it('tries a claim that collided with another transaction again, and grants it', async () => {
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(new TransactionConflictException({ ...meta, message: 'conflict' }))
      .resolves({});
    const { capacity, waits } = capacityWithClock();
    expect(await capacity.claim(r, h, AT)).toBe('granted');
    expect(waits).toEqual([10, 20]);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('gives up after the bound with Unavailable (503)', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('None', 'TransactionConflict'));
    const { capacity, waits } = capacityWithClock(4);
    await expect(capacity.claim(r, h, AT)).rejects.toBeInstanceOf(Unavailable);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('does not try again when a condition failed, even beside a conflict', async () => {
    mock
      .on(TransactWriteCommand)
      .rejects(cancelled('TransactionConflict', { Code: 'ConditionalCheckFailed', Item: { capacity: 2, taken: 2 } }));
    const { capacity, waits } = capacityWithClock();
    await expect(capacity.claim(r, h, AT)).rejects.toBeInstanceOf(Conflict);
    expect(waits).toEqual([]);
  });

  it('tries a capacity change that met a transaction again', async () => {
    mock
      .on(UpdateCommand)
      .rejectsOnce(new TransactionConflictException({ ...meta, message: 'conflict' }))
      .resolves({ Attributes: { capacity: 5, taken: 2 } });
    const { capacity, waits } = capacityWithClock();
    expect(await capacity.setCapacity(r, 5)).toEqual({ capacity: 5, taken: 2 });
    expect(waits).toEqual([10]);
  });
});

describe('outcomes', () => {
  it('a claim the holder already has is already-held, full or not', async () => {
    mock
      .on(TransactWriteCommand)
      .rejects(cancelled('ConditionalCheckFailed', { Code: 'ConditionalCheckFailed', Item: { capacity: 1, taken: 1 } }));
    expect(await capacityWithClock().capacity.claim(r, h, AT)).toBe('already-held');
  });

  it('a full counter is Conflict full, in words, with the counter', async () => {
    mock
      .on(TransactWriteCommand)
      .rejects(cancelled('None', { Code: 'ConditionalCheckFailed', Item: { capacity: 20, taken: 20 } }));
    const e = await capacityWithClock()
      .capacity.claim(r, h, AT)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect(e).toMatchObject({
      reason: 'full',
      message: 'Robotics 基础班 is full: all its 20 places taken',
      current: { capacity: 20, taken: 20 },
    });
  });

  it('no counter is NotFound', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('None', 'ConditionalCheckFailed'));
    await expect(capacityWithClock().capacity.claim(r, h, AT)).rejects.toBeInstanceOf(NotFound);
  });

  it('a release of a seat not held is NotFound, naming the holder and the resource', async () => {
    mock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const e = await capacityWithClock()
      .capacity.release(r, h)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotFound);
    expect((e as Error).message).toBe("student 王小明's place in Robotics 基础班 not found");
  });

  it('a capacity below the seats taken is Conflict, in words', async () => {
    mock
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ ...meta, message: 'failed', Item: marshall({ capacity: 10, taken: 7 }) }));
    const e = await capacityWithClock()
      .capacity.setCapacity(r, 5)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({
      reason: 'state',
      message: 'Robotics 基础班 has 7 places taken; its capacity cannot go below that (asked for 5)',
      current: { capacity: 10, taken: 7 },
    });
  });
});

/** The transaction builder: parameters pinned, DynamoDB's limits refused in words, failures mapped. */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, RuleViolation } from '@kehou/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDb } from '../src/client';
import { Transaction, TRANSACTION_LIMITS, type TransactWrite } from '../src/transact';

const db = makeDb({ tableName: 'T', region: 'local', endpoint: 'http://127.0.0.1:1', cursorKey: 'k'.repeat(32) });
const mock = mockClient(DynamoDBDocumentClient);
afterEach(() => mock.reset());

const put = (i: number, extra: Record<string, unknown> = {}): TransactWrite => ({
  Put: { TableName: 'T', Item: { pk: `P#${i}`, sk: 'S', ...extra }, ConditionExpression: 'attribute_not_exists(pk)' },
});
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RuleViolation);
    return e as RuleViolation;
  }
  throw new Error('not refused');
};

describe('a transaction', () => {
  it('is built from its writes in order, each with what its condition means', () => {
    const tx = new Transaction()
      .add(put(1), { kind: 'must-not-exist', what: 'room' })
      .add({ Delete: { TableName: 'T', Key: { pk: 'P#2', sk: 'S' } } });
    expect(tx.build()).toEqual({
      input: { TransactItems: [put(1), { Delete: { TableName: 'T', Key: { pk: 'P#2', sk: 'S' } } }] },
      meanings: [{ kind: 'must-not-exist', what: 'room' }, null],
    });
    const again = Transaction.of(tx.build()).build();
    expect(again).toEqual(tx.build());
  });

  it('takes 100 records, and refuses 101 in words, sending nothing', async () => {
    const tx = new Transaction();
    for (let i = 0; i < TRANSACTION_LIMITS.items; i++) tx.add(put(i));
    expect(tx.build().input.TransactItems).toHaveLength(100);
    tx.add(put(100));
    const e = refusal(() => tx.build());
    expect(e.rule).toBe('too-many-records');
    expect(e.message).toBe('this change touches 101 records; DynamoDB allows at most 100 in one transaction');
    expect(e.details).toEqual({ records: 101, limit: 100 });
    await expect(tx.send(db)).rejects.toBeInstanceOf(RuleViolation);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('refuses more than 4 MB of items, counting puts, the values of updates and multi-byte text', () => {
    const big = 'x'.repeat(380 * 1024);
    const tx = new Transaction();
    for (let i = 0; i < 10; i++) tx.add(put(i, { notes: big }));
    expect(() => tx.build()).not.toThrow();
    tx.add({
      Update: {
        TableName: 'T',
        Key: { pk: 'P#10', sk: 'S' },
        UpdateExpression: 'SET notes = :n',
        ExpressionAttributeValues: { ':n': '课'.repeat(100 * 1024) }, // 3 bytes a character
      },
    });
    const e = refusal(() => tx.build());
    expect(e.rule).toBe('too-much-data');
    expect(e.message).toBe('this change writes 4.0 MB; DynamoDB allows at most 4 MB in one transaction');
    expect((e.details as { bytes: number }).bytes).toBeGreaterThan(TRANSACTION_LIMITS.bytes);
  });

  it('counts lists, maps, sets and numbers by their DynamoDB size, up to the byte', () => {
    const item = { list: ['ab', 'cd'], map: { k: 'v' }, set: new Set(['abc']), n: 12345, yes: true };
    // names 4+3+3+1+3; list 3 + 2×(1+2), map 3 + 1 + (1+1), set 3, number ⌈5/2⌉+1, boolean 1
    const size = 14 + 9 + 6 + 3 + 4 + 1;
    const tx = new Transaction()
      .add({ Put: { TableName: 'T', Item: item } })
      .add({ Put: { TableName: 'T', Item: { b: 'y'.repeat(TRANSACTION_LIMITS.bytes - size - 1) } } });
    expect(() => tx.build()).not.toThrow(); // exactly 4 MB
    tx.add({ Put: { TableName: 'T', Item: { d: '' } } });
    expect(refusal(() => tx.build()).rule).toBe('too-much-data');
  });

  it('sends with the store edge mapping: a failed condition becomes the error its meaning names', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        $metadata: {},
        message: 'cancelled',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const tx = new Transaction().add(put(1)).add(put(2), { kind: 'must-not-exist', what: 'room' });
    const e = await tx.send(db).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).message).toBe('room exists already');
    expect(mock.commandCalls(TransactWriteCommand)[0]!.args[0].input).toEqual(tx.build().input);
  });
});

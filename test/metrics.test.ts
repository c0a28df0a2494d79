/** What a request costs the database, counted by the SDK middleware on DynamoDB Local. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { withCost } from '@kehou/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshTable } from './support/db';

let t: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  t = await freshTable();
  for (const sk of ['A#1', 'A#2', 'A#3'])
    await t.db.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: 'P', sk, n: sk } }));
});

describe('the cost of a request', () => {
  it('counts calls, waves of calls in flight together as one round trip, items read and capacity', async () => {
    const get = (sk: string) => t.db.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'P', sk } }));
    const { result, cost } = await withCost(async () => {
      await Promise.all([get('A#1'), get('A#2')]);
      const page = await t.db.doc.send(
        new QueryCommand({
          TableName: t.tableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': 'P' },
        }),
      );
      return page.Items?.length;
    });
    expect(result).toBe(3);
    expect(cost).toMatchObject({ calls: 3, roundTrips: 2, operations: { GetItemCommand: 2, QueryCommand: 1 }, itemsRead: 5 });
    expect(cost.trips).toEqual([['GetItemCommand', 'GetItemCommand'], ['QueryCommand']]);
    expect(cost.readCapacity).toBeGreaterThan(0);
    expect(cost.writeCapacity).toBe(0);
  });

  it('counts the capacity of writes as write capacity', async () => {
    const { cost } = await withCost(() => t.db.doc.send(new PutCommand({ TableName: t.tableName, Item: { pk: 'P', sk: 'W#1' } })));
    expect(cost.writeCapacity).toBeGreaterThan(0);
    expect(cost.readCapacity).toBe(0);
  });

  it('keeps the requests of one process apart, and counts nothing outside a request', async () => {
    const get = () => t.db.doc.send(new GetCommand({ TableName: t.tableName, Key: { pk: 'P', sk: 'A#1' } }));
    const [a, b] = await Promise.all([withCost(async () => get()), withCost(async () => Promise.all([get(), get()]))]);
    expect([a.cost.calls, b.cost.calls]).toEqual([1, 2]);
    expect([a.cost.roundTrips, b.cost.roundTrips]).toEqual([1, 1]);
    await expect(get()).resolves.toBeDefined();
  });
});

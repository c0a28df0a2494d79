/** AWS error paths, with aws-sdk-client-mock: each becomes the right domain error. */
import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Conflict, InvalidInput, NotFound, Unavailable, type Room, type Student } from '@kehou/domain';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDb } from '../src/client';
import { makeStore } from '../src/store';
import { writeBulk } from '../src/bulk';
import { studentSpec } from '../src/entities';

const db = makeDb({ tableName: 'T', region: 'local', endpoint: 'http://127.0.0.1:1', cursorKey: 'k'.repeat(32) });
const mock = mockClient(db.doc);
afterEach(() => mock.reset());
const store = makeStore(db);
const meta = { $metadata: {} };

const room: Room = {
  id: 'r1',
  schoolId: 's1',
  name: 'Dance',
  capacity: 40,
  features: [],
  status: 'active',
  version: 2,
  createdAt: 'a',
  updatedAt: 'a',
  updatedBy: 'u1',
};

describe('conditional writes that fail', () => {
  it('a stale version is a Conflict that names the current version and who made it', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'cancelled',
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed', Item: marshall({ ...room, version: 3, updatedBy: 'u9' }) },
          { Code: 'None' },
        ],
      }),
    );
    const e = await store.rooms.replace('s1', room, { ...room, version: 3 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).current).toMatchObject({ version: 3, updatedBy: 'u9' });
  });

  it('a version condition on a record that is gone is NotFound', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    await expect(store.rooms.replace('s1', room, { ...room, version: 3 })).rejects.toBeInstanceOf(NotFound);
  });

  it('a taken unique name is a Conflict naming the field', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const e = await store.rooms.create('s1', { ...room, version: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).issues).toEqual([{ path: ['name'], message: 'the school has a room named "Dance" already' }]);
  });

  it('an id that exists is a Conflict', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );
    const e = await store.rooms.create('s1', { ...room, version: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).reason).toBe('exists');
  });

  it('a guardian linked to a student the school does not have is invalid at children[i]', async () => {
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const g = {
      id: 'g1',
      schoolId: 's1',
      name: '王',
      phone: '138',
      relation: 'mother' as const,
      userId: null,
      children: ['n1', 'n2'],
      version: 1,
      createdAt: 'a',
      updatedAt: 'a',
      updatedBy: 'u',
    };
    const e = await store.guardians.create('s1', g).catch((x: unknown) => x);
    expect((e as InvalidInput).issues).toEqual([{ path: ['children', 1], message: 'the school has no student n2' }]);
  });

  it('a calendar link rotated by someone else meanwhile is a Conflict, not "not found"', async () => {
    mock.on(GetCommand).resolves({ Item: { hash: 'old-hash' } });
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    const e = await store.feeds.rotate({ schoolId: 's1', staffId: 'st1' }, 'token', 'at', 'u').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).message).toContain('rotated by someone else');
  });
});

describe('a busy or failing database', () => {
  it('throttling of a read, a write or a transaction is Unavailable (503, retry)', async () => {
    mock.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ ...meta, message: 'slow down' }));
    await expect(store.rooms.get('s1', 'r1')).rejects.toBeInstanceOf(Unavailable);
    mock.on(QueryCommand).rejects(new ThrottlingException({ ...meta, message: 'slow down' }));
    await expect(store.rooms.list('s1', { limit: 10 })).rejects.toBeInstanceOf(Unavailable);
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        ...meta,
        message: 'c',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );
    await expect(store.rooms.create('s1', { ...room, version: 1 })).rejects.toBeInstanceOf(Unavailable);
  });

  it('anything else passes through unchanged (a bug or misconfiguration: 500, logged)', async () => {
    const missing = new ResourceNotFoundException({ ...meta, message: 'no table' });
    mock.on(GetCommand).rejects(missing);
    await expect(store.rooms.get('s1', 'r1')).rejects.toBe(missing);
  });
});

describe('idempotency records', () => {
  it('reads the claimed record from the failed condition: same request replays, another is a mismatch', async () => {
    const stored = { status: 'done', fingerprint: 'f1', response: { statusCode: 201, headers: {}, body: '{}' } };
    mock.on(PutCommand).rejects(new ConditionalCheckFailedException({ ...meta, message: 'c', Item: marshall(stored) }));
    expect(await store.idempotency.claim('u', 'k', 'f1', new Date())).toEqual({ state: 'replay', response: stored.response });
    expect(await store.idempotency.claim('u', 'k', 'f2', new Date())).toEqual({ state: 'mismatch' });
    mock
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ ...meta, message: 'c', Item: marshall({ ...stored, status: 'in-progress' }) }),
      );
    expect(await store.idempotency.claim('u', 'k', 'f1', new Date())).toEqual({ state: 'in-progress' });
    mock.on(PutCommand).resolves({});
    expect(await store.idempotency.claim('u', 'k', 'f1', new Date())).toEqual({ state: 'new' });
  });
});

describe('bulk writes', () => {
  it('retries a transaction without the records that changed meanwhile, and reports their rows', async () => {
    const s = (id: string, prev: boolean): { prev: Student | null; next: Student; rows: number[] } => {
      const next = {
        id,
        studentNo: id,
        schoolId: 's1',
        name: 'x',
        gradeLevel: 1,
        homeroom: '1',
        status: 'active' as const,
        guardianIds: [],
        version: prev ? 2 : 1,
        createdAt: 'a',
        updatedAt: 'b',
        updatedBy: 'u',
      };
      return { prev: prev ? { ...next, version: 1 } : null, next, rows: [Number(id.slice(1))] };
    };
    const changes = [s('n0', false), s('n1', true), s('n2', false)];
    // items: n0 | n1, history(n1) | n2 — n1's condition fails the first time
    mock
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          ...meta,
          message: 'c',
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
        }),
      )
      .resolves({});
    const out = await writeBulk(db, studentSpec, 's1', changes);
    expect(out.written).toBe(2);
    expect(out.failed).toEqual([{ rows: [1], message: expect.stringContaining('n1 was changed by someone else') }]);
    const second = mock.commandCalls(TransactWriteCommand)[1]!.args[0].input.TransactItems!;
    expect(second.map((i) => (i.Put!.Item as { id?: string }).id)).toEqual(['n0', 'n2']);
  });
});

it('uses one document client per process', () => {
  expect(DynamoDBDocumentClient).toBeDefined();
  expect(makeStore(db).rooms).not.toBe(store.rooms);
  expect((makeStore(db) as unknown as { rooms: { db: unknown } }).rooms.db).toBe(
    (store as unknown as { rooms: { db: unknown } }).rooms.db,
  );
});

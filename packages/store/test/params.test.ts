/** Parameters built purely, pinned: what each write sends, with its conditions. */
import { describe, expect, it } from 'vitest';
import { roomSpec, studentSpec } from '../src/entities';
import { buildCreate, buildDelete, buildReplace, fromItem, toItem } from '../src/repository';
import { keys, indexKeys } from '../src/keys';
import { createTableInput, TABLE } from '../src/table';
import type { Room, Student } from '@kehou/domain';

const room = (over: Partial<Room> = {}): Room => ({
  id: 'r1',
  schoolId: 's1',
  name: 'Dance Studio',
  capacity: 40,
  features: ['dance'],
  status: 'active',
  version: 1,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-01T00:00:00.000Z',
  updatedBy: 'u1',
  ...over,
});

describe('keys', () => {
  it('puts every entity of a school in its partition, sorted by kind', () => {
    expect(keys.school('s1')).toEqual({ pk: 'SCHOOL#s1', sk: 'PROFILE' });
    expect(keys.entity('s1', 'room', 'r1')).toEqual({ pk: 'SCHOOL#s1', sk: 'ROOM#r1' });
    expect(keys.entitiesOf('s1', 'student')).toEqual({ pk: 'SCHOOL#s1', skPrefix: 'STUDENT#' });
    expect(keys.history('s1', 'room', 'r1', '2026-09-01T00:00:00.000Z', 3)).toEqual({
      pk: 'HISTORY#s1#room#r1',
      sk: 'AT#2026-09-01T00:00:00.000Z#V000003',
    });
    expect(indexKeys.studentInGrade('s1', 3, '2', 'n9')).toEqual({ colPk: 'SCHOOL#s1#GRADE#3', colSk: 'HOMEROOM#2#n9' });
    expect(indexKeys.studentsOfGrade('s1', 3, '2').skPrefix).toBe('HOMEROOM#2#');
    expect(indexKeys.recordsOfUser('u1', 'guardian')).toEqual({ index: 'byUser', pk: 'USER#u1', skPrefix: 'GUARDIAN#' });
  });

  it('makes the local table from the same definition as the deployed one', () => {
    const input = createTableInput('t1');
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(Object.keys(TABLE.indexes));
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
  });
});

describe('writes', () => {
  it('creates an entity only if it is new, claiming its unique name in the same transaction', () => {
    const w = buildCreate('T', roomSpec, 's1', room());
    expect(w.input.TransactItems).toEqual([
      {
        Put: {
          TableName: 'T',
          Item: { ...room(), pk: 'SCHOOL#s1', sk: 'ROOM#r1', type: 'room' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: 'T',
          Item: { pk: 'SCHOOL#s1', sk: 'UNIQUE#room-name#dance studio', type: 'unique', owner: 'r1' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    expect(w.meanings).toEqual([
      { kind: 'must-not-exist', what: 'room' },
      { kind: 'unique', path: ['name'], message: 'the school has a room named "Dance Studio" already' },
    ]);
  });

  it('replaces only the version read, moves the unique claim on a rename, and keeps the old version', () => {
    const prev = room();
    const next = room({ name: 'Music', version: 2, updatedAt: '2026-09-02T00:00:00.000Z', updatedBy: 'u2' });
    const w = buildReplace('T', roomSpec, 's1', prev, next);
    const [update, release, claim, history] = w.input.TransactItems!;
    expect(update!.Update).toMatchObject({
      Key: { pk: 'SCHOOL#s1', sk: 'ROOM#r1' },
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: expect.objectContaining({ ':v': 1 }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(release!.Delete).toMatchObject({
      Key: { pk: 'SCHOOL#s1', sk: 'UNIQUE#room-name#dance studio' },
      ConditionExpression: '#owner = :id',
    });
    expect(claim!.Put).toMatchObject({
      Item: { sk: 'UNIQUE#room-name#music', owner: 'r1' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(history!.Put!.Item).toMatchObject({ pk: 'HISTORY#s1#room#r1', version: 1, by: 'u1', data: prev });
    expect(w.meanings.map((m) => m?.kind ?? null)).toEqual(['version', 'version', 'unique', null]);
  });

  it('removes attributes the new version no longer has, but never the preserved ones', () => {
    const s = (over: Partial<Student> = {}): Student => ({
      id: 'n1',
      studentNo: 'n1',
      schoolId: 's1',
      name: '小明',
      gradeLevel: 3,
      homeroom: '2',
      status: 'active',
      guardianIds: ['g1'],
      version: 4,
      createdAt: 'a',
      updatedAt: 'a',
      updatedBy: 'u',
      ...over,
    });
    const w = buildReplace('T', studentSpec, 's1', s(), s({ gradeLevel: 4, version: 5 }));
    const u = w.input.TransactItems![0]!.Update!;
    const names = Object.values(u.ExpressionAttributeNames!);
    expect(names).toContain('colPk');
    expect(names).not.toContain('guardianIds');
    expect(Object.values(u.ExpressionAttributeValues!)).toContain('SCHOOL#s1#GRADE#4');
  });

  it('deletes only the version read, releases claims, and leaves the last version and a tombstone', () => {
    const w = buildDelete('T', roomSpec, 's1', room({ version: 3 }), '2026-09-03T00:00:00.000Z', 'u3');
    const items = w.input.TransactItems!;
    expect(items[0]!.Delete).toMatchObject({ ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': 3 } });
    expect(items[1]!.Delete!.Key).toEqual({ pk: 'SCHOOL#s1', sk: 'UNIQUE#room-name#dance studio' });
    expect(items[2]!.Put!.Item).toMatchObject({ version: 3, data: { version: 3 } });
    expect(items[3]!.Put!.Item).toMatchObject({ version: 4, by: 'u3', data: null });
  });

  it('stores lists marked as sets as string sets, leaves empty ones out, and reads them back sorted', () => {
    const base = { id: 'n1', version: 1, createdAt: 'a', updatedAt: 'a', updatedBy: 'u' };
    const item = toItem('T', studentSpec, 's1', { ...base, guardianIds: ['g2', 'g1'] } as unknown as Student);
    expect(item.guardianIds).toEqual(new Set(['g2', 'g1']));
    expect('guardianIds' in toItem('T', studentSpec, 's1', { ...base, guardianIds: [] } as unknown as Student)).toBe(false);
    expect(fromItem<Student>({ ...item, guardianIds: new Set(['g2', 'g1']) }, ['guardianIds']).guardianIds).toEqual(['g1', 'g2']);
    expect(fromItem<Student>({ pk: 'x', sk: 'y', id: 'n1' }, ['guardianIds']).guardianIds).toEqual([]);
  });
});

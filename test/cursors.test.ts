/**
 * Page cursors through HTTP, on every list: a real cursor pages through every item once;
 * a forged one (right partition but a missing, empty or foreign sort key, an extra
 * attribute, another list's cursor, another key's signature, garbage) is a 400 at
 * `query.cursor`, never a 500 from DynamoDB.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { timetableVersionId } from '@kehou/domain';
import type { Call } from '@kehou/local';
import { indexKeys, keys, makeDb, signCursor, TABLE, type EntityKind, type ListWhere } from '@kehou/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
let admin: Call;
let schoolId: string;

interface List {
  name: string;
  path: () => string;
  where: () => ListWhere;
  /** the stored items of the list, by id */
  items: (ids: string[]) => Array<Record<string, unknown>>;
}

const IDS = ['a1', 'b2', 'c3'];
const item = (kind: EntityKind, id: string, extra: Record<string, unknown> = {}) => ({
  ...keys.entity(schoolId, kind, id),
  type: kind,
  id,
  schoolId,
  version: 1,
  ...extra,
});
const entityList = (kind: EntityKind, plural: string): List => ({
  name: plural,
  path: () => `/schools/${schoolId}/${plural}`,
  where: () => keys.entitiesOf(schoolId, kind),
  items: (ids) => ids.map((id) => item(kind, id)),
});
/** students, all in grade 3, so that they are listed by the index too */
const student = (id: string) => item('student', id, indexKeys.studentInGrade(schoolId, 3, '1', id));

const LISTS: List[] = [
  entityList('grade', 'grades'),
  entityList('room', 'rooms'),
  entityList('term', 'terms'),
  entityList('staff', 'staff'),
  { ...entityList('student', 'students'), items: (ids) => ids.map(student) },
  entityList('guardian', 'guardians'),
  {
    name: 'imports',
    path: () => `/schools/${schoolId}/imports`,
    where: () => keys.jobsOf(schoolId, 'import'),
    items: (ids) => ids.map((id) => ({ ...keys.job(schoolId, 'import', id), type: 'job', id, importId: id })),
  },
  {
    name: 'timetable versions',
    path: () => `/schools/${schoolId}/terms/a1/timetable/versions`,
    where: () => keys.timetableVersionsOf(schoolId, 'a1') /* a1 is one of the terms listed */,
    items: (ids) => ids.map((_, i) => item('timetable', timetableVersionId('a1', i + 1), { number: i + 1, sessions: [] })),
  },
  {
    name: 'students of a grade (an index)',
    path: () => `/schools/${schoolId}/students?grade=3`,
    where: () => indexKeys.studentsOfGrade(schoolId, 3),
    items: (ids) => ids.map(student),
  },
];

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { user: 'bureau-1', district: 'd-1' });
  schoolId = (await bureau('POST', '/schools', { name: '游标小学', districtId: 'd-1' })).body.id;
  admin = await app.as('admin', { user: 'admin-1', schools: [schoolId] });
  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: 'x'.repeat(32) });
  const items = LISTS.flatMap((l) => l.items(IDS));
  await Promise.all(items.map((Item) => db.doc.send(new PutCommand({ TableName: app.tableName, Item }))));
}, 60_000);
afterAll(async () => {
  await app?.close();
});

const get = (list: List, query: string) => admin('GET', `${list.path()}${list.path().includes('?') ? '&' : '?'}${query}`);
const firstCursor = async (list: List): Promise<string> => {
  const page = await get(list, 'limit=1');
  expect(page.status).toBe(200);
  return page.body.next;
};
const legacy = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const keyIn = (cursor: string) => JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8'));

describe.each(LISTS.map((l, i) => [l.name, l, LISTS[(i + 1) % LISTS.length]!] as const))('%s', (_, list, other) => {
  it('pages with a real cursor through every item once', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; next: string | null } } = await get(
        list,
        `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((i) => i.id));
      cursor = page.body.next;
      pages++;
    } while (cursor && pages < 10);
    expect(ids).toEqual(list.items(IDS).map((i) => i.id));
  });

  it('answers 400 at query.cursor to every forged cursor, never 500', async () => {
    const real = await firstCursor(list);
    const where = list.where();
    const key: Record<string, string> = keyIn(real);
    const skAttr = where.index ? TABLE.indexes[where.index].sortKey : TABLE.sortKey;
    const { [skAttr]: _sk, ...withoutSk } = key;
    const shapes: Record<string, unknown> = {
      'missing sort key': withoutSk,
      'empty sort key': { ...key, [skAttr]: '' },
      'sort key outside the list': { ...key, [skAttr]: 'ZZZ#z' },
      'extra attribute': { ...key, extra: 'x' },
    };
    const forged: Record<string, string> = {
      'another list': await firstCursor(other),
      're-signed with another key': signCursor('another-key-0123456789abcdef0123456789', where, key),
      'payload changed': `${legacy({ ...key, [skAttr]: `${key[skAttr]}x` })}.${real.split('.')[1]}`,
      garbage: 'not-a-cursor',
      'bad base64': '%%%%.%%%%',
      '2 KB': 'A'.repeat(2048),
    };
    for (const [name, k] of Object.entries(shapes)) {
      forged[`${name}, unsigned`] = legacy(k);
      // defence in depth: even a cursor signed with the right key must have the list's key shape
      forged[`${name}, signed`] = signCursor(process.env.CURSOR_KEY!, where, k as Record<string, unknown>);
    }
    for (const [name, cursor] of Object.entries(forged)) {
      const res = await get(list, `limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, name).toBe(400);
      expect(res.body.errors, name).toEqual([{ path: ['query', 'cursor'], message: 'is not a cursor this list gave out' }]);
    }
  });
});

/** Every repository operation against DynamoDB Local, including the races. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  created,
  InvalidInput,
  NotFound,
  revised,
  type Guardian,
  type Room,
  type School,
  type Staff,
  type Student,
} from '@kehou/domain';
import { studentSpec, writeBulk, type Db, type Store } from '@kehou/store';
import { freshTable } from './support/db';

let store: Store;
let db: Db;
beforeAll(async () => {
  ({ store, db } = await freshTable());
});

const at = (n: number) => ({ by: `u${n}`, now: new Date(Date.UTC(2026, 8, 1, 8, n)) });
const school = (id: string, districtId = 'd1'): School =>
  created({ id, name: `学校 ${id}`, districtId, timezone: 'Asia/Shanghai', dayEnd: '18:00', status: 'active' as const }, at(0));
const room = (id: string, name: string): Room =>
  created({ id, schoolId: 's1', name, capacity: 40, features: ['dance'], status: 'active' as const }, at(1));
const student = (no: string, gradeLevel = 3, homeroom = '1'): Student =>
  created(
    {
      id: no,
      studentNo: no,
      schoolId: 's1',
      name: `学生${no}`,
      gradeLevel,
      homeroom,
      status: 'active' as const,
      guardianIds: [],
    },
    at(1),
  );

describe('schools', () => {
  it("creates, reads, replaces and lists a district's schools page by page", async () => {
    for (const id of ['a1', 'a2', 'a3']) await store.schools.create(id, school(id));
    await store.schools.create('b1', school('b1', 'd2'));
    const first = await store.schools.ofDistrict('d1', { limit: 2 });
    expect(first.items.map((s) => s.id)).toEqual(['a1', 'a2']);
    const rest = await store.schools.ofDistrict('d1', { limit: 2, cursor: first.next! });
    expect(rest.items.map((s) => s.id)).toEqual(['a3']);
    expect(rest.next).toBeNull();
    const prev = (await store.schools.get('a1', 'a1'))!;
    await store.schools.replace('a1', prev, revised(prev, { name: '新名字' }, 1, at(2), 'school'));
    expect((await store.schools.get('a1', 'a1'))!).toMatchObject({
      name: '新名字',
      version: 2,
      updatedBy: 'u2',
      createdAt: prev.createdAt,
    });
  });
});

describe('versioned entities', () => {
  it('creates, reads, lists with pages, replaces and deletes', async () => {
    for (let i = 0; i < 5; i++) await store.rooms.create('s1', room(`r${i}`, `Room ${i}`));
    const page = await store.rooms.list('s1', { limit: 3 });
    expect(page.items).toHaveLength(3);
    const all = await store.rooms.all('s1');
    expect(all.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    const r0 = (await store.rooms.get('s1', 'r0'))!;
    expect(r0).toEqual(room('r0', 'Room 0'));
    await store.rooms.replace('s1', r0, revised(r0, { capacity: 45 }, 1, at(2), 'room'));
    const r0v2 = (await store.rooms.get('s1', 'r0'))!;
    await store.rooms.delete('s1', r0v2, at(3).now.toISOString(), 'u3');
    expect(await store.rooms.get('s1', 'r0')).toBeNull();
    const h = await store.rooms.history('s1', 'r0', { limit: 10 });
    expect(h.items.map((x) => [x.version, x.action, x.by, x.data?.capacity ?? null])).toEqual([
      [1, 'create', 'u1', 40],
      [2, 'update', 'u2', 45],
      [3, 'delete', 'u3', null],
    ]);
  });

  it('lets exactly one of two updates from the same version win; the other is a Conflict', async () => {
    await store.rooms.create('s1', room('race', 'Race room'));
    const prev = (await store.rooms.get('s1', 'race'))!;
    const results = await Promise.allSettled([
      store.rooms.replace('s1', prev, revised(prev, { capacity: 10 }, 1, at(4), 'room')),
      store.rooms.replace('s1', prev, revised(prev, { capacity: 20 }, 1, at(5), 'room')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(Conflict);
    const now = (await store.rooms.get('s1', 'race'))!;
    expect(now.version).toBe(2);
    expect((lost.reason as Conflict).current).toMatchObject({ version: 2, updatedBy: now.updatedBy });
  });

  it('refuses a version that is gone as NotFound, and deleting a stale version as Conflict', async () => {
    const ghost = room('ghost', 'Ghost');
    await expect(store.rooms.replace('s1', ghost, { ...ghost, version: 2 })).rejects.toBeInstanceOf(NotFound);
    await store.rooms.create('s1', room('stale', 'Stale'));
    const prev = (await store.rooms.get('s1', 'stale'))!;
    await store.rooms.replace('s1', prev, revised(prev, { capacity: 1 }, 1, at(6), 'room'));
    await expect(store.rooms.delete('s1', prev, 'x', 'u')).rejects.toBeInstanceOf(Conflict);
  });

  it('keeps room names unique in a school: a race for one name has one winner, a rename frees the old name', async () => {
    const results = await Promise.allSettled(['d1', 'd2', 'd3'].map((id) => store.rooms.create('s1', room(id, 'Same Name'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ reason: 'exists', issues: [{ path: ['name'] }] });
    const winner = (await store.rooms.all('s1')).find((r) => r.name === 'Same Name')!;
    await store.rooms.replace('s1', winner, revised(winner, { name: 'Renamed' }, winner.version, at(7), 'room'));
    await expect(store.rooms.create('s1', room('d4', 'same  name'))).resolves.toBeDefined();
    await expect(store.rooms.create('s1', room('d5', 'SAME NAME'))).rejects.toBeInstanceOf(Conflict);
    // another school may have a room of that name
    await expect(store.rooms.create('s2', { ...room('d5', 'Same Name'), schoolId: 's2' })).resolves.toBeDefined();
  });
});

describe('people', () => {
  it('finds staff records by their account, in every school', async () => {
    const st = (id: string, schoolId: string, userId: string | null): Staff =>
      created(
        {
          id,
          schoolId,
          name: '王',
          kind: 'teacher' as const,
          skills: [],
          availability: {},
          maxMinutesPerWeek: 240,
          qualificationExpiresOn: null,
          backgroundCheckExpiresOn: null,
          noPaidTutoringCommitmentOn: null,
          userId,
          phone: null,
          status: 'active' as const,
        },
        at(1),
      );
    await store.staff.create('s1', st('t1', 's1', 'acct-1'));
    await store.staff.create('s2', st('t2', 's2', 'acct-1'));
    await store.staff.create('s1', st('t3', 's1', null));
    expect((await store.staff.ofUser('acct-1')).map((s) => s.id).sort()).toEqual(['t1', 't2']);
    await expect(store.staff.create('s1', st('t4', 's1', 'acct-1'))).rejects.toMatchObject({
      reason: 'exists',
      issues: [{ path: ['userId'], message: 'this account is linked to another staff member of the school' }],
    });
    expect(await store.staff.relationsAt('acct-1', 's1')).toEqual({ staffIds: new Set(['t1']) });
    expect(await store.staff.relationsAt('acct-1', 's9')).toEqual({ staffIds: new Set() });
    const t1 = (await store.staff.get('s1', 't1'))!;
    await store.staff.replace('s1', t1, revised(t1, { userId: null }, 1, at(2), 'staff'));
    expect((await store.staff.ofUser('acct-1')).map((s) => s.id)).toEqual(['t2']);
  });

  it('lists students by grade and homeroom', async () => {
    for (const [no, g, h] of [
      ['n1', 3, '1'],
      ['n2', 3, '2'],
      ['n3', 3, '1'],
      ['n4', 4, '1'],
    ] as const)
      await store.students.create('s1', student(no, g, h));
    expect((await store.students.ofGrade('s1', 3, undefined, { limit: 10 })).items.map((s) => s.id)).toEqual(['n1', 'n3', 'n2']);
    expect((await store.students.ofGrade('s1', 3, '1', { limit: 10 })).items.map((s) => s.id)).toEqual(['n1', 'n3']);
  });

  it('links a guardian and children on both records, in one transaction', async () => {
    const g = (children: string[], version = 1): Guardian => ({
      ...created(
        {
          id: 'g1',
          schoolId: 's1',
          name: '王妈妈',
          phone: '13800000000',
          relation: 'mother' as const,
          userId: 'parent-1',
          children,
        },
        at(2),
      ),
      version,
    });
    await store.guardians.create('s1', g(['n1', 'n2']));
    expect((await store.students.get('s1', 'n1'))!).toMatchObject({ guardianIds: ['g1'], version: 2 });
    expect((await store.guardians.ofUser('parent-1')).map((x) => x.children)).toEqual([['n1', 'n2']]);

    const prev = (await store.guardians.get('s1', 'g1'))!;
    await store.guardians.replace('s1', prev, { ...g(['n2', 'n3']), version: 2 });
    expect((await store.students.get('s1', 'n1'))!.guardianIds).toEqual([]);
    expect((await store.students.get('s1', 'n3'))!.guardianIds).toEqual(['g1']);

    // a student's own update keeps the links made by guardian writes
    const n3 = (await store.students.get('s1', 'n3'))!;
    await store.students.replace('s1', n3, revised(n3, { homeroom: '5', guardianIds: [] }, n3.version, at(3), 'student'));
    expect((await store.students.get('s1', 'n3'))!).toMatchObject({ homeroom: '5', guardianIds: ['g1'] });

    const bad = created(
      {
        id: 'g2',
        schoolId: 's1',
        name: '李',
        phone: '13900000000',
        relation: 'father' as const,
        userId: null,
        children: ['n1', 'nope'],
      },
      at(4),
    );
    const e = await store.guardians.create('s1', bad).catch((x: unknown) => x);
    expect((e as InvalidInput).issues).toEqual([{ path: ['children', 1], message: 'the school has no student nope' }]);
    expect(await store.guardians.get('s1', 'g2')).toBeNull();
    expect((await store.students.get('s1', 'n1'))!.guardianIds).toEqual([]);

    const last = (await store.guardians.get('s1', 'g1'))!;
    await store.guardians.delete('s1', last, at(5).now.toISOString(), 'u5');
    expect((await store.students.get('s1', 'n2'))!.guardianIds).toEqual([]);
  });

  it('writes an import in transactions and reports records changed meanwhile', async () => {
    const fresh = Array.from({ length: 120 }, (_, i) => ({
      prev: null,
      next: student(`imp${String(i).padStart(3, '0')}`),
      rows: [i],
    }));
    const out = await writeBulk(db, studentSpec, 's1', fresh);
    expect(out).toEqual({ written: 120, failed: [] });
    const p = (await store.students.get('s1', 'imp000'))!;
    await store.students.replace('s1', p, revised(p, { name: '别人改了' }, 1, at(6), 'student'));
    const again = await writeBulk(db, studentSpec, 's1', [
      { prev: p, next: { ...p, name: '导入', version: 2 }, rows: [0] },
      { prev: null, next: student('imp999'), rows: [1] },
    ]);
    expect(again.written).toBe(1);
    expect(again.failed).toEqual([{ rows: [0], message: expect.stringContaining('changed by someone else') }]);
    expect((await store.students.get('s1', 'imp000'))!.name).toBe('别人改了');
    expect(await store.students.get('s1', 'imp999')).not.toBeNull();
  });
});

describe('idempotency records', () => {
  it('claims a key once, replays the stored answer, refuses another request, and can be released', async () => {
    const now = new Date('2026-09-01T08:00:00Z');
    expect(await store.idempotency.claim('u1', 'key-1', 'f1', now)).toEqual({ state: 'new' });
    expect(await store.idempotency.claim('u1', 'key-1', 'f1', now)).toEqual({ state: 'in-progress' });
    await store.idempotency.complete('u1', 'key-1', { statusCode: 201, headers: { location: '/x' }, body: '{"id":"x"}' });
    expect(await store.idempotency.claim('u1', 'key-1', 'f1', now)).toEqual({
      state: 'replay',
      response: { statusCode: 201, headers: { location: '/x' }, body: '{"id":"x"}' },
    });
    expect(await store.idempotency.claim('u1', 'key-1', 'f2', now)).toEqual({ state: 'mismatch' });
    expect(await store.idempotency.claim('u2', 'key-1', 'f2', now)).toEqual({ state: 'new' });
    await store.idempotency.release('u2', 'key-1');
    expect(await store.idempotency.claim('u2', 'key-1', 'f2', now)).toEqual({ state: 'new' });
    // a claim whose request died is taken over after a minute
    expect(await store.idempotency.claim('u2', 'key-1', 'f2', new Date(now.getTime() + 61_000))).toEqual({ state: 'new' });
  });
});

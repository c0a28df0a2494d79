/** Clubs, timetable versions and calendar feeds against DynamoDB Local, including the races. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  created,
  revised,
  timetableVersionId,
  type Club,
  type TimetableSession,
  type TimetableVersion,
} from '@kehou/domain';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Db, Store } from '@kehou/store';
import { freshTable } from './support/db';

let store: Store;
let db: Db;
beforeAll(async () => {
  ({ store, db } = await freshTable());
});
const stamp = (n: number) => ({ by: `u${n}`, now: new Date(Date.UTC(2026, 8, 1, 8, n)) });

describe('clubs', () => {
  const club = (id: string, termId: string, name: string): Club =>
    created(
      {
        id,
        schoolId: 's1',
        termId,
        lineageId: `l-${id}`,
        name,
        nameEn: name,
        category: 'dance' as const,
        descriptionZh: '街舞',
        descriptionEn: 'Street dance',
        skill: 'street-dance',
        roomFeatures: ['dance'],
        status: 'active' as const,
        classes: [
          {
            id: `${id}-b`,
            tier: 'basic',
            name: '基础班',
            grades: [1, 2],
            capacity: 30,
            sessionsPerWeek: 1,
            minutesPerSession: 60,
            preferredStaffId: null,
            fixedStaffId: null,
            prerequisite: null,
          },
        ],
      },
      stamp(1),
    );

  it('lists the clubs of a term, and keeps names unique within a term only', async () => {
    await store.clubs.create('s1', club('c1', 't1', '街舞'));
    await store.clubs.create('s1', club('c2', 't1', '武术'));
    await store.clubs.create('s1', club('c3', 't2', '街舞'));
    expect((await store.clubs.allOfTerm('s1', 't1')).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect((await store.clubs.ofTerm('s1', 't2', { limit: 10 })).items.map((c) => c.id)).toEqual(['c3']);
    await expect(store.clubs.create('s1', club('c4', 't1', ' 街舞 '))).rejects.toMatchObject({ issues: [{ path: ['name'] }] });
  });
});

describe('timetable versions', () => {
  const session = (id: string, day: TimetableSession['day'], start: string, end: string): TimetableSession => ({
    id,
    classId: id.split('.')[0]!,
    clubId: 'c1',
    day,
    start,
    end,
    roomId: 'r1',
    staffId: 'st1',
    locked: false,
  });
  const draft = (number: number, sessions: TimetableSession[], basedOn: number | null = null): TimetableVersion =>
    created(
      {
        id: timetableVersionId('t1', number),
        termId: 't1',
        number,
        status: 'draft' as const,
        sessions,
        basedOn,
        generation: null,
        warnings: [],
        publishedAt: null,
        publishedBy: null,
        changes: null,
      },
      stamp(2),
    );

  it('adds a draft, refuses a second draft made from the same head, publishes, and supersedes on republication', async () => {
    expect(await store.timetables.head('s1', 't1')).toBeNull();
    const v1 = draft(1, [session('k1.0', 'MON', '16:30', '17:30')]);
    const head1 = await store.timetables.addDraft('s1', null, v1);
    expect(head1).toEqual({ termId: 't1', draft: 1, published: null, latest: 1 });
    // a second admin who read the empty head loses
    await expect(store.timetables.addDraft('s1', null, draft(1, []))).rejects.toBeInstanceOf(Conflict);

    const p1 = revised(
      v1,
      { status: 'published' as const, publishedAt: 'x', publishedBy: 'u3', changes: [] },
      1,
      stamp(3),
      'draft',
    );
    const head2 = await store.timetables.publish('s1', head1, v1, p1, null);
    expect(head2).toEqual({ termId: 't1', draft: null, published: 1, latest: 1 });
    // publishing the same draft twice from a stale head is refused
    await expect(store.timetables.publish('s1', head1, v1, p1, null)).rejects.toBeInstanceOf(Conflict);

    const v2 = draft(2, [session('k1.0', 'TUE', '16:30', '17:30')], 1);
    const head3 = await store.timetables.addDraft('s1', head2, v2);
    const edited = revised(v2, { sessions: [session('k1.0', 'WED', '16:30', '17:30')] }, 1, stamp(4), 'draft');
    await store.timetables.replace('s1', v2, edited);
    const stored1 = (await store.timetables.version('s1', 't1', 1))!;
    const p2 = revised(
      edited,
      { status: 'published' as const, publishedAt: 'y', publishedBy: 'u5', changes: [] },
      2,
      stamp(5),
      'draft',
    );
    await store.timetables.publish('s1', head3, edited, p2, {
      prev: stored1,
      next: revised(stored1, { status: 'superseded' as const }, stored1.version, stamp(5), 'timetable'),
    });

    const versions = (await store.timetables.versions('s1', 't1', { limit: 10 })).items;
    expect(versions.map((v) => [v.number, v.status, v.publishedBy])).toEqual([
      [1, 'superseded', 'u3'],
      [2, 'published', 'u5'],
    ]);
    expect(await store.timetables.head('s1', 't1')).toEqual({ termId: 't1', draft: null, published: 2, latest: 2 });
    const history = await store.timetables.history('s1', timetableVersionId('t1', 2), { limit: 10 });
    expect(history.items.map((h) => [h.version, h.by, h.data?.sessions[0]?.day])).toEqual([
      [1, 'u2', 'TUE'],
      [2, 'u4', 'WED'],
      [3, 'u5', 'WED'],
    ]);
  });
});

describe('calendar feeds', () => {
  it('resolves a token to its staff member until it is rotated, and never stores the token itself', async () => {
    const target = { schoolId: 's1', staffId: 'st1' };
    await store.feeds.rotate(target, 'first-secret-token-0001', 'a', 'u1');
    expect(await store.feeds.resolve('first-secret-token-0001')).toEqual(target);
    await store.feeds.rotate(target, 'second-secret-token-002', 'b', 'u1');
    expect(await store.feeds.resolve('first-secret-token-0001')).toBeNull();
    expect(await store.feeds.resolve('second-secret-token-002')).toEqual(target);
    expect(await store.feeds.resolve('never-issued-token-0003')).toBeNull();
    const everything = JSON.stringify((await db.doc.send(new ScanCommand({ TableName: db.table }))).Items);
    expect(everything).toContain('FEED#');
    expect(everything).not.toContain('second-secret-token-002');
  });
});

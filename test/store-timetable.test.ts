/** Clubs, timetable versions and calendar feeds against DynamoDB Local, including the races. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  created,
  revised,
  timetableVersionId,
  viewSessions,
  type Club,
  type SessionView,
  type TimetableSession,
  type TimetableVersion,
} from '@kehou/domain';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { generateDraft, publishDraft, type Db, type Store } from '@kehou/store';
import { data } from '../packages/domain/test/fixtures/timetable-data';
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
  const session = (id: string, day: TimetableSession['day'], start: string, end: string, staffId = 'st1'): TimetableSession => ({
    id,
    classId: id.split('.')[0]!,
    clubId: 'c1',
    day,
    start,
    end,
    roomId: 'r1',
    staffId,
    locked: false,
  });
  const draft = (termId: string, number: number, sessionSet: string, count: number, basedOn: number | null = null) =>
    created(
      {
        id: timetableVersionId(termId, number),
        termId,
        number,
        status: 'draft' as const,
        basedOn,
        generation: null,
        warnings: [],
        sessionCount: count,
        publishedAt: null,
        publishedBy: null,
        changeCounts: null,
        revision: { kind: 'generated' as const, sessions: [] },
        sessionSet,
        changeSet: null,
      },
      stamp(2),
    ) as TimetableVersion;
  const published = (v: TimetableVersion, n: number, changeSet: string | null = null) =>
    revised(
      v,
      {
        status: 'published' as const,
        publishedAt: 'x',
        publishedBy: `u${n}`,
        changeCounts: { added: v.sessionCount, moved: 0, removed: 0 },
        changeSet,
        revision: { kind: 'published' as const, sessions: [] },
      },
      v.version,
      stamp(n),
      'draft',
    );

  it('adds a draft, refuses a second draft made from the same head, publishes, and supersedes on republication', async () => {
    expect(await store.timetables.head('s1', 't1')).toBeNull();
    await store.timetables.writeSessions('s1', 'set-1', [session('k1.0', 'MON', '16:30', '17:30')]);
    const v1 = draft('t1', 1, 'set-1', 1);
    const head1 = await store.timetables.addDraft('s1', null, v1);
    expect(head1).toMatchObject({
      termId: 't1',
      draft: 1,
      published: null,
      latest: 1,
      summaries: { draft: v1, published: null },
    });
    // a second admin who read the empty head loses
    await expect(store.timetables.addDraft('s1', null, draft('t1', 1, 'set-x', 0))).rejects.toBeInstanceOf(Conflict);

    const p1 = published(v1, 3);
    const head2 = await store.timetables.publish('s1', head1, v1, p1, null);
    expect(head2).toMatchObject({ draft: null, published: 1, latest: 1, summaries: { draft: null, published: p1 } });
    // publishing the same draft twice from a stale head is refused
    await expect(store.timetables.publish('s1', head1, v1, p1, null)).rejects.toBeInstanceOf(Conflict);

    // a draft from the published version, edited: only the session edited is written, in place
    await store.timetables.writeSessions('s1', 'set-2', [session('k1.0', 'TUE', '16:30', '17:30')]);
    const v2 = draft('t1', 2, 'set-2', 1, 1);
    const head3 = await store.timetables.addDraft('s1', head2, v2);
    const before = session('k1.0', 'TUE', '16:30', '17:30');
    const after = session('k1.0', 'WED', '16:30', '17:30');
    const edited = revised(v2, { revision: { kind: 'edited' as const, sessions: [{ before, after }] } }, 1, stamp(4), 'draft');
    const head4 = await store.timetables.reviseDraft('s1', head3, v2, edited, [after]);
    expect(await store.timetables.sessions('s1', 'set-2')).toEqual([after]);
    // the head keeps the draft's summary: an edit from a stale read is refused
    await expect(store.timetables.reviseDraft('s1', head3, v2, edited, [after])).rejects.toBeInstanceOf(Conflict);

    const stored1 = (await store.timetables.version('s1', 't1', 1))!;
    const p2 = published(edited, 5);
    await store.timetables.publish('s1', head4, edited, p2, {
      prev: stored1,
      next: revised(stored1, { status: 'superseded' as const }, stored1.version, stamp(5), 'timetable'),
    });

    const versions = (await store.timetables.versions('s1', 't1', { limit: 10 })).items;
    expect(versions.map((v) => [v.number, v.status, v.publishedBy])).toEqual([
      [1, 'superseded', 'u3'],
      [2, 'published', 'u5'],
    ]);
    expect(await store.timetables.head('s1', 't1')).toMatchObject({ draft: null, published: 2, latest: 2 });
    // each revision of a version is kept with what made it: an edit names its sessions, as they were and as they are
    const history = await store.timetables.history('s1', timetableVersionId('t1', 2), { limit: 10 });
    expect(history.items.map((h) => [h.version, h.by, h.data?.revision.kind, h.data?.revision.sessions[0]?.after.day])).toEqual([
      [1, 'u2', 'generated', undefined],
      [2, 'u4', 'edited', 'WED'],
      [3, 'u5', 'published', undefined],
    ]);
    expect(history.items[1]!.data!.revision.sessions[0]!.before.day).toBe('TUE');
  });

  it('pages the changes of a publication, and lists every session as added by a first publication', async () => {
    const sessions = Array.from({ length: 7 }, (_, i) => session(`k${i}.0`, 'MON', '16:30', '17:30'));
    await store.timetables.writeSessions('s1', 'set-c', sessions);
    const first = published(draft('t9', 1, 'set-c', 7), 3);
    const page1 = await store.timetables.changes('s1', first, { limit: 5 });
    expect(page1.items.map((c) => [c.sessionId, c.kind])).toEqual(sessions.slice(0, 5).map((s) => [s.id, 'added']));
    const page2 = await store.timetables.changes('s1', first, { limit: 5, cursor: page1.next! });
    expect(page2).toMatchObject({ items: sessions.slice(5).map((s) => ({ sessionId: s.id })), next: null });

    const moved = { sessionId: 'k1.0', classId: 'k1', kind: 'moved' as const, before: null, after: null };
    await store.timetables.writeChanges('s1', 'chg-1', [moved]);
    expect((await store.timetables.changes('s1', published(draft('t9', 2, 'set-c', 7), 4, 'chg-1'), { limit: 5 })).items).toEqual(
      [moved],
    );
    expect(await store.timetables.changes('s1', draft('t9', 3, 'set-c', 7), { limit: 5 })).toEqual({ items: [], next: null });
    await store.timetables.dropSet('s1', 'changes', 'chg-1');
    await store.timetables.dropSet('s1', 'sessions', 'set-c');
    expect(await store.timetables.sessions('s1', 'set-c')).toEqual([]);
  });

  it('keeps a set of thousands of sessions as small records, and reads it back whole', async () => {
    const many = Array.from({ length: 2500 }, (_, i) =>
      session(`class-${String(i).padStart(5, '0')}.0`, 'TUE', '16:30', '17:15'),
    );
    await store.timetables.writeSessions('s1', 'set-big', many);
    const back = await store.timetables.sessions('s1', 'set-big');
    expect(back).toHaveLength(many.length);
    expect(back).toEqual([...many].sort((a, b) => a.id.localeCompare(b.id)));
  });
});

describe('the published view (read models)', () => {
  const view = (id: string, staffId: string, day: SessionView['day'], grades: number[], roomName = '舞蹈室'): SessionView => ({
    id,
    classId: id.split('.')[0]!,
    clubId: 'c1',
    day,
    start: '16:30',
    end: '17:30',
    roomId: 'r1',
    staffId,
    locked: false,
    clubName: '街舞',
    clubNameEn: 'Street dance',
    className: '基础班',
    tier: 'basic',
    grades,
    minutes: 60,
    roomName,
    staffName: staffId,
  });
  const views = [view('ka.0', 'st-li', 'MON', [1, 2]), view('ka.1', 'st-li', 'WED', [1, 2]), view('kb.0', 'st-wang', 'MON', [3])];

  it('answers by class, staff member, day, grade and day, and grade, each in one query', async () => {
    expect(await store.timetables.syncViews('s2', 't1', views)).toEqual({ written: 3 + 5, removed: 0 });
    const ids = async (filter: Parameters<Store['timetables']['publishedView']>[2]) =>
      (await store.timetables.publishedView('s2', 't1', filter))?.map((v) => v.id);
    expect(await ids({ classId: 'ka' })).toEqual(['ka.0', 'ka.1']);
    expect(await ids({ staffId: 'st-wang' })).toEqual(['kb.0']);
    expect(await ids({ day: 'MON' })).toEqual(['ka.0', 'kb.0']);
    expect(await ids({ day: 'MON', grade: 2 })).toEqual(['ka.0']);
    expect(await ids({ grade: 1 })).toEqual(['ka.0', 'ka.1']);
    expect(await ids({ classId: 'ka', day: 'WED' })).toEqual(['ka.1']);
    expect(await ids({ roomId: 'r1' })).toBeUndefined();
    expect((await store.timetables.publishedView('s2', 't1', { classId: 'ka' }))![0]).toEqual(views[0]);
  });

  it('writes only what changed when run again, and moves a session between rosters, days and grades', async () => {
    expect(await store.timetables.syncViews('s2', 't1', views)).toEqual({ written: 0, removed: 0 });
    // kb.0 goes to 李 on TUE; ka.1 is gone; the room of ka.0 was renamed
    const next = [view('ka.0', 'st-li', 'MON', [1, 2], '新舞蹈室'), { ...views[2]!, staffId: 'st-li', day: 'TUE' as const }];
    expect(await store.timetables.syncViews('s2', 't1', next)).toEqual({ written: 1 + 2 + 2, removed: 1 + 2 + 1 });
    expect((await store.timetables.rosterOf('s2', 'st-li')).map((v) => [v.id, v.day, v.roomName, v.termId])).toEqual([
      ['ka.0', 'MON', '新舞蹈室', 't1'],
      ['kb.0', 'TUE', '舞蹈室', 't1'],
    ]);
    expect(await store.timetables.rosterOf('s2', 'st-wang')).toEqual([]);
    expect((await store.timetables.publishedView('s2', 't1', { day: 'MON' }))!.map((v) => v.id)).toEqual(['ka.0']);
    expect((await store.timetables.publishedView('s2', 't1', { grade: 3 }))!.map((v) => [v.id, v.day])).toEqual([
      ['kb.0', 'TUE'],
    ]);
  });

  it("keeps a staff member's roster across the school's terms, and marks the publication it shows", async () => {
    await store.timetables.syncViews('s2', 't2', [view('kc.0', 'st-li', 'FRI', [4])]);
    expect((await store.timetables.rosterOf('s2', 'st-li')).map((v) => [v.termId, v.id])).toEqual([
      ['t1', 'ka.0'],
      ['t1', 'kb.0'],
      ['t2', 'kc.0'],
    ]);
    // the head says which publication the read models show; another publication meanwhile is not marked
    await store.timetables.writeSessions('s2', 'set-v', []);
    const v = created(
      {
        id: timetableVersionId('t2', 1),
        termId: 't2',
        number: 1,
        status: 'draft' as const,
        basedOn: null,
        generation: null,
        warnings: [],
        sessionCount: 0,
        publishedAt: null,
        publishedBy: null,
        changeCounts: null,
        revision: { kind: 'generated' as const, sessions: [] },
        sessionSet: 'set-v',
        changeSet: null,
      },
      stamp(2),
    ) as TimetableVersion;
    const head = await store.timetables.addDraft('s2', null, v);
    expect(await store.timetables.markViews('s2', 't2', 1)).toBe(false);
    await store.timetables.publish('s2', head, v, revised(v, { status: 'published' as const }, 1, stamp(3), 'draft'), null);
    expect(await store.timetables.markViews('s2', 't2', 1)).toBe(true);
    expect((await store.timetables.head('s2', 't2'))!.views).toBe(1);
  });
});

describe('generate, edit and publish (drafts.ts)', () => {
  const fixture = data();
  const school = { ...fixture.school, id: 's3' };
  const writer = (n: number) => {
    let seq = 0;
    return { stamp: stamp(n), newId: () => `set-${n}-${seq++}` };
  };
  const sets = async () => {
    const items = (await db.doc.send(new ScanCommand({ TableName: db.table, ConsistentRead: true }))).Items ?? [];
    return [...new Set(items.map((i) => String(i.pk)).filter((pk) => pk.startsWith('TTSET#s3#')))].sort();
  };

  beforeAll(async () => {
    await store.terms.create('s3', fixture.term);
    for (const g of fixture.grades) await store.grades.create('s3', g);
    for (const r of fixture.rooms) await store.rooms.create('s3', r);
    for (const st of fixture.staff) await store.staff.create('s3', st);
    for (const c of fixture.clubs) await store.clubs.create('s3', c);
  });

  it('lets one of two generations made from the same head win, and leaves no set of the other behind', async () => {
    // both read the head before either writes
    let reads = 0;
    let release = () => {};
    const bothRead = new Promise<void>((r) => (release = r));
    const timetables: Store['timetables'] = Object.create(store.timetables);
    timetables.head = async (schoolId, termId) => {
      const head = await store.timetables.head(schoolId, termId);
      if (++reads === 2) release();
      await bothRead;
      return head;
    };
    const racing = { ...store, timetables };
    const [a, b] = await Promise.allSettled([
      generateDraft(racing, school, 't1', { seed: 1, fresh: false, withEnrolments: false, ...writer(1) }),
      generateDraft(racing, school, 't1', { seed: 2, fresh: false, withEnrolments: false, ...writer(2) }),
    ]);
    const won = [a, b].filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect([a, b].find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(Conflict) });
    const draft = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof generateDraft>>>).value.version;
    expect(await sets()).toEqual([`TTSET#s3#${draft.sessionSet}`]);
    expect(await store.timetables.sessions('s3', draft.sessionSet)).toHaveLength(draft.sessionCount);
  });

  it('completes the read models of a publication when the publication is asked again', async () => {
    const head = (await store.timetables.head('s3', 't1'))!;
    const draft = head.summaries.draft!;
    // the publication itself, as if the function had stopped before writing its read models
    const published = revised(
      draft,
      {
        status: 'published' as const,
        publishedAt: 'x',
        publishedBy: 'u3',
        changeCounts: { added: draft.sessionCount, moved: 0, removed: 0 },
        revision: { kind: 'published' as const, sessions: [] },
      },
      draft.version,
      stamp(3),
      'draft',
    );
    await store.timetables.publish('s3', head, draft, published, null);
    expect(await store.timetables.rosterOf('s3', 'st1')).toEqual([]);

    const again = await publishDraft(store, school, 't1', draft.version, writer(4));
    expect(again).toEqual(published);
    const roster = await store.timetables.rosterOf('s3', 'st1');
    expect(roster.length).toBeGreaterThan(0);
    expect(roster.every((v) => v.termId === 't1' && v.staffName === 'Name st1' && v.clubName === 'c1')).toBe(true);
    expect((await store.timetables.head('s3', 't1'))!.views).toBe(published.number);
    // once more: nothing left to write
    const sessions = await store.timetables.sessions('s3', published.sessionSet);
    expect(await store.timetables.syncViews('s3', 't1', viewSessions(fixture, sessions))).toEqual({ written: 0, removed: 0 });
    await expect(publishDraft(store, school, 't1', draft.version + 5, writer(5))).rejects.toMatchObject({ rule: 'no-draft' });
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

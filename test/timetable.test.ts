/**
 * The term timetable end to end: 45 clubs with two tiers each for the demo school,
 * generate (a job: 202, then its status resource), check the stored draft with the
 * scheduler's own checker (and the independent one of ../shared when it is there), one
 * generation of a term at a time, refuse a move past 18:00, keep locked sessions on
 * re-generation, publish, republish with exactly the moves listed, a generation that cannot
 * be made failing with the rule and its culprit, and a volunteer's roster and calendar feed
 * — which another volunteer cannot read.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_RETRY_AFTER_S } from '@kehou/domain';
import { awaitJob, demoClubs, demoGrades, demoRooms, demoStaff, httpClient, type Call } from '@kehou/local';
import { makeDb } from '@kehou/store';
import { REPO_ROOT } from '../infra/lib/api';
import { startTestApp, type TestApp } from './support/app';
import { TEST_CURSOR_KEY } from './support/db';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'kehou-tt-'));
let app: TestApp;
let admin: Call;
let schoolId: string;
let termId: string;
let base: string;
const staffIds = new Map<string, string>();

type Session = {
  id: string;
  classId: string;
  clubId: string;
  day: string;
  start: string;
  end: string;
  roomId: string;
  staffId: string;
  locked: boolean;
};
type Version = {
  number: number;
  version: number;
  status: string;
  sessions: Session[];
  changes: Array<{ sessionId: string; kind: string }> | null;
  changeCount: number | null;
  changesNext: string | null;
};

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
const DAY = 86400_000;

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd-jingyang' });
  schoolId = (await bureau('POST', '/schools', { name: '旌阳区实验小学', districtId: 'd-jingyang' })).body.id;
  admin = await app.as('admin', { user: 'admin-1', schools: [schoolId] });
  for (const g of demoGrades()) expect((await admin('POST', `/schools/${schoolId}/grades`, g)).status).toBe(201);
  for (const r of demoRooms()) expect((await admin('POST', `/schools/${schoolId}/rooms`, r)).status).toBe(201);
  for (const { key, ...s } of demoStaff()) {
    const res = await admin('POST', `/schools/${schoolId}/staff`, s);
    expect(res.status).toBe(201);
    staffIds.set(key, res.body.id);
  }
  // a term around today, so that rosters and feeds have sessions whenever this runs
  const start = new Date(Date.now() - 14 * DAY);
  const term = await admin('POST', `/schools/${schoolId}/terms`, {
    name: '本学期',
    startDate: isoDate(start),
    endDate: isoDate(new Date(start.getTime() + 140 * DAY)),
  });
  termId = term.body.id;
  for (const c of demoClubs(termId, staffIds)) expect((await admin('POST', `/schools/${schoolId}/clubs`, c)).status).toBe(201);
  base = `/schools/${schoolId}/terms/${termId}/timetable`;
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Job = {
  jobId: string;
  termId: string;
  state: string;
  message: string | null;
  draft: (Omit<Version, 'sessions'> & { sessionCount: number; basedOn: number | null } & Record<string, any>) | null;
  problem: { status: number; rule?: string; detail: string; details?: any } | null;
};

/** Generates (202 and the job's Location) and waits for the job to end. */
async function generate(body: object, at = base): Promise<Job> {
  const res = await admin('POST', `${at}/generate`, body);
  expect(res.status).toBe(202);
  return awaitJob<Job>(admin, res.headers.location!);
}

/** Every item of the table, to tell whether a request wrote anything. */
async function snapshot(): Promise<string> {
  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const items = (await db.doc.send(new ScanCommand({ TableName: app.tableName, ConsistentRead: true }))).Items ?? [];
  return JSON.stringify(items.map((i) => JSON.stringify(i)).sort());
}

async function draft(): Promise<Version> {
  const overview = await admin('GET', base);
  return (await admin('GET', `${base}/versions/${overview.body.draft.number}`)).body;
}

describe('the term timetable', () => {
  it('generates a draft for 45 clubs × 2 tiers, as a job, that passes the scheduler checker', async () => {
    const res = await admin('POST', `${base}/generate`, { seed: 7 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ termId, seed: 7, fresh: false, state: 'queued', by: 'admin-1', draft: null });
    expect(res.headers.location).toBe(`${base}/jobs/${res.body.jobId}`);
    const job = await awaitJob<Job>(admin, res.headers.location!);
    expect(job).toMatchObject({ state: 'finished', progress: { done: 1, of: 1 }, problem: null });
    expect(job.draft).toMatchObject({ number: 1, status: 'draft', version: 1, revision: { kind: 'generated' } });
    expect(job.message).toContain(`A new draft, version 1: ${job.draft!.sessionCount} sessions`);
    expect(job.draft!.sessionCount).toBeGreaterThanOrEqual(90 + 12); // 90 classes, a quarter of the basic ones twice a week
    const { sessions } = await draft();
    expect(sessions).toHaveLength(job.draft!.sessionCount);
    const bench = await admin('GET', `${base}/versions/1/bench`);
    expect(bench.body.instance.classes).toHaveLength(90);
    const instance = join(dir, 'instance.json');
    const answer = join(dir, 'answer.json');
    writeFileSync(instance, JSON.stringify(bench.body.instance));
    writeFileSync(answer, JSON.stringify(bench.body.answer));
    const own = await run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [
      join(REPO_ROOT, 'packages/scheduler/src/cli/check.ts'),
      instance,
      answer,
    ]);
    expect(JSON.parse(own.stdout)).toMatchObject({ ok: true, hardViolations: 0, sessions: sessions.length });
    const independent = join(REPO_ROOT, '..', 'shared', 'bench', 'check.mjs');
    if (existsSync(independent)) {
      const other = await run(process.execPath, [independent, instance, answer]);
      expect(JSON.parse(other.stdout)).toMatchObject({ ok: true, hardViolations: 0 });
    }
    for (const s of sessions) expect(s.end <= '18:00').toBe(true);
  });

  it('refuses to move a session to end after 18:00, naming the rule, and changes nothing', async () => {
    const d = await draft();
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    const hour = d.sessions.find((s) => minutes(s.end) - minutes(s.start) === 60 && !s.locked)!;
    const res = await admin('PATCH', `${base}/draft/sessions/${hour.id}`, { version: d.version, start: '17:30' });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.rule).toBe('too-late');
    expect(res.body.detail).toContain('18:00');
    expect((await draft()).version).toBe(d.version);
  });

  it('keeps two locked sessions on re-generation, and refuses to move a locked one', async () => {
    let d = await draft();
    const [a, b] = d.sessions.filter((s) => s.day !== 'WED');
    for (const s of [a!, b!]) {
      const res = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: d.version, locked: true });
      expect(res.status).toBe(200);
      // the new revision says which session changed, as it was and as it is
      const { id, classId, clubId, day, start, end, roomId, staffId } = s;
      const was = { id, classId, clubId, day, start, end, roomId, staffId, locked: false };
      expect(res.body.revision).toEqual({ kind: 'edited', sessions: [{ before: was, after: { ...was, locked: true } }] });
      d = { ...d, version: res.body.version };
    }
    const again = await generate({ seed: 99, fresh: true });
    expect(again.draft).toMatchObject({ number: 1, version: d.version + 1 }); // the draft replaced: a new revision
    expect(again.message).toContain(`The draft, version 1, replaced (revision ${d.version + 1})`);
    const kept = (await draft()).sessions.filter((s) => s.locked);
    expect(
      kept
        .map(({ id, day, start, roomId, staffId }) => ({ id, day, start, roomId, staffId }))
        .sort((x, y) => x.id.localeCompare(y.id)),
    ).toEqual(
      [a!, b!]
        .map(({ id, day, start, roomId, staffId }) => ({ id, day, start, roomId, staffId }))
        .sort((x, y) => x.id.localeCompare(y.id)),
    );
    const moveLocked = await admin('PATCH', `${base}/draft/sessions/${a!.id}`, { version: again.draft!.version, start: '16:00' });
    expect(moveLocked.status).toBe(422);
    expect(moveLocked.body.rule).toBe('locked');
  });

  it('publishes, and a republication lists exactly the sessions that moved', async () => {
    const d = await draft();
    const first = await admin('POST', `${base}/publish`, { version: d.version });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'published', publishedBy: 'admin-1', changeCount: d.sessions.length });
    expect(first.body.changeCounts).toEqual({ added: d.sessions.length, moved: 0, removed: 0 });
    // the answer lists the first 100 changes; the rest are a page away
    expect(d.sessions.length).toBeGreaterThan(100);
    expect(first.body.changes).toHaveLength(100);
    const rest = await admin('GET', `${base}/versions/1/changes?limit=500&cursor=${encodeURIComponent(first.body.changesNext)}`);
    expect(rest.body.next).toBeNull();
    expect(
      [...first.body.changes, ...rest.body.items].map((c: { sessionId: string; kind: string }) => [c.sessionId, c.kind]),
    ).toEqual(d.sessions.map((s) => [s.id, 'added']).sort((x, y) => x[0]!.localeCompare(y[0]!)));
    expect((await admin('GET', base)).body).toMatchObject({ draft: null, published: { number: 1 } });

    // swap two unlocked sessions of the same length on days their grades share, if the rules allow; else move one within its day
    const published: Version = (await admin('GET', `${base}/versions/1`)).body;
    const movable = published.sessions.filter((s) => !s.locked);
    let moved: string[] = [];
    for (const s of movable) {
      for (const start of ['16:50', '16:40', '16:30', '17:00', '16:00']) {
        if (start === s.start) continue;
        const res = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version: published.version, start });
        if (res.status === 200) {
          moved = [s.id];
          break;
        }
        expect(res.status).toBe(422);
      }
      if (moved.length) break;
    }
    expect(moved).toHaveLength(1);
    const overview = (await admin('GET', base)).body;
    expect(overview.draft).toMatchObject({ number: 2, basedOn: 1 });
    const second = await admin('POST', `${base}/publish`, { version: overview.draft.version });
    expect(second.status).toBe(200);
    expect(second.body.changes.map((c: { sessionId: string; kind: string }) => [c.sessionId, c.kind])).toEqual([
      [moved[0], 'moved'],
    ]);
    expect(second.body).toMatchObject({ changeCount: 1, changesNext: null });
    // publishing the same draft again (a retry) answers the same, and changes nothing
    const retry = await admin('POST', `${base}/publish`, { version: overview.draft.version });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(second.body);
    const versions = (await admin('GET', `${base}/versions`)).body.items;
    expect(versions.map((v: { number: number; status: string }) => [v.number, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
  });

  it('generates after publication into a new draft, never over the published version, moving as little as it can', async () => {
    const job = await generate({ seed: 3 });
    expect(job.draft).toMatchObject({ number: 3, status: 'draft', basedOn: 2 });
    expect(job.draft!.generation.moved).toBe(0);
    const overview = (await admin('GET', base)).body;
    expect(overview).toMatchObject({ draft: { number: 3 }, published: { number: 2, status: 'published' } });
  });

  it('swaps two draft sessions when the rules allow it, and refuses a swap with a locked one', async () => {
    let d = await draft();
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
    const len = (x: Session) => minutes(x.end) - minutes(x.start);
    const free = d.sessions.filter((x) => !x.locked);
    let swapped: [Session, Session] | null = null;
    outer: for (const a of free) {
      for (const b of free) {
        if (a.id >= b.id || a.day === b.day || len(a) !== len(b)) continue;
        const res = await admin('POST', `${base}/draft/swap`, { version: d.version, a: a.id, b: b.id });
        if (res.status === 200) {
          swapped = [a, b];
          d = await draft();
          break outer;
        }
        expect(res.status).toBe(422);
        expect(typeof res.body.rule).toBe('string');
      }
    }
    expect(swapped).not.toBeNull();
    const [a, b] = swapped!;
    const after = new Map(d.sessions.map((x) => [x.id, x]));
    expect(after.get(a.id)).toMatchObject({ day: b.day, start: b.start, roomId: a.roomId, staffId: a.staffId });
    expect(after.get(b.id)).toMatchObject({ day: a.day, start: a.start, roomId: b.roomId, staffId: b.staffId });
    const locked = d.sessions.find((x) => x.locked)!;
    const refused = await admin('POST', `${base}/draft/swap`, { version: d.version, a: locked.id, b: a.id });
    expect(refused.status).toBe(422);
    expect(refused.body.rule).toBe('locked');
  });

  it('generates one timetable of a term at a time: another is refused (409, Retry-After) and writes nothing', async () => {
    app.worker.pause(); // the first stays queued
    const key = { 'idempotency-key': 'generate-once-0001' };
    const first = await admin('POST', `${base}/generate`, { seed: 5 }, key);
    try {
      expect(first.status).toBe(202);
      const before = await snapshot();
      const second = await admin('POST', `${base}/generate`, { seed: 6 });
      expect(second.status).toBe(409);
      expect(second.headers['content-type']).toBe('application/problem+json');
      expect(second.headers['retry-after']).toBe(String(JOB_RETRY_AFTER_S));
      expect(second.body).toMatchObject({ reason: 'in-progress' });
      expect(second.body.detail).toContain("Another generation of this term's timetable is in progress");
      expect(await snapshot()).toBe(before);
      // the first one asked again (its Idempotency-Key) is answered as the first time, not refused
      const replayed = await admin('POST', `${base}/generate`, { seed: 5 }, key);
      expect(replayed).toMatchObject({ status: 202, body: first.body, headers: { 'idempotent-replayed': 'true' } });
      expect(replayed.headers.location).toBe(first.headers.location);
      // another term's generation is not held up
      const other = (
        await admin('POST', `/schools/${schoolId}/terms`, { name: '空学期', startDate: '2028-02-21', endDate: '2028-07-01' })
      ).body.id;
      expect((await admin('POST', `/schools/${schoolId}/terms/${other}/timetable/generate`, {})).status).toBe(202);
    } finally {
      app.worker.resume();
    }
    expect(await awaitJob<Job>(admin, first.headers.location!)).toMatchObject({ state: 'finished', seed: 5 });
    // once it has finished, the term may be generated again
    expect((await generate({ seed: 6 })).state).toBe('finished');
  });

  it("fails the generation with the solver's reason, naming the culprit, when no timetable exists", async () => {
    const other = (
      await admin('POST', `/schools/${schoolId}/terms`, { name: '另一个学期', startDate: '2027-02-22', endDate: '2027-07-02' })
    ).body.id;
    const [club] = demoClubs(other);
    const res1 = await admin('POST', `/schools/${schoolId}/clubs`, {
      ...club!,
      name: '独轮车',
      nameEn: 'Unicycle',
      skill: 'unicycling',
      roomFeatures: [],
    });
    expect(res1.status).toBe(201);
    const job = await generate({}, `/schools/${schoolId}/terms/${other}/timetable`);
    expect(job).toMatchObject({ state: 'failed', draft: null });
    expect(job.problem).toMatchObject({ status: 422, title: 'Unprocessable Content', rule: 'timetable-infeasible' });
    expect(job.problem!.detail).toContain('unicycling');
    expect(job.problem!.details.culprit).toEqual({ kind: 'skill', id: 'unicycling' });
    expect(job.message).toBe(job.problem!.detail);
    expect((await admin('GET', `/schools/${schoolId}/terms/${other}/timetable`)).body).toEqual({ draft: null, published: null });
    // its status resource is the term's: under another term, or with another id, there is none
    expect((await admin('GET', `${base}/jobs/${job.jobId}`)).status).toBe(404);
    expect((await admin('GET', `/schools/${schoolId}/terms/${other}/timetable/jobs/no-such-job`)).status).toBe(404);
    // a term with nothing to schedule fails as plainly
    const empty = (
      await admin('POST', `/schools/${schoolId}/terms`, { name: '空的学期', startDate: '2027-09-01', endDate: '2028-01-20' })
    ).body.id;
    const none = await generate({}, `/schools/${schoolId}/terms/${empty}/timetable`);
    expect(none.problem).toMatchObject({ status: 422, rule: 'no-classes' });
    // no term: refused at once
    expect((await admin('POST', `/schools/${schoolId}/terms/no-such-term/timetable/generate`, {})).status).toBe(404);
  });

  it('shows views by staff, room, grade and day, over dates with +08:00, and exports CSV', async () => {
    const overview = (await admin('GET', base)).body;
    const n = overview.published.number;
    const all: Session[] = (await admin('GET', `${base}/versions/${n}`)).body.sessions;
    const one = all[0]!;
    for (const [q, keep] of [
      [`staffId=${one.staffId}`, (s: Session) => s.staffId === one.staffId],
      [`roomId=${one.roomId}`, (s: Session) => s.roomId === one.roomId],
      [`day=${one.day}`, (s: Session) => s.day === one.day],
    ] as const) {
      const view = (await admin('GET', `${base}/versions/${n}?${q}`)).body.sessions as Session[];
      expect(view.map((s) => s.id).sort()).toEqual(
        all
          .filter(keep)
          .map((s) => s.id)
          .sort(),
      );
    }
    const grade1 = (await admin('GET', `${base}/versions/${n}?grade=1`)).body.sessions as Array<Session & { grades: number[] }>;
    expect(grade1.length).toBeGreaterThan(0);
    expect(grade1.every((s) => s.grades.includes(1))).toBe(true);
    const dated = (await admin('GET', `${base}/versions/${n}/dated?staffId=${one.staffId}`)).body.items as Array<{
      startsAt: string;
      date: string;
    }>;
    expect(dated.length).toBeGreaterThan(0);
    for (const d of dated) expect(d.startsAt).toMatch(new RegExp(`^${d.date}T\\d\\d:\\d\\d:00\\+08:00$`));
    const csv = await admin('GET', `${base}/versions/${n}/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(all.length + 1);
  });
});

describe("a volunteer's roster and calendar", () => {
  let volunteer: Call;
  let other: Call;
  const v1 = () => staffIds.get('v001')!;

  beforeAll(async () => {
    for (const [key, user] of [
      ['v001', 'vol-1'],
      ['v002', 'vol-2'],
    ] as const) {
      const id = staffIds.get(key)!;
      const {
        id: _i,
        schoolId: _s,
        createdAt: _c,
        updatedAt: _u,
        updatedBy: _b,
        ...s
      } = (await admin('GET', `/schools/${schoolId}/staff/${id}`)).body;
      expect((await admin('PUT', `/schools/${schoolId}/staff/${id}`, { ...s, userId: user })).status).toBe(200);
    }
    volunteer = await app.as('volunteer', { user: 'vol-1', schools: [schoolId] });
    other = await app.as('volunteer', { user: 'vol-2', schools: [schoolId] });
  });

  it('shows the volunteer their own sessions: what, where, when, how long, which class', async () => {
    const from = isoDate(new Date());
    const to = isoDate(new Date(Date.now() + 30 * DAY));
    const res = await volunteer('GET', `/me/roster?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const s of res.body.items) {
      // the demo volunteer reads and tells stories; the storytelling basic class is theirs
      expect(s.staffId).toBe(v1());
      expect(['故事会', '阅读']).toContain(s.clubName);
      expect(s.startsAt).toMatch(/\+08:00$/);
      expect(s.roomName).toBeTruthy();
      expect(s.minutes).toBeGreaterThan(0);
    }
    expect(res.body.items).toContainEqual(expect.objectContaining({ clubName: '故事会', className: '基础班', minutes: 45 }));
  });

  it('gives a calendar feed that calendar apps read, at Asia/Shanghai times', async () => {
    const feeds = await volunteer('POST', '/me/calendar-feeds');
    expect(feeds.status).toBe(200);
    const [feed] = feeds.body.items;
    expect(feed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{32}$/);
    const ics = await fetch(feed.url);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toContain('text/calendar');
    const text = await ics.text();
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    for (const kind of ['VCALENDAR', 'VTIMEZONE', 'VEVENT'])
      expect(lines.filter((l) => l === `BEGIN:${kind}`).length).toBe(lines.filter((l) => l === `END:${kind}`).length);
    expect(lines).toContain('TZID:Asia/Shanghai');
    const starts = lines.filter((l) => l.startsWith('DTSTART;'));
    expect(starts.length).toBeGreaterThan(0);
    for (const l of starts) expect(l).toMatch(/^DTSTART;TZID=Asia\/Shanghai:\d{8}T\d{6}$/);
    expect(lines).toContain('SUMMARY:故事会 基础班');
    const roster = (
      await volunteer('GET', `/me/roster?from=${isoDate(new Date())}&to=${isoDate(new Date(Date.now() + 7 * DAY))}`)
    ).body.items as Array<{ date: string; start: string }>;
    for (const s of roster)
      expect(starts).toContain(`DTSTART;TZID=Asia/Shanghai:${s.date.replace(/-/g, '')}T${s.start.replace(':', '')}00`);

    // a rotated link stops working at once
    const rotated = await volunteer('POST', '/me/calendar-feeds');
    expect((await fetch(feed.url)).status).toBe(404);
    expect((await fetch(rotated.body.items[0].url)).status).toBe(200);
  });

  it("does not let another volunteer read that roster, its feed, or the school's timetable", async () => {
    expect((await other('GET', `/schools/${schoolId}/staff/${v1()}/roster?from=2026-01-01&to=2026-01-31`)).status).toBe(403);
    expect((await other('POST', `/schools/${schoolId}/staff/${v1()}/calendar-feed`)).status).toBe(403);
    const mine = await other('GET', `/me/roster?from=${isoDate(new Date())}&to=${isoDate(new Date(Date.now() + 30 * DAY))}`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.every((s: { staffId: string }) => s.staffId !== v1())).toBe(true);
    expect((await other('GET', `/schools/${schoolId}/terms/${termId}/timetable`)).status).toBe(403);
    expect((await httpClient(app.url, null)('GET', '/calendar/not-a-real-token-at-all-000000')).status).toBe(404);
    const stranger = await app.as('volunteer', { user: 'vol-x', schools: ['another-school'] });
    expect((await stranger('GET', `/schools/${schoolId}/staff/${v1()}/roster?from=2026-01-01&to=2026-01-31`)).status).toBe(404);
  });
});

/**
 * A school of 20,000 students and 300 clubs (the project's own generator, seed 1: 524
 * rooms, 1,041 staff, 1,424 classes, 2,268 sessions a week) through the API: set-up,
 * generate (a job), edit, publish, change and republish, a staff member's roster and a class's
 * view, and the import of its 20,000 students and their guardians (a job). Every item the
 * product writes passes a meter on its way to DynamoDB; the largest is reported and held
 * under 100 KB (DynamoDB's limit is 400 KB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchool, type Instance } from '@kehou/scheduler';
import { awaitJob, demoStudents, type Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';
import { localEndpoint } from './support/db';
import { startWriteMeter, type WriteMeter } from './support/write-meter';

const KB = 1024;
const TERM = { name: '2026 秋季学期', startDate: '2026-09-01', endDate: '2027-01-22' };
const WEEK = { from: '2026-10-12', to: '2026-10-25' };
const PARALLEL = 8;

let meter: WriteMeter;
let app: TestApp;
let admin: Call;
let schoolId: string;
let termId: string;
let base: string;
const school = generateSchool({ seed: 1, students: 20_000, clubs: 300 });
const instance: Instance = school.instance;
/** instance id → API id */
const roomIds = new Map<string, string>();
const staffIds = new Map<string, string>();
/** API class id → the instance's class */
const classOf = new Map<string, Instance['classes'][number]>();

type Session = { id: string; classId: string; day: string; start: string; end: string; roomId: string; staffId: string };
const statuses = new Map<number, number>();

/** Runs `fn` over `items`, PARALLEL at a time; every answer is counted by status. */
async function each<T>(items: readonly T[], fn: (x: T) => Promise<{ status: number }>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const res = await fn(items[next++]!);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 300) throw new Error(`set-up: ${res.status} ${JSON.stringify(res)}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const overlaps = (a: Session, b: Session) =>
  a.day === b.day && minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end);

/** A session of the version moved to another room that suits its class and is free then, if the rules allow. */
async function moveToFreeRoom(sessions: Session[], version: number): Promise<{ session: Session; roomId: string; answer: any }> {
  const rooms = instance.rooms.map((r) => ({ ...r, apiId: roomIds.get(r.id)! }));
  for (const s of sessions) {
    const k = classOf.get(s.classId)!;
    const busy = new Set(sessions.filter((o) => overlaps(o, s)).map((o) => o.roomId));
    const free = rooms.filter(
      (r) => !busy.has(r.apiId) && r.capacity >= k.size && k.roomFeatures.every((f) => r.features.includes(f)),
    );
    for (const r of free.slice(0, 3)) {
      const res = await admin('PATCH', `${base}/draft/sessions/${s.id}`, { version, roomId: r.apiId });
      if (res.status === 200) return { session: s, roomId: r.apiId, answer: res.body };
      expect(res.status).toBe(422);
    }
  }
  throw new Error('no session could move to a free room');
}

beforeAll(async () => {
  meter = await startWriteMeter(localEndpoint());
  app = await startTestApp({ dynamoEndpoint: meter.endpoint });
  const bureau = await app.as('district', { district: 'd-big' });
  schoolId = (await bureau('POST', '/schools', { name: '旌阳区第一实验小学', districtId: 'd-big' })).body.id;
  admin = await app.as('admin', { user: 'admin-big', schools: [schoolId] });
  const at = (path: string) => `/schools/${schoolId}${path}`;

  // grades: dismissal is the earliest club start less 30 minutes of homework help
  await each(instance.grades, (g) =>
    admin('POST', at('/grades'), {
      level: Number(g.id.slice(1)),
      name: `${g.id.slice(1)}年级`,
      homeworkMinutes: 30,
      dismissal: Object.fromEntries(Object.entries(g.earliestStart).map(([d, t]) => [d, hhmm(minutes(t!) - 30)])),
    }),
  );
  await each(instance.rooms, async (r) => {
    const res = await admin('POST', at('/rooms'), { name: `教室 ${r.id}`, capacity: r.capacity, features: r.features });
    roomIds.set(r.id, res.body.id);
    return res;
  });
  await each(instance.staff, async (s) => {
    const res = await admin('POST', at('/staff'), {
      name: `${{ teacher: '老师', volunteer: '志愿者', external: '外聘' }[s.kind]} ${s.id}`,
      kind: s.kind,
      skills: s.skills,
      availability: Object.fromEntries(
        Object.entries(s.available).map(([d, ws]) => [d, ws!.map(([start, end]) => ({ start, end }))]),
      ),
      maxMinutesPerWeek: s.maxMinutesPerWeek,
      ...(s.kind === 'teacher' ? { noPaidTutoringCommitmentOn: '2026-08-20' } : { backgroundCheckExpiresOn: '2027-08-31' }),
    });
    staffIds.set(s.id, res.body.id);
    return res;
  });
  termId = (await admin('POST', at('/terms'), TERM)).body.id;
  const clubs = new Map<string, Instance['classes']>();
  for (const k of instance.classes) clubs.set(k.club, [...(clubs.get(k.club) ?? []), k]);
  await each([...clubs], async ([club, classes]) => {
    const res = await admin('POST', at('/clubs'), {
      termId,
      name: `社团 ${club}`,
      nameEn: club,
      category: 'other',
      descriptionZh: club,
      descriptionEn: club,
      skill: classes[0]!.skill,
      roomFeatures: classes[0]!.roomFeatures,
      classes: classes.map((k, i) => ({
        tier: k.tier,
        name: `${k.tier === 'basic' ? '基础班' : '提升班'} ${i + 1}`,
        grades: k.grades.map((g) => Number(g.slice(1))),
        capacity: k.size,
        sessionsPerWeek: k.sessions,
        minutesPerSession: k.minutes,
      })),
    });
    res.body.classes.forEach((c: { id: string }, i: number) => classOf.set(c.id, classes[i]!));
    return res;
  });
  base = at(`/terms/${termId}/timetable`);
});

afterAll(async () => {
  await app?.close();
  await meter?.close();
});

describe('a school of 20,000 students and 300 clubs', () => {
  const expected = instance.classes.reduce((n, k) => n + k.sessions, 0);
  let staffId: string;
  let moved: Awaited<ReturnType<typeof moveToFreeRoom>>;

  it('is set up through the API: 6 grades, 524 rooms, 1,041 staff, 300 clubs with 1,424 classes', () => {
    expect([instance.grades.length, roomIds.size, staffIds.size, classOf.size]).toEqual([6, 524, 1041, 1424]);
    expect([...statuses.keys()]).toEqual([201]);
  });

  it('imports its 20,000 students and their guardians, as a job', async () => {
    const rows = demoStudents(20_000);
    const families = new Set(rows.flatMap((r) => r.guardians.map((g) => g.phone))).size;
    const res = await admin('POST', `/schools/${schoolId}/students/import`, { mode: 'create', rows });
    expect(res.status).toBe(202);
    const job = await awaitJob(admin, `/schools/${schoolId}/imports/${res.body.importId}`, 900_000);
    expect(job).toMatchObject({ state: 'finished', studentsWritten: 20_000, guardiansWritten: families, errorCount: 0 });
  });

  it('generates a draft of every session, as a job (a retried request is answered the same)', async () => {
    const key = { 'idempotency-key': 'big-school-generate-1' };
    const res = await admin('POST', `${base}/generate`, { seed: 1 }, key);
    expect(res.status).toBe(202);
    const again = await admin('POST', `${base}/generate`, { seed: 1 }, key);
    expect(again).toMatchObject({ status: 202, body: res.body, headers: { 'idempotent-replayed': 'true' } });
    const job = await awaitJob<{ state: string; draft: unknown }>(admin, res.headers.location!, 600_000);
    expect(job).toMatchObject({ state: 'finished', draft: { number: 1, status: 'draft', sessionCount: expected } });
  });

  it('edits the draft: a lock, and a move to a free room, each writing only that session', async () => {
    const d = (await admin('GET', `${base}/versions/1`)).body;
    expect(d.sessions).toHaveLength(expected);
    const lock = await admin('PATCH', `${base}/draft/sessions/${d.sessions[0].id}`, { version: d.version, locked: true });
    expect(lock.status).toBe(200);
    expect(lock.body.revision.sessions).toHaveLength(1);
    const { answer } = await moveToFreeRoom(d.sessions.slice(1), lock.body.version);
    expect(answer.revision.sessions).toHaveLength(1);
  });

  it('publishes: every session added, the first 100 listed and the rest a page away', async () => {
    const { draft } = (await admin('GET', base)).body;
    const res = await admin('POST', `${base}/publish`, { version: draft.version }, { 'idempotency-key': 'big-school-publish-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'published', changeCount: expected, changeCounts: { added: expected } });
    expect(res.body.changes).toHaveLength(100);
    const page = await admin('GET', `${base}/versions/1/changes?limit=500&cursor=${encodeURIComponent(res.body.changesNext)}`);
    expect(page.body.items).toHaveLength(500);
  });

  it('changes one session and republishes: exactly that session is listed as moved', async () => {
    const published = (await admin('GET', `${base}/versions/1`)).body;
    moved = await moveToFreeRoom(published.sessions.slice(5), published.version);
    expect(moved.answer).toMatchObject({ number: 2, status: 'draft', basedOn: 1 });
    const res = await admin('POST', `${base}/publish`, { version: moved.answer.version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: 2, changeCounts: { added: 0, moved: 1, removed: 0 }, changesNext: null });
    expect(res.body.changes).toEqual([
      expect.objectContaining({
        sessionId: moved.session.id,
        kind: 'moved',
        after: expect.objectContaining({ roomId: moved.roomId }),
      }),
    ]);
    staffId = moved.session.staffId;
  });

  it("shows a staff member's roster over two weeks, with the session in its new room", async () => {
    const res = await admin('GET', `/schools/${schoolId}/staff/${staffId}/roster?from=${WEEK.from}&to=${WEEK.to}`);
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((s: Session) => s.id === moved.session.id);
    expect(mine).toHaveLength(2);
    for (const s of mine) expect(s).toMatchObject({ roomId: moved.roomId, roomName: expect.stringMatching(/^教室 /) });
    expect(res.body.items.every((s: Session) => s.staffId === staffId)).toBe(true);
  });

  it("shows a class's view of the published timetable", async () => {
    const res = await admin('GET', `${base}/versions/2?classId=${moved.session.classId}`);
    expect(res.status).toBe(200);
    expect(res.body.sessions.length).toBe(classOf.get(moved.session.classId)!.sessions);
    expect(res.body.sessions.find((s: Session) => s.id === moved.session.id)).toMatchObject({ roomId: moved.roomId });
  });

  it('wrote no item over 100 KB, and DynamoDB refused nothing', () => {
    const kb = (m: { bytes: number }) => `${(m.bytes / KB).toFixed(1)} KB`;
    const kinds = [...meter.largestByKind].sort((x, y) => y[1].bytes - x[1].bytes);
    process.stdout.write(
      `large school: ${meter.items} items written; the largest ${kb(meter.largest)} (${meter.largest.op}: ${meter.largest.key})\n` +
        kinds.map(([kind, m]) => `  ${kind.padEnd(22)} ${kb(m).padStart(9)}  ${m.key}\n`).join(''),
    );
    expect(meter.failures).toBe(0);
    expect(meter.largest.bytes).toBeGreaterThan(0);
    expect(meter.largest.bytes).toBeLessThan(100 * KB);
  });
});

/**
 * Ranked allocation over HTTP on DynamoDB Local, on a hand-checked instance:
 *   舞蹈 基础班 (TUE 17:00–17:45, 1 seat) and 机器人 进阶班 (TUE 16:30–17:30, 2 seats; they clash)
 *   children A and D rank [舞蹈]; child B ranks [舞蹈, 进阶班]; child C ranks [进阶班]
 * Greedy, B first: B takes 舞蹈, C takes 进阶班, A and D get nothing — 2 placed. The optimum
 * places three: B 进阶班 (B's second choice), C 进阶班, and 舞蹈 to whichever of A and D the
 * recorded lottery drew first; the other waits first in line for 舞蹈 once it is published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';
import { familySchool, ok, type Family, type FamilySchool } from './support/families';
import {
  allocationJob,
  enrolmentClubs,
  openWindow,
  readAllocation,
  shanghaiIn,
  type EnrolmentClasses,
} from './support/enrolment';

let app: TestApp;
let s: FamilySchool;
let c: EnrolmentClasses;
const families: Family[] = ['A', 'B', 'C', 'D'].map((x, i) => ({
  studentNo: String(7100 + i),
  name: `学生${x}`,
  grade: 1,
  homeroom: '1',
  guardians: [{ name: `家长${x}`, phone: `1381000000${i}`, userId: `alloc-${x}` }],
}));
const [A, B, C, D] = families.map((f) => f.studentNo) as [string, string, string, string];
/** of A and D, the one the lottery drew first (it gets 舞蹈), and the other */
let lucky = '';
let unlucky = '';
const guardian = (i: number) => s.parent[families[i]!.guardians[0]!.userId]!;
const term = () => `/schools/${s.schoolId}/terms/${s.termId}/enrolment`;
let windowVersion = 0;
/** the status resource of the first run */
let firstJob = '';

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(app, families, { district: 'd-alloc', name: '分配小学' });
  c = await enrolmentClubs(s.admin, s.schoolId, s.termId, () => app.worker.idle(), [1, 2]);
  windowVersion = ok(await s.admin('PUT', `${term()}/window`, openWindow({ mode: 'ranked', choices: 2 })), 'window').version;
  for (const no of [B, C])
    ok(await s.teacher('POST', `${term()}/approvals`, { studentNo: no, classId: c.robotAdvanced }), 'approval');
  const choose = async (i: number, choices: string[]) =>
    ok(await guardian(i)('PUT', `${term()}/students/${families[i]!.studentNo}/choices`, { choices, version: 0 }), 'choices');
  await choose(0, [c.dance]);
  await choose(1, [c.dance, c.robotAdvanced]);
  await choose(2, [c.robotAdvanced]);
  await choose(3, [c.dance]);
}, 600_000);
afterAll(async () => app?.close());

describe('ranked allocation', () => {
  it('is refused while the window is open, with the closing time', async () => {
    const res = await s.admin('POST', `${term()}/allocation`, { version: 0 });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ rule: 'window-not-closed', detail: expect.stringContaining('Club choice closes at ') });
    expect((await s.admin('GET', `${term()}/allocation`)).status).toBe(404);
  });

  it('places three children once the window has closed (a greedy order places two)', async () => {
    windowVersion = ok(
      await s.admin(
        'PUT',
        `${term()}/window`,
        openWindow({ mode: 'ranked', choices: 2, closesAt: shanghaiIn(-1), version: windowVersion }),
      ),
      'window',
    ).version;
    // a job: accepted at once, then polled
    const run = await allocationJob(s.admin, `${term()}/allocation`, { version: 0, seed: 42 });
    firstJob = `${term()}/allocation/jobs/${run.accepted.jobId}`;
    expect(run.accepted).toMatchObject({ action: 'run', state: 'queued', version: 0, seed: 42, seedDerived: false });
    expect(run.job).toMatchObject({ state: 'finished', allocation: { version: 1, status: 'draft', placed: 3, unplaced: 1 } });
    expect(run.job.message).toBe('Draft version 1: 3 of 4 children placed, 3 places granted');
    const draft = await readAllocation(s.admin, term());
    expect(draft).toMatchObject({ status: 'draft', version: 1, seed: 42, seedDerived: false, placed: 3, unplaced: 1 });
    expect([...draft.lottery].sort()).toEqual([A, B, C, D]);
    [lucky, unlucky] = draft.lottery.filter((id: string) => id === A || id === D);
    expect(draft.ranks).toEqual([2, 1]);
    const grants = Object.fromEntries(draft.grants.map((g: { studentNo: string; classId: string }) => [g.studentNo, g.classId]));
    expect(grants).toEqual({ [lucky]: c.dance, [B]: c.robotAdvanced, [C]: c.robotAdvanced });
    expect(draft.classes.find((k: { classId: string }) => k.classId === c.dance)).toEqual({
      classId: c.dance,
      what: '舞蹈 基础班',
      seatsLeft: 1,
    });
    expect(draft.grants.filter((g: { classId: string }) => g.classId === c.dance)).toMatchObject([{ studentNo: lucky, rank: 1 }]);
    expect(draft.unplacedChoices).toEqual([{ studentNo: unlucky, name: expect.any(String), choices: [c.dance] }]);
    expect(draft.bumped).toEqual([]);
    // the lists a page an answer, cursor after cursor, are the same lists
    const paged = await readAllocation(s.admin, term(), 1);
    expect(paged.answers).toBeGreaterThan(1);
    expect({ ...paged, answers: 0 }).toEqual({ ...draft, answers: 0 });
    const firstNext = ok(await s.admin('GET', `${term()}/allocation?limit=1`), 'a page').next;
    // running again replaces the draft; without a seed one is derived and recorded
    const again = await allocationJob(s.admin, `${term()}/allocation`, { version: 1 });
    expect(again.job.allocation).toMatchObject({ version: 2, seedDerived: true, placed: 3, unplaced: 1 });
    expect(typeof again.job.allocation.seed).toBe('number');
    // publishing below publishes this draft: its own lottery decides
    [lucky, unlucky] = (await readAllocation(s.admin, term())).lottery.filter((id: string) => id === A || id === D);
    const stale = await s.admin('POST', `${term()}/allocation`, { version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toMatch(/^The draft is version 2, run by /);
    // a cursor of the draft replaced is not one of this draft's
    expect((await s.admin('GET', `${term()}/allocation?limit=1&cursor=${firstNext}`)).status).toBe(400);
    expect(ok(await s.admin('GET', `${term()}/allocation`), 'draft')).toMatchObject({ version: 2, status: 'draft' });
  });

  it('is neither run nor read by a guardian', async () => {
    const run = await guardian(0)('POST', `${term()}/allocation`, { version: 2 });
    const read = await guardian(0)('GET', `${term()}/allocation`);
    const publish = await guardian(0)('POST', `${term()}/allocation/publish`, { version: 2 });
    const job = await guardian(0)('GET', firstJob);
    for (const r of [run, read, publish, job]) expect([403, 404]).toContain(r.status);
    expect(ok(await s.admin('GET', `${term()}/allocation`), 'draft')).toMatchObject({ version: 2, status: 'draft' });
  });

  it('publishes the draft once: the children hold those places, and no class is over capacity', async () => {
    expect((await s.admin('POST', `${term()}/allocation/publish`, { version: 1 })).status).toBe(409);
    const { job } = await allocationJob(s.admin, `${term()}/allocation/publish`, { version: 2 });
    expect(job).toMatchObject({ state: 'finished', action: 'publish', version: 2 });
    expect(job.message).toBe('Published (version 3): 3 places given, 1 choices waitlisted');
    const published = await readAllocation(s.admin, term());
    expect(published).toMatchObject({
      status: 'published',
      version: 3,
      publishedBy: expect.any(String),
      waitlisted: 1,
      bumped: [],
    });
    expect(job.allocation).toMatchObject({ status: 'published', version: 3, granted: 3, waitlisted: 1, bumpedCount: 0 });
    const expected: Record<string, string[]> = {
      [lucky]: [c.dance],
      [unlucky]: [],
      [B]: [c.robotAdvanced],
      [C]: [c.robotAdvanced],
    };
    for (const [i, f] of families.entries()) {
      const view = ok(await guardian(i)('GET', `${term()}/students/${f.studentNo}`), 'view');
      const granted = view.classes.filter((k: { status: { state: string } | null }) => k.status?.state === 'granted');
      expect(
        granted.map((k: { classId: string }) => k.classId),
        f.name,
      ).toEqual(expected[f.studentNo]);
    }
    // the child left without a place waits first in line for the class ranked
    const dance = ok(await s.admin('GET', `${term()}/classes/${c.dance}`), 'dance');
    expect(dance.enrolled.map((p: { studentNo: string }) => p.studentNo)).toEqual([lucky]);
    expect(dance.waitlist).toMatchObject([{ studentNo: unlucky, position: 1 }]);
    for (const id of [c.dance, c.robotAdvanced]) {
      const list = ok(await s.admin('GET', `${term()}/classes/${id}`), 'class list');
      expect(list.taken).toBeLessThanOrEqual(list.capacity);
    }
    expect(ok(await s.admin('GET', `${term()}/classes/${c.robotAdvanced}`), 'list').taken).toBe(2);
    const twice = await s.admin('POST', `${term()}/allocation/publish`, { version: 3 });
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('it is final');
    expect((await s.admin('POST', `${term()}/allocation`, { version: 3 })).status).toBe(409);
  });
});

/**
 * Club enrolment over HTTP on DynamoDB Local: 500 guardians ask for the same 30-place class at
 * once (exactly 30 granted and 470 waitlisted, in arrival order, no 5xx), promotion when a
 * child leaves, prerequisites, clashes and days opted out refused in words, another family's
 * child not there, the withdrawal cut-off, ranked choices.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { IDLE_SEAT_NOTE, keys, makeDb, SYSTEM_ACTOR } from '@kehou/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';
import { TEST_CURSOR_KEY } from './support/db';
import { daysFromToday, familySchool, form, notice, ok, type Family, type FamilySchool } from './support/families';
import { enrolmentClubs, openWindow, type EnrolmentClasses } from './support/enrolment';

const N = 500;
let app: TestApp;
let s: FamilySchool;
let c: EnrolmentClasses;
const families: Family[] = Array.from({ length: N }, (_, i) => ({
  studentNo: String(6000 + i),
  name: `学生${i}`,
  grade: 1,
  homeroom: String((i % 6) + 1),
  guardians: [{ name: `家长${i}`, phone: `1371${String(i).padStart(7, '0')}`, userId: `enrol-${i}` }],
}));
const no = (i: number) => families[i]!.studentNo;
const guardian = (i: number) => s.parent[`enrol-${i}`]!;
const term = () => `/schools/${s.schoolId}/terms/${s.termId}/enrolment`;
const places = (i: number) => `${term()}/students/${no(i)}/places`;

interface Answer {
  status: number;
  body: { state: string; position: number | null; arrival: number; seatsLeft: number; classId: string };
}

let answers: Answer[] = [];
/** the children by arrival, as the burst answered them */
let byArrival: number[] = [];
let windowVersion = 0;

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(app, families, { district: 'd-enrol', name: '选课小学' });
  c = await enrolmentClubs(s.admin, s.schoolId, s.termId, () => app.worker.idle(), [1, 2]);
  ok(await s.admin('POST', `/schools/${s.schoolId}/terms/${s.termId}/notice`, notice()), 'notice');
  // child 0 does not stay on Thursdays
  ok(
    await guardian(0)('POST', `/schools/${s.schoolId}/terms/${s.termId}/optouts`, {
      studentNo: no(0),
      ...form({ days: ['THU'], guardianSignature: { name: '家长0' } }),
    }),
    'opt-out',
  );
  windowVersion = ok(await s.admin('PUT', `${term()}/window`, openWindow()), 'window').version;
}, 600_000);
afterAll(async () => app?.close());

describe('500 guardians ask for the same 30-place class at once', () => {
  it('grant exactly 30 and waitlist 470, in arrival order, with no 5xx; a second tap gets the same answer', async () => {
    // a tenth tap twice at once
    const sent = families.flatMap((_, i) => (i % 10 === 0 ? [i, i] : [i]));
    const all = (await Promise.all(sent.map((i) => guardian(i)('POST', places(i), { classId: c.robotBasic })))) as Answer[];
    expect(all.filter((a) => a.status !== 200).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    // both taps of a child: one place
    const first = new Map<number, Answer>();
    sent.forEach((i, k) => {
      const prev = first.get(i);
      if (prev) expect(all[k]!.body.arrival, `child ${i}`).toBe(prev.body.arrival);
      else first.set(i, all[k]!);
    });
    answers = families.map((_, i) => first.get(i)!);
    const granted = answers.filter((a) => a.body.state === 'granted');
    const waiting = answers.filter((a) => a.body.state === 'waitlisted');
    expect(granted.length).toBe(30);
    expect(waiting.length).toBe(470);
    // arrival order: tickets 1…500, once each; the first 30 granted, the others waiting in that order
    const arrivals = answers.map((a) => a.body.arrival).sort((x, y) => x - y);
    expect(arrivals).toEqual(Array.from({ length: N }, (_, k) => k + 1));
    expect(Math.max(...granted.map((a) => a.body.arrival))).toBe(30);
    for (const a of waiting) expect(a.body.position).toBe(a.body.arrival - 30);
    byArrival = answers
      .map((a, i) => [a.body.arrival, i] as const)
      .sort((x, y) => x[0] - y[0])
      .map(([, i]) => i);

    const list = ok(await s.admin('GET', `${term()}/classes/${c.robotBasic}`), 'class');
    expect(list).toMatchObject({ capacity: 30, taken: 30, seatsLeft: 0, what: '机器人 基础班' });
    expect(list.enrolled.map((p: { studentNo: string }) => p.studentNo).sort()).toEqual(byArrival.slice(0, 30).map(no).sort());
    expect(list.waitlist.map((p: { studentNo: string }) => p.studentNo)).toEqual(byArrival.slice(30).map(no));
    expect(list.waitlist.map((p: { position: number }) => p.position)).toEqual(Array.from({ length: 470 }, (_, k) => k + 1));
  }, 600_000);

  it('moves the first waiter up when a granted child withdraws, and the next when the school removes one', async () => {
    const [leaver, , removed] = byArrival as [number, number, number];
    const [w1, w2, w3] = byArrival.slice(30) as [number, number, number];
    const out = await guardian(leaver)('POST', `${places(leaver)}/${c.robotBasic}/withdraw`);
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body).toEqual({ classId: c.robotBasic, left: 'granted' });
    const view = ok(await guardian(w1)('GET', `${term()}/students/${no(w1)}`), 'view');
    expect(view.classes.find((k: { classId: string }) => k.classId === c.robotBasic).status).toMatchObject({
      state: 'granted',
      arrival: 31,
    });
    expect(ok(await guardian(w2)('POST', places(w2), { classId: c.robotBasic }), 'w2')).toMatchObject({
      state: 'waitlisted',
      position: 1,
    });

    const removal = ok(await s.admin('POST', `${term()}/classes/${c.robotBasic}/remove`, { studentNo: no(removed) }), 'remove');
    expect(removal).toMatchObject({ left: { studentNo: no(removed), state: 'granted' }, promoted: { studentNo: no(w2) } });
    expect(ok(await guardian(w3)('POST', places(w3), { classId: c.robotBasic }), 'w3')).toMatchObject({ position: 1 });

    const list = ok(await s.admin('GET', `${term()}/classes/${c.robotBasic}`), 'class');
    expect(list.taken).toBe(30);
    expect(list.enrolled.map((p: { studentNo: string }) => p.studentNo)).toEqual(expect.arrayContaining([no(w1), no(w2)]));
    expect(list.enrolled.map((p: { studentNo: string }) => p.studentNo)).not.toContain(no(leaver));
    const history: Array<{ action: string; studentNo: string; byName: string; note: string | null }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = ok(await s.admin('GET', `${term()}/classes/${c.robotBasic}/history?limit=500${query}`), 'history');
      history.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(history.length).toBe(N + 4);
    expect(history.slice(-4).map((e) => [e.action, e.studentNo])).toEqual([
      ['withdrawn', no(leaver)],
      ['promoted', no(w1)],
      ['removed', no(removed)],
      ['promoted', no(w2)],
    ]);
    expect(history.at(-4)!.byName).toBe(`家长${leaver}`);
    expect(history.at(-3)!.note).toBe(`学生${leaver} withdrew`);
  }, 120_000);
});

describe('the child’s week and the dismissal list', () => {
  it('show the club a child holds, and that the child leaves when it ends', async () => {
    const child = byArrival[1]!; // granted, and still holding the place
    const monday = '2026-10-12';
    const week = ok(await guardian(child)('GET', `/schools/${s.schoolId}/students/${no(child)}/week?date=${monday}`), 'week');
    expect(week.days[0]).toMatchObject({
      date: monday,
      clubs: [{ classId: c.robotBasic, what: '机器人 基础班', start: '16:30', end: '17:30' }],
      leaves: 'after-club',
      leavesAt: '17:30',
      optedOut: false,
    });
    expect(week.days[1]).toMatchObject({ clubs: [], leaves: 'end-of-service' });
    const homeroom = families[child]!.homeroom;
    const list = ok(await s.admin('GET', `/schools/${s.schoolId}/dismissal?date=${monday}&grade=1&homeroom=${homeroom}`), 'list');
    expect(list.afterClub).toContainEqual({ studentNo: no(child), name: `学生${child}`, club: '机器人 基础班', at: '17:30' });
    expect(list.toEnd.map((k: { studentNo: string }) => k.studentNo)).not.toContain(no(child));
    const csv = await s.admin('GET', `/schools/${s.schoolId}/dismissal/export.csv?date=${monday}&grade=1&homeroom=${homeroom}`);
    expect(csv.body).toContain(`${no(child)},学生${child},社团结束后离校 after their club,17:30`);
  });
});

describe('eligibility', () => {
  it('refuses the advanced class without the basic one last term, and admits the child with a teacher’s approval', async () => {
    const child = byArrival[100]!;
    const refused = await guardian(child)('POST', places(child), { classId: c.robotAdvanced });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      rule: 'ineligible',
      details: {
        errors: [
          {
            path: ['classId'],
            rule: 'prerequisite',
            message: `机器人 进阶班 needs the 机器人 basic class last term or a teacher’s approval; 学生${child} has neither`,
          },
        ],
      },
    });
    ok(await s.teacher('POST', `${term()}/approvals`, { studentNo: no(child), classId: c.robotAdvanced }), 'approval');
    expect(ok(await guardian(child)('POST', places(child), { classId: c.robotAdvanced }), 'advanced')).toMatchObject({
      state: 'granted',
    });
    // now it clashes with the dance class on Tuesday
    const clash = await guardian(child)('POST', places(child), { classId: c.dance });
    expect(clash.status).toBe(422);
    expect(clash.body.detail).toBe('舞蹈 基础班 meets TUE 17:00–17:45, when 机器人 进阶班 meets');
  });

  it('refuses a class on a day the child is opted out', async () => {
    const res = await guardian(0)('POST', places(0), { classId: c.art });
    expect(res.status).toBe(422);
    expect(res.body.detail).toBe('美术 基础班 meets THU 16:30–17:30, a day 学生0 is opted out of the service');
    const view = ok(await guardian(0)('GET', `${term()}/students/${no(0)}`), 'view');
    expect(view.classes.find((k: { classId: string }) => k.classId === c.art)).toMatchObject({
      eligible: false,
      reasons: [{ rule: 'opted-out' }],
      seatsLeft: 5,
    });
  });

  it('is 404 to the guardian of another family', async () => {
    expect((await guardian(1)('GET', `${term()}/students/${no(0)}`)).status).toBe(404);
    expect((await guardian(1)('POST', places(0), { classId: c.art })).status).toBe(404);
    expect((await guardian(1)('POST', `${places(0)}/${c.robotBasic}/withdraw`)).status).toBe(404);
  });
});

describe('a class’s capacity changed on its club', () => {
  const clubNamed = async (name: string) =>
    ok(await s.admin('GET', `/schools/${s.schoolId}/clubs?termId=${s.termId}`), 'clubs').items.find(
      (k: { name: string }) => k.name === name,
    );
  /** the club's first class given a capacity, as an admin saves the club */
  const setCapacity = async (name: string, capacity: number) => {
    const {
      id,
      schoolId: _s,
      status: _st,
      createdAt: _c,
      updatedAt: _u,
      updatedBy: _b,
      lineageId: _l,
      ...body
    } = await clubNamed(name);
    body.classes[0].capacity = capacity;
    return s.admin('PUT', `/schools/${s.schoolId}/clubs/${id}`, body);
  };
  const list = async (classId: string) => ok(await s.admin('GET', `${term()}/classes/${classId}`), 'class');
  const nos = (ps: Array<{ studentNo: string }>) => ps.map((p) => p.studentNo);

  it('raised, moves the first waiters up at once, in order, with the history', async () => {
    const before = await list(c.robotBasic);
    const [w1, w2, w3] = nos(before.waitlist);
    expect(before).toMatchObject({ capacity: 30, taken: 30 });
    const saved = await setCapacity('机器人', 32);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const after = await list(c.robotBasic);
    expect(after).toMatchObject({ capacity: 32, taken: 32, seatsLeft: 0 });
    expect(nos(after.enrolled)).toEqual(expect.arrayContaining([w1, w2]));
    expect(nos(after.waitlist)).toEqual(nos(before.waitlist).slice(2));
    expect(after.waitlist[0]).toMatchObject({ studentNo: w3, position: 1 });
    const history = ok(await s.admin('GET', `${term()}/classes/${c.robotBasic}/history?limit=500`), 'history');
    let all = history.items;
    for (let next = history.next; next;) {
      const page = ok(
        await s.admin('GET', `${term()}/classes/${c.robotBasic}/history?limit=500&cursor=${encodeURIComponent(next)}`),
        'history',
      );
      all = [...all, ...page.items];
      next = page.next;
    }
    expect(
      all.slice(-2).map((e: { action: string; studentNo: string; note: string }) => [e.action, e.studentNo, e.note]),
    ).toEqual([
      ['promoted', w1, 'the capacity of 机器人 基础班 was raised to 32'],
      ['promoted', w2, 'the capacity of 机器人 基础班 was raised to 32'],
    ]);
  });

  it('lowered, takes free places only and never a granted one: 409 naming the class and the places taken', async () => {
    const refused = await setCapacity('机器人', 20);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('机器人 基础班 has 32 places taken; its capacity cannot go below that (asked for 20)');
    expect((await clubNamed('机器人')).classes[0].capacity).toBe(32);
    expect(await list(c.robotBasic)).toMatchObject({ capacity: 32, taken: 32 });

    // 美术: 5 places, one taken; lowered to 2, one is left for the next arrival and the one after waits
    const [k1, k2, k3] = byArrival.slice(300) as [number, number, number];
    const ask = async (k: number) => ok(await guardian(k)('POST', places(k), { classId: c.art }), `child ${k}`);
    expect(await ask(k1)).toMatchObject({ state: 'granted', seatsLeft: 4 });
    expect((await setCapacity('美术', 2)).status).toBe(200);
    expect(await list(c.art)).toMatchObject({ capacity: 2, taken: 1, seatsLeft: 1 });
    expect(await ask(k2)).toMatchObject({ state: 'granted', seatsLeft: 0 });
    expect(await ask(k3)).toMatchObject({ state: 'waitlisted', position: 1 });
    const below = await setCapacity('美术', 1);
    expect(below.status).toBe(409);
    expect(below.body.detail).toBe('美术 基础班 has 2 places taken; its capacity cannot go below that (asked for 1)');
    // and raised again: the child waiting moves up
    expect((await setCapacity('美术', 3)).status).toBe(200);
    const art = await list(c.art);
    expect(art).toMatchObject({ capacity: 3, taken: 3, waitlist: [] });
    expect(nos(art.enrolled)).toEqual([no(k1), no(k2), no(k3)]);
  });
});

describe('a seat left idle by a request that died', () => {
  /** a request of the child for the class put its entry and took its ticket two minutes ago, then its function died */
  async function died(classId: string, child: number) {
    const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
    const seats = `club-class:${classId}`;
    const at = new Date(Date.now() - 120_000).toISOString();
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...keys.seatEntry(s.schoolId, seats, no(child)), holder: no(child), what: `学生${child}`, state: 'pending', at },
      }),
    );
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.seatQueue(s.schoolId, seats),
        UpdateExpression: 'SET issued = issued + :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
  const statusIn = async (child: number, classId: string) =>
    ok(await guardian(child)('GET', `${term()}/students/${no(child)}`), 'view').classes.find(
      (k: { classId: string }) => k.classId === classId,
    ).status;

  it('is given to the first waiter when the waiter’s guardian looks; the child asking again queues anew', async () => {
    const [dead, waiter] = byArrival.slice(400) as [number, number];
    await died(c.dance, dead); // ticket 1, 舞蹈's one place
    expect(ok(await guardian(waiter)('POST', places(waiter), { classId: c.dance }), 'waiter')).toMatchObject({
      state: 'waitlisted',
      position: 1,
      arrival: 2,
    });
    expect(await statusIn(waiter, c.dance)).toMatchObject({ state: 'granted', arrival: 2 });
    const list = ok(await s.admin('GET', `${term()}/classes/${c.dance}`), 'class');
    expect(list).toMatchObject({ capacity: 1, taken: 1, waitlist: [], enrolled: [{ studentNo: no(waiter) }] });
    const history = ok(await s.admin('GET', `${term()}/classes/${c.dance}/history`), 'history');
    expect(history.items.at(-1)).toMatchObject({
      action: 'promoted',
      studentNo: no(waiter),
      byName: SYSTEM_ACTOR.name,
      note: IDLE_SEAT_NOTE,
    });
    expect(ok(await guardian(dead)('POST', places(dead), { classId: c.dance }), 'again')).toMatchObject({
      state: 'waitlisted',
      position: 1,
      arrival: 3,
    });
  });

  it('is given to the first waiter when the school reads the class list', async () => {
    const [dead, waiter] = byArrival.slice(402) as [number, number];
    await died(c.robotAdvanced, dead); // 进阶班: one of its two places held, the other now this ticket's
    ok(await s.teacher('POST', `${term()}/approvals`, { studentNo: no(waiter), classId: c.robotAdvanced }), 'approval');
    expect(ok(await guardian(waiter)('POST', places(waiter), { classId: c.robotAdvanced }), 'waiter')).toMatchObject({
      state: 'waitlisted',
      position: 1,
    });
    const list = ok(await s.admin('GET', `${term()}/classes/${c.robotAdvanced}`), 'class');
    expect(list).toMatchObject({ capacity: 2, taken: 2, waitlist: [] });
    expect(list.enrolled.map((p: { studentNo: string }) => p.studentNo)).toContain(no(waiter));
  });
});

describe('the window', () => {
  it('refuses a withdrawal after the school’s cut-off, with the date', async () => {
    const cutOff = daysFromToday(-1);
    windowVersion = ok(
      await s.admin('PUT', `${term()}/window`, openWindow({ withdrawUntil: cutOff, version: windowVersion })),
      'window',
    ).version;
    const child = byArrival[40]!;
    const res = await guardian(child)('POST', `${places(child)}/${c.robotBasic}/withdraw`);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      rule: 'withdrawal-closed',
      detail: expect.stringContaining(`Withdrawals closed on ${cutOff}`),
    });
  });

  it('in ranked mode stores a guardian’s choices, refusing an ineligible one at its path', async () => {
    windowVersion = ok(
      await s.admin('PUT', `${term()}/window`, openWindow({ mode: 'ranked', choices: 3, version: windowVersion })),
      'window',
    ).version;
    const child = byArrival[200]!;
    const path = `${term()}/students/${no(child)}/choices`;
    const refused = await guardian(child)('PUT', path, { choices: [c.art, c.dance, c.robotAdvanced], version: 0 });
    expect(refused.status).toBe(422);
    expect(refused.body.details.errors.map((e: { path: unknown }) => e.path)).toEqual([['choices', 2]]);
    const saved = ok(await guardian(child)('PUT', path, { choices: [c.art, c.dance, c.robotBasic], version: 0 }), 'choices');
    expect(saved).toMatchObject({ choices: [c.art, c.dance, c.robotBasic], version: 1 });
    expect((await guardian(child)('POST', places(child), { classId: c.art })).body).toMatchObject({ rule: 'wrong-mode' });
    expect((await guardian(child)('PUT', path, { choices: [c.art], version: 0 })).status).toBe(409);
  });
});

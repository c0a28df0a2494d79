/**
 * The notice and the opt-out form, HTTP end to end on DynamoDB Local: the whole life of a
 * form (submit, retry, double tap, two guardians, amend, withdraw, late requests approved and
 * declined, history), the refusals that name the field and write nothing, and another family
 * answered 404 everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';
import { daysFromToday, familySchool, form, notice, ok, type FamilySchool } from './support/families';

let app: TestApp;
let s: FamilySchool;
let mom: Call;
let dad: Call;
let other: Call;
const base = () => `/schools/${s.schoolId}/terms/${s.termId}`;
const formOf = (no: string) => `${base()}/optouts/${no}`;

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(app, [
    {
      studentNo: '1001',
      name: '王小明',
      grade: 1,
      homeroom: '1',
      guardians: [
        { name: '王妈妈', phone: '13800000001', userId: 'mom' },
        { name: '王爸爸', phone: '13800000002', userId: 'dad' },
      ],
    },
    {
      studentNo: '1002',
      name: '李小红',
      grade: 1,
      homeroom: '1',
      guardians: [{ name: '李爸爸', phone: '13800000003', userId: 'li' }],
    },
    {
      studentNo: '1003',
      name: '张小刚',
      grade: 1,
      homeroom: '2',
      guardians: [{ name: '张妈妈', phone: '13800000004', userId: 'zhang' }],
    },
  ]);
  mom = s.parent.mom!;
  dad = s.parent.dad!;
  other = s.parent.li!;
});
afterAll(async () => app?.close());

/** How many form records the term holds (as the school lists them). */
const formsStored = async () => ok(await s.admin('GET', `${base()}/optouts?limit=500`), 'forms').items.length as number;

describe('the notice', () => {
  it('is published once a term, revised with the version read, and every version kept', async () => {
    const published = await s.admin('POST', `${base()}/notice`, notice());
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ termId: s.termId, version: 1, childSignature: true });
    expect((await s.admin('POST', `${base()}/notice`, notice())).status).toBe(409);
    const revised = await s.admin('PUT', `${base()}/notice`, { ...notice(), titleEn: 'A letter to parents', version: 1 });
    expect(revised.body.version).toBe(2);
    expect((await s.admin('PUT', `${base()}/notice`, { ...notice(), version: 1 })).status).toBe(409);
    const history = ok(await s.admin('GET', `/schools/${s.schoolId}/history/notice/${s.termId}`), 'history');
    expect(history.items.map((h: { version: number }) => h.version)).toEqual([1, 2]);
    expect((await s.teacher('GET', `${base()}/notice`)).status).toBe(200);
    expect((await mom('GET', `${base()}/notice`)).status).toBe(403);
  });

  it('shows a guardian their child’s notice and counts it opened, which the school sees per homeroom', async () => {
    const before = ok(await s.teacher('GET', `${base()}/notice/progress?grade=1`), 'progress').homerooms;
    expect(before).toEqual([
      expect.objectContaining({ grade: 1, homeroom: '1', students: 2, opened: 0, answered: 0 }),
      expect.objectContaining({ grade: 1, homeroom: '2', students: 1, opened: 0, answered: 0 }),
    ]);
    const read = ok(await mom('GET', `/schools/${s.schoolId}/students/1001/notices/${s.termId}`), 'child notice');
    expect(read).toMatchObject({ termId: s.termId, window: 'open', opened: true, form: null });
    // the school reading it does not count
    await s.admin('GET', `/schools/${s.schoolId}/students/1002/notices/${s.termId}`);
    const after = ok(await s.teacher('GET', `${base()}/notice/progress?grade=1&homeroom=1`), 'progress').homerooms;
    expect(after).toEqual([
      {
        grade: 1,
        homeroom: '1',
        students: 2,
        opened: 1,
        answered: 0,
        notOpened: [{ studentNo: '1002', name: '李小红' }],
        notAnswered: [
          { studentNo: '1001', name: '王小明' },
          { studentNo: '1002', name: '李小红' },
        ],
      },
    ]);
    const list = ok(await dad('GET', `/schools/${s.schoolId}/students/1001/notices`), 'notices').items;
    expect(list).toEqual([expect.objectContaining({ termId: s.termId, termName: '2026 秋季学期', opened: true })]);
  });
});

describe('a form', () => {
  let version = 0;

  it('is submitted with both signatures, in effect at once before the notice closes', async () => {
    const res = await mom(
      'POST',
      `${base()}/optouts`,
      { studentNo: '1001', ...form() },
      { 'idempotency-key': 'mom-submit-0001' },
    );
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(formOf('1001'));
    expect(res.body).toMatchObject({
      id: `${s.termId}#1001`,
      studentNo: '1001',
      studentName: '王小明',
      status: 'opted-out',
      action: 'submitted',
      actor: { as: 'guardian', userId: 'mom', name: '王妈妈' },
      optOut: {
        wholeTerm: false,
        days: ['WED', 'FRI'],
        homeworkHelp: false,
        guardianSignature: { name: '王妈妈', userId: 'mom' },
        childSignature: { kind: 'drawn' },
      },
      request: null,
      version: 1,
    });
    version = res.body.version;
  });

  it('stores one form for a retry with the same key, a double tap, and the other guardian at once', async () => {
    const retry = await mom(
      'POST',
      `${base()}/optouts`,
      { studentNo: '1001', ...form() },
      { 'idempotency-key': 'mom-submit-0001' },
    );
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const tap = await mom('POST', `${base()}/optouts`, { studentNo: '1001', ...form() });
    expect(tap.status).toBe(201);
    expect(tap.headers['idempotent-replayed']).toBe('true');
    expect(tap.body.version).toBe(1);
    const dads = await dad('POST', `${base()}/optouts`, {
      studentNo: '1001',
      ...form({ days: ['MON'], guardianSignature: { name: '王爸爸' } }),
    });
    expect(dads.status).toBe(409);
    expect(dads.body).toMatchObject({ reason: 'exists', current: { version: 1, updatedBy: 'mom' } });
    expect(await formsStored()).toBe(1);
  });

  it('is one form for both guardians: either amends it with the version read, a stale one is refused naming who', async () => {
    expect((await dad('GET', formOf('1001'))).body.version).toBe(version);
    const amended = await dad('PUT', formOf('1001'), {
      ...form({ days: ['MON', 'WED'], homeworkHelp: true, guardianSignature: { name: '王爸爸' } }),
      version,
    });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({
      status: 'opted-out',
      action: 'amended',
      actor: { userId: 'dad', name: '王爸爸' },
      optOut: { days: ['MON', 'WED'], homeworkHelp: true, guardianSignature: { name: '王爸爸', userId: 'dad' } },
      version: version + 1,
    });
    const stale = await mom('PUT', formOf('1001'), { ...form(), version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ reason: 'version', current: { version: version + 1, updatedBy: 'dad' } });
    version = amended.body.version;
  });

  it('is withdrawn before closing: the child takes part again', async () => {
    const res = await mom('POST', `${formOf('1001')}/withdraw`, { version });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', optOut: null, action: 'withdrawn', actor: { userId: 'mom' } });
    version = res.body.version;
    expect((await mom('POST', `${formOf('1001')}/withdraw`, { version })).body).toMatchObject({ reason: 'state' });
  });

  it('after closing, changes only as a request: declined it leaves the form as it was, approved it takes effect', async () => {
    const current = ok(await s.admin('GET', `${base()}/notice`), 'notice');
    ok(
      await s.admin('PUT', `${base()}/notice`, { ...notice({ closesOn: daysFromToday(-1) }), version: current.version }),
      'close',
    );

    const late = await mom('PUT', formOf('1001'), { ...form(), version });
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([{ path: ['asRequest'], message: expect.stringContaining('asRequest: true') }]);

    const asked = await mom('PUT', formOf('1001'), { ...form({ asRequest: true, note: '奶奶生病了' }), version });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatchObject({
      status: 'withdrawn',
      action: 'requested',
      request: { action: 'submit', state: 'pending', note: '奶奶生病了', optOut: { days: ['WED', 'FRI'] } },
    });
    expect((await mom('PUT', formOf('1001'), { ...form({ asRequest: true }), version: asked.body.version })).status).toBe(409);
    const waiting = ok(await s.admin('GET', `${base()}/optout-requests`), 'requests').items;
    expect(waiting.map((f: { studentNo: string }) => f.studentNo)).toEqual(['1001']);

    const noReason = await s.admin('POST', `${formOf('1001')}/decision`, { version: asked.body.version, decision: 'decline' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([{ path: ['reason'], message: 'say why the request is declined' }]);
    const declined = await s.admin('POST', `${formOf('1001')}/decision`, {
      version: asked.body.version,
      decision: 'decline',
      reason: '已截止，请下学期再申请',
    });
    expect(declined.body).toMatchObject({
      status: 'withdrawn',
      optOut: null,
      action: 'declined',
      actor: { as: 'school' },
      request: { state: 'declined', decisionReason: '已截止，请下学期再申请' },
    });
    expect(ok(await s.admin('GET', `${base()}/optout-requests`), 'requests').items).toEqual([]);

    const again = ok(
      await dad('PUT', formOf('1001'), { ...form({ asRequest: true, days: ['FRI'] }), version: declined.body.version }),
      'again',
    );
    const approved = ok(
      await s.admin('POST', `${formOf('1001')}/decision`, { version: again.version, decision: 'approve' }),
      'approve',
    );
    expect(approved).toMatchObject({
      status: 'opted-out',
      action: 'approved',
      optOut: { days: ['FRI'], guardianSignature: { userId: 'dad' } },
      request: { state: 'approved', decidedBy: `admin-${s.schoolId}` },
    });
    expect((await s.admin('POST', `${formOf('1001')}/decision`, { version: approved.version, decision: 'approve' })).status).toBe(
      409,
    );

    const withdrawal = ok(
      await mom('POST', `${formOf('1001')}/withdraw`, { version: approved.version, asRequest: true }),
      'withdraw',
    );
    expect(withdrawal).toMatchObject({ status: 'opted-out', request: { action: 'withdraw', state: 'pending' } });
    const done = ok(
      await s.admin('POST', `${formOf('1001')}/decision`, { version: withdrawal.version, decision: 'approve' }),
      'ok',
    );
    expect(done).toMatchObject({ status: 'withdrawn', optOut: null });
    version = done.version;
  });

  it('made late for the first time is requested, and declined stays out of effect', async () => {
    const before = await formsStored();
    const refused = await other('POST', `${base()}/optouts`, {
      studentNo: '1002',
      ...form({ guardianSignature: { name: '李爸爸' } }),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: ['asRequest'], message: expect.stringContaining('asRequest: true') }]);
    expect(await formsStored()).toBe(before);
    const res = await other('POST', `${base()}/optouts`, {
      studentNo: '1002',
      ...form({ asRequest: true, guardianSignature: { name: '李爸爸' } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'requested', optOut: null, request: { action: 'submit', state: 'pending' } });
    const declined = ok(
      await s.admin('POST', `${formOf('1002')}/decision`, { version: 1, decision: 'decline', reason: '未说明原因' }),
      'decline',
    );
    expect(declined).toMatchObject({ status: 'declined', optOut: null, request: { state: 'declined' } });
    expect(
      ok(await s.admin('GET', `${base()}/optouts?status=declined`), 'list').items.map((f: { studentNo: string }) => f.studentNo),
    ).toEqual(['1002']);
  });

  it('keeps every version: who did what, when, for the guardians and the school alike', async () => {
    const mine = ok(await mom('GET', `${formOf('1001')}/history?limit=100`), 'history').items;
    const theirs = ok(
      await s.admin('GET', `/schools/${s.schoolId}/history/optout/${encodeURIComponent(`${s.termId}#1001`)}`),
      'history',
    ).items;
    expect(theirs).toEqual(mine);
    expect(
      mine.map((h: { data: { action: string; actor: { userId: string } } }) => `${h.data.action} by ${h.data.actor.userId}`),
    ).toEqual([
      'submitted by mom',
      'amended by dad',
      'withdrawn by mom',
      'requested by mom',
      `declined by admin-${s.schoolId}`,
      'requested by dad',
      `approved by admin-${s.schoolId}`,
      'requested by mom',
      `approved by admin-${s.schoolId}`,
    ]);
    expect(mine.map((h: { version: number }) => h.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(mine[0].data.optOut.childSignature).toEqual({ kind: 'drawn', image: 'M10 20 L30 40 C50 60 70 20 90 40' });
    expect(version).toBe(9);
  });
});

describe('refusals', () => {
  const submit = (who: Call, body: Record<string, unknown>) => who('POST', `${base()}/optouts`, { studentNo: '1003', ...body });

  it('name the field, and write nothing', async () => {
    const zhang = s.parent.zhang!;
    const current = ok(await s.admin('GET', `${base()}/notice`), 'notice');
    ok(await s.admin('PUT', `${base()}/notice`, { ...notice(), version: current.version }), 'reopen');
    const before = await formsStored();
    const cases: Array<[Record<string, unknown>, Array<string | number>]> = [
      [form({ days: ['WED', 'SAT'] }), ['days', 1]],
      [{ ...form(), guardianSignature: undefined }, ['guardianSignature']],
      [form({ childSignature: null }), ['childSignature']],
      [form({ childSignature: { kind: 'drawn', image: `M0 0 ${'L1 1 '.repeat(4000)}` } }), ['childSignature', 'image']],
      [form({ childSignature: { kind: 'drawn', image: '<svg onload="x">' } }), ['childSignature', 'image']],
      [form({ days: [] }), ['days']],
      [form({ reason: { category: 'other' } }), ['reason', 'text']],
    ];
    for (const [body, path] of cases) {
      const res = await submit(zhang, body);
      expect(res.status, JSON.stringify(path)).toBe(400);
      expect(res.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
    }
    const notMine = await submit(mom, form());
    expect(notMine.status).toBe(404);
    expect(notMine.body.errors).toEqual([{ path: ['studentNo'], message: 'is not a child of yours at this school' }]);
    const nobody = await mom('POST', `${base()}/optouts`, { studentNo: '9999', ...form() });
    expect(nobody.status).toBe(404);
    expect(nobody.body.errors[0].path).toEqual(['studentNo']);
    expect(await formsStored()).toBe(before);
    expect(JSON.stringify(notMine.body)).not.toContain('张小刚');
  });

  it('takes a typed child signature, or none when the school switches it off', async () => {
    const zhang = s.parent.zhang!;
    const typed = await submit(zhang, form({ childSignature: { kind: 'typed', name: '张小刚' }, wholeTerm: true, days: [] }));
    expect(typed.status).toBe(201);
    expect(typed.body.optOut).toMatchObject({ wholeTerm: true, days: ['MON', 'TUE', 'WED', 'THU', 'FRI'] });
    const current = ok(await s.admin('GET', `${base()}/notice`), 'notice');
    ok(await s.admin('PUT', `${base()}/notice`, { ...notice({ childSignature: false }), version: current.version }), 'off');
    const unsigned = await zhang('PUT', formOf('1003'), { ...form({ childSignature: null }), version: typed.body.version });
    expect(unsigned.status).toBe(200);
    expect(unsigned.body.optOut.childSignature).toBeNull();
  });
});

describe('another family', () => {
  it('gets 404 for the child everywhere, and nothing about them', async () => {
    const f = ok(await mom('GET', formOf('1001')), 'form');
    const paths: Array<[string, string, unknown?]> = [
      ['GET', formOf('1001')],
      ['GET', `${formOf('1001')}/history`],
      ['PUT', formOf('1001'), { ...form(), version: f.version }],
      ['POST', `${formOf('1001')}/withdraw`, { version: f.version }],
      ['GET', `/schools/${s.schoolId}/students/1001/notices`],
      ['GET', `/schools/${s.schoolId}/students/1001/notices/${s.termId}`],
      ['GET', `/schools/${s.schoolId}/students/1001/week?date=2026-10-14`],
      ['POST', `${base()}/optouts`, { studentNo: '1001', ...form() }],
    ];
    for (const [method, path, body] of paths) {
      const res = await other(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/王小明|王妈妈|王爸爸/);
    }
    // a parent of the school whose account no guardian record names
    const stranger = await app.as('parent', { user: 'stranger', schools: [s.schoolId] });
    expect((await stranger('GET', formOf('1001'))).status).toBe(404);
    const theirs = await stranger('POST', `${base()}/optouts`, { studentNo: '1001', ...form() });
    expect(theirs.status).toBe(404);
    expect(theirs.body.errors).toEqual([{ path: ['studentNo'], message: 'is not a child of yours at this school' }]);
    expect((await other('GET', `${base()}/optouts`)).status).toBe(403);
    expect((await other('GET', `${base()}/participation`)).status).toBe(403);
    expect((await other('GET', `/schools/${s.schoolId}/dismissal?date=2026-10-14&grade=1&homeroom=1`)).status).toBe(403);
    expect(ok(await mom('GET', formOf('1001')), 'unchanged').version).toBe(f.version);
  });
});

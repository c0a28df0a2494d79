/**
 * Guardians sign in through the product (HTTP end to end on DynamoDB Local, through the local
 * API Gateway, whose authorizer verifies guardians' session tokens as it does the dev key's):
 * an invitation redeemed with the last four digits of the phone number gives a session whose
 * token opens /me with the child; wrong digits are counted and pause the invitation; an
 * invitation signs in once; a refresh token rotates, and one used twice ends its session; the
 * school ends a guardian's sessions, with the history of who and when; another family's child
 * is 404; an SMS code works where the school has a sender; a homeroom's links print again the same.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, type Call } from '@kehou/local';
import { observeSms, type SmsMessage } from '../functions/signin/sms';
import { startTestApp, type TestApp } from './support/app';

let app: TestApp;
let admin: Call;
let schoolId: string;
const guardianIds: Record<string, string> = {};

const tokenOf = (path: string) => path.replace('/invite/', '');

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd-1' });
  schoolId = (await bureau('POST', '/schools', { name: '守信小学', districtId: 'd-1' })).body.id;
  admin = await app.as('admin', { user: 'admin-a', schools: [schoolId] });
  const at = (p: string) => `/schools/${schoolId}${p}`;
  expect((await admin('POST', at('/grades'), { level: 1, name: '一年级', dismissal: { MON: '15:30' } })).status).toBe(201);
  for (const [studentNo, name, homeroom] of [
    ['1001', '王小明', '1'],
    ['1002', '李小红', '1'],
    ['1003', '张小刚', '1'],
    ['1004', '赵小丽', '1'],
    ['1005', '陈小东', '2'],
  ])
    expect((await admin('POST', at('/students'), { studentNo, name, gradeLevel: 1, homeroom })).status).toBe(201);
  for (const [key, name, phone, child] of [
    ['ming', '王明妈', '13800000001', '1001'],
    ['hong', '李红爸', '13800000002', '1002'],
    ['gang', '张刚妈', '13800000003', '1003'],
    ['li', '赵丽爸', '13800000004', '1004'],
    ['dong', '陈东妈', '13800000005', '1005'],
  ]) {
    const g = await admin('POST', at('/guardians'), { name, phone, relation: 'mother', children: [child] });
    expect(g.status).toBe(201);
    guardianIds[key!] = g.body.id;
  }
}, 120_000);
afterAll(async () => app?.close());

/** A new invitation for one guardian: its token. */
async function invite(who: string): Promise<{ token: string; body: any }> {
  const res = await admin('POST', `/schools/${schoolId}/invitations`, { scope: 'guardian', guardianId: guardianIds[who] });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { token: tokenOf(res.body.items[0].path), body: res.body };
}
const redeem = (token: string, code: string) => app.anonymous('POST', `/invitations/${token}/redeem`, { code });
const refresh = (refreshToken: string) => app.anonymous('POST', '/tokens/refresh', { refreshToken });
const signInOf = (who: string) => admin('GET', `/schools/${schoolId}/guardians/${guardianIds[who]}/sign-in`);

describe('an invitation redeemed with the last four digits', () => {
  let tokens: any;
  let token: string;

  it('links to the web app, and says what it is for with the names masked', async () => {
    const made = await invite('ming');
    token = made.token;
    const item = made.body.items[0];
    expect(item).toMatchObject({
      guardianName: '王明妈',
      confirmBy: 'phone-digits',
      children: [{ studentNo: '1001', name: '王小明' }],
    });
    expect(item.path).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(item.url).toBe(`${app.url}${item.path}`);
    const preview = await app.anonymous('GET', `/invitations/${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      schoolName: '守信小学',
      guardianName: '王*妈',
      children: ['王*明'],
      confirmBy: 'phone-digits',
      phoneHint: '138********',
      state: 'open',
    });
    expect(JSON.stringify(preview.body)).not.toContain('0001');
    expect((await app.anonymous('GET', `/invitations/${'x'.repeat(43)}`)).status).toBe(404);
  });

  it('gives a session whose access token opens GET /me with the child, shaped like a dev parent token', async () => {
    const res = await redeem(token, '0001');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    tokens = res.body;
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, schools: [schoolId] });
    const claims = decodeJwt(tokens.accessToken);
    const dev = decodeJwt(await app.token({ role: 'parent', userId: 'demo-parent', schools: [schoolId] }));
    expect(Object.keys(claims).sort()).toEqual(Object.keys(dev).sort());
    expect(claims).toMatchObject({
      sub: tokens.userId,
      'cognito:groups': ['parent'],
      'custom:schools': `${schoolId}:parent`,
      token_use: 'id',
      iss: dev.iss,
      aud: dev.aud,
    });
    expect(claims.exp! - claims.iat!).toBe(900);

    const guardian = httpClient(app.url, tokens.accessToken);
    const me = await guardian('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: tokens.userId,
      roles: ['parent'],
      schools: [{ schoolId, roles: ['parent'] }],
      children: [{ schoolId, studentNo: '1001', name: '王小明', guardianId: guardianIds.ming }],
    });
  });

  it("opens the child's record and no other family's: another child is 404, as one that does not exist", async () => {
    const guardian = httpClient(app.url, tokens.accessToken);
    expect((await guardian('GET', `/schools/${schoolId}/students/1001`)).body).toMatchObject({ name: '王小明' });
    for (const other of ['1002', '9999']) {
      const res = await guardian('GET', `/schools/${schoolId}/students/${other}`);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('李小红');
    }
    expect((await guardian('GET', `/schools/${schoolId}/students`)).status).toBe(403);
  });

  it('links the guardian record to the account: a new version, by the guardian', async () => {
    const g = await admin('GET', `/schools/${schoolId}/guardians/${guardianIds.ming}`);
    expect(g.body).toMatchObject({ userId: tokens.userId, version: 2, updatedBy: tokens.userId });
    const status = await signInOf('ming');
    expect(status.body.invitation).toMatchObject({ state: 'redeemed', path: null, url: null });
    expect(status.body.sessions).toHaveLength(1);
    expect(status.body.history.items.map((e: any) => [e.action, e.by])).toEqual([
      ['redeemed', tokens.userId],
      ['invited', 'admin-a'],
    ]);
  });

  it('signs in once: a replay is refused, and writes nothing', async () => {
    const res = await redeem(token, '0001');
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('invitation-used');
    expect((await signInOf('ming')).body.sessions).toHaveLength(1);
  });
});

describe('wrong digits', () => {
  it('are counted, 5 in a row pause the invitation for 15 minutes, and the right digits then wait too', async () => {
    const { token } = await invite('hong');
    for (const left of [4, 3, 2, 1]) {
      const res = await redeem(token, '9999');
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ rule: 'wrong-code', details: { triesLeft: left } });
    }
    const fifth = await redeem(token, '9999');
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBe(900);
    const right = await redeem(token, '0002');
    expect(right.status).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    expect((await admin('GET', `/schools/${schoolId}/guardians/${guardianIds.hong}`)).body.userId).toBeNull();
    const status = await signInOf('hong');
    expect(status.body.invitation.state).toBe('paused');
    expect(status.body.history.items.map((e: any) => e.action)).toEqual([
      'paused',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'wrong-code',
      'invited',
    ]);
    expect((await app.anonymous('GET', `/invitations/${token}`)).body.state).toBe('paused');
  });

  it('of many tries at once are each counted: none slips through uncounted', async () => {
    const { token } = await invite('gang');
    const answers = await Promise.all(Array.from({ length: 4 }, () => redeem(token, '1234')));
    // each try was counted (422), or refused because another was counted at the same moment (409)
    for (const a of answers) expect([409, 422]).toContain(a.status);
    const counted = answers.filter((a) => a.status === 422);
    expect(counted.length).toBeGreaterThan(0);
    const lines = (await signInOf('gang')).body.history.items.filter((e: any) => e.action === 'wrong-code');
    expect(lines).toHaveLength(counted.length);
    expect(counted.map((a) => a.body.details.triesLeft).sort()).toEqual([4, 3, 2, 1].slice(0, counted.length).sort());
  });
});

describe('an invitation tried twice at the same moment', () => {
  it('signs in once: one session, the other try refused', async () => {
    const { token } = await invite('ming');
    const before = (await signInOf('ming')).body.sessions.length;
    const answers = await Promise.all(Array.from({ length: 4 }, () => redeem(token, '0001')));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect([409, 422]).toContain(a.status);
    expect((await signInOf('ming')).body.sessions).toHaveLength(before + 1);
  });
});

describe('a new invitation', () => {
  it('replaces the one before: its link says so', async () => {
    const old = await invite('li');
    const fresh = await invite('li');
    const res = await redeem(old.token, '0004');
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('invitation-replaced');
    expect((await app.anonymous('GET', `/invitations/${old.token}`)).body.state).toBe('replaced');
    expect((await redeem(fresh.token, '0004')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('refresh: each refresh token works once, and one used twice ends the session', async () => {
    const { token } = await invite('ming');
    const first = (await redeem(token, '0001')).body;
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await httpClient(app.url, second.body.accessToken)('GET', '/me')).body.children).toHaveLength(1);
    const third = await refresh(second.body.refreshToken);
    expect(third.status).toBe(200);

    const replayed = await refresh(second.body.refreshToken);
    expect(replayed.status).toBe(401);
    expect(replayed.body.detail).toMatch(/used already/);
    // the thief's copy and the holder's newest both end
    expect((await refresh(third.body.refreshToken)).status).toBe(401);
    const history = (await signInOf('ming')).body.history.items.map((e: any) => e.action);
    expect(history[0]).toBe('reuse-detected');
  });

  it('the school ends every session of a guardian; the history says who and when', async () => {
    const { token } = await invite('dong');
    const a = (await redeem(token, '0005')).body;
    const { token: again } = await invite('dong');
    const b = (await redeem(again, '0005')).body;
    expect(b.userId).toBe(a.userId); // one account, two sessions (two phones)
    expect((await signInOf('dong')).body.sessions).toHaveLength(2);

    const revoked = await admin('POST', `/schools/${schoolId}/guardians/${guardianIds.dong}/sessions/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked).toBe(2);
    expect((await refresh(a.refreshToken)).status).toBe(401);
    expect((await refresh(b.refreshToken)).status).toBe(401);
    const status = (await signInOf('dong')).body;
    expect(status.sessions).toEqual([]);
    const lines = status.history.items.filter((e: any) => e.action === 'revoked');
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l.by).toBe('admin-a');
      expect(Date.parse(l.at)).toBeGreaterThan(Date.now() - 600_000);
    }
    expect((await admin('POST', `/schools/${schoolId}/guardians/${guardianIds.dong}/sessions/revoke`)).body.revoked).toBe(0);
  });

  it('sign-out ends the session of the refresh token, and only its holder can', async () => {
    const { token } = await invite('ming');
    const s = (await redeem(token, '0001')).body;
    const sessionId = s.refreshToken.split('.')[0];
    // knowing the session's id is not enough
    expect((await app.anonymous('POST', '/tokens/sign-out', { refreshToken: `${sessionId}.${'A'.repeat(32)}` })).status).toBe(
      204,
    );
    expect((await refresh(s.refreshToken)).status).toBe(200);
  });

  it('sign-out with the refresh token ends it', async () => {
    const { token } = await invite('ming');
    const s = (await redeem(token, '0001')).body;
    expect((await app.anonymous('POST', '/tokens/sign-out', { refreshToken: s.refreshToken })).status).toBe(204);
    expect((await refresh(s.refreshToken)).status).toBe(401);
  });
});

describe('a code by SMS, where the school has a sender', () => {
  it('is sent (locally: to the log), once a minute, and signs in', async () => {
    const sent: SmsMessage[] = [];
    const stop = observeSms((m) => sent.push(m));
    try {
      const settings = (await admin('GET', `/schools/${schoolId}/sign-in-settings`)).body;
      expect(settings).toMatchObject({ smsSignature: null, smsAvailable: true, version: 0 });
      const put = await admin('PUT', `/schools/${schoolId}/sign-in-settings`, { smsSignature: '守信小学', version: 0 });
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect((await admin('PUT', `/schools/${schoolId}/sign-in-settings`, { smsSignature: null, version: 0 })).status).toBe(409);

      const { token, body } = await invite('hong');
      expect(body.items[0].confirmBy).toBe('sms-code');
      expect((await app.anonymous('GET', `/invitations/${token}`)).body.phoneHint).toBe('138****0002');
      expect((await redeem(token, '0002')).body.rule).toBe('sms-code-missing');
      const code = await app.anonymous('POST', `/invitations/${token}/code`);
      expect(code.status).toBe(200);
      expect(code.body.sentTo).toBe('138****0002');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.to).toBe('13800000002');
      const digits = /验证码：(\d{6})/.exec(sent[0]!.text)![1]!;
      expect(sent[0]!.text.startsWith('【守信小学】')).toBe(true);
      expect((await app.anonymous('POST', `/invitations/${token}/code`)).status).toBe(429);
      expect(sent).toHaveLength(1);
      // the last four digits are no longer the code
      expect((await redeem(token, '0002')).body.rule).toBe('wrong-code');
      const res = await redeem(token, digits);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      stop();
      const now = (await admin('GET', `/schools/${schoolId}/sign-in-settings`)).body;
      await admin('PUT', `/schools/${schoolId}/sign-in-settings`, { smsSignature: null, version: now.version });
    }
  });
});

describe("a homeroom's invitations", () => {
  it('are made for those not signed in and not invited, and print again with the same links', async () => {
    const made = await admin('POST', `/schools/${schoolId}/invitations`, { scope: 'homeroom', grade: 1, homeroom: '1' });
    expect(made.status).toBe(201);
    // 王明妈 and 赵丽爸 have signed in; 李红爸 signed in by SMS; 张刚妈 holds an open invitation
    expect(made.body).toMatchObject({ items: [], skipped: 4, remaining: 0 });
    const sheet = await admin('GET', `/schools/${schoolId}/invitations?grade=1&homeroom=1`);
    expect(sheet.status).toBe(200);
    expect(sheet.body.items.map((i: any) => [i.guardianName, i.children.map((c: any) => c.name), i.signedIn])).toEqual([
      ['王明妈', ['王小明'], true],
      ['李红爸', ['李小红'], true],
      ['张刚妈', ['张小刚'], false],
      ['赵丽爸', ['赵小丽'], true],
    ]);
    const gang = sheet.body.items[2].invitation;
    expect(gang.state).toBe('open');
    const again = await admin('GET', `/schools/${schoolId}/invitations?grade=1&homeroom=1`);
    expect(again.body.items[2].invitation.url).toBe(gang.url);
    expect((await redeem(tokenOf(gang.path), '0003')).status).toBe(200);

    const grade = await admin('POST', `/schools/${schoolId}/invitations`, { scope: 'grade', grade: 1 });
    expect(grade.body.items.map((i: any) => i.guardianName)).toEqual([]); // 陈东妈 has signed in (her sessions were revoked)
    const bad = await admin('POST', `/schools/${schoolId}/invitations`, { scope: 'homeroom', grade: 13 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining([['grade'], ['homeroom']]));
  });
});

/**
 * Guardians' sign-in as time passes, on DynamoDB Local with a clock the test moves (the
 * handlers of the setup, people and sign-in functions over one runtime): an invitation
 * expires after 14 days; a pause after wrong codes lifts after 15 minutes; ten wrong codes in
 * all void an invitation; a session unused for 90 days ends, and every session after a year.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaHandler } from '@kehou/http';
import { createDevKey } from '@kehou/local';
import { bound as peopleBound } from '../functions/people/app';
import { bound as setupBound } from '../functions/setup/app';
import { bound as signinBound } from '../functions/signin/app';
import { signinRuntimeOf } from '../functions/signin/runtime';
import { call, claimsOf, type Handler } from '../packages/http/test/support/events';
import { freshTable, testRuntime } from './support/db';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let api: Handler;
let advance: (ms: number) => void;
let schoolId: string;
const admin = () => claimsOf({ sub: 'admin-1', groups: ['admin'], schools: schoolId });
let guardians = 0;

beforeAll(async () => {
  const { store } = await freshTable();
  const rt = testRuntime(store, new Date('2026-09-01T08:00:00Z'));
  advance = rt.advance;
  const key = await createDevKey();
  const signin = signinRuntimeOf(rt, {
    issuer: 'https://kehou.test/issuer',
    audience: 'kehou-test',
    signer: { localKey: { kid: key.kid, privateJwk: key.privateJwk as Record<string, unknown> } },
    signInKey: 'test-sign-in-key-0123456789abcdef0123456789',
    sms: null,
  });
  api = lambdaHandler([...setupBound, ...peopleBound, ...signinBound], signin);
  const bureau = claimsOf({ sub: 'bureau', groups: ['district'], district: 'd-1' });
  const school = await call(api, {
    routeKey: 'POST /schools',
    claims: bureau,
    body: JSON.stringify({ name: '时光小学', districtId: 'd-1' }),
  });
  schoolId = school.body.id;
  const post = (routeKey: string, body: unknown) =>
    call(api, { routeKey, pathParameters: { schoolId }, claims: admin(), body: JSON.stringify(body) });
  expect((await post('POST /schools/{schoolId}/grades', { level: 1, name: '一年级', dismissal: { MON: '15:30' } })).status).toBe(
    201,
  );
  expect(
    (await post('POST /schools/{schoolId}/students', { studentNo: '1001', name: '王小明', gradeLevel: 1, homeroom: '1' })).status,
  ).toBe(201);
}, 60_000);

/** A guardian of 王小明 with a phone number of their own (…000n), and an invitation: its token. */
async function invited(): Promise<{ token: string; digits: string }> {
  const n = ++guardians;
  const phone = `1390000000${n}`;
  advance(1); // ids come from the clock
  const g = await call(api, {
    routeKey: 'POST /schools/{schoolId}/guardians',
    pathParameters: { schoolId },
    claims: admin(),
    body: JSON.stringify({ name: `家长${n}`, phone, children: ['1001'] }),
  });
  expect(g.status, JSON.stringify(g.body)).toBe(201);
  const inv = await call(api, {
    routeKey: 'POST /schools/{schoolId}/invitations',
    pathParameters: { schoolId },
    claims: admin(),
    body: JSON.stringify({ scope: 'guardian', guardianId: g.body.id }),
  });
  expect(inv.status, JSON.stringify(inv.body)).toBe(201);
  return { token: (inv.body.items[0].path as string).replace('/invite/', ''), digits: phone.slice(-4) };
}
const redeem = (token: string, code: string) =>
  call(api, { routeKey: 'POST /invitations/{token}/redeem', pathParameters: { token }, body: JSON.stringify({ code }) });
const refresh = (refreshToken: string) => call(api, { routeKey: 'POST /tokens/refresh', body: JSON.stringify({ refreshToken }) });

describe('invitations over time', () => {
  it('expire after 14 days', async () => {
    const { token, digits } = await invited();
    advance(14 * DAY + MINUTE);
    const res = await redeem(token, digits);
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('invitation-expired');
  });

  it('can be used on their last day', async () => {
    const { token, digits } = await invited();
    advance(14 * DAY - MINUTE);
    expect((await redeem(token, digits)).status).toBe(200);
  });

  it('pause after 5 wrong codes for 15 minutes, then take the right one', async () => {
    const { token, digits } = await invited();
    for (let i = 0; i < 5; i++) await redeem(token, '0000');
    advance(14 * MINUTE);
    expect((await redeem(token, digits)).status).toBe(429);
    advance(MINUTE + 1000);
    expect((await redeem(token, digits)).status).toBe(200);
  });

  it('are void after 10 wrong codes in all', async () => {
    const { token, digits } = await invited();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await redeem(token, '0000')).status);
      if (i === 4) advance(16 * MINUTE);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 429, 422, 422, 422, 422, 422]);
    advance(16 * MINUTE);
    const res = await redeem(token, digits);
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('invitation-void');
  });
});

describe('sessions over time', () => {
  it('end when unused for 90 days; each refresh moves that limit', async () => {
    const { token, digits } = await invited();
    let tokens = (await redeem(token, digits)).body;
    for (let i = 0; i < 3; i++) {
      advance(80 * DAY);
      const res = await refresh(tokens.refreshToken);
      expect(res.status, `refresh ${i}`).toBe(200);
      tokens = res.body;
    }
    advance(91 * DAY);
    expect((await refresh(tokens.refreshToken)).status).toBe(401);
  });

  it('end a year after sign-in, however often refreshed', async () => {
    const { token, digits } = await invited();
    let tokens = (await redeem(token, digits)).body;
    for (let i = 0; i < 5; i++) {
      advance(73 * DAY);
      const res = await refresh(tokens.refreshToken);
      if (i < 4) {
        expect(res.status, `refresh ${i}`).toBe(200);
        tokens = res.body;
      } else expect(res.status).toBe(401);
    }
  });
});

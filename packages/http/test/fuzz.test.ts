/**
 * Fuzz the edge (STYLE item 12): thousands of random API Gateway events into the middleware
 * chain never produce a 5xx, and every answer is JSON or problem+json with its status.
 *
 * Two handlers over the REAL route specs of functions/setup, functions/people and functions/signin:
 *  1. bound to implementations that just return {} — the chain alone;
 *  2. bound to the real implementations of functions/*\/app.ts, over an in-memory store that
 *     knows one school (with a guardian, an open invitation and a live session), so that valid
 *     input reaches the domain code behind the chain — sign-ins, refreshes and tokens signed.
 * Events are partly targeted (a real route, its parameters, a near-valid body, plausible
 * claims) and partly chaos. The seed is fixed, so every run checks the same cases.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { idGenerator, invitationSecret, newInvitation, newSession, sha256, type Page } from '@kehou/domain';
import { bind, lambdaHandler, routeKey, type Event, type Result, type RouteSpec } from '@kehou/http';
import { NO_SETTINGS, type Runtime } from '@kehou/store';
import { routes as setupRoutes } from '../../../functions/setup/api';
import { routes as peopleRoutes } from '../../../functions/people/api';
import { bound as setupBound } from '../../../functions/setup/app';
import { bound as peopleBound } from '../../../functions/people/app';
import { routes as signinRoutes } from '../../../functions/signin/api';
import { bound as signinBound } from '../../../functions/signin/app';
import { signinRuntimeOf } from '../../../functions/signin/runtime';
import { apiEvent, FakeIdempotency, frozenClock, lambdaContext, type EventInit } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

const SPECS: RouteSpec[] = [...setupRoutes, ...peopleRoutes, ...signinRoutes];
const RUNS = 2000;
const SEED = 5_2_2026;

// ---------------------------------------------------------------- near-valid bodies
const student = { studentNo: '20260301', name: '李明', gradeLevel: 3, homeroom: '2' };
// the in-memory store's guardian, the link of their open invitation and the refresh token of their session
const GUARDIAN = 'gd-0123456789abcdef0123';
const SIGN_IN_KEY = 'fuzz-sign-in-key-0123456789abcdef0123456789';
const INVITATION = invitationSecret(SIGN_IN_KEY, 'inv-1');
const SESSION_SECRET = 'S'.repeat(32);
const SAMPLES: Record<string, Record<string, unknown>> = {
  school: { name: '实验小学', districtId: 'd-1', timezone: 'Asia/Shanghai', dayEnd: '17:30' },
  schoolUpdate: { name: '实验小学', timezone: 'Asia/Shanghai', version: 1 },
  grade: { level: 3, name: '三年级', dismissal: { MON: '15:50', FRI: '15:00' }, homeworkMinutes: 30 },
  room: { name: '舞蹈室 1', capacity: 30, features: ['dance'] },
  term: {
    name: '2026 秋季学期',
    startDate: '2026-09-01',
    endDate: '2027-01-20',
    holidays: [{ name: '国庆', start: '2026-10-01', end: '2026-10-07' }],
    makeUpDays: [{ date: '2026-09-27', runsAs: 'WED' }],
  },
  staff: { name: '王老师', kind: 'teacher', skills: ['chess'], availability: { MON: [{ start: '16:00', end: '18:00' }] } },
  student,
  guardian: { name: '李华', phone: '138 0013 8000', relation: 'mother', children: ['20260301'] },
  import: { mode: 'upsert', rows: [{ ...student, guardians: [{ name: '李华', phone: '13800138000', relation: 'mother' }] }] },
  invitation: { scope: 'guardian', guardianId: GUARDIAN },
  redeem: { code: '8000' },
  refresh: { refreshToken: `sess-1.${SESSION_SECRET}` },
  signInSettings: { smsSignature: null },
};
const CSV = [
  '\uFEFF学号,姓名,年级,班级,家长1姓名,家长1电话,家长1关系\r\n20260301,李明,3,2,李华,13800138000,mother\r\n20260302,"王, 小红",3,2,李华,13800138000,mother\r\n',
  'studentNo,name,grade,homeroom\n1,a,3,1\n1,b,3,1\n',
  'studentNo,name,grade\n1,a,3\n',
  '',
  '"unterminated\n',
];

/** The sample of a route's body: the first whose part of a path the route's path holds. */
const SAMPLE_OF_PATH: [part: string, sample: string][] = [
  ['import', 'import'],
  ['/redeem', 'redeem'],
  ['/tokens/', 'refresh'],
  ['/sign-in-settings', 'signInSettings'],
  ['/invitations', 'invitation'],
  ['/grades', 'grade'],
  ['/rooms', 'room'],
  ['/terms', 'term'],
  ['/staff', 'staff'],
  ['/guardians', 'guardian'],
  ['/students', 'student'],
];
const sampleFor = (spec: RouteSpec): Record<string, unknown> => {
  const pick =
    SAMPLE_OF_PATH.find(([part]) => spec.path.includes(part))?.[1] ?? (spec.method === 'PUT' ? 'schoolUpdate' : 'school');
  return spec.method === 'PUT' ? { ...SAMPLES[pick], version: 1 } : SAMPLES[pick]!;
};

/** A sample as it is, or with one field removed, replaced by any JSON, or an extra one added. */
const nearValid = (sample: Record<string, unknown>) =>
  fc.oneof(
    { arbitrary: fc.constant(sample), weight: 5 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(sample), '__proto__', 'extra'), fc.option(fc.jsonValue({ maxDepth: 2 })))
        .map(([k, v]) => {
          const copy: Record<string, unknown> = { ...sample };
          if (v === null) delete copy[k];
          else Object.defineProperty(copy, k, { value: v, enumerable: true, configurable: true, writable: true });
          return copy;
        }),
      weight: 4,
    },
  );

// ---------------------------------------------------------------- event parts
const anyText = fc.string({ maxLength: 40, unit: 'grapheme' });
const idValue = fc.oneof(
  {
    arbitrary: fc.constantFrom('s-1', 's-2', 'g3', '20260301', GUARDIAN, 'student', 'w1', INVITATION, `${'x'.repeat(43)}`),
    weight: 4,
  },
  { arbitrary: anyText, weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', '../etc', 'a'.repeat(65), '%E4%B8%AD'), weight: 1 },
);
const roles = fc.constantFrom('district', 'admin', 'teacher', 'volunteer', 'parent', 'Admin', 'root', '');
const claims = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: fc.constant({ sub: 'u-admin', 'cognito:groups': '[admin]', 'custom:schools': 's-1' }), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      { sub: 'u-admin', 'cognito:groups': '[admin]', 'custom:schools': 's-1' },
      { sub: 'u-admin-2', 'cognito:groups': ['admin', 'parent'], 'custom:schools': 's-2,s-1' },
      { sub: 'u-bureau', 'cognito:groups': '[district]', 'custom:district': 'd-1' },
      { sub: 'u-teacher', 'cognito:groups': 'teacher', 'custom:schools': 's-1' },
    ),
    weight: 4,
  },
  {
    arbitrary: fc.record(
      {
        sub: fc.oneof(fc.constantFrom('u-1', ''), anyText, fc.integer()),
        'cognito:groups': fc.oneof(
          fc.array(roles, { maxLength: 4 }),
          roles.map((r) => `[${r} teacher]`),
          anyText,
          fc.integer(),
        ),
        'custom:schools': fc.oneof(fc.constantFrom('s-1', 's-1,s-2', ' , ', ''), anyText, fc.array(idValue, { maxLength: 3 })),
        'custom:district': fc.oneof(fc.constantFrom('d-1', 'd-2', ''), anyText, fc.integer()),
      },
      { requiredKeys: [] },
    ),
    weight: 2,
  },
);
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'text/csv',
      'TEXT/CSV; charset=gbk',
      'text/plain',
      'multipart/form-data; boundary=x',
      '',
      ';',
      ' ',
    ),
    weight: 2,
  },
  { arbitrary: anyText, weight: 1 },
);
const sometimes = <T>(arb: fc.Arbitrary<T>, freq: number) => fc.option(arb, { nil: undefined, freq });
const headers = fc
  .record({
    'content-type': sometimes(contentType, 10),
    'idempotency-key': sometimes(
      fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, anyText, fc.constantFrom('short', 'k'.repeat(129))),
      1,
    ),
    'x-random': sometimes(anyText, 2),
  })
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as Record<string, string>);
const chaosBody = fc.oneof(
  fc.constant(undefined),
  anyText,
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom(...CSV),
  fc.constantFrom('{', '{"rows":', 'null', '[]', '{"__proto__":{"polluted":1}}', '"\\ud800"', 'x'.repeat(9000)),
);
const query = fc.option(
  fc
    .record(
      {
        limit: fc.oneof(fc.constantFrom('1', '100', '0', '501', '-1', '1e3'), anyText),
        cursor: anyText,
        version: fc.oneof(fc.constantFrom('1', '2', '0', 'x'), anyText),
        mode: fc.constantFrom('create', 'upsert', 'merge'),
        grade: fc.constantFrom('3', '13', 'x'),
        homeroom: fc.constantFrom('2', ''),
      },
      { requiredKeys: [] },
    )
    .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, string>),
  { nil: undefined },
);

const maybeBase64 = (body: string | undefined) =>
  fc.constantFrom<'plain' | 'encoded' | 'flag-only'>('plain', 'plain', 'plain', 'encoded', 'flag-only').map((how) => ({
    body: how === 'encoded' && body !== undefined ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: how !== 'plain',
  }));

/** Path parameters the in-memory store knows, and the events mostly name. */
const LIKELY: Record<string, string> = { schoolId: 's-1', guardianId: GUARDIAN, token: INVITATION };

/** An event for a real route: its path parameters, a near-valid or random body, plausible claims. */
const targeted = fc.constantFrom(...SPECS).chain((spec) => {
  const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const value = (name: string) =>
    name in LIKELY ? fc.oneof({ arbitrary: fc.constant(LIKELY[name]!), weight: 6 }, idValue) : idValue;
  const params = fc.oneof(
    { arbitrary: fc.tuple(...names.map(value)).map((vs) => Object.fromEntries(names.map((n, i) => [n, vs[i]!]))), weight: 8 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  const body: fc.Arbitrary<string | undefined> = spec.body
    ? fc.oneof(
        { arbitrary: nearValid(sampleFor(spec)).map((b) => JSON.stringify(b)), weight: 5 },
        { arbitrary: chaosBody, weight: 1 },
      )
    : chaosBody;
  return fc.record({ params, query, headers, claims, body }).chain((e) =>
    maybeBase64(e.body).map((b): EventInit => ({
      routeKey: routeKey(spec),
      ...(e.params ? { pathParameters: e.params } : {}),
      ...(e.query ? { query: e.query } : {}),
      headers: e.headers,
      ...(e.claims ? { claims: e.claims } : {}),
      ...b,
    })),
  );
});

/** Anything at all, including routeKeys no route has. */
const chaos = fc
  .record({
    routeKey: fc.oneof(
      fc.constantFrom(...SPECS.map(routeKey), 'GET /nowhere', 'get /schools', 'POST /schools/{schoolId}', '$default', ''),
      anyText,
    ),
    params: fc.option(fc.dictionary(fc.constantFrom('schoolId', 'roomId', 'studentNo', 'kind', 'id', 'x'), idValue), {
      nil: undefined,
    }),
    query,
    headers,
    claims,
    body: chaosBody,
  })
  .chain((e) =>
    maybeBase64(e.body).map((b): EventInit => ({
      routeKey: e.routeKey,
      ...(e.params ? { pathParameters: e.params } : {}),
      ...(e.query ? { query: e.query } : {}),
      headers: e.headers,
      ...(e.claims ? { claims: e.claims } : {}),
      ...b,
    })),
  );

const events = fc.oneof({ arbitrary: targeted, weight: 4 }, { arbitrary: chaos, weight: 1 });

// ---------------------------------------------------------------- the in-memory store of the real handlers
function fakeRuntime(): Runtime {
  const clock = frozenClock();
  const stamp = {
    version: 1,
    createdAt: '2026-09-01T08:00:00.000Z',
    updatedAt: '2026-09-01T08:00:00.000Z',
    updatedBy: 'u-bureau',
  };
  const school = {
    id: 's-1',
    districtId: 'd-1',
    name: '实验小学',
    timezone: 'Asia/Shanghai',
    dayEnd: '17:30',
    status: 'active',
    ...stamp,
  };
  const grades = [1, 2, 3, 4, 5, 6].map((level) => ({
    id: `g${level}`,
    schoolId: 's-1',
    level,
    name: `${level} 年级`,
    dismissal: { MON: '15:30' },
    homeworkMinutes: 30,
    ...stamp,
  }));
  const empty = async <T>(): Promise<Page<T>> => ({ items: [], next: null });
  const repo = (get: (schoolId: string, id: string) => unknown = () => null, all: unknown[] = []) => ({
    get: async (s: string, id: string) => get(s, id),
    list: empty,
    ofDistrict: empty,
    ofGrade: empty,
    history: empty,
    all: async () => all,
    many: async () => [],
    ofUser: async () => [],
    create: async (_s: string, e: unknown) => e,
    replace: async (_s: string, _prev: unknown, next: unknown) => next,
    delete: async () => undefined,
    put: async () => undefined,
    start: async () => undefined,
  });
  const guardian = {
    id: GUARDIAN,
    schoolId: 's-1',
    name: '李华',
    phone: '13800138000',
    relation: 'mother',
    children: ['20260301'],
    userId: null,
    ...stamp,
  };
  const invitation = newInvitation(
    { invitationId: 'inv-1', schoolId: 's-1', guardianId: GUARDIAN, tokenHash: sha256(INVITATION), smsSignature: null },
    { by: 'u-admin', now: clock() },
  );
  const session = newSession(
    { sessionId: 'sess-1', userId: 'gu-1', schoolId: 's-1', guardianId: GUARDIAN, secretHash: sha256(SESSION_SECRET) },
    clock(),
  );
  const done = async () => undefined;
  const signIns = {
    linkTarget: async (hash: string) =>
      hash === invitation.tokenHash ? { invitationId: 'inv-1', schoolId: 's-1', guardianId: GUARDIAN } : null,
    invitation: async (s: string, g: string) => (s === 's-1' && g === GUARDIAN ? invitation : null),
    invitationsOf: async () => new Map(),
    session: async (id: string) => (id === session.sessionId ? session : null),
    sessionsOf: async (userId: string) => (userId === session.userId ? [session] : []),
    history: empty,
    settings: async () => NO_SETTINGS,
    issue: done,
    recordFailure: done,
    recordSmsCode: done,
    redeem: done,
    rotate: done,
    end: async () => true,
    saveSettings: done,
  };
  const store = {
    signIns,
    relations: { at: async () => ({ staffIds: new Set<string>(), guardians: [] }) },
    schools: repo((_s, id) => (id === 's-1' ? school : null)),
    grades: repo((s, id) => (s === 's-1' ? (grades.find((g) => g.id === id) ?? null) : null), grades),
    rooms: repo(),
    terms: repo(),
    staff: repo(),
    students: repo(),
    // the guardian's account is the session's
    guardians: {
      ...repo((s, id) => (s === 's-1' && id === GUARDIAN ? guardian : null)),
      ofUser: async (userId: string) => (userId === session.userId ? [{ ...guardian, userId }] : []),
    },
    imports: repo(),
  };
  let n = 0;
  const random = () => (n = (n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const jobs = { enqueue: async () => undefined };
  const base = {
    store,
    clock,
    newId: idGenerator(clock, random),
    newSecret: () => SESSION_SECRET,
    idempotency: new FakeIdempotency(),
    jobs,
  };
  return base as unknown as Runtime;
}

/** The sign-in function's runtime over the in-memory store: sessions signed by a P-256 key made here, SMS codes logged. */
function fakeSigninRuntime() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signinRuntimeOf(fakeRuntime(), {
    issuer: 'https://kehou.test/issuer',
    audience: 'kehou-test',
    signer: { localKey: { kid: 'fuzz', privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, unknown> } },
    signInKey: SIGN_IN_KEY,
    sms: 'log',
  });
}

// ---------------------------------------------------------------- the property
type Handler = (event: Event, context: ReturnType<typeof lambdaContext>) => Promise<Result>;

function wellFormed(res: Result): void {
  const status = res.statusCode ?? 0;
  expect(status).toBeGreaterThanOrEqual(200);
  expect(status).toBeLessThan(500);
  const ct = (res.headers?.['content-type'] as string | undefined) ?? '';
  if (status === 204) {
    expect(res.body).toBeUndefined();
    return;
  }
  expect(['application/json', 'application/problem+json']).toContain(ct);
  const body = JSON.parse(res.body!) as Record<string, unknown>;
  if (ct === 'application/problem+json') {
    expect(body.status).toBe(status);
    expect(typeof body.detail).toBe('string');
  }
}

/** How often each status was answered, and the routes that answered 2xx at least once. */
async function fuzz(handler: Handler): Promise<{ statuses: Map<number, number>; succeeded: Set<string> }> {
  const statuses = new Map<number, number>();
  const succeeded = new Set<string>();
  await fc.assert(
    fc.asyncProperty(events, async (init) => {
      const res = await handler(apiEvent(init), lambdaContext());
      wellFormed(res);
      statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
      if (res.statusCode! < 300) succeeded.add(init.routeKey);
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  return { statuses, succeeded };
}

let stderr: MockInstance<typeof process.stderr.write>;
let stdout: MockInstance<typeof process.stdout.write>;
beforeAll(() => {
  // a 5xx would be logged; the property reports it, the log only clutters the output
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  stderr.mockRestore();
  stdout.mockRestore();
});

describe('fuzzing the edge', () => {
  it(`never answers 5xx, over ${RUNS} random events, with the real route specs and trivial implementations`, async () => {
    const handler = lambdaHandler(
      SPECS.map((spec) => bind(spec, async () => ({}))),
      { clock: frozenClock(), idempotency: new FakeIdempotency() },
    );
    const { statuses } = await fuzz(handler);
    // the events reach every stage of the chain, and often get through it
    for (const s of [200, 400, 401, 404, 415]) expect(statuses.get(s) ?? 0, `status ${s}`).toBeGreaterThan(0);
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0) + (statuses.get(204) ?? 0)).toBeGreaterThan(RUNS / 20);
  });

  it(`never answers 5xx, over ${RUNS} random events, with the real implementations over an in-memory store`, async () => {
    const handler = lambdaHandler([...setupBound, ...peopleBound, ...signinBound], fakeSigninRuntime());
    const { statuses, succeeded } = await fuzz(handler);
    for (const s of [400, 401, 403, 404, 422]) expect(statuses.get(s) ?? 0, `status ${s}`).toBeGreaterThan(0);
    // valid input for the one known school reaches the store; an invitation is redeemed, a session refreshed (tokens signed)
    expect((statuses.get(200) ?? 0) + (statuses.get(201) ?? 0)).toBeGreaterThan(0);
    for (const r of ['POST /invitations/{token}/redeem', 'POST /tokens/refresh']) expect(succeeded, r).toContain(r);
  });
});

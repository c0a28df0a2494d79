/**
 * The middleware chain (errors → route → principal → input → idempotency), driven the way
 * Lambda drives it: through `lambdaHandler`, with small fake routes and hand-made API
 * Gateway v2 events.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import * as z from 'zod';
import { Conflict, Id, type Principal } from '@kehou/domain';
import {
  bind,
  DEFAULT_MAX_BODY,
  IDEMPOTENCY_PATIENCE,
  lambdaHandler,
  Reply,
  route,
  type Input,
  type RouteSpec,
} from '@kehou/http';
import { call, claimsOf, FakeIdempotency, frozenClock, type EventInit } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

// ---------------------------------------------------------------- fake routes
const ping = route({ operationId: 'ping', method: 'GET', path: '/ping', summary: 'ping', tag: 'T', auth: 'public' });
const createThing = route({
  operationId: 'createThing',
  method: 'POST',
  path: '/schools/{schoolId}/things',
  summary: 'create',
  tag: 'T',
  auth: 'jwt',
  params: z.object({ schoolId: Id }),
  query: z.object({ dryRun: z.enum(['yes', 'no']).optional() }),
  body: z.object({ name: z.string().min(1), size: z.number().int(), tags: z.array(z.string()).optional() }),
  maxBodyBytes: 200,
  status: 201,
  idempotent: true,
});
const getThing = route({
  operationId: 'getThing',
  method: 'GET',
  path: '/schools/{schoolId}/things/{thingId}',
  summary: 'get',
  tag: 'T',
  auth: 'jwt',
  params: z.object({ schoolId: Id, thingId: Id }),
  query: z.object({ limit: z.coerce.number().int().min(1).max(10).default(5) }),
});
const upload = route({
  operationId: 'upload',
  method: 'POST',
  path: '/schools/{schoolId}/uploads',
  summary: 'upload',
  tag: 'T',
  auth: 'jwt',
  params: z.object({ schoolId: Id }),
  body: z.object({ rows: z.array(z.unknown()).min(1) }),
  bodyTypes: ['application/json', 'text/csv'],
});
const bigDefault = route({
  operationId: 'big',
  method: 'PUT',
  path: '/big',
  summary: 'default body limit',
  tag: 'T',
  auth: 'public',
  body: z.unknown(),
});
const plain = route({
  operationId: 'plain',
  method: 'POST',
  path: '/plain',
  summary: 'idempotent-less',
  tag: 'T',
  auth: 'jwt',
  body: z.object({ n: z.number() }),
});
const recordThing = route({
  operationId: 'recordThing',
  method: 'POST',
  path: '/records',
  summary: 'a record written once by the route itself',
  tag: 'T',
  auth: 'jwt',
  body: z.object({ n: z.number() }),
  idempotent: 'by-record',
});
const explode = route({
  operationId: 'explode',
  method: 'POST',
  path: '/explode',
  summary: 'x',
  tag: 'T',
  auth: 'jwt',
  idempotent: true,
});

const seen: Input<RouteSpec>[] = [];
let failNext: Error | null = null;
const record = async (i: Input<RouteSpec>) => {
  seen.push(i);
  if (failNext) {
    const e = failNext;
    failNext = null;
    throw e;
  }
};

const routes = [
  bind(ping, async (i) => {
    await record(i as Input<RouteSpec>);
    return { pong: true, principal: i.principal?.userId ?? null };
  }),
  bind(createThing, async (i) => {
    await record(i as Input<RouteSpec>);
    return { id: `t-${seen.length}`, ...i.body };
  }),
  bind(getThing, async (i) => {
    await record(i as Input<RouteSpec>);
    return { id: i.params.thingId, limit: i.query.limit };
  }),
  bind(upload, async (i) => {
    await record(i as Input<RouteSpec>);
    return { type: i.bodyType, body: i.body };
  }),
  bind(bigDefault, async (i) => {
    await record(i as Input<RouteSpec>);
    return new Reply(204, undefined);
  }),
  bind(plain, async (i) => {
    await record(i as Input<RouteSpec>);
    return { n: i.body.n };
  }),
  bind(recordThing, async (i) => {
    await record(i as Input<RouteSpec>);
    return { n: i.body.n };
  }),
  bind(explode, async (i) => {
    await record(i as Input<RouteSpec>);
    throw new Error('boom: table kehou-prod at 10.0.0.7');
  }),
];

const admin = claimsOf({ sub: 'u-admin', groups: '[admin]', schools: 's-1' });
const json = { 'content-type': 'application/json' };
const thing = (over: Partial<EventInit> = {}): EventInit => ({
  routeKey: 'POST /schools/{schoolId}/things',
  pathParameters: { schoolId: 's-1' },
  headers: json,
  body: JSON.stringify({ name: 'chess', size: 3 }),
  claims: admin,
  ...over,
});

let port: FakeIdempotency;
let handler: ReturnType<typeof lambdaHandler>;
let stderr: MockInstance<typeof process.stderr.write>;

beforeEach(() => {
  seen.length = 0;
  failNext = null;
  port = new FakeIdempotency();
  handler = lambdaHandler(routes, { clock: frozenClock(), idempotency: port });
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stderr.mockRestore();
});

// ---------------------------------------------------------------- routing and authentication
describe('resolving the route', () => {
  it('answers 404 for a routeKey no route declares, before asking for credentials', async () => {
    const res = await call(handler, { routeKey: 'GET /nowhere' });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.detail).toContain('GET /nowhere');
    expect(seen).toHaveLength(0);
  });

  it('matches on method and path together', async () => {
    const res = await call(handler, { ...thing(), routeKey: 'DELETE /schools/{schoolId}/things' });
    expect(res.status).toBe(404);
  });
});

describe('authentication', () => {
  it('answers 401 on a jwt route without claims, and does not run the route', async () => {
    const res = await call(handler, thing({ claims: undefined }));
    expect(res.status).toBe(401);
    expect(res.body.title).toBe('Unauthorized');
    expect(seen).toHaveLength(0);
  });

  it('answers 401 on a jwt route whose claims have no sub', async () => {
    const res = await call(handler, thing({ claims: claimsOf({ groups: ['admin'], schools: 's-1' }) }));
    expect(res.status).toBe(401);
  });

  it('checks credentials before input: no claims and a bad body is still 401', async () => {
    const res = await call(handler, thing({ claims: undefined, body: '{oops' }));
    expect(res.status).toBe(401);
  });

  it('serves a public route without claims, with no principal', async () => {
    const res = await call(handler, { routeKey: 'GET /ping' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ pong: true, principal: null });
    expect(seen[0]!.principal).toBeNull();
  });

  it('still reads the principal on a public route when claims are present', async () => {
    const res = await call(handler, { routeKey: 'GET /ping', claims: admin });
    expect(res.body.principal).toBe('u-admin');
  });

  it('hands the route the principal from the claims', async () => {
    await call(handler, thing());
    const p = seen[0]!.principal as Principal;
    expect(p.userId).toBe('u-admin');
    expect([...p.roles]).toEqual(['admin']);
    expect([...p.memberships].map(([k, v]) => [k, [...v]])).toEqual([['s-1', ['admin']]]);
  });
});

// ---------------------------------------------------------------- input
describe('parsing input', () => {
  it('hands the route parsed params, query (with defaults and coercion), headers and the request id', async () => {
    const res = await call(handler, {
      routeKey: 'GET /schools/{schoolId}/things/{thingId}',
      pathParameters: { schoolId: 's-1', thingId: 'th-9' },
      query: { limit: '7' },
      headers: { 'x-trace': 'abc' },
      claims: admin,
      requestId: 'req-42',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'th-9', limit: 7 });
    expect(seen[0]!.params).toEqual({ schoolId: 's-1', thingId: 'th-9' });
    expect(seen[0]!.headers['x-trace']).toBe('abc');
    expect(seen[0]!.requestId).toBe('req-42');
    expect(seen[0]!.bodyType).toBeNull();

    await call(handler, {
      routeKey: 'GET /schools/{schoolId}/things/{thingId}',
      pathParameters: { schoolId: 's-1', thingId: 'x' },
      claims: admin,
    });
    expect((seen[1]!.query as { limit: number }).limit).toBe(5);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await call(handler, thing({ body: '{"name": "chess",' }));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: [], message: 'the body is not valid JSON' }]);
    expect(seen).toHaveLength(0);
  });

  it('answers 400 for a missing or blank body where one is required', async () => {
    for (const body of [undefined, '', '  \n']) {
      const res = await call(handler, thing({ body }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: [], message: 'a JSON body is required' }]);
    }
  });

  it('answers 400 for JSON of the wrong shape, every problem with a path relative to the body', async () => {
    const res = await call(handler, thing({ body: JSON.stringify({ name: '', size: 1.5, tags: ['ok', 3] }) }));
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: unknown[] }) => e.path);
    expect(paths).toEqual(expect.arrayContaining([['name'], ['size'], ['tags', 1]]));
    expect(paths).toHaveLength(3);
    for (const e of res.body.errors) expect(typeof e.message).toBe('string');
  });

  it('answers 400 for JSON that is not an object at all', async () => {
    for (const body of ['null', '[]', '"chess"', '42']) {
      const res = await call(handler, thing({ body }));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toEqual([]);
    }
  });

  it('reports params and query problems under "params" and "query", together with body problems', async () => {
    const res = await call(
      handler,
      thing({ pathParameters: { schoolId: 'not an id!' }, query: { dryRun: 'maybe' }, body: JSON.stringify({ name: 'x' }) }),
    );
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: unknown[] }) => e.path);
    expect(paths).toEqual(expect.arrayContaining([['params', 'schoolId'], ['query', 'dryRun'], ['size']]));
    expect(paths).toHaveLength(3);
  });

  it('reports a missing path parameter under params', async () => {
    const res = await call(handler, thing({ pathParameters: undefined }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([['params', 'schoolId']]);
  });

  it('answers 413 for a body over the route limit, counted in bytes', async () => {
    // 62 Chinese characters are 186 bytes in UTF-8 but only 62 UTF-16 units
    const chinese = JSON.stringify({ name: '围棋'.repeat(31), size: 1 });
    expect(chinese.length).toBeLessThan(200);
    expect(Buffer.byteLength(chinese)).toBe(206);
    const res = await call(handler, thing({ body: chinese }));
    expect(res.status).toBe(413);
    expect(res.body.title).toBe('Content Too Large');
    expect(seen).toHaveLength(0);
  });

  it('accepts a body of exactly the route limit', async () => {
    const prefix = '{"size":1,"name":"';
    const body = `${prefix}${'a'.repeat(200 - prefix.length - 2)}"}`;
    expect(Buffer.byteLength(body)).toBe(200);
    expect((await call(handler, thing({ body }))).status).toBe(201);
    expect((await call(handler, thing({ body: body.replace('"name":"', '"name":"a') }))).status).toBe(413);
  });

  it('limits bodies to 1 MiB by default', async () => {
    const over = JSON.stringify('x'.repeat(DEFAULT_MAX_BODY));
    const under = JSON.stringify('x'.repeat(1000));
    expect((await call(handler, { routeKey: 'PUT /big', headers: json, body: over })).status).toBe(413);
    expect((await call(handler, { routeKey: 'PUT /big', headers: json, body: under })).status).toBe(204);
  });

  it('answers 415 for a media type the route does not take', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv', 'application/octet-stream']) {
      const res = await call(handler, thing({ headers: { 'content-type': type } }));
      expect(res.status).toBe(415);
      expect(res.body.detail).toContain('application/json');
    }
    expect(seen).toHaveLength(0);
  });

  it('takes JSON with parameters or in upper case, and JSON when no content-type is sent', async () => {
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'Application/JSON' },
      {},
    ];
    for (const headers of variants) {
      expect((await call(handler, thing({ headers }))).status).toBe(201);
    }
    expect(seen.every((i) => i.bodyType === 'application/json')).toBe(true);
  });

  it('takes text/csv only where declared, and hands it over unparsed', async () => {
    const csv = 'studentNo,name\r\n1,"Li, Ming"\r\n';
    const res = await call(handler, {
      routeKey: 'POST /schools/{schoolId}/uploads',
      pathParameters: { schoolId: 's-1' },
      headers: { 'content-type': 'text/csv; charset=utf-8' },
      body: csv,
      claims: admin,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ type: 'text/csv', body: csv });
  });

  it('still validates JSON on a route that also takes CSV', async () => {
    const base = {
      routeKey: 'POST /schools/{schoolId}/uploads',
      pathParameters: { schoolId: 's-1' },
      headers: json,
      claims: admin,
    };
    const ok = await call(handler, { ...base, body: JSON.stringify({ rows: [1] }) });
    const bad = await call(handler, { ...base, body: JSON.stringify({ rows: [] }) });
    expect(ok.body).toEqual({ type: 'application/json', body: { rows: [1] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toEqual(['rows']);
  });

  it('decodes a base64-encoded body (as API Gateway sends binary media), JSON or CSV', async () => {
    const body = { name: '国际象棋', size: 2 };
    const res = await call(handler, thing({ body: Buffer.from(JSON.stringify(body)).toString('base64'), isBase64Encoded: true }));
    expect(res.status).toBe(201);
    expect(seen[0]!.body).toEqual(body);

    const csv = '\uFEFF学号,姓名\n1,李明\n';
    const up = await call(handler, {
      routeKey: 'POST /schools/{schoolId}/uploads',
      pathParameters: { schoolId: 's-1' },
      headers: { 'content-type': 'text/csv' },
      body: Buffer.from(csv).toString('base64'),
      isBase64Encoded: true,
      claims: admin,
    });
    expect(up.body.body).toBe(csv.slice(1)); // the BOM says UTF-8, and goes
  });

  const upload = (body: Buffer, contentType = 'text/csv', more: Partial<Parameters<typeof call>[1]> = {}) =>
    call(handler, {
      routeKey: 'POST /schools/{schoolId}/uploads',
      pathParameters: { schoolId: 's-1' },
      headers: { 'content-type': contentType },
      body: body.toString('base64'),
      isBase64Encoded: true,
      claims: admin,
      ...more,
    });
  // 学号,姓名 / 1,李明 as Chinese Excel saves "CSV" (GBK)
  const GBK = Buffer.from('d1a7bac52cd0d5c3fb0a312cc0eec3f70a', 'hex');

  it('reads a CSV body as GB18030 (GBK) when it is not UTF-8, or as the charset it declares', async () => {
    expect((await upload(GBK)).body).toEqual({ type: 'text/csv', body: '学号,姓名\n1,李明\n' });
    // as its bytes (how a file that may not be UTF-8 reaches Lambda intact), in either encoding
    expect((await upload(GBK, 'application/octet-stream')).body).toEqual({ type: 'text/csv', body: '学号,姓名\n1,李明\n' });
    expect((await upload(Buffer.from('\uFEFF学号\n1\n'), 'application/octet-stream')).body.body).toBe('学号\n1\n');
    expect((await upload(GBK, 'text/csv; charset="GBK"')).body.body).toBe('学号,姓名\n1,李明\n');
    const declared = await upload(GBK, 'text/csv; charset=utf-8');
    expect(declared.status).toBe(400);
    expect(declared.body.errors[0].message).toMatch(/not valid utf-8 text, as its Content-Type says/);
  });

  it('refuses a CSV body it cannot read (400, with every other problem), never guessing', async () => {
    const res = await upload(Buffer.from([0x41, 0x2c, 0xff, 0xff, 0x0a]), 'text/csv', {
      pathParameters: { schoolId: 'bad id!' },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: ['params', 'schoolId'], message: expect.any(String) },
      { path: [], message: expect.stringMatching(/neither UTF-8 nor GB18030\/GBK text/) },
    ]);
    const unknown = await upload(GBK, 'text/csv; charset=klingon');
    expect(unknown.body.errors).toEqual([{ path: ['headers', 'content-type'], message: expect.stringMatching(/klingon/) }]);
    // text that arrived garbled (GBK passed on as if it were UTF-8): its replacement characters are refused
    const garbled = await call(handler, {
      routeKey: 'POST /schools/{schoolId}/uploads',
      pathParameters: { schoolId: 's-1' },
      headers: { 'content-type': 'text/csv' },
      body: GBK.toString('utf8'),
      claims: admin,
    });
    expect(garbled.status).toBe(400);
    expect(garbled.body.errors[0].message).toMatch(/^line 1 of the file has characters that were lost/);
  });

  it('measures a base64 body after decoding', async () => {
    // 150 bytes decoded, 200 bytes as base64: under the limit of 200
    const body = JSON.stringify({ size: 1, name: 'b'.repeat(150 - 20) });
    expect(Buffer.byteLength(body)).toBe(150);
    const b64 = Buffer.from(body).toString('base64');
    expect(b64.length).toBe(200);
    expect((await call(handler, thing({ body: b64, isBase64Encoded: true }))).status).toBe(201);
  });

  it('ignores a body on a route that takes none', async () => {
    const res = await call(handler, { routeKey: 'GET /ping', headers: { 'content-type': 'text/html' }, body: '<html>' });
    expect(res.status).toBe(200);
    expect(seen[0]!.body).toBeUndefined();
  });
});

// ---------------------------------------------------------------- unexpected errors
describe('unexpected errors', () => {
  it('answers a plain Error from the route with 500, without its details, and logs it', async () => {
    const res = await call(handler, { routeKey: 'POST /explode', claims: admin, requestId: 'req-500' });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.raw.body).not.toMatch(/boom|kehou-prod|10\.0\.0\.7/);
    const logged = stderr.mock.calls.map((c) => String(c[0])).join('');
    expect(logged).toContain('boom');
    expect(logged).toContain('req-500');
    expect(logged).toContain('POST /explode');
  });

  it('does not log expected (4xx) errors as unexpected', async () => {
    await call(handler, thing({ body: '{' }));
    await call(handler, { routeKey: 'GET /nowhere' });
    expect(stderr).not.toHaveBeenCalled();
  });
});

// ---------------------------------------------------------------- idempotency
describe('idempotency', () => {
  const KEY = '3f1c9a52-0d4e-4b7a-9c1e-2a5b6c7d8e9f';
  const keyed = (over: Partial<EventInit> = {}) => thing({ headers: { ...json, 'idempotency-key': KEY }, ...over });

  it('claims the key on the first call, runs the route once and stores its answer', async () => {
    const res = await call(handler, keyed());
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(port.calls).toEqual([`claim u-admin ${KEY}`, `complete u-admin ${KEY}`]);
    const stored = [...port.records.values()][0]!;
    expect(stored.state).toBe('done');
    expect(stored.response).toEqual({ statusCode: 201, headers: res.headers, body: res.raw.body });
  });

  it('replays the first answer to a retry with the same key, without running the route again', async () => {
    const first = await call(handler, keyed());
    const retry = await call(handler, keyed());
    expect(seen).toHaveLength(1);
    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toBe('application/json');
  });

  it('refuses the same key with a different body: 409 idempotency-mismatch', async () => {
    await call(handler, keyed());
    const res = await call(handler, keyed({ body: JSON.stringify({ name: 'go', size: 3 }) }));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('idempotency-mismatch');
    expect(seen).toHaveLength(1);
  });

  it('refuses the same key for another school (another path): 409 idempotency-mismatch', async () => {
    await call(handler, keyed());
    const res = await call(handler, keyed({ pathParameters: { schoolId: 's-2' } }));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('idempotency-mismatch');
  });

  it('refuses the same key with a different query string: 409 idempotency-mismatch', async () => {
    await call(handler, keyed({ query: { dryRun: 'yes' } }));
    const res = await call(handler, keyed({ query: { dryRun: 'no' } }));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('idempotency-mismatch');
    expect(seen).toHaveLength(1);
  });

  const gated = (sleep: (ms: number) => Promise<void>) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = lambdaHandler(
      [
        bind(createThing, async (i) => {
          await gate;
          return { id: 'slow', ...i.body };
        }),
      ],
      { clock: frozenClock(), idempotency: port, sleep },
    );
    return { slow, release };
  };

  it('lets a duplicate wait for the first answer and replay it', async () => {
    let looks = 0;
    const { slow, release } = gated(async () => {
      if (++looks === 3) release();
      await new Promise((r) => setImmediate(r));
    });
    const first = call(slow, keyed());
    await vi.waitFor(() => expect(port.records.size).toBe(1));
    const second = await call(slow, keyed());
    expect((await first).status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual((await first).body);
  });

  it('answers 409 in-progress with Retry-After when the first request is still running after the wait', async () => {
    const waited: number[] = [];
    const { slow, release } = gated(async (ms) => void waited.push(ms));
    const first = call(slow, keyed());
    await vi.waitFor(() => expect(port.records.size).toBe(1));
    const second = await call(slow, keyed());
    release();
    expect(second.status).toBe(409);
    expect(second.body.reason).toBe('in-progress');
    expect(second.headers['retry-after']).toBe('1');
    expect(waited).toEqual([...IDEMPOTENCY_PATIENCE]);
    expect((await first).status).toBe(201);
  });

  it('keys are per user: another user with the same key is a new request', async () => {
    await call(handler, keyed());
    const other = await call(handler, keyed({ claims: claimsOf({ sub: 'u-other', groups: ['admin'], schools: 's-1' }) }));
    expect(other.status).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it('releases the key when the request fails, so that a retry runs again', async () => {
    failNext = new Conflict('room taken', 'exists');
    const failed = await call(handler, keyed());
    expect(failed.status).toBe(409);
    expect(port.calls).toEqual([`claim u-admin ${KEY}`, `release u-admin ${KEY}`]);
    expect(port.records.size).toBe(0);

    const retry = await call(handler, keyed());
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(seen).toHaveLength(2);
  });

  it('releases the key when the route crashes, and still answers a bare 500', async () => {
    const res = await call(handler, { routeKey: 'POST /explode', claims: admin, headers: { 'idempotency-key': KEY } });
    expect(res.status).toBe(500);
    expect(port.calls).toEqual([`claim u-admin ${KEY}`, `release u-admin ${KEY}`]);
  });

  it('keeps the answer to a failed request when the key cannot be released, and warns', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      port.failRelease = true;
      failNext = new Conflict('room taken', 'exists');
      const res = await call(handler, keyed());
      expect(res.status).toBe(409);
      expect(res.body.reason).toBe('exists');
      expect(port.calls).toContain(`release u-admin ${KEY}`);
      const warned = stdout.mock.calls.map((c) => JSON.parse(String(c[0]))).find((l) => l.level === 'warn');
      expect(warned).toMatchObject({ msg: 'idempotency key not released', route: 'POST /schools/{schoolId}/things' });
    } finally {
      stdout.mockRestore();
    }
  });

  it('does not claim the key for input that fails validation', async () => {
    const res = await call(handler, keyed({ body: '{}' }));
    expect(res.status).toBe(400);
    expect(port.calls).toEqual([]);
  });

  it('answers 400 for a key of a bad format, under headers.idempotency-key', async () => {
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(129), 'ключ-12345678']) {
      const res = await call(handler, keyed({ headers: { ...json, 'idempotency-key': bad } }));
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toEqual(['headers', 'idempotency-key']);
    }
    expect(port.calls).toEqual([]);
    expect(seen).toHaveLength(0);
  });

  it('accepts keys of 8 and 128 characters', async () => {
    const a = await call(handler, keyed({ headers: { ...json, 'idempotency-key': 'abcd:_.-' } }));
    const b = await call(handler, keyed({ headers: { ...json, 'idempotency-key': 'k'.repeat(128) } }));
    expect([a.status, b.status]).toEqual([201, 201]);
  });

  it('ignores the header on a route not marked idempotent, even a malformed one', async () => {
    const base = { routeKey: 'POST /plain', headers: { ...json, 'idempotency-key': 'x' }, claims: admin, body: '{"n":1}' };
    const first = await call(handler, base);
    const second = await call(handler, base);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(port.calls).toEqual([]);
  });

  it('on a route idempotent by record, checks the key but keeps nothing: the route answers every retry', async () => {
    const base = { routeKey: 'POST /records', headers: { ...json, 'idempotency-key': KEY }, claims: admin, body: '{"n":1}' };
    const first = await call(handler, base);
    const retry = await call(handler, base);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(seen).toHaveLength(2);
    const bad = await call(handler, { ...base, headers: { ...json, 'idempotency-key': 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toEqual(['headers', 'idempotency-key']);
    expect(seen).toHaveLength(2);
    expect(port.calls).toEqual([]);
  });

  it('does nothing without the header', async () => {
    await call(handler, thing());
    await call(handler, thing());
    expect(seen).toHaveLength(2);
    expect(port.calls).toEqual([]);
  });

  it('is not wired in when the runtime has no idempotency port', async () => {
    const bare = lambdaHandler(routes, { clock: frozenClock() });
    const a = await call(bare, keyed());
    const b = await call(bare, keyed({ headers: { ...json, 'idempotency-key': 'bad' } }));
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});

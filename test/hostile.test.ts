/**
 * Hostile input into every route of the registry, through the local API Gateway and the
 * real handlers on DynamoDB Local: fast-check breaks each route's valid request (from the
 * authorisation matrix) — path parameters, query strings and cursors, bodies of the wrong
 * type, 1 MB strings, deep nesting, `__proto__` keys, lone surrogates, bad
 * percent-encoding, the wrong content type, a stranger's token. Never a 5xx, and a refused
 * request writes nothing (the table's items are compared before and after) unless its route
 * records the refusal (`refusalsRecorded`: a wrong code is counted, a reused refresh token ends a session).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteSpec } from '@kehou/http';
import { ALL_ROUTES } from '../functions/index';
import { MATRIX, type Req } from './support/matrix';
import { IDENTITIES, makeWorld, type World } from './support/world';

const RUNS_PER_ROUTE = 15;

const NASTY = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  '\uD800',
  'a\uDFFFb',
  '%',
  '%E0%A4%A',
  '%00',
  '%2F..%2F',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'x'.repeat(5000),
  '字'.repeat(300),
];
const text = fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));

/**
 * A cursor that decodes to a key of the school's own partition (or another) with a sort
 * key missing, empty, outside the list or of another type, and maybe an extra attribute.
 */
const forgedCursor = (schoolId: string) =>
  fc
    .record({
      pk: fc.constantFrom(`SCHOOL#${schoolId}`, 'SCHOOL#x', `DISTRICT#d-1`),
      sk: fc.option(fc.oneof(fc.constantFrom('', '~~~~', 'ROOM#', 'PROFILE', 'GRADE#g1'), text), { nil: undefined }),
      extra: fc.option(text, { nil: undefined }),
    })
    .map((k) => Buffer.from(JSON.stringify(k)).toString('base64url'));

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const RAW_BODIES = [
  '{"__proto__":{"admin":true},"name":"x"}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  deep(100_000),
  `{"name":"${'x'.repeat(1024 * 1024)}"}`,
  'not json at all',
  '\uFEFF{}',
  'null',
  '[]',
  '"a string"',
  '{"name":"\uD800"}',
];

/** A body: the valid one broken a little (a field dropped, retyped, added), any JSON, or one of the nasty raw bodies. */
function bodies(valid: unknown): fc.Arbitrary<string> {
  const obj = valid && typeof valid === 'object' && !Array.isArray(valid) ? (valid as Record<string, unknown>) : {};
  const keys = Object.keys(obj);
  const broken = fc
    .record({
      drop: keys.length ? fc.option(fc.constantFrom(...keys), { nil: undefined }) : fc.constant(undefined),
      retype: keys.length
        ? fc.option(fc.tuple(fc.constantFrom(...keys), fc.jsonValue()), { nil: undefined })
        : fc.constant(undefined),
      add: fc.option(fc.tuple(fc.oneof(text, fc.constant('__proto__')), fc.jsonValue()), { nil: undefined }),
    })
    .map(({ drop, retype, add }) => {
      const b: Record<string, unknown> = { ...obj };
      if (drop) delete b[drop];
      if (retype) b[retype[0]] = retype[1];
      let json = JSON.stringify(b);
      if (add) json = `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${JSON.stringify(add[0])}:${JSON.stringify(add[1])}}`;
      return json;
    });
  return fc.oneof(
    { weight: 4, arbitrary: broken },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_BODIES) },
  );
}

interface Hostile {
  who: (typeof IDENTITIES)[number] | 'right';
  params: Array<{ at: number; value: string; raw: boolean } | null>;
  query: Array<[string, string]>;
  body: string | undefined;
  contentType: string;
}

function hostile(spec: RouteSpec, valid: Req, schoolId: string): fc.Arbitrary<Hostile> {
  const template = spec.path.split('/');
  const slots = template.flatMap((seg, i) => (/^\{\w+\}$/.test(seg) ? [i] : []));
  const queryKeys = Object.keys(spec.query?.shape ?? {});
  return fc.record({
    who: fc.oneof(
      { weight: 8, arbitrary: fc.constant('right' as const) },
      { weight: 1, arbitrary: fc.constantFrom(...IDENTITIES) },
    ),
    params: fc.tuple(
      ...slots.map((at) =>
        // most requests keep the real ids, so that they reach the handler
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.record({ at: fc.constant(at), value: text, raw: fc.boolean() }) },
        ),
      ),
    ),
    query: fc
      .tuple(
        // a list gets a forged cursor in most requests
        queryKeys.includes('cursor')
          ? fc.oneof(
              { weight: 1, arbitrary: fc.constant(undefined) },
              {
                weight: 3,
                arbitrary: fc.tuple(fc.constant('cursor'), fc.oneof({ weight: 3, arbitrary: forgedCursor(schoolId) }, text)),
              },
            )
          : fc.constant(undefined),
        fc.array(
          fc.tuple(fc.oneof(fc.constantFrom(...(queryKeys.length ? queryKeys : ['x'])), fc.constant('limit'), text), text),
          {
            maxLength: 2,
          },
        ),
      )
      .map(([cursor, rest]) => (cursor ? [cursor, ...rest] : rest)),
    body:
      spec.body || spec.method !== 'GET' ? fc.option(bodies(valid.body), { nil: undefined, freq: 8 }) : fc.constant(undefined),
    contentType: fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'text/csv',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=gbk',
          '',
        ),
      },
    ),
  }) as fc.Arbitrary<Hostile>;
}

/** The valid request with the hostile parts put in. */
function requestOf(valid: Req, h: Hostile): { path: string; body: string | undefined; headers: Record<string, string> } {
  const [pathPart, queryPart = ''] = valid.path.split('?');
  const segments = pathPart!.split('/');
  for (const p of h.params) {
    if (!p) continue;
    let encoded: string;
    try {
      encoded = p.raw ? p.value : encodeURIComponent(p.value);
    } catch {
      encoded = p.value; // a lone surrogate cannot be encoded: send it as it is
    }
    segments[p.at] = encoded.replace(/[/?#]/g, encodeURIComponent);
  }
  const query = new URLSearchParams(queryPart);
  for (const [k, v] of h.query) query.set(k, v);
  const qs = query.toString();
  return {
    path: `${segments.join('/')}${qs ? `?${qs}` : ''}`,
    body: h.body,
    headers: h.contentType ? { 'content-type': h.contentType } : {},
  };
}

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => w?.app.close());

describe('hostile input', () => {
  it.each(ALL_ROUTES.map((spec) => [spec.operationId, spec] as const))(
    '%s: never a 5xx, and a refusal writes nothing',
    async (_op, spec) => {
      const row = MATRIX[spec.operationId]!;
      await w.app.worker.idle(); // the request is made from what the table holds once the jobs before have ended
      const valid = await row.req(w);
      let last = await w.snapshot();
      await fc.assert(
        fc.asyncProperty(hostile(spec, valid, w.a.schoolId), async (h) => {
          const call = h.who === 'right' ? (row.right === 'anyone' ? w.callers.none : w.callers[row.right]) : w.callers[h.who];
          const req = requestOf(valid, h);
          const res = await call(valid.method, req.path, req.body, req.headers);
          expect(res.status, `${valid.method} ${req.path}`).toBeLessThan(500);
          if (res.status < 400) await w.app.worker.idle(); // the job an accepted request started writes after its answer
          const now = await w.snapshot();
          if (res.status >= 400 && !spec.refusalsRecorded?.includes(res.status))
            expect(now, `a refused ${valid.method} ${req.path} (${res.status}) wrote something`).toBe(last);
          last = now;
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
  );
});

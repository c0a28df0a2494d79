/** How `lambdaHandler` shapes what a route returns into API Gateway's answer. */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { bind, lambdaHandler, Reply, route, type RouteSpec } from '@kehou/http';
import { call, frozenClock } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

const spec = (path: string, extra: Partial<RouteSpec> = {}) =>
  route({ operationId: path.slice(1) || 'root', method: 'GET', path, summary: path, tag: 'T', auth: 'public', ...extra });

const handlerOf = (impl: () => Promise<unknown>, extra: Partial<RouteSpec> = {}) =>
  lambdaHandler([bind(spec('/x', extra), impl)], { clock: frozenClock() });

describe('lambdaHandler', () => {
  it('answers a plain value as JSON with 200', async () => {
    const res = await call(
      handlerOf(async () => ({ ok: true, name: '三年级' })),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(200);
    expect(res.headers).toEqual({ 'content-type': 'application/json' });
    expect(res.raw.body).toBe(JSON.stringify({ ok: true, name: '三年级' }));
  });

  it("uses the route's success status for a plain value", async () => {
    const res = await call(
      handlerOf(async () => ({ id: 'a' }), { status: 201 }),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: 'a' });
  });

  it('answers a Reply with its status and headers, and JSON content', async () => {
    const res = await call(
      handlerOf(async () => new Reply(202, { queued: 3 }, { location: '/jobs/1', 'x-job': '1' })),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(202);
    expect(res.headers).toEqual({ 'content-type': 'application/json', location: '/jobs/1', 'x-job': '1' });
    expect(res.body).toEqual({ queued: 3 });
  });

  it('lets a Reply set its own content-type', async () => {
    const res = await call(
      handlerOf(async () => new Reply(200, { a: 1 }, { 'content-type': 'application/vnd.kehou+json' })),
      {
        routeKey: 'GET /x',
      },
    );
    expect(res.headers['content-type']).toBe('application/vnd.kehou+json');
  });

  it('answers 204 without a body or a content-type', async () => {
    const res = await call(
      handlerOf(async () => new Reply(204, undefined)),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(204);
    expect(res.raw.body).toBeUndefined();
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('drops a body a 204 Reply was given by mistake', async () => {
    const res = await call(
      handlerOf(async () => new Reply(204, { oops: true })),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(204);
    expect(res.raw.body).toBeUndefined();
  });

  it('answers a route with status 204 that returns nothing without a body', async () => {
    const res = await call(
      handlerOf(async () => undefined, { status: 204 }),
      { routeKey: 'GET /x' },
    );
    expect(res.status).toBe(204);
    expect(res.raw.body).toBeUndefined();
  });

  it('sends a string as it is when the route produces another media type', async () => {
    const csv = '学号,姓名\r\n1,李明\r\n';
    const res = await call(
      handlerOf(async () => csv, { produces: 'text/csv' }),
      { routeKey: 'GET /x' },
    );
    expect(res.headers['content-type']).toBe('text/csv');
    expect(res.raw.body).toBe(csv);
  });

  it('JSON-encodes a string on a JSON route, and an object on a route producing another type', async () => {
    const str = await call(
      handlerOf(async () => 'hello'),
      { routeKey: 'GET /x' },
    );
    expect(str.raw.body).toBe('"hello"');
    const obj = await call(
      handlerOf(async () => ({ a: 1 }), { produces: 'text/csv' }),
      { routeKey: 'GET /x' },
    );
    expect(obj.headers['content-type']).toBe('application/json');
    expect(obj.body).toEqual({ a: 1 });
  });

  it('hands the runtime to the route, building it once when given as a factory', async () => {
    const factory = vi.fn(() => ({ clock: frozenClock(), greeting: '你好' }));
    const handler = lambdaHandler([bind(spec('/hi'), async (_i, rt: { greeting: string }) => ({ said: rt.greeting }))], factory);
    const a = await call(handler, { routeKey: 'GET /hi' });
    const b = await call(handler, { routeKey: 'GET /hi' });
    expect([a.body, b.body]).toEqual([{ said: '你好' }, { said: '你好' }]);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('keeps routes apart: each routeKey runs its own implementation', async () => {
    const handler = lambdaHandler(
      [
        bind(spec('/a'), async () => ({ route: 'a' })),
        bind(spec('/a', { method: 'POST', operationId: 'postA', body: z.object({}) }), async () => ({ route: 'post a' })),
        bind(spec('/b'), async () => ({ route: 'b' })),
      ],
      { clock: frozenClock() },
    );
    expect((await call(handler, { routeKey: 'GET /a' })).body).toEqual({ route: 'a' });
    expect((await call(handler, { routeKey: 'POST /a', body: '{}' })).body).toEqual({ route: 'post a' });
    expect((await call(handler, { routeKey: 'GET /b' })).body).toEqual({ route: 'b' });
  });

  it('answers an answer that cannot be serialised with a bare 500', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const res = await call(
        handlerOf(async () => ({ big: 10n })),
        { routeKey: 'GET /x' },
      );
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.raw.body).not.toContain('BigInt');
    } finally {
      stderr.mockRestore();
    }
  });
});

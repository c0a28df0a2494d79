/** The OpenAPI document made from route specs: small made-up routes, then the real registry. */
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Id, PageQuery, VersionQuery } from '@kehou/domain';
import { openApiDocument, route, type RouteSpec } from '@kehou/http';
import { ALL_ROUTES, API_INFO } from '../../../functions/index';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

const INFO = { title: 'T', version: '1', description: 'd' };

const Thing = z.object({
  name: z.string().min(1),
  size: z.number().int().min(1).default(1),
  note: z.string().optional(),
});
const specs = [
  route({ operationId: 'health', method: 'GET', path: '/health', summary: 'up?', tag: 'Service', auth: 'public' }),
  route({
    operationId: 'listThings',
    method: 'GET',
    path: '/schools/{schoolId}/things',
    summary: 'list',
    tag: 'Things',
    auth: 'jwt',
    params: z.object({ schoolId: Id }),
    query: PageQuery,
    response: z.object({ items: z.array(Thing) }),
  }),
  route({
    operationId: 'createThing',
    method: 'POST',
    path: '/schools/{schoolId}/things',
    summary: 'create',
    tag: 'Things',
    auth: 'jwt',
    params: z.object({ schoolId: Id }),
    body: Thing,
    response: Thing,
    status: 201,
    idempotent: true,
  }),
  route({
    operationId: 'deleteThing',
    method: 'DELETE',
    path: '/schools/{schoolId}/things/{thingId}',
    summary: 'delete',
    tag: 'Things',
    auth: 'jwt',
    params: z.object({ schoolId: Id, thingId: Id }),
    query: VersionQuery,
    status: 204,
  }),
  route({
    operationId: 'importThings',
    method: 'POST',
    path: '/schools/{schoolId}/things/import',
    summary: 'import',
    tag: 'Things',
    auth: 'jwt',
    params: z.object({ schoolId: Id }),
    body: z.object({ rows: z.array(z.unknown()) }),
    bodyTypes: ['application/json', 'text/csv'],
  }),
  route({
    operationId: 'exportThings',
    method: 'GET',
    path: '/things.csv',
    summary: 'export',
    tag: 'Things',
    auth: 'public',
    response: z.string(),
    produces: 'text/csv',
  }),
] satisfies RouteSpec[];

const doc = openApiDocument(specs, INFO);
type Op = {
  operationId: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, any> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, any> }> }>;
};
const op = (path: string, method: string) => doc.paths[path]![method] as Op;
const param = (o: Op, name: string) => o.parameters!.find((p) => p.name === name);

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document with the info given, a bearer JWT scheme and the Problem schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual(INFO);
    expect(doc.components.securitySchemes.jwt).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
  });

  it('puts every route under its path and lower-case method, two methods on one path side by side', () => {
    for (const r of specs) expect(op(r.path, r.method.toLowerCase()).operationId).toBe(r.operationId);
    expect(Object.keys(doc.paths['/schools/{schoolId}/things']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/schools/{schoolId}/things',
        '/schools/{schoolId}/things/import',
        '/schools/{schoolId}/things/{thingId}',
        '/things.csv',
      ].sort(),
    );
  });

  it('makes path parameters required, with their zod schema', () => {
    const del = op('/schools/{schoolId}/things/{thingId}', 'delete');
    for (const name of ['schoolId', 'thingId']) {
      const p = param(del, name)!;
      expect(p).toMatchObject({ in: 'path', required: true, schema: { type: 'string' } });
      // the pattern is Id's: it takes an id and refuses what Id refuses
      const re = new RegExp(p.schema.pattern as string);
      expect(re.test('s-1')).toBe(true);
      expect(re.test('not an id')).toBe(false);
    }
  });

  it('makes a query parameter required only when it has no default and is not optional', () => {
    const list = op('/schools/{schoolId}/things', 'get');
    expect(param(list, 'limit')).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', default: 100, minimum: 1, maximum: 500 },
    });
    expect(param(list, 'cursor')).toMatchObject({ in: 'query', required: false });
    expect(param(op('/schools/{schoolId}/things/{thingId}', 'delete'), 'version')).toMatchObject({ in: 'query', required: true });
  });

  it('documents the Idempotency-Key header on idempotent routes only', () => {
    expect(param(op('/schools/{schoolId}/things', 'post'), 'Idempotency-Key')).toMatchObject({
      in: 'header',
      required: false,
      schema: { type: 'string', minLength: 8, maxLength: 128 },
    });
    expect(param(op('/schools/{schoolId}/things', 'get'), 'Idempotency-Key')).toBeUndefined();
    expect(op('/health', 'get').parameters).toBeUndefined();
  });

  it('gives public routes no security and no 401/403; jwt routes the jwt scheme and both', () => {
    const health = op('/health', 'get');
    expect(health.security).toEqual([]);
    expect(Object.keys(health.responses)).not.toContain('401');
    expect(Object.keys(health.responses)).not.toContain('403');
    const list = op('/schools/{schoolId}/things', 'get');
    expect(list.security).toEqual([{ jwt: [] }]);
    expect(list.responses['401']!.content!['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '422']));
  });

  it('takes the request body schema from zod, as input: defaults and optionals are not required', () => {
    const body = op('/schools/{schoolId}/things', 'post').requestBody!;
    expect(body.required).toBe(true);
    const schema = body.content['application/json']!.schema;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['name']);
    expect(schema.properties.name).toEqual({ type: 'string', minLength: 1 });
    expect(schema.properties.size).toMatchObject({ type: 'integer', minimum: 1, default: 1 });
    expect(schema).not.toHaveProperty('$schema');
    expect(Object.keys(body.content)).toEqual(['application/json']);
  });

  it('takes the response schema as output: fields with defaults are then required', () => {
    const created = op('/schools/{schoolId}/things', 'post').responses['201']!;
    expect(created.content!['application/json']!.schema.required).toEqual(['name', 'size']);
    expect(op('/schools/{schoolId}/things', 'post').responses['200']).toBeUndefined();
  });

  it('offers text/csv besides JSON where the route takes it', () => {
    const content = op('/schools/{schoolId}/things/import', 'post').requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/csv']);
    expect(content['text/csv']!.schema).toEqual({ type: 'string' });
  });

  it('documents a success without content when the route has no response schema, under its status', () => {
    const del = op('/schools/{schoolId}/things/{thingId}', 'delete');
    expect(del.responses['204']).toEqual({ description: 'Success' });
  });

  it('uses the media type the route produces', () => {
    expect(Object.keys(op('/things.csv', 'get').responses['200']!.content!)).toEqual(['text/csv']);
  });
});

describe('the document of the real API', () => {
  const real = openApiDocument(ALL_ROUTES, API_INFO);

  it('has every route of the registry, once, under its path and method', () => {
    const ops = Object.values(real.paths).flatMap((methods) => Object.values(methods)) as Op[];
    expect(ops).toHaveLength(ALL_ROUTES.length);
    for (const r of ALL_ROUTES) {
      expect((real.paths[r.path]![r.method.toLowerCase()] as Op).operationId, `${r.method} ${r.path}`).toBe(r.operationId);
    }
    expect(new Set(ALL_ROUTES.map((r) => r.operationId)).size).toBe(ALL_ROUTES.length);
  });

  it('declares every {name} of every path as a required path parameter, and no other', () => {
    for (const r of ALL_ROUTES) {
      const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const o = real.paths[r.path]![r.method.toLowerCase()] as Op;
      const inPath = (o.parameters ?? []).filter((p) => p.in === 'path');
      expect(inPath.map((p) => p.name).sort(), `${r.method} ${r.path}`).toEqual(names.sort());
      expect(inPath.every((p) => p.required)).toBe(true);
    }
  });

  it('documents the Idempotency-Key header exactly on the routes marked idempotent', () => {
    for (const r of ALL_ROUTES) {
      const o = real.paths[r.path]![r.method.toLowerCase()] as Op;
      expect(Boolean(o.parameters?.some((p) => p.name === 'Idempotency-Key')), `${r.method} ${r.path}`).toBe(
        Boolean(r.idempotent),
      );
    }
  });

  it('leaves only the public routes without security', () => {
    for (const r of ALL_ROUTES) {
      const o = real.paths[r.path]![r.method.toLowerCase()] as Op;
      expect(o.security, `${r.method} ${r.path}`).toEqual(r.auth === 'public' ? [] : [{ jwt: [] }]);
    }
  });

  it('makes the room body require name and capacity, as RoomInput does', () => {
    const schema = (real.paths['/schools/{schoolId}/rooms']!.post as Op).requestBody!.content['application/json']!.schema;
    expect(schema.required).toEqual(['name', 'capacity']);
    expect(schema.properties.capacity).toMatchObject({ type: 'integer', minimum: 1, maximum: 2000 });
  });
});

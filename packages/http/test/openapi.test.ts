/**
 * The OpenAPI document made from route specs: small made-up routes, then the real registry.
 * Each operation documents the statuses it can answer, and none it cannot.
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { Id, PageQuery, VersionQuery } from '@kehou/domain';
import { openApiDocument, route, type ApiInfo, type RouteSpec } from '@kehou/http';
import { ALL_ROUTES, API_INFO, FUNCTIONS } from '../../../functions/index';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

const INFO: ApiInfo = {
  title: 'T',
  version: '1',
  description: 'd',
  license: { name: 'L', identifier: 'MIT' },
  tags: { Service: 'the service', Things: 'things', Unused: 'no route has it' },
};

const Thing = z.object({
  name: z.string().min(1),
  size: z.number().int().min(1).default(1),
  note: z.string().optional(),
});
const health = route({ operationId: 'health', method: 'GET', path: '/health', summary: 'up?', tag: 'Service', auth: 'public' });
const things = [
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
    operationId: 'generateThing',
    method: 'POST',
    path: '/schools/{schoolId}/things/generate',
    summary: 'generate',
    description: 'Makes the thing anew.',
    tag: 'Things',
    auth: 'jwt',
    errors: [403],
    rules: ['no-room', 'too-late'],
    status: 202,
    params: z.object({ schoolId: Id }),
    body: z.object({ seed: z.number().int() }),
    maxBodyBytes: 1000,
    response: Thing,
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
    responseHeaders: { 'Content-Disposition': 'attachment' },
  }),
] satisfies RouteSpec[];
const specs: RouteSpec[] = [health, ...things];

const doc = openApiDocument(
  [
    { routes: [health], table: 'none' },
    { routes: things, table: 'readwrite' },
  ],
  INFO,
);
type Response = {
  description: string;
  headers?: Record<string, { schema: Record<string, unknown> }>;
  content?: Record<string, { schema: Record<string, any> }>;
};
type Op = {
  operationId: string;
  description: string;
  security: unknown[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, any> }> };
  responses: Record<string, Response>;
};
const op = (path: string, method: string) => doc.paths[path]![method] as Op;
const param = (o: Op, name: string) => o.parameters!.find((p) => p.name === name);
const statuses = (o: Op) => Object.keys(o.responses).map(Number);

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document with the info given, a server, a bearer JWT scheme and the Problem schema', () => {
    expect(doc.openapi).toBe('3.1.0');
    const { tags: _tags, ...info } = INFO;
    expect(doc.info).toEqual(info);
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.components.securitySchemes.jwt).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail']);
  });

  it('declares the tags the routes use, with their descriptions, and no other', () => {
    expect(doc.tags).toEqual([
      { name: 'Service', description: 'the service' },
      { name: 'Things', description: 'things' },
    ]);
  });

  it("gives each operation the route's description, or its summary when it has none", () => {
    expect(op('/schools/{schoolId}/things/generate', 'post').description).toBe('Makes the thing anew.');
    expect(op('/health', 'get').description).toBe('up?');
  });

  it('puts every route under its path and lower-case method, two methods on one path side by side', () => {
    for (const r of specs) expect(op(r.path, r.method.toLowerCase()).operationId).toBe(r.operationId);
    expect(Object.keys(doc.paths['/schools/{schoolId}/things']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/health',
        '/schools/{schoolId}/things',
        '/schools/{schoolId}/things/generate',
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

  it('documents the Idempotency-Key header on idempotent routes only, and the replay header of their answer', () => {
    const key = param(op('/schools/{schoolId}/things', 'post'), 'Idempotency-Key')!;
    expect(key).toMatchObject({ in: 'header', required: false, schema: { type: 'string', minLength: 8, maxLength: 128 } });
    const re = new RegExp(key.schema.pattern as string);
    expect(re.test('0b7c54e2-2f6e-4a4e-9d4f-4f1f2b1a3c11')).toBe(true);
    expect(re.test('short')).toBe(false);
    expect(op('/schools/{schoolId}/things', 'post').responses['201']!.headers!['Idempotent-Replayed']).toBeDefined();
    expect(op('/schools/{schoolId}/things/generate', 'post').responses['202']!.headers).toBeUndefined();
    expect(param(op('/schools/{schoolId}/things', 'get'), 'Idempotency-Key')).toBeUndefined();
    expect(op('/health', 'get').parameters).toBeUndefined();
  });

  it('gives public routes no security and no 401; jwt routes the jwt scheme and 401', () => {
    const h = op('/health', 'get');
    expect(h.security).toEqual([]);
    expect(statuses(h)).not.toContain(401);
    const list = op('/schools/{schoolId}/things', 'get');
    expect(list.security).toEqual([{ jwt: [] }]);
    expect(list.responses['401']!.content!['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(list.responses['401']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
  });

  it('lists only the statuses each route can answer', () => {
    expect(statuses(op('/health', 'get'))).toEqual([200, 500]);
    expect(statuses(op('/things.csv', 'get'))).toEqual([200, 500, 503]);
    expect(statuses(op('/schools/{schoolId}/things', 'get'))).toEqual([200, 400, 401, 404, 500, 503]);
    expect(statuses(op('/schools/{schoolId}/things', 'post'))).toEqual([201, 400, 401, 404, 409, 413, 415, 500, 503]);
    expect(statuses(op('/schools/{schoolId}/things/{thingId}', 'delete'))).toEqual([204, 400, 401, 404, 409, 500, 503]);
    expect(statuses(op('/schools/{schoolId}/things/generate', 'post'))).toEqual([
      202, 400, 401, 403, 404, 413, 415, 422, 500, 503,
    ]);
  });

  it('has 413 and 415 only on routes with a body, saying its limit and media types', () => {
    for (const r of specs) {
      const o = op(r.path, r.method.toLowerCase());
      expect(statuses(o).includes(413), r.operationId).toBe(Boolean(r.body));
      expect(statuses(o).includes(415), r.operationId).toBe(Boolean(r.body));
    }
    const gen = op('/schools/{schoolId}/things/generate', 'post');
    expect(gen.responses['413']!.description).toContain('1000 bytes');
    expect(op('/schools/{schoolId}/things/import', 'post').responses['415']!.description).toContain(
      'application/json or text/csv or application/octet-stream',
    );
  });

  it('names the rules a 422 may name, and gives the other problems their own shape', () => {
    const gen = op('/schools/{schoolId}/things/generate', 'post');
    expect(gen.responses['422']!.content!['application/problem+json']!.schema).toEqual({
      allOf: [
        { $ref: '#/components/schemas/RuleProblem' },
        { type: 'object', properties: { rule: { enum: ['no-room', 'too-late'] } } },
      ],
    });
    const post = op('/schools/{schoolId}/things', 'post');
    expect(post.responses['400']!.content!['application/problem+json']!.schema.$ref).toBe(
      '#/components/schemas/ValidationProblem',
    );
    expect(post.responses['409']!.content!['application/problem+json']!.schema.$ref).toBe('#/components/schemas/ConflictProblem');
    const conflict = doc.components.schemas.ConflictProblem.allOf[1] as unknown as { properties: { reason: { enum: string[] } } };
    expect(conflict.properties.reason.enum).toEqual([
      'version',
      'exists',
      'in-progress',
      'idempotency-mismatch',
      'state',
      'full',
    ]);
  });

  it('answers 500 with a problem without details, and 503 with Retry-After', () => {
    const post = op('/schools/{schoolId}/things', 'post');
    expect(post.responses['500']!.content).toEqual({
      'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    });
    expect(Object.keys(doc.components.schemas.Problem.properties).sort()).toEqual(['detail', 'status', 'title', 'type']);
    expect(post.responses['503']!.headers!['Retry-After']!.schema).toEqual({ type: 'integer', minimum: 1 });
  });

  it('documents the success status a route states, with the response schema and headers', () => {
    const gen = op('/schools/{schoolId}/things/generate', 'post');
    expect(Object.keys(gen.responses).filter((c) => c.startsWith('2'))).toEqual(['202']);
    expect(gen.responses['202']!.content).toBeDefined();
    expect(op('/things.csv', 'get').responses['200']!.headers!['Content-Disposition']!.schema).toEqual({ type: 'string' });
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

  it('offers a CSV file besides JSON where the route takes it, as text/csv or as its bytes', () => {
    const content = op('/schools/{schoolId}/things/import', 'post').requestBody!.content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/octet-stream', 'text/csv']);
    expect(content['text/csv']!.schema).toMatchObject({ type: 'string' });
    expect(content['application/octet-stream']!.schema).toMatchObject({ type: 'string', contentMediaType: 'text/csv' });
    expect(Object.keys(op('/schools/{schoolId}/things', 'post').requestBody!.content)).toEqual(['application/json']);
  });

  it('documents a success without content when the route has no response schema, under its status', () => {
    const del = op('/schools/{schoolId}/things/{thingId}', 'delete');
    expect(del.responses['204']).toEqual({ description: 'No content' });
  });

  it('uses the media type the route produces', () => {
    expect(Object.keys(op('/things.csv', 'get').responses['200']!.content!)).toEqual(['text/csv']);
  });
});

describe('the document of the real API', () => {
  const real = openApiDocument(FUNCTIONS, API_INFO);
  const realOp = (path: string, method: string) => real.paths[path]![method] as Op;

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

  it('declares every tag it uses, with a description, and describes every operation', () => {
    const declared = new Map(real.tags.map((t) => [t.name, t.description]));
    for (const r of ALL_ROUTES) {
      expect(declared.get(r.tag), r.tag).toMatch(/\w/);
      expect(realOp(r.path, r.method.toLowerCase()).description, r.operationId).toMatch(/\w/);
    }
  });

  it('documents generate as a job: 202 with the Location of its status, 409 while one runs, its rules on the status', () => {
    const gen = realOp('/schools/{schoolId}/terms/{termId}/timetable/generate', 'post');
    expect(statuses(gen)).toEqual(expect.arrayContaining([202, 403, 409]));
    expect(statuses(gen)).not.toContain(422); // why a generation failed is its status resource's to say
    expect(gen.responses['202']!.headers).toHaveProperty('Location');
    const job = realOp('/schools/{schoolId}/terms/{termId}/timetable/jobs/{jobId}', 'get');
    const schema = job.responses['200']!.content!['application/json']!.schema;
    expect(schema.properties.state.enum).toEqual(['queued', 'running', 'finished', 'failed']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['draft', 'problem', 'message']));
    for (const rule of ['no-classes', 'fixed-staff-unavailable', 'timetable-infeasible'])
      expect(gen.description).toContain(`\`${rule}\``);
  });

  it('has 403 only where a member of the school may lack the role', () => {
    expect(statuses(realOp('/schools/{schoolId}/grades', 'get'))).not.toContain(403); // every role reads the set-up
    expect(statuses(realOp('/schools/{schoolId}', 'get'))).not.toContain(403);
    expect(statuses(realOp('/schools/{schoolId}/grades', 'post'))).toContain(403);
    expect(statuses(realOp('/schools/{schoolId}/students', 'get'))).toContain(403);
    expect(statuses(realOp('/schools', 'post'))).toContain(403); // a bureau only
    expect(statuses(realOp('/me', 'get'))).toEqual([200, 401, 500, 503]);
    // a public route with a credential of its own, and one that counts wrong codes
    expect(statuses(realOp('/tokens/refresh', 'post'))).toEqual([200, 400, 401, 409, 413, 415, 500, 503]);
    expect(statuses(realOp('/invitations/{token}/redeem', 'post'))).toEqual([200, 400, 404, 409, 413, 415, 422, 429, 500, 503]);
  });

  it('has no 503 on the routes of functions without the table', () => {
    expect(statuses(realOp('/health', 'get'))).toEqual([200, 500]);
    expect(statuses(realOp('/openapi.json', 'get'))).toEqual([200, 500]);
  });

  it('gives a Time field its "HH:MM" pattern, dates their format and instants theirs', () => {
    const grade = realOp('/schools/{schoolId}/grades', 'post').requestBody!.content['application/json']!.schema;
    const time = grade.properties.dismissal.additionalProperties;
    expect(time.type).toBe('string');
    const re = new RegExp(time.pattern);
    for (const ok of ['00:00', '07:05', '16:10', '23:59', '24:00']) expect(re.test(ok), ok).toBe(true);
    for (const bad of ['7:00', '24:01', '25:00', '12:60', '12:00 ', 'noon']) expect(re.test(bad), bad).toBe(false);
    const term = realOp('/schools/{schoolId}/terms', 'post').requestBody!.content['application/json']!.schema;
    expect(term.properties.startDate).toMatchObject({ type: 'string', format: 'date' });
    const room = realOp('/schools/{schoolId}/rooms/{roomId}', 'get').responses['200']!.content!['application/json']!.schema;
    expect(room.properties.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('gives the Location of what a create made', () => {
    expect(realOp('/schools', 'post').responses['201']!.headers!.Location).toBeDefined();
    expect(realOp('/schools/{schoolId}/rooms', 'post').responses['201']!.headers!.Location).toBeDefined();
  });

  it('makes the room body require name and capacity, as RoomInput does', () => {
    const schema = realOp('/schools/{schoolId}/rooms', 'post').requestBody!.content['application/json']!.schema;
    expect(schema.required).toEqual(['name', 'capacity']);
    expect(schema.properties.capacity).toMatchObject({ type: 'integer', minimum: 1, maximum: 2000 });
  });
});

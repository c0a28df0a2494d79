/**
 * The OpenAPI 3.1 document, generated from the route specs and their zod schemas. Each
 * operation lists the statuses it can answer and no other: most follow from the spec (see
 * `errorStatuses`), the rest the spec states (`errors`, `rules`).
 */
import type { Conflict } from '@kehou/domain';
import * as z from 'zod';
import { DEFAULT_MAX_BODY, IDEMPOTENCY_KEY_RE } from './middleware';
import { bodyMediaTypes, type RouteSpec } from './route';

/** What a function may do with the table; a route of one that uses it may answer 503. */
export type TableAccess = 'none' | 'read' | 'readwrite';

/** Routes as the function registry groups them. */
export interface ApiFunction {
  routes: readonly RouteSpec[];
  table: TableAccess;
}

export interface ApiInfo {
  title: string;
  version: string;
  description: string;
  license: { name: string; identifier?: string; url?: string };
  contact?: { name?: string; url?: string; email?: string };
  /** every tag the routes use, with what it groups, in the order to show them */
  tags: Readonly<Record<string, string>>;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const CONFLICT_REASONS: Record<Conflict['reason'], string> = {
  version: 'the version sent is not the stored one: someone else changed it (`current` says who and when)',
  exists: 'it exists already, or someone else wrote first',
  'in-progress': 'a request with this Idempotency-Key is still being processed',
  'idempotency-mismatch': 'this Idempotency-Key was used for a different request',
  state: 'not possible in the state the record is in',
  full: 'no place is left (capacity reached)',
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const allOf = (extra: Record<string, unknown>) => ({ allOf: [ref('Problem'), { type: 'object', ...extra }] });

const SCHEMAS = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; a 500 carries nothing more',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string', description: 'for people: what went wrong, naming what it is about' },
    },
  },
  ValidationProblem: allOf({
    required: ['errors'],
    properties: {
      errors: {
        type: 'array',
        description: 'every problem with the input; path is relative to the body, or starts with "params", "query" or "headers"',
        items: {
          type: 'object',
          required: ['path', 'message'],
          properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, message: { type: 'string' } },
        },
      },
    },
  }),
  ConflictProblem: allOf({
    required: ['reason'],
    properties: {
      reason: {
        type: 'string',
        enum: Object.keys(CONFLICT_REASONS),
        description: Object.entries(CONFLICT_REASONS)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      },
      current: { description: 'for reason "version": the stored version, who wrote it and when' },
    },
  }),
  RuleProblem: allOf({
    required: ['rule'],
    properties: {
      rule: { type: 'string', description: 'the domain rule the request breaks' },
      details: { description: 'what the rule found, e.g. the violations or the culprit' },
    },
  }),
  GatewayMessage: {
    type: 'object',
    description: 'what API Gateway answers itself, before the function runs',
    required: ['message'],
    properties: { message: { type: 'string' } },
  },
};

const problem = (schema: string | Record<string, unknown>) => ({
  'application/problem+json': { schema: typeof schema === 'string' ? ref(schema) : schema },
});
const gateway = { 'application/json': { schema: ref('GatewayMessage') } };

/** The error statuses of a route: derived from its spec, plus those it states. */
export function errorStatuses(r: RouteSpec, table: TableAccess): number[] {
  const s = new Set<number>(r.errors ?? []);
  if (r.params || r.query || r.body || r.idempotent) s.add(400);
  if (r.auth === 'jwt') s.add(401);
  if (r.path.includes('{')) s.add(404);
  if (r.idempotent || r.method === 'PUT' || r.method === 'DELETE') s.add(409);
  if (r.body) s.add(413).add(415);
  if (r.rules?.length) s.add(422);
  s.add(500);
  if (table !== 'none') s.add(503);
  return [...s].sort((a, b) => a - b);
}

function errorResponse(code: number, r: RouteSpec): Record<string, unknown> {
  switch (code) {
    case 400:
      return {
        description: 'Malformed or invalid input, every problem listed; nothing was written',
        content: problem('ValidationProblem'),
      };
    case 401:
      if (r.auth === 'public')
        return { description: 'The credential the request carries is not, or no longer, valid', content: problem('Problem') };
      return {
        description: 'No token, or one that is not valid (API Gateway answers this one itself)',
        headers: { 'WWW-Authenticate': { description: 'Bearer', schema: { type: 'string' } } },
        content: { ...gateway, ...problem('Problem') },
      };
    case 403:
      return { description: 'Your role at this school does not allow this', content: problem('Problem') };
    case 404:
      return { description: 'Not found, or not yours to know about (another school’s)', content: problem('Problem') };
    case 409:
      return { description: 'Conflict: a stale version, a duplicate, or a race lost', content: problem('ConflictProblem') };
    case 413:
      return {
        description: `The body is larger than ${r.maxBodyBytes ?? DEFAULT_MAX_BODY} bytes (or than API Gateway takes)`,
        content: { ...problem('Problem'), ...gateway },
      };
    case 415:
      return {
        description: `The body is not ${bodyMediaTypes(r).join(' or ')}`,
        content: problem('Problem'),
      };
    case 422:
      return {
        description: 'Against a domain rule, which `rule` names',
        content: problem({ allOf: [ref('RuleProblem'), { type: 'object', properties: { rule: { enum: r.rules } } }] }),
      };
    case 429:
      return {
        description: 'Too many wrong tries: refused until the seconds given have passed',
        headers: {
          'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
        },
        content: problem('Problem'),
      };
    case 500:
      return {
        description: 'Something went wrong on our side; it is logged, and the answer says no more',
        content: problem('Problem'),
      };
    case 503:
      return {
        description: 'The database is busy; retry after the seconds given',
        headers: { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } },
        content: problem('Problem'),
      };
    default:
      throw new Error(`no description of status ${code}`);
  }
}

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };

function successResponses(r: RouteSpec): Record<string, unknown> {
  const status = r.status ?? 200;
  const produces = r.produces ?? 'application/json';
  const schema = r.response ? jsonSchema(r.response, 'output') : produces !== 'application/json' ? { type: 'string' } : null;
  const headers: Record<string, unknown> = {};
  for (const [name, description] of Object.entries(r.responseHeaders ?? {}))
    headers[name] = { description, schema: { type: 'string' } };
  if (r.idempotent)
    headers['Idempotent-Replayed'] = {
      description: '"true" when this is the first answer, given again to a retry with the same Idempotency-Key',
      schema: { type: 'string', enum: ['true'] },
    };
  return {
    [status]: {
      description: SUCCESS[status] ?? 'Success',
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(schema && status !== 204 ? { content: { [produces]: { schema } } } : {}),
    },
  };
}

function parametersOf(r: RouteSpec): unknown[] {
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', r.params],
    ['query', r.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const s = field as z.ZodType;
      parameters.push({
        name,
        in: where,
        required: where === 'path' || !s.safeParse(undefined).success,
        schema: jsonSchema(s, 'input'),
      });
    }
  }
  if (r.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'a unique key (e.g. a UUID) per intended action: a retried request with the same key gets the first answer',
      schema: { type: 'string', minLength: 8, maxLength: 128, pattern: IDEMPOTENCY_KEY_RE.source },
    });
  }
  return parameters;
}

function operation(r: RouteSpec, table: TableAccess) {
  const content: Record<string, unknown> = {};
  if (r.body) {
    content['application/json'] = { schema: jsonSchema(r.body, 'input') };
    if (r.bodyTypes?.includes('text/csv')) {
      content['text/csv'] = { schema: { type: 'string', description: 'a CSV file, UTF-8 (with or without a BOM)' } };
      content['application/octet-stream'] = {
        schema: {
          type: 'string',
          contentMediaType: 'text/csv',
          description:
            'a CSV file as its bytes: UTF-8 (with or without a BOM) or GB18030/GBK, as Chinese Excel saves "CSV". Send a file ' +
            'that may not be UTF-8 this way: API Gateway passes a text/csv body on as UTF-8 text',
        },
      };
    }
  }
  const responses = successResponses(r);
  for (const code of errorStatuses(r, table)) responses[String(code)] = errorResponse(code, r);
  const parameters = parametersOf(r);
  return {
    operationId: r.operationId,
    summary: r.summary,
    description: r.description ?? r.summary,
    tags: [r.tag],
    security: r.auth === 'jwt' ? [{ jwt: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(r.body ? { requestBody: { required: true, content } } : {}),
    responses,
  };
}

export function openApiDocument(functions: readonly ApiFunction[], info: ApiInfo) {
  const { tags, ...rest } = info;
  const paths: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  for (const f of functions) {
    for (const r of f.routes) {
      (paths[r.path] ??= {})[r.method.toLowerCase()] = operation(r, f.table);
      used.add(r.tag);
    }
  }
  return {
    openapi: '3.1.0',
    info: rest,
    servers: [{ url: '/', description: 'where this document is served from' }],
    tags: Object.entries(tags)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'a Cognito ID token (locally: `npm run token`)',
        },
      },
      schemas: SCHEMAS,
    },
  };
}

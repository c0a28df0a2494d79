/** The OpenAPI 3.1 document, generated from the route specs and their zod schemas. */
import { z } from 'zod';
import type { RouteSpec } from './route';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const PROBLEM = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'for 400: every problem with the input; path is relative to the body, or starts with "params" / "query"',
      items: {
        type: 'object',
        properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, message: { type: 'string' } },
      },
    },
    rule: { type: 'string', description: 'for 422: the domain rule the request breaks' },
  },
};

const ERRORS: Record<string, string> = {
  '400': 'Malformed or invalid input; nothing was written',
  '401': 'No token, or a token that is not valid',
  '403': 'Your role at this school does not allow this',
  '404': 'Not found (or not yours to see)',
  '409': 'Version conflict, duplicate or race lost',
  '422': 'Against a domain rule, which is named',
};

export function openApiDocument(routes: readonly RouteSpec[], info: { title: string; version: string; description: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
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
        schema: { type: 'string', minLength: 8, maxLength: 128 },
      });
    }
    const content: Record<string, unknown> = {};
    if (r.body) {
      content['application/json'] = { schema: jsonSchema(r.body, 'input') };
      if (r.bodyTypes?.includes('text/csv')) content['text/csv'] = { schema: { type: 'string' } };
    }
    const status = String(r.status ?? 200);
    const produces = r.produces ?? 'application/json';
    const responses: Record<string, unknown> = {
      [status]: {
        description: 'Success',
        ...(r.response ? { content: { [produces]: { schema: jsonSchema(r.response, 'output') } } } : {}),
      },
    };
    for (const [code, description] of Object.entries(ERRORS)) {
      if (r.auth === 'public' && (code === '401' || code === '403')) continue;
      responses[code] = {
        description,
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      security: r.auth === 'jwt' ? [{ jwt: [] }] : [],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: PROBLEM },
    },
  };
}

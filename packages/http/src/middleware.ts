/**
 * The middy middlewares every function uses, in order: errors → route → principal →
 * input → idempotency. Each does one thing; the handler body then only calls the route's
 * implementation.
 */
import { createHash } from 'node:crypto';
import type middy from '@middy/core';
import { Conflict, decodeCsv, InvalidInput, Unauthenticated, type Clock, type Issue, type Principal } from '@kehou/domain';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { principalFromClaims } from './claims';
import { log } from './log';
import { errorResponse, HttpError } from './problem';
import { bodyMediaTypes, routeKey, type Bound, type Input } from './route';

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;
export interface ApiContext extends Context {
  route?: Bound<unknown>;
  principal?: Principal | null;
  input?: Input<Bound<unknown>['spec']>;
}
type Mw = middy.MiddlewareObj<Event, Result, Error, ApiContext>;

export const DEFAULT_MAX_BODY = 1024 * 1024;

/** Anything thrown becomes a problem+json answer (see problem.ts). */
export const problemErrors = (onUnexpected: (e: unknown, event: Event) => void): Mw => ({
  onError: (request) => {
    const res = errorResponse(request.error);
    if (res.statusCode === 500) onUnexpected(request.error, request.event);
    request.response = res;
  },
});

/** Finds the route API Gateway matched (event.routeKey). */
export const resolveRoute = (routes: readonly Bound<unknown>[]): Mw => {
  const byKey = new Map(routes.map((r) => [routeKey(r.spec), r]));
  return {
    before: (request) => {
      const r = byKey.get(request.event.routeKey);
      if (!r) throw new HttpError(404, `No route ${request.event.routeKey}`);
      request.context.route = r;
    },
  };
};

/** The principal from the authorizer's claims; a protected route without one is 401. */
export const authenticate = (): Mw => ({
  before: (request) => {
    const claims = request.event.requestContext?.authorizer?.jwt?.claims as Record<string, unknown> | undefined;
    const principal = principalFromClaims(claims);
    if (request.context.route?.spec.auth === 'jwt' && !principal) throw new Unauthenticated();
    request.context.principal = principal;
  },
});

const zodIssues = (error: z.ZodError, prefix: (string | number)[]): Issue[] =>
  error.issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }));

function parsePart<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  prefix: (string | number)[],
  issues: Issue[],
): z.output<T> | undefined {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  issues.push(...zodIssues(r.error, prefix));
  return undefined;
}

/** The media type of a Content-Type header, lower case, and its charset parameter if it has one. */
function contentType(headers: Record<string, string | undefined>): { type: string; charset: string | null } | null {
  const ct = headers['content-type'];
  if (!ct) return null;
  const [type, ...params] = ct.split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1]).find((c) => c !== undefined);
  return { type: type!.trim().toLowerCase(), charset: charset ?? null };
}

/** The body's bytes: API Gateway passes binary types base64-encoded (and so does the local one text that is not UTF-8). */
const bodyBytes = (event: Event): Buffer =>
  event.body === undefined || event.body === null
    ? Buffer.alloc(0)
    : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');

/**
 * Path parameters, query and body through the route's zod schemas. Every problem is
 * reported at once, with its path: body fields as they are ("name", "dismissal.MON"),
 * others under "params" and "query". A CSV body is decoded here, and only here (UTF-8 or
 * GB18030, see decodeCsv): the route gets its text.
 */
export const parseInput = (): Mw => ({
  before: (request) => {
    const spec = request.context.route!.spec;
    const { event } = request;
    const headers = event.headers ?? {};
    const issues: Issue[] = [];
    const params = parsePart(spec.params, event.pathParameters ?? {}, ['params'], issues);
    const query = parsePart(spec.query, event.queryStringParameters ?? {}, ['query'], issues);
    let body: unknown;
    let bodyType: 'application/json' | 'text/csv' | null = null;
    if (spec.body) {
      const bytes = bodyBytes(event);
      const max = spec.maxBodyBytes ?? DEFAULT_MAX_BODY;
      if (bytes.length > max) throw new HttpError(413, spec.tooLarge ?? `The request body is larger than ${max} bytes`);
      const ct = contentType(headers) ?? { type: 'application/json', charset: null };
      const accepted = bodyMediaTypes(spec);
      if (!accepted.includes(ct.type)) throw new HttpError(415, `Send the body as ${accepted.join(' or ')}`);
      bodyType = ct.type === 'application/json' ? 'application/json' : 'text/csv';
      const raw = event.isBase64Encoded ? bytes.toString('utf8') : (event.body ?? '');
      if (bodyType === 'text/csv') {
        try {
          body = decodeCsv(bytes, ct.charset);
        } catch (e) {
          if (!(e instanceof InvalidInput)) throw e;
          issues.push(...e.issues);
        }
      } else if (raw.trim() === '') issues.push({ path: [], message: 'a JSON body is required' });
      else {
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          throw InvalidInput.at([], 'the body is not valid JSON');
        }
        body = parsePart(spec.body, json, [], issues);
      }
    }
    if (issues.length) throw new InvalidInput(issues);
    request.context.input = {
      params,
      query,
      body,
      bodyType,
      principal: request.context.principal ?? null,
      headers,
      requestId: event.requestContext?.requestId ?? 'local',
    } as Input<typeof spec>;
  },
});

/** What the idempotency middleware needs from the store. */
export interface IdempotencyPort {
  claim(
    userId: string,
    key: string,
    fingerprint: string,
    now: Date,
  ): Promise<
    | { state: 'new' }
    | { state: 'replay'; response: { statusCode: number; headers: Record<string, string>; body: string } }
    | { state: 'in-progress' }
    | { state: 'mismatch' }
  >;
  complete(
    userId: string,
    key: string,
    response: { statusCode: number; headers: Record<string, string>; body: string },
  ): Promise<void>;
  release(userId: string, key: string): Promise<void>;
}

/** What an Idempotency-Key may be (the OpenAPI document shows it as the pattern). */
export const IDEMPOTENCY_KEY_RE = /^[A-Za-z0-9_.:-]{8,128}$/;

/** How long a duplicate waits for the first request's answer: pauses between looks, in ms (about 4.5 s in all). */
export const IDEMPOTENCY_PATIENCE: readonly number[] = [50, 100, 200, 400, 800, 1000, 1000, 1000];
export type Sleep = (ms: number) => Promise<void>;
const sleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * For routes marked idempotent: a request with an `Idempotency-Key` header is done once
 * per user and key; a retry gets the first answer (with `idempotent-replayed: true`). A
 * duplicate that arrives while the first is still running waits for its answer and
 * replays it; if the first is still running after `patience`, the duplicate gets 409
 * `in-progress` with `Retry-After`. On a route idempotent 'by-record' only the key's format is
 * checked here and nothing is kept: the route's own conditional write answers a retry.
 */
export const idempotency = (
  port: IdempotencyPort,
  clock: Clock,
  wait: { sleep?: Sleep; patience?: readonly number[] } = {},
): Mw => {
  const claimed = new WeakSet<object>();
  const keyOf = (request: middy.Request<Event, Result, Error, ApiContext>) => {
    const key = request.event.headers?.['idempotency-key'];
    const principal = request.context.principal;
    if (!key || !request.context.route?.spec.idempotent || !principal) return null;
    return { userId: principal.userId, key };
  };
  return {
    before: async (request) => {
      const k = keyOf(request);
      if (!k) return undefined;
      if (!IDEMPOTENCY_KEY_RE.test(k.key))
        throw InvalidInput.at(['headers', 'idempotency-key'], 'must be 8–128 letters, digits or "_.:-" (a UUID is fine)');
      if (request.context.route!.spec.idempotent === 'by-record') return undefined;
      const fingerprint = createHash('sha256')
        .update(
          `${request.event.routeKey}\n${request.event.rawPath}\n${request.event.rawQueryString ?? ''}\n${request.event.body ?? ''}`,
        )
        .digest('hex');
      let claim = await port.claim(k.userId, k.key, fingerprint, clock());
      for (const ms of wait.patience ?? IDEMPOTENCY_PATIENCE) {
        if (claim.state !== 'in-progress') break;
        await (wait.sleep ?? sleep)(ms);
        claim = await port.claim(k.userId, k.key, fingerprint, clock());
      }
      if (claim.state === 'replay')
        return { ...claim.response, headers: { ...claim.response.headers, 'idempotent-replayed': 'true' } };
      if (claim.state === 'in-progress')
        throw new Conflict('A request with this Idempotency-Key is still being processed; retry shortly', 'in-progress', {
          retryAfterSeconds: 1,
        });
      if (claim.state === 'mismatch')
        throw new Conflict('This Idempotency-Key was used for a different request', 'idempotency-mismatch');
      claimed.add(request.event);
      return undefined;
    },
    after: async (request) => {
      const k = keyOf(request);
      const res = request.response;
      if (!k || !claimed.has(request.event) || !res) return;
      await port.complete(k.userId, k.key, {
        statusCode: res.statusCode ?? 200,
        headers: (res.headers ?? {}) as Record<string, string>,
        body: res.body ?? '',
      });
    },
    onError: async (request) => {
      const k = keyOf(request);
      if (!k || !claimed.has(request.event)) return;
      // a key that cannot be released goes stale and is taken over later; the answer stays the error's
      await port
        .release(k.userId, k.key)
        .catch((e: unknown) => log('warn', 'idempotency key not released', { route: request.event.routeKey, error: e }));
    },
  };
};

/**
 * Test support: API Gateway HTTP API (payload 2.0) events built by hand, a fresh Lambda
 * context per call, and an in-memory IdempotencyPort that behaves like the DynamoDB one
 * (claim / replay / in-progress / mismatch / release).
 */
import type { ApiContext, Event, IdempotencyPort, Result } from '@kehou/http';

export interface EventInit {
  /** "POST /schools/{schoolId}/things"; taken as the routeKey as it is */
  routeKey: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  /** the JWT authorizer's claims; omitted: no authorizer on the event (a public route) */
  claims?: Record<string, unknown>;
  requestId?: string;
}

/** The event API Gateway would hand the function for a matched route. */
export function apiEvent(init: EventInit): Event {
  const [method = 'GET', template = '/'] = init.routeKey.split(' ');
  const rawPath = template.replace(/\{(\w+)\}/g, (_m, name: string) => init.pathParameters?.[name] ?? `{${name}}`);
  const rawQueryString = new URLSearchParams(init.query ?? {}).toString();
  const requestContext: Record<string, unknown> = {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.example.test',
    domainPrefix: 'api',
    http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'vitest' },
    requestId: init.requestId ?? 'req-1',
    routeKey: init.routeKey,
    stage: '$default',
    time: '01/Sep/2026:08:00:00 +0000',
    timeEpoch: Date.UTC(2026, 8, 1, 8),
  };
  if (init.claims)
    requestContext.authorizer = { principalId: '', integrationLatency: 0, jwt: { claims: init.claims, scopes: null } };
  return {
    version: '2.0',
    routeKey: init.routeKey,
    rawPath,
    rawQueryString,
    headers: init.headers ?? {},
    ...(init.query ? { queryStringParameters: init.query } : {}),
    ...(init.pathParameters ? { pathParameters: init.pathParameters } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    isBase64Encoded: init.isBase64Encoded ?? false,
    requestContext,
  } as unknown as Event;
}

/** Claims as Cognito and API Gateway put them on the event. */
/**
 * Claims as the authorizer hands them over. A `schools` string of bare school ids is
 * written as Cognito's attribute would be for a user with these groups: "s-1" with groups
 * [admin] becomes "s-1:admin". Entries that already name a role, and non-strings, pass
 * through as they are.
 */
export function claimsOf(p: { sub?: string; groups?: unknown; schools?: unknown; district?: unknown }): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (p.sub !== undefined) c.sub = p.sub;
  if (p.groups !== undefined) c['cognito:groups'] = p.groups;
  if (typeof p.schools === 'string') {
    const groups = (
      Array.isArray(p.groups)
        ? p.groups.map(String)
        : typeof p.groups === 'string'
          ? p.groups.replace(/[[\]]/g, '').split(/[\s,]+/)
          : []
    ).filter((g) => g && g !== 'district');
    c['custom:schools'] = p.schools
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)
      .flatMap((e) => (e.includes(':') || groups.length === 0 ? [e] : groups.map((g) => `${e}:${g}`)))
      .join(',');
  } else if (p.schools !== undefined) c['custom:schools'] = p.schools;
  if (p.district !== undefined) c['custom:district'] = p.district;
  return c;
}

/** A fresh context per invocation, as Lambda gives. */
export const lambdaContext = (): ApiContext => ({ awsRequestId: 'aws-req' }) as unknown as ApiContext;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON, or the raw text when the body is not JSON, or undefined when there is none */
  body: any;
  raw: Result;
}

export function answer(res: Result): Answer {
  const headers = (res.headers ?? {}) as Record<string, string>;
  const ct = headers['content-type'] ?? '';
  let body: unknown = res.body;
  if (res.body !== undefined && /json/.test(ct)) body = JSON.parse(res.body);
  return { status: res.statusCode ?? 200, headers, body, raw: res };
}

export type Handler = (event: Event, context: ApiContext) => Promise<Result>;
export const call = async (handler: Handler, init: EventInit): Promise<Answer> =>
  answer(await handler(apiEvent(init), lambdaContext()));

type Stored = { statusCode: number; headers: Record<string, string>; body: string };

/** In-memory idempotency records, keyed by user and key, with a log of every call. */
export class FakeIdempotency implements IdempotencyPort {
  readonly records = new Map<string, { fingerprint: string; state: 'in-progress' | 'done'; response?: Stored }>();
  readonly calls: string[] = [];
  failRelease = false;

  async claim(userId: string, key: string, fingerprint: string, _now: Date) {
    this.calls.push(`claim ${userId} ${key}`);
    const id = `${userId}\u0000${key}`;
    const old = this.records.get(id);
    if (!old) {
      this.records.set(id, { fingerprint, state: 'in-progress' });
      return { state: 'new' as const };
    }
    if (old.fingerprint !== fingerprint) return { state: 'mismatch' as const };
    if (old.state === 'done') return { state: 'replay' as const, response: old.response! };
    return { state: 'in-progress' as const };
  }

  async complete(userId: string, key: string, response: Stored) {
    this.calls.push(`complete ${userId} ${key}`);
    const rec = this.records.get(`${userId}\u0000${key}`);
    if (rec) Object.assign(rec, { state: 'done', response });
  }

  async release(userId: string, key: string) {
    this.calls.push(`release ${userId} ${key}`);
    if (this.failRelease) throw new Error('ProvisionedThroughputExceededException (from the fake)');
    this.records.delete(`${userId}\u0000${key}`);
  }
}

/** A clock frozen at a given instant (never today's date). */
export const frozenClock = (iso = '2026-09-01T08:00:00.000Z') => {
  const at = new Date(iso);
  return () => new Date(at);
};

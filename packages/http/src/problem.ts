/**
 * Errors to HTTP, in exactly one place: RFC 9457 problem details. Only statuses below
 * 500 carry the error's message; a 500 says nothing about its cause.
 */
import { Conflict, DomainError, InvalidInput, NotFound, RuleViolation, TooManyAttempts, Unavailable } from '@kehou/domain';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const STATUS: Record<DomainError['kind'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  'too-many-attempts': 429,
  unavailable: 503,
};
const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

export function problemResponse(
  status: number,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  const body: Problem = { type: 'about:blank', title: TITLE[status] ?? 'Error', status, detail, ...extensions };
  return { statusCode: status, headers: { 'content-type': 'application/problem+json', ...headers }, body: JSON.stringify(body) };
}

/** The HTTP answer for anything thrown while serving a request. */
export function errorResponse(e: unknown): APIGatewayProxyStructuredResultV2 {
  if (e instanceof HttpError) return problemResponse(e.status, e.message);
  if (!(e instanceof DomainError)) return problemResponse(500, 'Something went wrong on our side; it has been logged.');
  const status = STATUS[e.kind];
  if (e instanceof InvalidInput)
    return problemResponse(status, e.message, { errors: e.issues.map((i) => ({ path: i.path, message: i.message })) });
  if (e instanceof RuleViolation)
    return problemResponse(status, e.message, { rule: e.rule, ...(e.details !== undefined ? { details: e.details } : {}) });
  if (e instanceof Conflict)
    return problemResponse(
      status,
      e.message,
      {
        reason: e.reason,
        ...(e.current !== undefined ? { current: e.current } : {}),
        ...(e.issues.length ? { errors: e.issues.map((i) => ({ path: i.path, message: i.message })) } : {}),
      },
      e.retryAfterSeconds !== undefined ? { 'retry-after': String(e.retryAfterSeconds) } : {},
    );
  if (e instanceof NotFound && e.issues.length)
    return problemResponse(status, e.message, { errors: e.issues.map((i) => ({ path: i.path, message: i.message })) });
  if (e instanceof Unavailable || e instanceof TooManyAttempts)
    return problemResponse(status, e.message, {}, { 'retry-after': String(e.retryAfterSeconds) });
  return problemResponse(status, e.message);
}

/** A protocol-level refusal that is not a domain matter (unsupported media type, body too large). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

import { describe, expect, it, vi } from 'vitest';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  RuleViolation,
  Unauthenticated,
  TooManyAttempts,
  Unavailable,
} from '@kehou/domain';
import { errorResponse, HttpError, problemResponse } from '@kehou/http';
import { answer } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

const PROBLEM_JSON = 'application/problem+json';

describe('errorResponse', () => {
  it.each<[string, DomainError, number, string]>([
    ['invalid', new InvalidInput([{ path: ['name'], message: 'must not be empty' }]), 400, 'Bad Request'],
    ['unauthenticated', new Unauthenticated(), 401, 'Unauthorized'],
    ['forbidden', new Forbidden(), 403, 'Forbidden'],
    ['not-found', new NotFound('room'), 404, 'Not Found'],
    ['conflict', new Conflict('taken', 'exists'), 409, 'Conflict'],
    ['rule', new RuleViolation('service-ends-by-18', 'too late'), 422, 'Unprocessable Content'],
    ['too-many-attempts', new TooManyAttempts('wait', 60), 429, 'Too Many Requests'],
    ['unavailable', new Unavailable(), 503, 'Service Unavailable'],
  ])('answers a %s error with %i and a problem+json body', (kind, error, status, title) => {
    // Act
    const res = answer(errorResponse(error));
    // Assess
    expect(error.kind).toBe(kind);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(PROBLEM_JSON);
    expect(res.body).toMatchObject({ type: 'about:blank', title, status, detail: error.message });
  });

  it('lists every input issue under errors[] for a 400', () => {
    const error = new InvalidInput([
      { path: ['dismissal', 'MON'], message: 'must be a time' },
      { path: ['params', 'schoolId'], message: 'bad id' },
    ]);
    const res = answer(errorResponse(error));
    expect(res.body.errors).toEqual([
      { path: ['dismissal', 'MON'], message: 'must be a time' },
      { path: ['params', 'schoolId'], message: 'bad id' },
    ]);
    expect(res.body.detail).toBe('2 problems with the input (see errors)');
  });

  it('gives a 409 its reason and, when known, the current version', () => {
    const current = { version: 3, updatedBy: 'u-2', updatedAt: '2026-09-01T08:00:00.000Z' };
    const withCurrent = answer(errorResponse(new Conflict('stale', 'version', { current })));
    const without = answer(errorResponse(new Conflict('dup', 'exists')));
    expect(withCurrent.body).toMatchObject({ status: 409, reason: 'version', current });
    expect(without.body.reason).toBe('exists');
    expect(without.body).not.toHaveProperty('current');
  });

  it('names the field of a duplicate, as errors like a 400', () => {
    const res = answer(errorResponse(Conflict.duplicate(['name'], 'the school has a room named "舞蹈室" already')));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      reason: 'exists',
      errors: [{ path: ['name'], message: 'the school has a room named "舞蹈室" already' }],
    });
  });

  it('tells a 409 for a request still running when to retry', () => {
    const res = answer(errorResponse(new Conflict('still running', 'in-progress', { retryAfterSeconds: 2 })));
    expect(res.headers['retry-after']).toBe('2');
  });

  it('names the rule of a 422, with details only when given', () => {
    const withDetails = answer(errorResponse(new RuleViolation('room-capacity', 'room too small', { capacity: 20 })));
    const without = answer(errorResponse(new RuleViolation('room-capacity', 'room too small')));
    expect(withDetails.body).toMatchObject({ status: 422, rule: 'room-capacity', details: { capacity: 20 } });
    expect(without.body.rule).toBe('room-capacity');
    expect(without.body).not.toHaveProperty('details');
  });

  it('tells a 429 caller when to try again', () => {
    const res = answer(errorResponse(new TooManyAttempts('Too many wrong codes: try again in 15 minutes', 900)));
    expect(res.headers['retry-after']).toBe('900');
    expect(res.body.detail).toBe('Too many wrong codes: try again in 15 minutes');
  });

  it('tells a 503 caller when to retry', () => {
    expect(answer(errorResponse(new Unavailable())).headers['retry-after']).toBe('1');
    const res = answer(errorResponse(new Unavailable('throttled', 7)));
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['content-type']).toBe(PROBLEM_JSON);
    expect(res.body.detail).toBe('throttled');
  });

  it('answers an HttpError with its own status and message', () => {
    const res = answer(errorResponse(new HttpError(413, 'too big')));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ title: 'Content Too Large', status: 413, detail: 'too big' });
  });

  it('answers anything else with 500 and says nothing about the cause', () => {
    const secret = new Error('connect ECONNREFUSED 10.0.0.7:8000 password=hunter2');
    for (const thrown of [
      secret,
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      'a string',
      undefined,
      null,
      42,
    ]) {
      const res = answer(errorResponse(thrown));
      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toBe(PROBLEM_JSON);
      expect(res.body.title).toBe('Internal Server Error');
      expect(Object.keys(res.body).sort()).toEqual(['detail', 'status', 'title', 'type']);
    }
    const raw = errorResponse(secret).body!;
    expect(raw).not.toMatch(/ECONNREFUSED|hunter2|10\.0\.0\.7|stack/);
    // the detail is the same whatever was thrown: it cannot carry the cause
    expect(JSON.parse(raw).detail).toBe(answer(errorResponse(undefined)).body.detail);
  });

  it('does not let a subclass of Error that merely has a "kind" pass as a domain error', () => {
    const lookalike = Object.assign(new Error('internal detail'), { kind: 'invalid', issues: [] });
    const res = answer(errorResponse(lookalike));
    expect(res.status).toBe(500);
    expect(res.raw.body).not.toContain('internal detail');
  });
});

describe('problemResponse', () => {
  it('merges extensions into the body and headers into the answer', () => {
    const res = answer(problemResponse(409, 'busy', { reason: 'in-progress' }, { 'x-extra': 'y' }));
    expect(res.body).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'busy', reason: 'in-progress' });
    expect(res.headers).toEqual({ 'content-type': PROBLEM_JSON, 'x-extra': 'y' });
  });

  it('titles a status it has no name for "Error"', () => {
    expect(answer(problemResponse(418, 'teapot')).body.title).toBe('Error');
  });
});

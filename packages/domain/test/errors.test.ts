import { describe, expect, it } from 'vitest';
import {
  Conflict,
  DomainError,
  Forbidden,
  InvalidInput,
  NotFound,
  RuleViolation,
  Unauthenticated,
  Unavailable,
} from '../src/errors';

describe('domain errors', () => {
  it('are DomainErrors and Errors, each of its own kind', () => {
    const all = [
      new InvalidInput([]),
      new Unauthenticated(),
      new Forbidden(),
      new NotFound('room'),
      new Conflict('x', 'exists'),
      new RuleViolation('r', 'x'),
      new Unavailable(),
    ];
    for (const e of all) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toBeInstanceOf(Error);
    }
    expect(all.map((e) => e.kind)).toEqual([
      'invalid',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'rule',
      'unavailable',
    ]);
  });

  it('InvalidInput.at makes one issue at a path', () => {
    const e = InvalidInput.at(['rows', 3, 'phone'], 'must be a phone number');
    expect(e.issues).toEqual([{ path: ['rows', 3, 'phone'], message: 'must be a phone number' }]);
    expect(e.message).toBe('rows.3.phone: must be a phone number');
  });

  it('have messages written for the user', () => {
    expect(new NotFound('term').message).toBe('term not found');
    expect(new Unauthenticated().message).toBe('Sign-in required');
    expect(new Unavailable().retryAfterSeconds).toBe(1);
    expect(new Unavailable('busy', 5).retryAfterSeconds).toBe(5);
  });
});

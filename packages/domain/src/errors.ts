/**
 * Typed errors of the product. Domain and store code throw these; exactly one place
 * (`@kehou/http` errors.ts) turns them into HTTP answers. Messages of these errors are
 * written for the user: they may be shown. Anything else that is thrown is a bug and is
 * answered 500 without details.
 */
export type IssuePath = ReadonlyArray<string | number>;
export interface Issue {
  path: IssuePath;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind:
    'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'rule' | 'too-many-attempts' | 'unavailable';
}

const pathText = (path: IssuePath) => (path.length ? path.join('.') : 'the body');

/** Input that is malformed or breaks a field rule (400). */
export class InvalidInput extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly issues: Issue[],
    message = issues.length === 1
      ? `${pathText(issues[0]!.path)}: ${issues[0]!.message}`
      : `${issues.length} problems with the input (see errors)`,
  ) {
    super(message);
  }
  static at(path: IssuePath, message: string): InvalidInput {
    return new InvalidInput([{ path, message }]);
  }
}

/** No credentials, or credentials that cannot be trusted (401). */
export class Unauthenticated extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(message = 'Sign-in required') {
    super(message);
  }
}

/** The caller may see the resource but not do this with it (403). */
export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
  constructor(message = 'Your role does not allow this') {
    super(message);
  }
}

/** Not there, or not the caller's to know about (404); `issues` name the input field that named it, if one did. */
export class NotFound extends DomainError {
  readonly kind = 'not-found';
  constructor(
    readonly what: string,
    readonly issues: Issue[] = [],
  ) {
    super(`${what} not found`);
  }
}

/** A version conflict, a duplicate, a seat taken in a race, work of the kind in progress (409). */
export class Conflict extends DomainError {
  readonly kind = 'conflict';
  /** what the record is now (who changed it, when), for a stale version */
  readonly current?: unknown;
  /** the fields that collide, for a duplicate: `errors` of the answer */
  readonly issues: Issue[];
  /** for a request still running: when to try again */
  readonly retryAfterSeconds?: number;
  constructor(
    message: string,
    readonly reason: 'version' | 'exists' | 'in-progress' | 'idempotency-mismatch' | 'state' | 'full',
    extra: { current?: unknown; issues?: Issue[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.current = extra.current;
    this.issues = extra.issues ?? [];
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
  /** A value that must be unique is taken (a room name, a student number). */
  static duplicate(path: IssuePath, message: string): Conflict {
    return new Conflict(message, 'exists', { issues: [{ path, message }] });
  }
}

/** Well-formed but against a domain rule, which is named (422). */
export class RuleViolation extends DomainError {
  readonly kind = 'rule';
  constructor(
    readonly rule: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Too many tries of a secret (a wrong code): refused until `retryAfterSeconds` have passed (429). */
export class TooManyAttempts extends DomainError {
  readonly kind = 'too-many-attempts';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency is overloaded or briefly down; the caller may retry (503). */
export class Unavailable extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    message = 'The service is busy; please retry shortly',
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/**
 * The store edge: AWS errors become domain errors here and nowhere else. Each condition a
 * write carries is named, so a failed transaction says which rule it broke.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Conflict, InvalidInput, NotFound, Unavailable, type IssuePath } from '@kehou/domain';

/** What a failed condition on one item of a write means. */
export type ConditionMeaning =
  | { kind: 'must-exist'; what: string }
  /** a new record whose id is taken; `path` names the input field the id comes from, if any */
  | { kind: 'must-not-exist'; what: string; path?: IssuePath; message?: string }
  | { kind: 'version'; what: string }
  /** a value that must be unique in the school is taken (409 naming the field) */
  | { kind: 'unique'; path: IssuePath; message: string }
  | { kind: 'invalid'; path: IssuePath; message: string }
  /** the record is no longer in the state the change was decided on (another request changed it first) */
  | { kind: 'state'; message: string };

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

interface AwsError {
  name: string;
  CancellationReasons?: Array<{ Code?: string; Item?: Record<string, unknown> }>;
  Item?: Record<string, unknown>;
}
/** The item an error carries (ReturnValuesOnConditionCheckFailure) comes in DynamoDB's raw form. */
export function oldItem(raw: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return raw ? unmarshall(raw as Parameters<typeof unmarshall>[0]) : undefined;
}

const isAws = (e: unknown): e is AwsError =>
  typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string';

function fromCondition(meaning: ConditionMeaning, old: Record<string, unknown> | undefined): Error {
  switch (meaning.kind) {
    case 'must-exist':
      return new NotFound(meaning.what);
    case 'must-not-exist':
      return meaning.path
        ? Conflict.duplicate(meaning.path, meaning.message ?? `${meaning.what} exists already`)
        : new Conflict(meaning.message ?? `${meaning.what} exists already`, 'exists');
    case 'unique':
      return Conflict.duplicate(meaning.path, meaning.message);
    case 'version':
      if (!old) return new NotFound(meaning.what);
      return new Conflict(
        `${meaning.what} was changed by someone else (now version ${String(old.version)}); reload and try again`,
        'version',
        { current: { version: old.version, updatedBy: old.updatedBy, updatedAt: old.updatedAt } },
      );
    case 'invalid':
      return InvalidInput.at(meaning.path, meaning.message);
    case 'state':
      return new Conflict(meaning.message, 'state');
  }
}

/**
 * Maps an error from a single write (`meanings[0]`) or a transaction (`meanings[i]` for
 * item i) to a domain error; other errors pass through unchanged.
 */
export function storeError(e: unknown, meanings: ReadonlyArray<ConditionMeaning | null> = []): unknown {
  if (!isAws(e)) return e;
  if (e.name === 'ConditionalCheckFailedException' && meanings[0]) return fromCondition(meanings[0], oldItem(e.Item));
  if (e.name === 'TransactionCanceledException' && e.CancellationReasons) {
    const reasons = e.CancellationReasons;
    const i = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    const meaning = i >= 0 ? meanings[i] : null;
    if (meaning) return fromCondition(meaning, oldItem(reasons[i]?.Item));
    if (
      reasons.some(
        (r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded',
      )
    ) {
      return new Unavailable('Another change to the same records is in progress; please retry', 1);
    }
  }
  if (e.name === 'TransactionConflictException' || e.name === 'TransactionInProgressException') {
    return new Unavailable('Another change to the same records is in progress; please retry', 1);
  }
  if (THROTTLED.has(e.name)) return new Unavailable();
  return e;
}

/**
 * A transaction that lost a race with another one on the same items, no condition having
 * failed: trying again may well succeed (see capacity.ts).
 */
export function isTransactionConflict(e: unknown): boolean {
  if (!isAws(e)) return false;
  if (e.name === 'TransactionConflictException') return true;
  const reasons = e.name === 'TransactionCanceledException' ? (e.CancellationReasons ?? []) : [];
  return reasons.some((r) => r.Code === 'TransactionConflict') && !reasons.some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Runs a write and translates its failure. */
export async function mapped<T>(run: () => Promise<T>, meanings: ReadonlyArray<ConditionMeaning | null> = []): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw storeError(e, meanings);
  }
}

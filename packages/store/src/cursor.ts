/**
 * Page cursors: opaque to clients and tamper-evident. A cursor is the last key of a page
 * plus an HMAC-SHA256 over that key and the identity of the list it came from (table or
 * index, partition, sort-key prefix), so a cursor changed in any way, made up, or taken
 * from another list (another school's, another kind's) is refused. The decoded key is also
 * checked for its shape (exactly the key attributes of the table or index, non-empty
 * strings, inside the list's partition and prefix) before it reaches DynamoDB. Every
 * refusal is the same 400 at `query.cursor`: a client learns nothing from it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidInput } from '@kehou/domain';
import { TABLE, type IndexName } from './table';

/** A list: one partition of the table or of an index, and a sort-key prefix. */
export interface ListWhere {
  index?: IndexName;
  pk: string;
  skPrefix: string;
}

export interface Cursors {
  /** the cursor of the page after the one that ended at `lastKey` (none: the last page) */
  encode(list: ListWhere, lastKey: Record<string, unknown> | undefined): string | null;
  /** the key to start after, or InvalidInput at `query.cursor` */
  decode(list: ListWhere, cursor: string | undefined): Record<string, string> | undefined;
}

/** A key must be at least this long (the deployed one has 64 characters). */
const MIN_KEY_LENGTH = 32;

/**
 * The attributes of a key that DynamoDB returns as LastEvaluatedKey: the table's key and,
 * on an index, the index's key too. The first two are the list's partition and sort keys.
 */
function keyAttributes(index: IndexName | undefined): string[] {
  const table = [TABLE.partitionKey, TABLE.sortKey];
  return index ? [TABLE.indexes[index].partitionKey, TABLE.indexes[index].sortKey, ...table] : table;
}

const refused = () => InvalidInput.at(['query', 'cursor'], 'is not a cursor this list gave out');
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function cursorCodec(secret: string): Cursors {
  if (secret.length < MIN_KEY_LENGTH) throw new Error(`the cursor key (CURSOR_KEY) needs ${MIN_KEY_LENGTH}+ characters`);
  return {
    encode: (list, lastKey) =>
      lastKey ? signCursor(secret, list, Object.fromEntries(keyAttributes(list.index).map((a) => [a, lastKey[a]]))) : null,

    decode(list, cursor) {
      if (cursor === undefined) return undefined;
      const [payload, signature, ...rest] = cursor.split('.');
      if (rest.length || !payload || !signature || !BASE64URL.test(payload)) throw refused();
      const expected = Buffer.from(mac(secret, list, payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
      let key: unknown;
      try {
        key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw refused();
      }
      if (!hasShape(key, list)) throw refused();
      return key;
    },
  };
}

/** The cursor of `key` on `list`, signed: the key as base64url JSON, a dot, its HMAC. */
export function signCursor(secret: string, list: ListWhere, key: Record<string, unknown>): string {
  const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, list, payload)}`;
}

const mac = (secret: string, list: ListWhere, payload: string) =>
  createHmac('sha256', secret)
    .update(JSON.stringify(['kehou-cursor', list.index ?? 'table', list.pk, list.skPrefix, payload]))
    .digest('base64url');

/** Exactly the list's key attributes, non-empty strings, in its partition and under its prefix. */
function hasShape(key: unknown, list: ListWhere): key is Record<string, string> {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const attrs = keyAttributes(list.index);
  const entries = Object.entries(key);
  if (entries.length !== attrs.length || !attrs.every((a) => Object.hasOwn(key, a))) return false;
  if (!entries.every(([, v]) => typeof v === 'string' && v.length > 0)) return false;
  const [pkAttr, skAttr] = attrs as [string, string];
  const k = key as Record<string, string>;
  return k[pkAttr] === list.pk && k[skAttr]!.startsWith(list.skPrefix);
}

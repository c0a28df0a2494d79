/**
 * One repository shape for every versioned entity of a school: create, get, list, replace
 * and delete, each write a transaction that also claims unique values (a room name) and,
 * on a change, keeps the version it replaces in the entity's history: the stored versions
 * plus the current record answer "who changed this, and what was it before?". Parameters
 * are built by pure functions (pinned in unit tests) and sent apart.
 */
import { BatchGetCommand, GetCommand, QueryCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { Unavailable, type IssuePath, type Page, type PageQuery, type RecordKind } from '@kehou/domain';
import type { Db } from './client';
import { mapped, type ConditionMeaning } from './errors';
import { KEY_ATTRIBUTES, keys, type Key } from './keys';
import { TABLE, type IndexName } from './table';
import { Transaction } from './transact';

export interface Entity {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export interface UniqueClaim {
  /** what must be unique in the school, e.g. "room-name" */
  what: string;
  value: string;
  path: IssuePath;
  message: string;
}

export interface EntitySpec<T extends Entity> {
  kind: RecordKind;
  /** for messages: "room", "student 2026001" */
  what: string;
  key: (schoolId: string, id: string) => Key;
  /** where entities of the kind are listed in a school, if they are */
  listKey?: (schoolId: string) => { pk: string; skPrefix: string };
  /** secondary-index attributes of an entity */
  indexAttrs?: (e: T, schoolId: string) => Record<string, string>;
  unique?: (e: T) => UniqueClaim[];
  /** for an id made from the input (a student number): the field it comes from, and what to say when it is taken */
  duplicate?: (e: T) => { path: IssuePath; message: string };
  /** list attributes stored as string sets (so that they can be changed atomically with ADD/DELETE) */
  sets?: readonly string[];
  /** attributes kept by `replace` whatever the new entity says (maintained by other writes) */
  preserve?: readonly string[];
}

/** A version of an entity: who made it, when, and what it was (null: deleted). */
export interface HistoryEntry<T> {
  version: number;
  action: 'create' | 'update' | 'delete';
  at: string;
  by: string;
  data: T | null;
}

const actionOf = (version: number, data: unknown): HistoryEntry<unknown>['action'] =>
  data === null ? 'delete' : version === 1 ? 'create' : 'update';

/** The history item keeping a replaced (or deleted) version. */
export function historyPut<T extends Entity>(
  table: string,
  spec: EntitySpec<T>,
  schoolId: string,
  old: T | null,
  tomb?: { id: string; version: number; at: string; by: string },
): Write {
  const entry = old
    ? { version: old.version, at: old.updatedAt, by: old.updatedBy, data: old }
    : { version: tomb!.version, at: tomb!.at, by: tomb!.by, data: null };
  const id = old ? old.id : tomb!.id;
  return {
    Put: {
      TableName: table,
      Item: { ...keys.history(schoolId, spec.kind, id, entry.at, entry.version), type: 'history', ...entry },
    },
  };
}

type Write = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export interface BuiltWrite {
  input: TransactWriteCommandInput;
  meanings: Array<ConditionMeaning | null>;
}

/** Joins the writes of several records into one transaction (all or nothing). */
export const joined = (...parts: BuiltWrite[]): BuiltWrite => ({
  input: { TransactItems: parts.flatMap((p) => p.input.TransactItems ?? []) },
  meanings: parts.flatMap((p) => p.meanings),
});

/** The stored item of an entity: its data, keys, index attributes; sets as string sets (an empty one is left out). */
export function toItem<T extends Entity>(_table: string, spec: EntitySpec<T>, schoolId: string, e: T): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(e as unknown as Record<string, unknown>) };
  for (const k of spec.sets ?? []) {
    const v = data[k];
    if (Array.isArray(v) && v.length) data[k] = new Set(v);
    else delete data[k];
  }
  return { ...data, ...spec.key(schoolId, e.id), ...(spec.indexAttrs?.(e, schoolId) ?? {}), type: spec.kind };
}

/** The entity of a stored item: keys dropped, string sets back to sorted lists. */
export function fromItem<T>(item: Record<string, unknown>, sets: readonly string[] = []): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  for (const [k, v] of Object.entries(out)) if (v instanceof Set) out[k] = [...(v as Set<string>)].sort();
  for (const k of sets) out[k] ??= [];
  return out as T;
}

const claimKey = (schoolId: string, c: UniqueClaim) => keys.unique(schoolId, c.what, c.value);
const claimId = (c: UniqueClaim) => `${c.what}\u0000${c.value}`;

export function buildCreate<T extends Entity>(table: string, spec: EntitySpec<T>, schoolId: string, e: T): BuiltWrite {
  const items: Write[] = [
    { Put: { TableName: table, Item: toItem(table, spec, schoolId, e), ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
  const meanings: Array<ConditionMeaning | null> = [{ kind: 'must-not-exist', what: spec.what, ...spec.duplicate?.(e) }];
  for (const c of spec.unique?.(e) ?? []) {
    items.push({
      Put: {
        TableName: table,
        Item: { ...claimKey(schoolId, c), type: 'unique', owner: e.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    meanings.push({ kind: 'unique', path: c.path, message: c.message });
  }
  return { input: { TransactItems: items }, meanings };
}

/**
 * An update that makes the stored item equal to `next` (attributes set, attributes no
 * longer there removed), except `preserve`d ones, if the stored version is still prev's.
 */
function replaceUpdate<T extends Entity>(table: string, spec: EntitySpec<T>, schoolId: string, prev: T, next: T): Write {
  const key = spec.key(schoolId, next.id);
  const keep = new Set<string>([...Object.keys(key), ...(spec.preserve ?? [])]);
  const after = toItem(table, spec, schoolId, next);
  const before = toItem(table, spec, schoolId, prev);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':v': prev.version };
  const set: string[] = [];
  const remove: string[] = [];
  let n = 0;
  for (const [k, v] of Object.entries(after)) {
    if (keep.has(k)) continue;
    names[`#a${n}`] = k;
    values[`:a${n}`] = v;
    set.push(`#a${n} = :a${n}`);
    n++;
  }
  for (const k of Object.keys(before)) {
    if (keep.has(k) || k in after) continue;
    names[`#a${n}`] = k;
    remove.push(`#a${n}`);
    n++;
  }
  return {
    Update: {
      TableName: table,
      Key: key,
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: 'version = :v',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

export function buildReplace<T extends Entity>(
  table: string,
  spec: EntitySpec<T>,
  schoolId: string,
  prev: T,
  next: T,
): BuiltWrite {
  const items: Write[] = [replaceUpdate(table, spec, schoolId, prev, next)];
  const meanings: Array<ConditionMeaning | null> = [{ kind: 'version', what: spec.what }];
  const before = new Map((spec.unique?.(prev) ?? []).map((c) => [claimId(c), c]));
  const after = new Map((spec.unique?.(next) ?? []).map((c) => [claimId(c), c]));
  for (const [id, c] of before) {
    if (after.has(id)) continue;
    items.push({
      Delete: {
        TableName: table,
        Key: claimKey(schoolId, c),
        ConditionExpression: '#owner = :id',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':id': prev.id },
      },
    });
    meanings.push({ kind: 'version', what: spec.what });
  }
  for (const [id, c] of after) {
    if (before.has(id)) continue;
    items.push({
      Put: {
        TableName: table,
        Item: { ...claimKey(schoolId, c), type: 'unique', owner: next.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    meanings.push({ kind: 'unique', path: c.path, message: c.message });
  }
  items.push(historyPut(table, spec, schoolId, prev));
  meanings.push(null);
  return { input: { TransactItems: items }, meanings };
}

export function buildDelete<T extends Entity>(
  table: string,
  spec: EntitySpec<T>,
  schoolId: string,
  prev: T,
  at: string,
  by: string,
): BuiltWrite {
  const items: Write[] = [
    {
      Delete: {
        TableName: table,
        Key: spec.key(schoolId, prev.id),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': prev.version },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  ];
  const meanings: Array<ConditionMeaning | null> = [{ kind: 'version', what: spec.what }];
  for (const c of spec.unique?.(prev) ?? []) {
    items.push({ Delete: { TableName: table, Key: claimKey(schoolId, c) } });
    meanings.push(null);
  }
  items.push(
    historyPut(table, spec, schoolId, prev),
    historyPut(table, spec, schoolId, null, { id: prev.id, version: prev.version + 1, at, by }),
  );
  meanings.push(null, null);
  return { input: { TransactItems: items }, meanings };
}

/** A query over one partition (or index partition) with a sort-key prefix, one page (`descending`: last first). */
export async function queryPage<T>(
  db: Db,
  where: { index?: IndexName; pk: string; skPrefix: string; descending?: boolean },
  page: PageQuery,
  sets: readonly string[] = [],
): Promise<Page<T>> {
  const pkAttr = where.index ? TABLE.indexes[where.index].partitionKey : TABLE.partitionKey;
  const skAttr = where.index ? TABLE.indexes[where.index].sortKey : TABLE.sortKey;
  const start = db.cursors.decode(where, page.cursor);
  const out = await mapped(() =>
    db.doc.send(
      new QueryCommand({
        TableName: db.table,
        ...(where.index ? { IndexName: where.index } : {}),
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': pkAttr, '#sk': skAttr },
        ExpressionAttributeValues: { ':pk': where.pk, ':prefix': where.skPrefix },
        Limit: page.limit,
        ExclusiveStartKey: start,
        ...(where.descending ? { ScanIndexForward: false } : {}),
      }),
    ),
  );
  return { items: (out.Items ?? []).map((i) => fromItem<T>(i, sets)), next: db.cursors.encode(where, out.LastEvaluatedKey) };
}

/** Every item of a query, following pages (for bounded sets such as a school's rooms). */
export async function queryAll<T>(
  db: Db,
  where: { index?: IndexName; pk: string; skPrefix: string },
  sets: readonly string[] = [],
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage<T>(db, where, { limit: 500, ...(cursor ? { cursor } : {}) }, sets);
    all.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return all;
}

/**
 * Records of one kind by id, in one round trip for up to 100 ids (BatchGet; the keys a
 * batch leaves unprocessed are asked again). Missing ones are left out.
 */
export async function getMany<T extends Entity>(
  db: Db,
  spec: EntitySpec<T>,
  schoolId: string,
  ids: readonly string[],
): Promise<T[]> {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const found = await Promise.all(
    chunks.map(async (chunk) => {
      const items: Record<string, unknown>[] = [];
      let keys: Record<string, unknown>[] | undefined = chunk.map(
        (id) => spec.key(schoolId, id) as unknown as Record<string, unknown>,
      );
      for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
        const out = await mapped(() =>
          db.doc.send(new BatchGetCommand({ RequestItems: { [db.table]: { Keys: keys!, ConsistentRead: true } } })),
        );
        items.push(...(out.Responses?.[db.table] ?? []));
        keys = out.UnprocessedKeys?.[db.table]?.Keys as Record<string, unknown>[] | undefined;
      }
      if (keys?.length) throw new Unavailable('The database is busy; please retry', 1);
      return items;
    }),
  );
  const byId = new Map(found.flat().map((i) => [String(i.id), fromItem<T>(i, spec.sets)]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export class Repository<T extends Entity> {
  constructor(
    protected readonly db: Db,
    readonly spec: EntitySpec<T>,
  ) {}

  async get(schoolId: string, id: string): Promise<T | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: this.spec.key(schoolId, id), ConsistentRead: true })),
    );
    return out.Item ? fromItem<T>(out.Item, this.spec.sets) : null;
  }

  /** the records with these ids that exist, in the order asked */
  many(schoolId: string, ids: readonly string[]): Promise<T[]> {
    return getMany(this.db, this.spec, schoolId, ids);
  }

  list(schoolId: string, page: PageQuery): Promise<Page<T>> {
    if (!this.spec.listKey) throw new Error(`${this.spec.what} is not listed by school`);
    return queryPage<T>(this.db, this.spec.listKey(schoolId), page, this.spec.sets);
  }

  all(schoolId: string): Promise<T[]> {
    if (!this.spec.listKey) throw new Error(`${this.spec.what} is not listed by school`);
    return queryAll<T>(this.db, this.spec.listKey(schoolId), this.spec.sets);
  }

  async create(schoolId: string, e: T): Promise<T> {
    await this.send(buildCreate(this.db.table, this.spec, schoolId, e));
    return e;
  }

  /** Replaces the entity; `also`: writes decided with it, in the same transaction. */
  async replace(schoolId: string, prev: T, next: T, also: readonly BuiltWrite[] = []): Promise<T> {
    await this.send(joined(buildReplace(this.db.table, this.spec, schoolId, prev, next), ...also));
    return next;
  }

  async delete(schoolId: string, prev: T, at: string, by: string): Promise<void> {
    await this.send(buildDelete(this.db.table, this.spec, schoolId, prev, at, by));
  }

  protected async send(w: BuiltWrite): Promise<void> {
    await Transaction.of(w).send(this.db);
  }

  /** Every version, oldest first: the kept ones, then the current record (if it still exists). */
  async history(schoolId: string, id: string, page: PageQuery): Promise<Page<HistoryEntry<T>>> {
    const kept = await queryPage<Omit<HistoryEntry<T>, 'action'>>(this.db, keys.historyOf(schoolId, this.spec.kind, id), page);
    const items: HistoryEntry<T>[] = kept.items.map((h) => ({ ...h, action: actionOf(h.version, h.data) }));
    if (kept.next === null) {
      const current = await this.get(schoolId, id);
      if (current)
        items.push({
          version: current.version,
          action: actionOf(current.version, current),
          at: current.updatedAt,
          by: current.updatedBy,
          data: current,
        });
    }
    return { items, next: kept.next };
  }
}

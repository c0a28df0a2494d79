/**
 * Timetable versions of a term, stored so that no record grows with the school:
 *
 * - the head, one record a term: which version is the draft and which is published, the
 *   summary of each, and which publication the read models show. Every change of it is
 *   conditional, so two admins generating or publishing at once cannot both win.
 * - a version's summary: a versioned entity (each revision kept in history, saying what
 *   made it: generated, these sessions edited, published, superseded).
 * - a version's sessions: a set of records, one a session, under an id of their own. A new
 *   set is written first, where nobody reads it, then one small transaction points the
 *   version (and the head) at it; a draft edit writes the sessions it changes in place, in
 *   the transaction of the summary's revision. A set nobody points at is dropped.
 * - a publication's changes: a set of records too, written before the publication.
 * - the published view of a term (read models): one record a session with the names people
 *   read, in its staff member's roster (an index, across terms) and under its class (a key
 *   prefix), and a copy per grade under its day; brought to the published version by
 *   `syncViews`, which writes only what differs and is safe to run again.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  diffVersions,
  inView,
  sortSessions,
  timetableVersionId,
  Weekday,
  type Page,
  type PageQuery,
  type PublishedSession,
  type SessionChange,
  type SessionView,
  type Term,
  type TimetableHead,
  type TimetableSession,
  type TimetableVersion,
  type ViewFilter,
} from '@kehou/domain';
import { getItems, queryItems, writeBatches, type BatchWrite } from './batch';
import type { Db } from './client';
import { mapped, storeError, type ConditionMeaning } from './errors';
import { indexKeys, keys } from './keys';
import { termSpec, timetableSpec } from './entities';
import { buildCreate, buildReplace, fromItem, queryPage, Repository, type BuiltWrite } from './repository';
import { Transaction, type TransactWrite } from './transact';

function headPut(table: string, schoolId: string, prev: TimetableHead | null, next: TimetableHead) {
  const write: TransactWrite = {
    Put: {
      TableName: table,
      Item: { ...keys.timetableHead(schoolId, next.termId), type: 'timetable-head', ...next },
      ...(prev
        ? { ConditionExpression: 'latest = :latest', ExpressionAttributeValues: { ':latest': prev.latest } }
        : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
  const meaning: ConditionMeaning = {
    kind: 'must-not-exist',
    what: 'a newer timetable version (someone else changed the timetable meanwhile; reload)',
  };
  return { write, meaning };
}

/** Adds the writes of `built` to `tx`, each with what its condition means. */
function addBuilt(tx: Transaction, built: BuiltWrite): Transaction {
  (built.input.TransactItems ?? []).forEach((w, i) => tx.add(w, built.meanings[i] ?? null));
  return tx;
}

/** A transaction of `first` (what their conditions' failures mean is for their sender to read), then `built`. */
function startingWith(first: readonly TransactWrite[], built: BuiltWrite): Transaction {
  const tx = new Transaction();
  for (const w of first) tx.add(w);
  return addBuilt(tx, built);
}

const sessionItem = (schoolId: string, setId: string, s: TimetableSession) => ({
  ...keys.timetableSession(schoolId, setId, s.id),
  type: 'timetable-session',
  ...s,
});

/** The records of the published view of one session: by session (in the staff member's roster), and one per grade by day. */
export function viewRecords(schoolId: string, termId: string, v: SessionView): Record<string, unknown>[] {
  const data = { type: 'timetable-view', termId, ...v };
  return [
    { ...keys.publishedSession(schoolId, termId, v.id), ...indexKeys.rosterEntry(schoolId, v.staffId, termId, v.id), ...data },
    ...v.grades.map((g) => ({ ...keys.publishedByDayGrade(schoolId, termId, v.day, g, v.id), ...data })),
  ];
}

/** Whether two view records hold the same (flat: strings, numbers, booleans, a list of grades), in any key order. */
function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}
const recordKey = (item: Record<string, unknown>) => `${String(item.pk)}\u0000${String(item.sk)}`;

export class Timetables extends Repository<TimetableVersion> {
  constructor(db: Db) {
    super(db, timetableSpec);
  }

  async head(schoolId: string, termId: string): Promise<TimetableHead | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.timetableHead(schoolId, termId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<TimetableHead>(out.Item) : null;
  }

  /** The term and its timetable's head, in one BatchGet. */
  async headAndTerm(schoolId: string, termId: string): Promise<{ head: TimetableHead | null; term: Term | null }> {
    const termKey = termSpec.key(schoolId, termId);
    const headKey = keys.timetableHead(schoolId, termId);
    const found = await getItems(this.db, [termKey, headKey]);
    const item = (k: { sk: string }) => found.find((i) => i.sk === k.sk);
    const h = item(headKey);
    const t = item(termKey);
    return { head: h ? fromItem<TimetableHead>(h) : null, term: t ? fromItem<Term>(t) : null };
  }

  version(schoolId: string, termId: string, number: number): Promise<TimetableVersion | null> {
    return this.get(schoolId, timetableVersionId(termId, number));
  }

  versions(schoolId: string, termId: string, page: PageQuery): Promise<Page<TimetableVersion>> {
    return queryPage<TimetableVersion>(this.db, keys.timetableVersionsOf(schoolId, termId), page);
  }

  /** The sessions of a set (a version's), in id order. */
  async sessions(schoolId: string, setId: string): Promise<TimetableSession[]> {
    return (await queryItems(this.db, keys.timetableSessionsOf(schoolId, setId))).map((i) => fromItem<TimetableSession>(i));
  }

  /** Writes a new set of sessions; nobody reads it until a version points at it. */
  async writeSessions(schoolId: string, setId: string, sessions: readonly TimetableSession[]): Promise<void> {
    await writeBatches(
      this.db,
      sessions.map((s) => ({ put: sessionItem(schoolId, setId, s) })),
    );
  }

  /** Removes a set of sessions or changes that no version points at (written for a change that lost a race). */
  async dropSet(schoolId: string, kind: 'sessions' | 'changes', setId: string): Promise<void> {
    const where = kind === 'sessions' ? keys.timetableSessionsOf(schoolId, setId) : keys.timetableChangesOf(schoolId, setId);
    const items = await queryItems(this.db, where);
    await writeBatches(
      this.db,
      items.map((i) => ({ delete: { pk: String(i.pk), sk: String(i.sk) } })),
    );
  }

  /**
   * Adds a new draft version (its sessions written already); refused if the head moved since
   * it was read. `first`: writes that must happen with it, sent first in its transaction
   * (a generation job's end: see drafts.ts).
   */
  async addDraft(
    schoolId: string,
    head: TimetableHead | null,
    draft: TimetableVersion,
    first: readonly TransactWrite[] = [],
  ): Promise<TimetableHead> {
    const next: TimetableHead = {
      termId: draft.termId,
      draft: draft.number,
      published: head?.published ?? null,
      latest: draft.number,
      summaries: { draft, published: head?.summaries.published ?? null },
      views: head?.views ?? null,
    };
    const h = headPut(this.db.table, schoolId, head, next);
    await startingWith(first, buildCreate(this.db.table, this.spec, schoolId, draft))
      .add(h.write, h.meaning)
      .send(this.db);
    return next;
  }

  /**
   * A new revision of the draft: `changed` sessions written into its set (an edit), or the
   * draft pointed at a new set (a re-generation); the revision it replaces goes to history.
   * Refused (409) if the draft changed since `prev` was read. `first`: as for addDraft.
   */
  async reviseDraft(
    schoolId: string,
    head: TimetableHead,
    prev: TimetableVersion,
    next: TimetableVersion,
    changed: readonly TimetableSession[] = [],
    first: readonly TransactWrite[] = [],
  ): Promise<TimetableHead> {
    const nextHead: TimetableHead = { ...head, summaries: { ...head.summaries, draft: next } };
    const tx = startingWith(first, buildReplace(this.db.table, this.spec, schoolId, prev, next));
    for (const s of changed) tx.add({ Put: { TableName: this.db.table, Item: sessionItem(schoolId, next.sessionSet, s) } });
    const h = headPut(this.db.table, schoolId, head, nextHead);
    await tx.add(h.write, h.meaning).send(this.db);
    return nextHead;
  }

  /** A publication's changes, written before it (nobody reads them until the version points at them). */
  async writeChanges(schoolId: string, setId: string, changes: readonly SessionChange[]): Promise<void> {
    await writeBatches(
      this.db,
      changes.map((c) => ({ put: { ...keys.timetableChange(schoolId, setId, c.sessionId), type: 'timetable-change', ...c } })),
    );
  }

  /**
   * The draft becomes the published version; the one published before is superseded
   * (still readable); the head has no draft until the next edit or generation.
   */
  async publish(
    schoolId: string,
    head: TimetableHead,
    draft: TimetableVersion,
    published: TimetableVersion,
    superseded: { prev: TimetableVersion; next: TimetableVersion } | null,
  ): Promise<TimetableHead> {
    const next: TimetableHead = {
      ...head,
      draft: null,
      published: published.number,
      summaries: { draft: null, published },
    };
    const tx = Transaction.of(buildReplace(this.db.table, this.spec, schoolId, draft, published));
    if (superseded) addBuilt(tx, buildReplace(this.db.table, this.spec, schoolId, superseded.prev, superseded.next));
    const h = headPut(this.db.table, schoolId, head, next);
    await tx.add(h.write, h.meaning).send(this.db);
    return next;
  }

  /**
   * What a published version changed since the one published before, a page at a time, by
   * session id; a first publication added every session it has. A draft has none.
   */
  async changes(schoolId: string, v: TimetableVersion, page: PageQuery): Promise<Page<SessionChange>> {
    if (v.changeSet) return queryPage<SessionChange>(this.db, keys.timetableChangesOf(schoolId, v.changeSet), page);
    if (!v.changeCounts) return { items: [], next: null };
    const sessions = await queryPage<TimetableSession>(this.db, keys.timetableSessionsOf(schoolId, v.sessionSet), page);
    return { items: diffVersions([], sessions.items), next: sessions.next };
  }

  // ---------------------------------------------------------------- the published view (read models)

  /**
   * Brings the term's published view to `views` (the published version's sessions with
   * their names): writes the records that differ and removes the ones no longer there.
   * Running it again with the same views writes nothing.
   */
  async syncViews(
    schoolId: string,
    termId: string,
    views: readonly SessionView[],
  ): Promise<{ written: number; removed: number }> {
    const desired = new Map(views.flatMap((v) => viewRecords(schoolId, termId, v)).map((r) => [recordKey(r), r]));
    const stored = await queryItems(this.db, keys.publishedViewOf(schoolId, termId));
    const writes: BatchWrite[] = [];
    let removed = 0;
    for (const item of stored) {
      const k = recordKey(item);
      const want = desired.get(k);
      if (!want) {
        writes.push({ delete: { pk: String(item.pk), sk: String(item.sk) } });
        removed++;
      } else if (sameRecord(want, item)) desired.delete(k);
    }
    for (const r of desired.values()) writes.push({ put: r });
    await writeBatches(this.db, writes);
    return { written: desired.size, removed };
  }

  /** Records that the read models show publication `number`; false if the term has another publication by now. */
  async markViews(schoolId: string, termId: string, number: number): Promise<boolean> {
    try {
      await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: keys.timetableHead(schoolId, termId),
          UpdateExpression: 'SET #views = :n',
          ConditionExpression: 'published = :n',
          ExpressionAttributeNames: { '#views': 'views' },
          ExpressionAttributeValues: { ':n': number },
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw storeError(e);
    }
  }

  /**
   * The published sessions of a view, from the read models in one round trip: by class, by
   * staff member, by day (and grade), or by grade (its days at once). Null for a view they
   * do not serve (a room, a club, or everything).
   */
  async publishedView(schoolId: string, termId: string, filter: ViewFilter): Promise<SessionView[] | null> {
    let items: Record<string, unknown>[];
    if (filter.classId) items = await queryItems(this.db, keys.publishedSessionsOfClass(schoolId, termId, filter.classId));
    else if (filter.staffId) items = await queryItems(this.db, indexKeys.rosterOf(schoolId, filter.staffId, termId));
    else if (filter.day) items = await queryItems(this.db, keys.publishedOfDay(schoolId, termId, filter.day, filter.grade));
    else if (filter.grade !== undefined) {
      const grade = filter.grade;
      const days = await Promise.all(
        Weekday.options.map((d) => queryItems(this.db, keys.publishedOfDay(schoolId, termId, d, grade))),
      );
      items = days.flat();
    } else return null;
    const byId = new Map<string, SessionView>();
    for (const i of items) {
      const { termId: _t, ...v } = fromItem<PublishedSession>(i);
      if (inView(v, filter)) byId.set(v.id, v);
    }
    return sortSessions([...byId.values()]);
  }

  /** A staff member's published sessions in every term of the school (an index query: one round trip). */
  async rosterOf(schoolId: string, staffId: string): Promise<PublishedSession[]> {
    return (await queryItems(this.db, indexKeys.rosterOf(schoolId, staffId))).map((i) => fromItem<PublishedSession>(i));
  }
}

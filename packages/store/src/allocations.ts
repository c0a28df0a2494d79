/**
 * A term's ranked allocation, stored so that no item grows with the school (DynamoDB's limit
 * is 400 KB an item; a school of 3,000 children's draft is more than that):
 *
 * - the head, one item a term (ENROL#<s>#<t> ALLOCATION): version, status, seed, figures, and
 *   which set holds its lists. Every change of it is conditional on the version it was
 *   decided on, in the transaction that ends the job that made it (allocation jobs).
 * - the lists (classes, grants by class, children left without a place, choices dropped, the
 *   lottery, the grants a publication could not honour): pages of JSON of at most
 *   `pageBytes` (ALLOCATION_PAGE_BYTES) an item, in a set of their own (ALLOCSET#<s>#<set>),
 *   written before the head points at them. A set nobody points at is dropped.
 * - while a publication runs: one record a class it has published (DONE#<classId>#<n>), with
 *   the grants that class could not honour, so that a publication run again after a crash
 *   resumes with the classes left.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  DRAFT_LISTS,
  emptyLists,
  type AllocationHead,
  type AllocationJob,
  type DraftBumped,
  type DraftList,
  type DraftLists,
  type PageQuery,
} from '@kehou/domain';
import { queryItems, writeBatches, type BatchWrite } from './batch';
import type { Db } from './client';
import { mapped } from './errors';
import { termJobs } from './jobs';
import { keys } from './keys';
import { fromItem, queryPage } from './repository';
import { Transaction, type TransactWrite } from './transact';

/** Bytes of an item of an allocation's lists, at most: its page of JSON and its keys. */
export const ALLOCATION_PAGE_BYTES = 350_000;
/** What an item holds besides its page of JSON (pk, sk, type, list, n, of, waitlisted), at most. */
const ITEM_OVERHEAD = 400;

/** The head as stored: which set holds the lists. */
export type StoredAllocationHead = AllocationHead & { set: string };

/** A class's outcome when it was published: the grants it could not honour, the choices put on its waitlist. */
export interface ClassPublished {
  bumped: DraftBumped[];
  waitlisted: number;
}

/**
 * `entries` as JSON arrays of at most `bytes` bytes each (UTF-8), in order; none when there
 * are none. An entry alone larger than a page is refused (entries are a child or a class).
 */
export function pagesOf(entries: readonly unknown[], bytes: number): string[] {
  const pages: string[] = [];
  let page: string[] = [];
  let size = 2;
  for (const e of entries) {
    const json = JSON.stringify(e);
    const b = Buffer.byteLength(json, 'utf8');
    if (b + 2 > bytes) throw new Error(`an entry of ${b} bytes does not fit a page of ${bytes} bytes`);
    if (page.length && size + 1 + b > bytes) {
      pages.push(`[${page.join(',')}]`);
      page = [];
      size = 2;
    }
    size += (page.length ? 1 : 0) + b;
    page.push(json);
  }
  if (page.length) pages.push(`[${page.join(',')}]`);
  return pages;
}

interface PageItem {
  list: DraftList;
  n: number;
  data: string;
}

/** Adds the entries of pages to `lists`, in the order given. */
function gather(pages: readonly PageItem[], into: DraftLists = emptyLists()): DraftLists {
  for (const p of pages) (into[p.list] as unknown[]).push(...(JSON.parse(p.data) as unknown[]));
  return into;
}

export class Allocations {
  /** bytes of JSON a page holds */
  private readonly json: number;

  constructor(
    private readonly db: Db,
    pageBytes = ALLOCATION_PAGE_BYTES,
  ) {
    this.json = pageBytes - ITEM_OVERHEAD;
    if (this.json < 1024) throw new Error(`an allocation page of ${pageBytes} bytes is too small`);
  }

  /** The term's allocation's head (a draft, or published), or null before the first run. */
  async head(schoolId: string, termId: string): Promise<StoredAllocationHead | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.enrolAllocation(schoolId, termId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<StoredAllocationHead>(out.Item) : null;
  }

  /** Writes the lists of a draft into a new set, nobody reading them until a head points at it. The pages written. */
  async writeLists(schoolId: string, setId: string, lists: Omit<DraftLists, 'bumped'>): Promise<number> {
    const writes = DRAFT_LISTS.flatMap((list) => (list === 'bumped' ? [] : this.pageWrites(schoolId, setId, list, lists[list])));
    await writeBatches(this.db, writes);
    return writes.length;
  }

  /** Removes a set (a draft replaced, or one no head came to point at). */
  dropSet(schoolId: string, setId: string): Promise<void> {
    return this.drop(keys.allocationSet(schoolId, setId));
  }

  /**
   * The head's next version, its lists written: only over the version `prev` it was decided
   * on (0: none yet), and only while that is a draft. `first`: writes sent first in the same
   * transaction (the job's end, which records it), so that both happen or neither.
   */
  async putHead(schoolId: string, prev: number, next: StoredAllocationHead, first: readonly TransactWrite[] = []): Promise<void> {
    const tx = new Transaction();
    for (const w of first) tx.add(w);
    tx.add(
      {
        Put: {
          TableName: this.db.table,
          Item: { ...keys.enrolAllocation(schoolId, next.termId), type: 'enrol-allocation', ...next },
          ...(prev === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :prev AND #status = :draft',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':prev': prev, ':draft': 'draft' },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      { kind: 'version', what: 'the allocation' },
    );
    await tx.send(this.db);
  }

  /** Every list of a set, whole (a publication reads its draft). */
  async lists(schoolId: string, setId: string): Promise<DraftLists> {
    return gather((await queryItems(this.db, keys.allocationPagesOf(schoolId, setId))).map((i) => fromItem<PageItem>(i)));
  }

  /**
   * The lists of the head's set, `page.limit` pages at a time (DynamoDB answers at most 1 MB
   * at once): what they hold, and the cursor of the rest. The grants a publication could not
   * honour are shown once it is published.
   */
  async listsPage(
    schoolId: string,
    head: StoredAllocationHead,
    page: PageQuery,
  ): Promise<{ lists: DraftLists; next: string | null }> {
    const p = await queryPage<PageItem>(this.db, keys.allocationPagesOf(schoolId, head.set), page);
    const shown = p.items.filter((i) => i.list !== 'bumped' || head.status === 'published');
    return { lists: gather(shown), next: p.next };
  }

  /** The classes a publication of set `setId` has published so far, with what each did (a class half recorded is not). */
  async published(schoolId: string, setId: string): Promise<Map<string, ClassPublished>> {
    const items = (await queryItems(this.db, keys.allocationDoneOf(schoolId, setId))).map((i) =>
      fromItem<{ classId: string; of: number; waitlisted: number; data: string }>(i),
    );
    const byClass = new Map<string, typeof items>();
    for (const i of items) byClass.set(i.classId, [...(byClass.get(i.classId) ?? []), i]);
    const done = new Map<string, ClassPublished>();
    for (const [classId, parts] of byClass)
      if (parts.length === parts[0]!.of)
        done.set(classId, {
          bumped: parts.flatMap((p) => JSON.parse(p.data) as DraftBumped[]),
          waitlisted: parts[0]!.waitlisted,
        });
    return done;
  }

  /** Records that a class is published, with what it did. */
  async markPublished(schoolId: string, setId: string, classId: string, out: ClassPublished): Promise<void> {
    const pages = pagesOf(out.bumped, this.json);
    const of = Math.max(1, pages.length);
    await writeBatches(
      this.db,
      Array.from({ length: of }, (_, n) => ({
        put: {
          ...keys.allocationDone(schoolId, setId, classId, n),
          type: 'allocation-done',
          classId,
          n,
          of,
          waitlisted: out.waitlisted,
          data: pages[n] ?? '[]',
        },
      })),
    );
  }

  /** Removes a publication's records of the classes it published, once it is published. */
  dropDone(schoolId: string, setId: string): Promise<void> {
    return this.drop(keys.allocationDoneOf(schoolId, setId));
  }

  private async drop(where: { pk: string; skPrefix?: string }): Promise<void> {
    const items = await queryItems(this.db, where);
    await writeBatches(
      this.db,
      items.map((i) => ({ delete: { pk: String(i.pk), sk: String(i.sk) } })),
    );
  }

  /** Writes the grants a publication could not honour, as pages of the set (shown once the head says published). */
  async writeBumped(schoolId: string, setId: string, bumped: readonly DraftBumped[]): Promise<void> {
    await writeBatches(this.db, this.pageWrites(schoolId, setId, 'bumped', bumped));
  }

  private pageWrites(schoolId: string, setId: string, list: DraftList, entries: readonly unknown[]): BatchWrite[] {
    return pagesOf(entries, this.json).map((data, n) => ({
      put: { ...keys.allocationPage(schoolId, setId, list, n), type: 'allocation-page', list, n, data },
    }));
  }
}

/** Runs and publications of allocations as jobs (jobs.ts), one of a term at a time. */
const allocations = termJobs<AllocationJob>(
  'allocation',
  "A run or publication of this term's allocation is in progress; try again when it has finished",
);
export const allocationRef = allocations.ref;
/** Accepts a run or a publication: 409 with Retry-After while another of the term is queued or running. */
export const submitAllocation = allocations.submit;
/** A run or a publication, with what its runner needs. */
export const allocationJob = allocations.get;

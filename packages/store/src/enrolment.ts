/**
 * Club enrolment's own records, in a partition per school and term: the selection window,
 * each child's ranked choices (each a version, written only from the version read), and
 * teachers' approvals of children for classes without their prerequisite. Places and
 * waitlists are seats of the capacity primitive (capacity.ts).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Choices, OptOutForm, School, SelectionWindow, Student, Term } from '@kehou/domain';
import type { HeldEntry } from './capacity';
import type { Db } from './client';
import { mapped } from './errors';
import { getItems, queryItems } from './batch';
import { schoolSpec, studentSpec, termSpec } from './entities';
import { keys, type Key } from './keys';
import { fromItem } from './repository';

export interface EnrolRecords {
  school: School | null;
  term: Term | null;
  window: SelectionWindow | null;
  student: Student | null;
  form: OptOutForm | null;
  /** a record of the keys asked for `also`, as stored (undefined: none) */
  found: (k: Key) => Record<string, unknown> | undefined;
}

export interface Approval {
  studentNo: string;
  classId: string;
  by: string;
  at: string;
}

/** Queries of classes' entries in flight at once. */
const ENTRY_QUERIES = 16;

export class Enrolments {
  constructor(private readonly db: Db) {}

  /**
   * The school, the term, the window and (given a child) the child and their opt-out form in
   * the term, and the records of the keys `also` (what the caller decides on with them): one BatchGet.
   */
  async records(schoolId: string, termId: string, studentNo?: string, also: readonly Key[] = []): Promise<EnrolRecords> {
    const wanted: Key[] = [
      schoolSpec.key(schoolId, schoolId),
      termSpec.key(schoolId, termId),
      keys.enrolWindow(schoolId, termId),
      ...(studentNo ? [studentSpec.key(schoolId, studentNo), keys.optOutForm(schoolId, termId, studentNo)] : []),
      ...also,
    ];
    const found = new Map((await getItems(this.db, wanted)).map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i]));
    const at = (k: Key) => found.get(`${k.pk}\u0000${k.sk}`);
    const one = <T>(k: Key | undefined, sets: readonly string[] = []) => {
      const i = k && at(k);
      return i ? fromItem<T>(i, sets) : null;
    };
    return {
      school: one<School>(wanted[0]),
      term: one<Term>(wanted[1]),
      window: one<SelectionWindow>(wanted[2]),
      student: one<Student>(studentNo ? wanted[3] : undefined, studentSpec.sets),
      form: one<OptOutForm>(studentNo ? wanted[4] : undefined),
      found: at,
    };
  }

  window(schoolId: string, termId: string): Promise<SelectionWindow | null> {
    return this.get<SelectionWindow>(keys.enrolWindow(schoolId, termId));
  }

  /** Writes the window's next version, only over the version it was decided on (0: none yet). */
  putWindow(next: SelectionWindow): Promise<SelectionWindow> {
    return this.putVersioned(keys.enrolWindow(next.schoolId, next.termId), 'enrol-window', next, 'the window');
  }

  choices(schoolId: string, termId: string, studentNo: string): Promise<Choices | null> {
    return this.get<Choices>(keys.enrolChoices(schoolId, termId, studentNo));
  }

  putChoices(next: Choices): Promise<Choices> {
    return this.putVersioned(
      keys.enrolChoices(next.schoolId, next.termId, next.studentNo),
      'enrol-choices',
      next,
      `the choices of ${next.studentNo}`,
    );
  }

  /** Every child's ranked choices in the term (what a ranked allocation is run on). */
  async allChoices(schoolId: string, termId: string): Promise<Choices[]> {
    return (await queryItems(this.db, keys.enrolChoicesOf(schoolId, termId))).map((i) => fromItem<Choices>(i));
  }

  /** The key of a teacher's approval of a child for a class (to read with other records). */
  approvalKey(schoolId: string, termId: string, studentNo: string, classId: string): Key {
    return keys.enrolApproval(schoolId, termId, studentNo, classId);
  }

  /** The classes a teacher approved the child for in the term; without a child, every approval of the term. */
  async approvals(schoolId: string, termId: string, studentNo?: string): Promise<Approval[]> {
    return (await queryItems(this.db, keys.enrolApprovalsOf(schoolId, termId, studentNo))).map((i) => fromItem<Approval>(i));
  }

  /**
   * Every child's entries (granted or waiting) in these queued resources (classes' places),
   * by child: one query a class, a few at a time, whatever the number of children (what a
   * ranked allocation reads; a child's own are listed by capacity.ts's `entriesOf`).
   */
  async entriesIn(schoolId: string, resources: readonly string[]): Promise<Map<string, HeldEntry[]>> {
    const byHolder = new Map<string, HeldEntry[]>();
    let next = 0;
    const worker = async () => {
      while (next < resources.length) {
        const resource = resources[next++]!;
        for (const i of await queryItems(this.db, keys.seatEntriesOf(schoolId, resource))) {
          if (i.state !== 'granted' && i.state !== 'waiting') continue;
          const holder = String(i.holder);
          const entry: HeldEntry = { resource, state: i.state, arrival: Number(i.arrival) };
          byHolder.set(holder, [...(byHolder.get(holder) ?? []), entry]);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ENTRY_QUERIES, resources.length) }, worker));
    return byHolder;
  }

  /** Records an approval (again: the first one stays). */
  async approve(schoolId: string, termId: string, a: Approval): Promise<Approval> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...keys.enrolApproval(schoolId, termId, a.studentNo, a.classId), type: 'enrol-approval', ...a },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return a;
    } catch (e) {
      if ((e as { name?: string }).name !== 'ConditionalCheckFailedException') throw e;
      return (await this.approvals(schoolId, termId, a.studentNo)).find((x) => x.classId === a.classId)!;
    }
  }

  /** The weekly sessions of a term's published timetable, each once: what classes' slots are made of. */
  async publishedSlots(
    schoolId: string,
    termId: string,
  ): Promise<Array<{ classId: string; day: string; start: string; end: string }>> {
    return (await queryItems(this.db, keys.publishedSessionsOf(schoolId, termId))).map((i) => ({
      classId: String(i.classId),
      day: String(i.day),
      start: String(i.start),
      end: String(i.end),
    }));
  }

  private async get<T>(key: Key): Promise<T | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: key, ConsistentRead: true })),
    );
    return out.Item ? fromItem<T>(out.Item) : null;
  }

  private async putVersioned<T extends { version: number }>(key: Key, type: string, next: T, what: string): Promise<T> {
    await mapped(
      () =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.table,
            Item: { ...key, type, ...next },
            ConditionExpression: next.version === 1 ? 'attribute_not_exists(pk)' : 'version = :prev',
            ...(next.version === 1 ? {} : { ExpressionAttributeValues: { ':prev': next.version - 1 } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      [{ kind: 'version', what }],
    );
    return next;
  }
}

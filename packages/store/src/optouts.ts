/**
 * Notices and opt-out forms. A term's forms live in a partition of their own, one record a
 * child (`FORM#<studentNo>`): the first is a conditional put, so a retried submission, a
 * double tap or two guardians of the child at once store one form; every change after that
 * is a transaction that checks the version read and keeps the version it replaces in the
 * form's history (repository.ts), so nothing is overwritten or lost. Beside the forms, a
 * record per child whose guardian has opened the notice. A form with a late request waiting
 * for the school is listed in the index by the request's arrival, until it is decided.
 */
import { PutCommand, QueryCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import {
  formId,
  gradeId,
  type FormStatus,
  type Grade,
  type Notice,
  type OptOutForm,
  type Page,
  type PageQuery,
  type Relations,
  type School,
  type SchoolDay,
  type Staff,
  type Student,
  type Term,
  type Weekday,
} from '@kehou/domain';
import { getItems, queryItems } from './batch';
import type { Db } from './client';
import { GUARDIAN_ACCOUNT, gradeSpec, noticeSpec, optOutSpec, schoolSpec, studentSpec, termSpec } from './entities';
import { mapped, oldItem, storeError } from './errors';
import { indexKeys, keys, type Key } from './keys';
import { fromItem, getMany, queryPage, Repository, toItem } from './repository';
import { TABLE } from './table';

export class Notices extends Repository<Notice> {
  constructor(db: Db) {
    super(db, noticeSpec);
  }
}

/** The put of a new form: only where the child has none for the term; a failure returns the form stored. */
export function buildNewForm(table: string, schoolId: string, form: OptOutForm): PutCommandInput {
  return {
    TableName: table,
    Item: toItem(table, optOutSpec, schoolId, form),
    ConditionExpression: 'attribute_not_exists(pk)',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

export interface FormFilter {
  grade?: number;
  homeroom?: string;
  /** forms that take the child out on this weekday */
  day?: SchoolDay;
  status?: FormStatus;
}

/** The filter of a page of forms, as a DynamoDB FilterExpression (none: every form). */
export function formFilter(f: FormFilter) {
  const terms: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  if (f.grade !== undefined) {
    terms.push('gradeLevel = :grade');
    values[':grade'] = f.grade;
  }
  if (f.homeroom !== undefined) {
    terms.push('homeroom = :homeroom');
    values[':homeroom'] = f.homeroom;
  }
  if (f.status !== undefined) {
    terms.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = f.status;
  }
  if (f.day !== undefined) {
    terms.push('#status = :out AND contains(optOut.#days, :day)');
    names['#status'] = 'status';
    names['#days'] = 'days';
    values[':out'] = 'opted-out';
    values[':day'] = f.day;
  }
  return terms.length
    ? {
        FilterExpression: terms.join(' AND '),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }
    : null;
}

export class OptOuts extends Repository<OptOutForm> {
  constructor(db: Db) {
    super(db, optOutSpec);
  }

  /** Stores a child's first form of the term; if the child has one already, stores nothing and returns it. */
  async add(schoolId: string, form: OptOutForm): Promise<OptOutForm | null> {
    try {
      await this.db.doc.send(new PutCommand(buildNewForm(this.db.table, schoolId, form)));
      return null;
    } catch (e) {
      const held =
        (e as { name?: string }).name === 'ConditionalCheckFailedException' ? oldItem((e as { Item?: never }).Item) : null;
      if (!held) throw storeError(e);
      return fromItem<OptOutForm>(held);
    }
  }

  /** The forms of these children in a term (those that exist), in one round trip. */
  ofStudents(schoolId: string, termId: string, studentNos: readonly string[]): Promise<OptOutForm[]> {
    return getMany(
      this.db,
      this.spec,
      schoolId,
      studentNos.map((no) => formId(termId, no)),
    );
  }

  /** Every form of a term, read to the end. */
  async ofTerm(schoolId: string, termId: string): Promise<OptOutForm[]> {
    return (await queryItems(this.db, keys.optOutFormsOf(schoolId, termId))).map((i) => fromItem<OptOutForm>(i));
  }

  /** A page of a term's forms, by student number, filtered (a page may hold fewer than `limit`: follow `next`). */
  async page(schoolId: string, termId: string, filter: FormFilter, page: PageQuery): Promise<Page<OptOutForm>> {
    const where = keys.optOutFormsOf(schoolId, termId);
    const f = formFilter(filter);
    const out = await mapped(() =>
      this.db.doc.send(
        new QueryCommand({
          TableName: this.db.table,
          ConsistentRead: true,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ...f,
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey, ...f?.ExpressionAttributeNames },
          ExpressionAttributeValues: { ':pk': where.pk, ':prefix': where.skPrefix, ...f?.ExpressionAttributeValues },
          Limit: page.limit,
          ExclusiveStartKey: this.db.cursors.decode(where, page.cursor),
        }),
      ),
    );
    return {
      items: (out.Items ?? []).map((i) => fromItem<OptOutForm>(i)),
      next: this.db.cursors.encode(where, out.LastEvaluatedKey),
    };
  }

  /** Forms with a late request waiting for the school, by the request's arrival. */
  pending(schoolId: string, termId: string, page: PageQuery): Promise<Page<OptOutForm>> {
    return queryPage<OptOutForm>(this.db, indexKeys.pendingRequestsOf(schoolId, termId), page);
  }

  /** Records that a guardian of the child opened the term's notice, the first time only; says whether this was it. */
  async markOpened(schoolId: string, termId: string, studentNo: string, at: string, by: string): Promise<boolean> {
    try {
      await this.db.doc.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...keys.noticeOpened(schoolId, termId, studentNo), type: 'notice-opened', studentNo, at, by },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (e) {
      if ((e as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw storeError(e);
    }
  }

  /** The children of a term whose guardians have opened the notice. */
  async openedOf(schoolId: string, termId: string): Promise<Set<string>> {
    return new Set((await queryItems(this.db, keys.noticesOpenedOf(schoolId, termId))).map((i) => String(i.studentNo)));
  }
}

/** What a request about a child (or a term, or a grade) of a school concerns, read in one BatchGet. */
export interface FamilyRecords {
  /**
   * with `account`: what that account is to the child, its guardian record at the school (if
   * any) with the child if the child's record links it; null without
   */
  relations: Relations | null;
  school: School | null;
  term: Term | null;
  notice: Notice | null;
  student: Student | null;
  grade: Grade | null;
  form: OptOutForm | null;
  opened: boolean;
}

export interface FamilyWant {
  /** the account whose relation to the child (`studentNo`) the policy decides by */
  account?: string;
  termId?: string;
  studentNo?: string;
  gradeLevel?: number;
  /** of the term: its record, its notice */
  term?: boolean;
  notice?: boolean;
  /** of the child in the term: the form, whether the notice was opened */
  form?: boolean;
  opened?: boolean;
}

/** A term's published sessions as participation counts them: who teaches, which weekday. */
export interface StaffDay {
  staffId: string;
  day: Weekday;
}

/**
 * The reads of the families routes that cross kinds of record: each one round trip where the
 * records are known by key (one BatchGet), or a query read to its end in 1 MB pages.
 */
export class FamilyReads {
  constructor(private readonly db: Db) {}

  /**
   * The school and the records asked for, read consistently at once. With `account`, also the
   * account's claim in the school (the guardian record it is linked to: one at most), which,
   * with the child's record and its links, is what the account is to the child.
   */
  async records(schoolId: string, w: FamilyWant): Promise<FamilyRecords> {
    const wanted: Array<[keyof FamilyRecords, Key]> = [['school', schoolSpec.key(schoolId, schoolId)]];
    const t = w.termId;
    const no = w.studentNo;
    if (t && w.term) wanted.push(['term', termSpec.key(schoolId, t)]);
    if (t && w.notice) wanted.push(['notice', noticeSpec.key(schoolId, t)]);
    if (no) wanted.push(['student', studentSpec.key(schoolId, no)]);
    if (w.gradeLevel !== undefined) wanted.push(['grade', gradeSpec.key(schoolId, gradeId(w.gradeLevel))]);
    if (t && no && w.form) wanted.push(['form', keys.optOutForm(schoolId, t, no)]);
    if (t && no && w.opened) wanted.push(['opened', keys.noticeOpened(schoolId, t, no)]);
    if (w.account) wanted.push(['relations', keys.unique(schoolId, GUARDIAN_ACCOUNT, w.account)]);
    const found = await this.byKey(wanted.map(([, k]) => k));
    const out: FamilyRecords = {
      relations: null,
      school: null,
      term: null,
      notice: null,
      student: null,
      grade: null,
      form: null,
      opened: false,
    };
    for (const [name, k] of wanted) {
      const i = found(k);
      if (name === 'relations' || !i) continue;
      if (name === 'opened') out.opened = true;
      else (out as unknown as Record<string, unknown>)[name] = fromItem(i, name === 'student' ? studentSpec.sets : []);
    }
    if (w.account) {
      const owner = found(keys.unique(schoolId, GUARDIAN_ACCOUNT, w.account))?.owner as string | undefined;
      const linked = owner !== undefined && out.student !== null && out.student.guardianIds.includes(owner);
      out.relations = {
        staffIds: new Set(),
        guardians: owner === undefined ? [] : [{ id: owner, children: linked ? [out.student!.id] : [] }],
      };
    }
    return out;
  }

  /** A child's forms in these terms, and which of the terms' notices their guardians opened, at once. */
  async ofChild(
    schoolId: string,
    studentNo: string,
    termIds: readonly string[],
    gradeLevel?: number,
  ): Promise<{ forms: Map<string, OptOutForm>; opened: Set<string>; grade: Grade | null }> {
    const found = await this.byKey([
      ...termIds.flatMap((t) => [keys.optOutForm(schoolId, t, studentNo), keys.noticeOpened(schoolId, t, studentNo)]),
      ...(gradeLevel === undefined ? [] : [gradeSpec.key(schoolId, gradeId(gradeLevel))]),
    ]);
    const forms = new Map<string, OptOutForm>();
    const opened = new Set<string>();
    for (const t of termIds) {
      const f = found(keys.optOutForm(schoolId, t, studentNo));
      if (f) forms.set(t, fromItem<OptOutForm>(f));
      if (found(keys.noticeOpened(schoolId, t, studentNo))) opened.add(t);
    }
    const g = gradeLevel === undefined ? undefined : found(gradeSpec.key(schoolId, gradeId(gradeLevel)));
    return { forms, opened, grade: g ? fromItem<Grade>(g) : null };
  }

  /** The students of a school, of a grade, or of a homeroom of it, read to the end. */
  async students(schoolId: string, where: { grade?: number; homeroom?: string } = {}): Promise<Student[]> {
    const items = await queryItems(
      this.db,
      where.grade === undefined
        ? keys.entitiesOf(schoolId, 'student')
        : indexKeys.studentsOfGrade(schoolId, where.grade, where.homeroom),
    );
    return items.map((i) => fromItem<Student>(i, studentSpec.sets));
  }

  /** What a school's participation in a term is computed from, read at once. */
  async participation(schoolId: string, termId: string) {
    const [grades, students, forms, staff, sessions] = await Promise.all([
      queryItems(this.db, keys.entitiesOf(schoolId, 'grade')),
      this.students(schoolId),
      queryItems(this.db, keys.optOutFormsOf(schoolId, termId)),
      queryItems(this.db, keys.entitiesOf(schoolId, 'staff')),
      queryItems(this.db, keys.publishedSessionsOf(schoolId, termId)),
    ]);
    return {
      grades: grades.map((i) => fromItem<Grade>(i)),
      students,
      forms: forms.map((i) => fromItem<OptOutForm>(i)),
      staff: staff.map((i) => fromItem<Staff>(i)),
      sessions: sessions.map((i): StaffDay => ({ staffId: String(i.staffId), day: i.day as Weekday })),
    };
  }

  /** Records of known keys, one BatchGet (100 a call, at once): a lookup of what was found. */
  private async byKey(wanted: readonly Key[]) {
    const chunks: Key[][] = [];
    for (let i = 0; i < wanted.length; i += 100) chunks.push(wanted.slice(i, i + 100));
    const found = (await Promise.all(chunks.map((c) => getItems(this.db, c)))).flat();
    const at = new Map(found.map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i]));
    return (k: Key) => at.get(`${k.pk}\u0000${k.sk}`);
  }
}

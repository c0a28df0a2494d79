/** The repositories of the product, over one table. */
import type { Club, Guardian, Page, PageQuery, RecordKind, Relations, School, Staff, Student, Subject } from '@kehou/domain';
import type { Db } from './client';
import { clubSpec, gradeSpec, guardianSpec, roomSpec, schoolSpec, staffSpec, studentSpec, termSpec } from './entities';
import { IdempotencyStore } from './idempotency';
import { Imports } from './imports';
import { SetupImports } from './setup-imports';
import { Jobs } from './jobs';
import { Timetables } from './timetables';
import { Feeds } from './feeds';
import { Capacity } from './capacity';
import { Enrolments } from './enrolment';
import { Allocations } from './allocations';
import { FamilyReads, Notices, OptOuts } from './optouts';
import { SignIns } from './sign-in';
import { Attendance } from './attendance';
import { SeatHistories } from './seat-history';
import { indexKeys, keys } from './keys';
import {
  buildCreate,
  buildDelete,
  buildReplace,
  getMany,
  joined,
  queryAll,
  queryPage,
  Repository,
  type BuiltWrite,
  type Entity,
  type HistoryEntry,
} from './repository';

class Schools extends Repository<School> {
  /** A school is its own tenant: asked for from another school's context, it is not there. */
  override get(schoolId: string, id: string): Promise<School | null> {
    return schoolId === id ? super.get(schoolId, id) : Promise.resolve(null);
  }
  ofDistrict(districtId: string, page: PageQuery): Promise<Page<School>> {
    return queryPage<School>(this.db, indexKeys.schoolsOfDistrict(districtId), page);
  }
}

class StaffRepository extends Repository<Staff> {
  /** staff records of a sign-in account, in every school */
  ofUser(userId: string): Promise<Staff[]> {
    return queryAll<Staff>(this.db, indexKeys.recordsOfUser(userId, 'staff'));
  }
}

/**
 * What an account is to the school's records (the policy's relations), from the user index:
 * its staff records and its guardian records (with their children), or only those a kind of
 * subject needs; one round trip.
 */
class RelationsOfUser {
  constructor(private readonly db: Db) {}
  async at(userId: string, schoolId: string, about?: Subject['kind']): Promise<Relations> {
    const [staff, guardians] = await Promise.all([
      about === 'student' ? [] : queryAll<Staff>(this.db, indexKeys.recordsOfUser(userId, 'staff', schoolId)),
      about === 'staff' ? [] : queryAll<Guardian>(this.db, indexKeys.recordsOfUser(userId, 'guardian', schoolId)),
    ]);
    return {
      staffIds: new Set(staff.map((s) => s.id)),
      guardians: guardians.map((g) => ({ id: g.id, name: g.name, children: g.children })),
    };
  }
}

class Students extends Repository<Student> {
  /**
   * A student is deleted with their links, in one transaction: each guardian loses the
   * child (a new version, the old one kept in history), and a guardian left with no child
   * at the school is deleted too.
   */
  override async delete(schoolId: string, prev: Student, at: string, by: string): Promise<void> {
    const guardians = await getMany(this.db, guardianSpec, schoolId, prev.guardianIds);
    const unlinks = guardians.map((g) => {
      const children = g.children.filter((c) => c !== prev.id);
      return children.length
        ? buildReplace(this.db.table, guardianSpec, schoolId, g, {
            ...g,
            children,
            version: g.version + 1,
            updatedAt: at,
            updatedBy: by,
          })
        : buildDelete(this.db.table, guardianSpec, schoolId, g, at, by);
    });
    await this.send(joined(buildDelete(this.db.table, this.spec, schoolId, prev, at, by), ...unlinks));
  }
  ofGrade(schoolId: string, gradeLevel: number, homeroom: string | undefined, page: PageQuery): Promise<Page<Student>> {
    return queryPage<Student>(this.db, indexKeys.studentsOfGrade(schoolId, gradeLevel, homeroom), page);
  }
  /** every student of a grade (or of one homeroom), by homeroom and number */
  allOfGrade(schoolId: string, gradeLevel: number, homeroom?: string): Promise<Student[]> {
    return queryAll<Student>(this.db, indexKeys.studentsOfGrade(schoolId, gradeLevel, homeroom), this.spec.sets);
  }
}

/**
 * A guardian's children are linked on both records: `children` on the guardian and
 * `guardianIds` (a string set) on each student, written in the same transaction, so a
 * roster can find a child's guardians and a parent their children, and the two never
 * disagree. A link change is a new version of the student.
 */
class Guardians extends Repository<Guardian> {
  override async create(schoolId: string, g: Guardian): Promise<Guardian> {
    await this.send(withLinks(buildCreate(this.db.table, this.spec, schoolId, g), this.db.table, schoolId, g, [], g.children));
    return g;
  }
  override async replace(schoolId: string, prev: Guardian, next: Guardian): Promise<Guardian> {
    const added = next.children.filter((c) => !prev.children.includes(c));
    const removed = await this.present(
      schoolId,
      prev.children.filter((c) => !next.children.includes(c)),
    );
    await this.send(
      withLinks(buildReplace(this.db.table, this.spec, schoolId, prev, next), this.db.table, schoolId, next, removed, added),
    );
    return next;
  }
  override async delete(schoolId: string, prev: Guardian, at: string, by: string): Promise<void> {
    const stamp = { ...prev, updatedAt: at, updatedBy: by };
    const removed = await this.present(schoolId, prev.children);
    await this.send(
      withLinks(buildDelete(this.db.table, this.spec, schoolId, prev, at, by), this.db.table, schoolId, stamp, removed, []),
    );
  }
  /** the students of these numbers that still exist: a link to one that is gone has nothing left to undo */
  private async present(schoolId: string, studentNos: readonly string[]): Promise<string[]> {
    if (studentNos.length === 0) return [];
    const found = new Set((await getMany(this.db, studentSpec, schoolId, studentNos)).map((s) => s.id));
    return studentNos.filter((no) => found.has(no));
  }
  /** guardian records of a parent's account, in every school */
  ofUser(userId: string): Promise<Guardian[]> {
    return queryAll<Guardian>(this.db, indexKeys.recordsOfUser(userId, 'guardian'));
  }
}

/** Appends to a guardian write the student updates that add and remove the guardian's links. */
export function withLinks(
  w: BuiltWrite,
  table: string,
  schoolId: string,
  g: Guardian,
  removed: string[],
  added: string[],
): BuiltWrite {
  const items = [...(w.input.TransactItems ?? [])];
  const meanings = [...w.meanings];
  const link = (studentNo: string, op: 'ADD' | 'DELETE') => ({
    Update: {
      TableName: table,
      Key: keys.entity(schoolId, 'student', studentNo),
      UpdateExpression: `${op} guardianIds :g SET version = version + :one, updatedAt = :at, updatedBy = :by`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':g': new Set([g.id]), ':one': 1, ':at': g.updatedAt, ':by': g.updatedBy },
    },
  });
  for (const no of removed) {
    items.push(link(no, 'DELETE'));
    meanings.push(null);
  }
  for (const no of added) {
    items.push(link(no, 'ADD'));
    meanings.push({ kind: 'invalid', path: ['children', g.children.indexOf(no)], message: `the school has no student ${no}` });
  }
  return { input: { TransactItems: items }, meanings };
}

class Clubs extends Repository<Club> {
  ofTerm(schoolId: string, termId: string, page: PageQuery): Promise<Page<Club>> {
    return queryPage<Club>(this.db, indexKeys.clubsOfTerm(schoolId, termId), page);
  }
  allOfTerm(schoolId: string, termId: string): Promise<Club[]> {
    return queryAll<Club>(this.db, indexKeys.clubsOfTerm(schoolId, termId));
  }
}

export interface StoreOptions {
  /** bytes of an item of an allocation's lists, at most (tests lower it to see a small school's span several) */
  allocationPageBytes?: number;
}

export function makeStore(db: Db, o: StoreOptions = {}) {
  const jobs = new Jobs(db);
  /** every kind of versioned record, by kind (the history route reads any of them) */
  const records = {
    school: new Schools(db, schoolSpec),
    grade: new Repository(db, gradeSpec),
    room: new Repository(db, roomSpec),
    term: new Repository(db, termSpec),
    staff: new StaffRepository(db, staffSpec),
    student: new Students(db, studentSpec),
    guardian: new Guardians(db, guardianSpec),
    club: new Clubs(db, clubSpec),
    timetable: new Timetables(db),
    notice: new Notices(db),
    optout: new OptOuts(db),
  } satisfies {
    [K in RecordKind]: { history(schoolId: string, id: string, page: PageQuery): Promise<Page<HistoryEntry<Entity>>> };
  };
  return {
    records,
    schools: records.school,
    grades: records.grade,
    rooms: records.room,
    terms: records.term,
    staff: records.staff,
    students: records.student,
    guardians: records.guardian,
    clubs: records.club,
    timetables: records.timetable,
    notices: records.notice,
    optOuts: records.optout,
    family: new FamilyReads(db),
    relations: new RelationsOfUser(db),
    jobs,
    imports: new Imports(db, jobs),
    setupImports: new SetupImports(db),
    feeds: new Feeds(db),
    capacity: new Capacity(db),
    seatHistory: new SeatHistories(db),
    enrolments: new Enrolments(db),
    allocations: new Allocations(db, o.allocationPageBytes),
    signIns: new SignIns(db),
    idempotency: new IdempotencyStore(db),
    attendance: new Attendance(db),
  };
}
export type Store = ReturnType<typeof makeStore>;

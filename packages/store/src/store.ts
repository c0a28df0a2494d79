/** The repositories of the product, over one table. */
import type { Club, Guardian, Page, PageQuery, School, Staff, Student } from '@kehou/domain';
import type { Db } from './client';
import { clubSpec, gradeSpec, guardianSpec, roomSpec, schoolSpec, staffSpec, studentSpec, termSpec } from './entities';
import { IdempotencyStore } from './idempotency';
import { Imports } from './imports';
import { Jobs } from './jobs';
import { Timetables } from './timetables';
import { Feeds } from './feeds';
import { indexKeys, keys } from './keys';
import { buildCreate, buildDelete, buildReplace, queryAll, queryPage, Repository, type BuiltWrite } from './repository';

class Schools extends Repository<School> {
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

class Students extends Repository<Student> {
  ofGrade(schoolId: string, gradeLevel: number, homeroom: string | undefined, page: PageQuery): Promise<Page<Student>> {
    return queryPage<Student>(this.db, indexKeys.studentsOfGrade(schoolId, gradeLevel, homeroom), page);
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
    const removed = prev.children.filter((c) => !next.children.includes(c));
    await this.send(
      withLinks(buildReplace(this.db.table, this.spec, schoolId, prev, next), this.db.table, schoolId, next, removed, added),
    );
    return next;
  }
  override async delete(schoolId: string, prev: Guardian, at: string, by: string): Promise<void> {
    const stamp = { ...prev, updatedAt: at, updatedBy: by };
    await this.send(
      withLinks(buildDelete(this.db.table, this.spec, schoolId, prev, at, by), this.db.table, schoolId, stamp, prev.children, []),
    );
  }
  /** guardian records of a parent's account, in every school */
  ofUser(userId: string): Promise<Guardian[]> {
    return queryAll<Guardian>(this.db, indexKeys.recordsOfUser(userId, 'guardian'));
  }
  /** guardian records by id, e.g. a student's guardians */
  async many(schoolId: string, ids: readonly string[]): Promise<Guardian[]> {
    const out = await Promise.all(ids.map((id) => this.get(schoolId, id)));
    return out.filter((g): g is Guardian => g !== null);
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

export function makeStore(db: Db) {
  const jobs = new Jobs(db);
  return {
    schools: new Schools(db, schoolSpec),
    grades: new Repository(db, gradeSpec),
    rooms: new Repository(db, roomSpec),
    terms: new Repository(db, termSpec),
    staff: new StaffRepository(db, staffSpec),
    students: new Students(db, studentSpec),
    guardians: new Guardians(db, guardianSpec),
    jobs,
    imports: new Imports(db, jobs),
    clubs: new Clubs(db, clubSpec),
    timetables: new Timetables(db),
    feeds: new Feeds(db),
    idempotency: new IdempotencyStore(db),
  };
}
export type Store = ReturnType<typeof makeStore>;

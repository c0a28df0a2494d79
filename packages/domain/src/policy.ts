/**
 * Who may do what: the one place that decides access. Handlers ask `authorize`; nobody
 * else compares roles. Access comes from a role held at the school (or at its district's
 * bureau) or from a relation to the record concerned (a staff member to their own roster, a
 * guardian to their child). A caller with no relation to a school learns nothing about it
 * (NotFound), nor does a guardian about a child not theirs; a caller who belongs to the
 * school but may not do this gets Forbidden.
 */
import { Forbidden, NotFound } from './errors';
import type { Guardian } from './people';

export const ROLES = ['district', 'admin', 'teacher', 'volunteer', 'parent'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user, as the API gateway's authorizer vouched for them. */
export interface Principal {
  userId: string;
  /** the user's groups */
  roles: ReadonlySet<Role>;
  /**
   * the roles the user holds at each school they belong to: an admin of one school who is
   * a parent at another is only a parent there
   */
  memberships: ReadonlyMap<string, ReadonlySet<Role>>;
  /** the bureau of a district user */
  district: string | null;
}

export interface SchoolRef {
  id: string;
  districtId: string;
}

/**
 * What the user is to the records of one school, from the records linked to their account
 * (loaded through the user index). A new relation (a guardian to their child, the staff of
 * a session to its class list, a volunteer to a shift) is a field here, a kind of Subject
 * and a case of `related`.
 */
export interface Relations {
  /** the user's staff records at the school */
  staffIds: ReadonlySet<string>;
  /** the user's guardian records at the school (one, as the school links accounts), each with its children */
  guardians: ReadonlyArray<Pick<Guardian, 'id' | 'name' | 'children'>>;
}
export const NO_RELATIONS: Relations = { staffIds: new Set(), guardians: [] };

/** The record an action concerns, when a relation to it may grant access. */
export type Subject =
  /** a staff member: their roster, their calendar feed */
  | { kind: 'staff'; staffId: string }
  /** a student: their record, their opt-out form, their week */
  | { kind: 'student'; studentNo: string }
  /** a dated session: its class list and attendance, through the staff member assigned to it */
  | { kind: 'session'; staffId: string };

/** The guardian record through which the user is related to a child, if any. */
export const guardianOf = (rel: Relations, studentNo: string) =>
  rel.guardians.find((g) => g.children.includes(studentNo)) ?? null;

/** self: the staff member themself; guardian: a guardian of the student; session-staff: the staff member of the session */
type RelationKind = 'self' | 'guardian' | 'session-staff';
interface Rule {
  /** roles (at the school, or the district's bureau) that may do it to any record */
  roles: readonly Role[];
  /** a relation to the subject that also allows it */
  relation?: RelationKind;
  /** a subject the user is not related to is not there for anyone without the role (404, not 403): a child's form */
  hidden?: true;
}

/** What can be done, by whom. */
export const PERMISSIONS = {
  'school.read': { roles: ['admin', 'teacher', 'volunteer', 'parent', 'district'] },
  'school.update': { roles: ['admin'] },
  /** grades, rooms, terms, clubs: what the school's week looks like */
  'setup.read': { roles: ['admin', 'teacher', 'volunteer', 'parent', 'district'] },
  'setup.write': { roles: ['admin'] },
  /** staff records, with availability and personal data */
  'staff.read': { roles: ['admin'] },
  'staff.write': { roles: ['admin'] },
  /** students and guardians: children's data; a guardian reads their own child's record */
  'students.read': { roles: ['admin'], relation: 'guardian' },
  'students.write': { roles: ['admin'] },
  'history.read': { roles: ['admin'] },
  /** guardians' invitations, sessions and sign-in settings */
  'signin.read': { roles: ['admin'] },
  'signin.write': { roles: ['admin'] },
  /** the whole timetable, drafts included; staff see their own sessions through their roster */
  'timetable.read': { roles: ['admin', 'district'] },
  'timetable.write': { roles: ['admin'] },
  /** a staff member's roster and calendar feed: their own, or any for an admin */
  'roster.read': { roles: ['admin'], relation: 'self' },
  /** the term's notice as the school wrote it; guardians read it through their child */
  'notice.read': { roles: ['admin', 'teacher', 'district'] },
  'notice.write': { roles: ['admin'] },
  /** who has not opened or answered the notice, per homeroom, so that teachers can chase */
  'notice.progress': { roles: ['admin', 'teacher'] },
  /** a child's notice, form and week: their guardians', and the school's admins */
  'family.read': { roles: ['admin'], relation: 'guardian', hidden: true },
  /** a child's opt-out form: submitted, amended and withdrawn by their guardians only */
  'family.write': { roles: [], relation: 'guardian', hidden: true },
  /** every form of a term, and the late requests to decide */
  'optouts.manage': { roles: ['admin'] },
  'participation.read': { roles: ['admin', 'teacher', 'district'] },
  /** the daily list at the gate: who leaves when */
  'dismissal.read': { roles: ['admin', 'teacher'] },
  /** a child's club choices, places and waitlist positions: their guardians', and the school's admins */
  'enrolment.read': { roles: ['admin'], relation: 'guardian', hidden: true },
  /** rank classes, ask for a place, withdraw: a child's guardians (and the school's admins on their behalf) */
  'enrolment.write': { roles: ['admin'], relation: 'guardian', hidden: true },
  /** the selection window, a class's enrolled children and waitlist, removing a child */
  'enrolment.manage': { roles: ['admin'] },
  /** a teacher's approval admits a child to a class without its prerequisite */
  'enrolment.approve': { roles: ['admin', 'teacher'] },
  /** a dated session's class list (without guardians' contacts): its staff member, the school's teachers and admins */
  'classlist.read': { roles: ['admin', 'teacher'], relation: 'session-staff' },
  /** guardians' names and phones on a class list; a session's attendance, taken and read with its history */
  'classlist.contacts': { roles: ['admin'], relation: 'session-staff' },
  'attendance.write': { roles: ['admin'], relation: 'session-staff' },
  /** every dated session of the school (staff members read their own) */
  'sessions.all': { roles: ['admin'] },
  /** the children missing today, with their guardians' phones: a safety matter */
  'unaccounted.read': { roles: ['admin'] },
  /** staff members' after-school hours, teachers' remuneration, volunteers' statements */
  'hours.read': { roles: ['admin'] },
  /** one staff member's hours, sessions and statement: their own, or anyone's for an admin */
  'hours.staff': { roles: ['admin'], relation: 'self' },
} as const satisfies Record<string, Rule>;
export type Permission = keyof typeof PERMISSIONS;

/** Does the principal hold a school role at this school? A membership counts only for a group the user is in. */
export function memberOf(p: Principal, schoolId: string): boolean {
  for (const r of p.memberships.get(schoolId) ?? []) if (r !== 'district' && p.roles.has(r)) return true;
  return false;
}

/** The schools where the user holds a school role (a membership without its group is no membership). */
export const schoolsOf = (p: Principal): string[] => [...p.memberships.keys()].filter((s) => memberOf(p, s));

/** The school roles the user holds at each school they belong to. */
export const membershipsOf = (p: Principal): Array<{ schoolId: string; roles: Role[] }> =>
  schoolsOf(p).map((schoolId) => ({
    schoolId,
    roles: [...p.memberships.get(schoolId)!].filter((r) => r !== 'district' && p.roles.has(r)),
  }));

/** The roles the principal holds at this school: a membership counts only for a group the user is in. */
export function rolesAt(p: Principal, school: SchoolRef): Role[] {
  const out: Role[] = [];
  for (const r of p.memberships.get(school.id) ?? []) if (r !== 'district' && p.roles.has(r)) out.push(r);
  if (p.roles.has('district') && p.district !== null && p.district === school.districtId) out.push('district');
  return out;
}

/** Does the principal need their relations to the school's records for this permission (no role grants it)? */
export function needsRelations(p: Principal, permission: Permission, school: SchoolRef): boolean {
  const rule: Rule = PERMISSIONS[permission];
  return rule.relation !== undefined && !rolesAt(p, school).some((r) => rule.roles.includes(r));
}

function related(kind: RelationKind, subject: Subject, rel: Relations): boolean {
  switch (kind) {
    case 'self':
      return subject.kind === 'staff' && rel.staffIds.has(subject.staffId);
    case 'guardian':
      return subject.kind === 'student' && guardianOf(rel, subject.studentNo) !== null;
    case 'session-staff':
      return subject.kind === 'session' && rel.staffIds.has(subject.staffId);
  }
}

/** Records a parent at the school must not learn exist unless they are theirs: another family's child. */
const hiddenFromParents = (kind: RelationKind) => kind === 'guardian';

/** Where the decision is made: the school, and for relation-granted permissions the subject and the user's relations. */
export interface AccessContext {
  school: SchoolRef;
  subject?: Subject;
  relations?: Relations;
}

/**
 * Throws NotFound (no relation to the school; a child who is not the user's, to a parent; a
 * child's form, to anyone but their guardians and the roles that read it) or Forbidden (wrong
 * role, no relation to the subject); returns how access was granted: the roles, or 'relation'.
 */
export function authorize(p: Principal, permission: Permission, at: AccessContext): Role[] | 'relation' {
  const here = rolesAt(p, at.school);
  if (here.length === 0) throw new NotFound('school');
  const rule: Rule = PERMISSIONS[permission];
  const granted = here.filter((r) => rule.roles.includes(r));
  if (granted.length) return granted;
  if (rule.relation && at.subject && related(rule.relation, at.subject, at.relations ?? NO_RELATIONS)) return 'relation';
  if (rule.relation && at.subject && (rule.hidden || (hiddenFromParents(rule.relation) && here.includes('parent'))))
    throw new NotFound(at.subject.kind);
  throw new Forbidden(`Your role (${here.join(', ')}) does not allow ${permission}`);
}

/** Does the permission hold here (the same decision as authorize, as a yes or no; NotFound still thrown)? */
export function allows(p: Principal, permission: Permission, at: AccessContext): boolean {
  try {
    authorize(p, permission, at);
    return true;
  } catch (e) {
    if (e instanceof Forbidden) return false;
    throw e;
  }
}

/**
 * Whose dated sessions the user reads at the school: every one (the roles that may), or
 * those of their own staff records; Forbidden with none.
 */
export function sessionScope(p: Principal, school: SchoolRef, rel: Relations): 'all' | ReadonlySet<string> {
  if (allows(p, 'sessions.all', { school })) return 'all';
  if (rel.staffIds.size === 0) throw new Forbidden('You have no staff record at this school, so no sessions');
  return rel.staffIds;
}

/** Which schools a user may list: a bureau its district's, everyone else the schools they belong to. */
export function schoolListScope(p: Principal): { district: string } | { schools: string[] } {
  if (p.roles.has('district') && p.district) return { district: p.district };
  return { schools: schoolsOf(p) };
}

/** May the principal read the figures of a district's schools? Only that district's bureau; another district is not there. */
export function authorizeDistrict(p: Principal, districtId: string): void {
  if (!p.roles.has('district')) throw new Forbidden('Only a district bureau reads its district');
  if (p.district !== districtId) throw new NotFound('district');
}

/** May the principal create a school in this district? Only that district's bureau. */
export function authorizeSchoolCreation(p: Principal, districtId: string): void {
  if (!p.roles.has('district')) throw new Forbidden('Only a district bureau registers schools');
  if (p.district !== districtId) throw new Forbidden('A bureau registers schools of its own district only');
}

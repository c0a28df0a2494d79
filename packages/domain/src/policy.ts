/**
 * Who may do what: the one place that decides access. Handlers ask `authorize`; nobody
 * else compares roles. A caller with no relation to a school learns nothing about it
 * (NotFound); a caller who belongs to the school but lacks the role gets Forbidden.
 */
import { Forbidden, NotFound } from './errors';

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

/** The schools the user belongs to. */
export const schoolsOf = (p: Principal): string[] => [...p.memberships.keys()];

export interface SchoolRef {
  id: string;
  districtId: string;
}

/** What can be done, and which roles (at the school, or of its district) may do it. */
export const PERMISSIONS = {
  'school.read': ['admin', 'teacher', 'volunteer', 'parent', 'district'],
  'school.update': ['admin'],
  /** grades, rooms, terms: what the school's week looks like */
  'setup.read': ['admin', 'teacher', 'volunteer', 'parent', 'district'],
  'setup.write': ['admin'],
  /** staff records, with availability and personal data */
  'staff.read': ['admin'],
  'staff.write': ['admin'],
  /** students and guardians: children's data */
  'students.read': ['admin'],
  'students.write': ['admin'],
  'history.read': ['admin'],
  /** the whole timetable, drafts included; staff see their own sessions through their roster */
  'timetable.read': ['admin', 'district'],
  'timetable.write': ['admin'],
  /** another staff member's roster and calendar feed */
  'roster.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** The roles the principal holds at this school: a membership counts only for a group the user is in. */
export function rolesAt(p: Principal, school: SchoolRef): Role[] {
  const out: Role[] = [];
  for (const r of p.memberships.get(school.id) ?? []) if (r !== 'district' && p.roles.has(r)) out.push(r);
  if (p.roles.has('district') && p.district !== null && p.district === school.districtId) out.push('district');
  return out;
}

/** Throws NotFound (no relation to the school) or Forbidden (wrong role); returns the roles that allowed it. */
export function authorize(p: Principal, permission: Permission, school: SchoolRef): Role[] {
  const here = rolesAt(p, school);
  if (here.length === 0) throw new NotFound('school');
  const allowed: readonly Role[] = PERMISSIONS[permission];
  const granted = here.filter((r) => allowed.includes(r));
  if (granted.length === 0) throw new Forbidden(`Your role (${here.join(', ')}) does not allow ${permission}`);
  return granted;
}

/** May the principal create a school in this district? Only that district's bureau. */
export function authorizeSchoolCreation(p: Principal, districtId: string): void {
  if (!p.roles.has('district')) throw new Forbidden('Only a district bureau registers schools');
  if (p.district !== districtId) throw new Forbidden('A bureau registers schools of its own district only');
}

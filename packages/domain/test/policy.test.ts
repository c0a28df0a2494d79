import { describe, expect, it } from 'vitest';
import { Forbidden, NotFound } from '../src/errors';
import {
  allows,
  authorize,
  authorizeDistrict,
  authorizeSchoolCreation,
  guardianOf,
  membershipsOf,
  needsRelations,
  NO_RELATIONS,
  PERMISSIONS,
  ROLES,
  rolesAt,
  schoolListScope,
  schoolsOf,
  sessionScope,
  type Permission,
  type Principal,
  type Role,
  type SchoolRef,
} from '../src/policy';

const SCHOOL: SchoolRef = { id: 's-1', districtId: 'd-1' };

/** A user with these groups, holding each school-level one at each of the schools given. */
const principal = (roles: Role[], schools: string[] = [], district: string | null = null): Principal => ({
  userId: 'u-1',
  roles: new Set(roles),
  memberships: new Map(schools.map((s) => [s, new Set(roles.filter((r) => r !== 'district'))])),
  district,
});

/**
 * Who may do what, written out here by hand from what policy.ts documents (not read from
 * PERMISSIONS), so that a change to the table must be made twice: there and here.
 */
const SCHOOL_ROLES: Role[] = ['admin', 'teacher', 'volunteer', 'parent', 'district'];
const EXPECTED: Record<Permission, Role[]> = {
  'school.read': SCHOOL_ROLES,
  'school.update': ['admin'],
  'setup.read': SCHOOL_ROLES,
  'setup.write': ['admin'],
  'staff.read': ['admin'],
  'staff.write': ['admin'],
  'students.read': ['admin'],
  'students.write': ['admin'],
  'history.read': ['admin'],
  'signin.read': ['admin'],
  'signin.write': ['admin'],
  'timetable.read': ['admin', 'district'],
  'timetable.write': ['admin'],
  'roster.read': ['admin'],
  'notice.read': ['admin', 'teacher', 'district'],
  'notice.write': ['admin'],
  'notice.progress': ['admin', 'teacher'],
  'family.read': ['admin'],
  'family.write': [],
  'optouts.manage': ['admin'],
  'participation.read': ['admin', 'teacher', 'district'],
  'dismissal.read': ['admin', 'teacher'],
  'enrolment.read': ['admin'],
  'enrolment.write': ['admin'],
  'enrolment.manage': ['admin'],
  'enrolment.approve': ['admin', 'teacher'],
  'classlist.read': ['admin', 'teacher'],
  'classlist.contacts': ['admin'],
  'attendance.write': ['admin'],
  'sessions.all': ['admin'],
  'unaccounted.read': ['admin'],
  'hours.read': ['admin'],
  'hours.staff': ['admin'],
};
const ALL_PERMISSIONS = Object.keys(EXPECTED) as Permission[];

type Relation = 'own school' | 'other school' | 'own district' | 'other district';
const RELATIONS: Record<Relation, { schools: string[]; district: string | null }> = {
  'own school': { schools: ['s-1'], district: null },
  'other school': { schools: ['s-2'], district: null },
  'own district': { schools: [], district: 'd-1' },
  'other district': { schools: [], district: 'd-2' },
};

/** A school role counts at the schools the user belongs to; the district role at the schools of its district. */
const related = (role: Role, rel: Relation) => (role === 'district' ? rel === 'own district' : rel === 'own school');
const allowedTo = (role: Role, permission: Permission) => EXPECTED[permission].includes(role);

describe('the permission table', () => {
  it('has exactly the permissions these tests know about (add a new one to EXPECTED above)', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...ALL_PERMISSIONS].sort());
    expect(Object.fromEntries(Object.entries(PERMISSIONS).map(([k, r]) => [k, [...r.roles].sort()]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([k, r]) => [k, [...r].sort()])),
    );
    expect(ROLES).toEqual(['district', 'admin', 'teacher', 'volunteer', 'parent']);
  });
});

describe('authorize', () => {
  const cases = ROLES.flatMap((role) =>
    (Object.keys(RELATIONS) as Relation[]).flatMap((rel) => ALL_PERMISSIONS.map((permission) => ({ role, rel, permission }))),
  );

  it.each(cases)('$role, $rel, $permission', ({ role, rel, permission }) => {
    // Prepare
    const p = principal([role], RELATIONS[rel].schools, RELATIONS[rel].district);
    // Act
    const act = () => authorize(p, permission, { school: SCHOOL });
    // Assess
    if (!related(role, rel)) expect(act).toThrow(NotFound);
    else if (!allowedTo(role, permission)) expect(act).toThrow(Forbidden);
    else expect(act()).toEqual([role]);
  });

  it('says NotFound "school not found" to a stranger, so that nothing leaks', () => {
    expect(() => authorize(principal(['admin'], ['s-2']), 'school.read', { school: SCHOOL })).toThrow('school not found');
  });

  it('names the roles held in a Forbidden', () => {
    expect(() => authorize(principal(['teacher', 'parent'], ['s-1']), 'students.read', { school: SCHOOL })).toThrow(
      /teacher, parent.*students\.read/,
    );
  });

  it('returns every role that allows the permission', () => {
    const p = principal(['admin', 'teacher'], ['s-1']);
    expect((authorize(p, 'setup.read', { school: SCHOOL }) as Role[]).sort()).toEqual(['admin', 'teacher']);
    expect(authorize(p, 'setup.write', { school: SCHOOL })).toEqual(['admin']);
  });

  it('gives a district user nothing at a listed school of another district', () => {
    const p = principal(['district'], ['s-1'], 'd-9');
    expect(() => authorize(p, 'school.read', { school: SCHOOL })).toThrow(NotFound);
  });

  it('gives the district role nothing without a district', () => {
    expect(() => authorize(principal(['district'], [], null), 'school.read', { school: SCHOOL })).toThrow(NotFound);
  });

  it('gives a user with a district but no district role nothing there', () => {
    expect(() => authorize(principal(['teacher'], [], 'd-1'), 'school.read', { school: SCHOOL })).toThrow(NotFound);
  });

  it('gives a user without roles nothing, even at their school', () => {
    expect(() => authorize(principal([], ['s-1']), 'school.read', { school: SCHOOL })).toThrow(NotFound);
  });

  it("lets parents, volunteers and teachers read the set-up but not children's data or the whole timetable", () => {
    for (const role of ['teacher', 'volunteer', 'parent'] as const) {
      const p = principal([role], ['s-1']);
      expect(authorize(p, 'setup.read', { school: SCHOOL })).toEqual([role]);
      for (const denied of ['students.read', 'staff.read', 'timetable.read', 'history.read'] as const)
        expect(() => authorize(p, denied, { school: SCHOOL }), `${role} ${denied}`).toThrow(Forbidden);
    }
  });
});

describe('access by relation', () => {
  const volunteer = principal(['volunteer'], ['s-1']);
  const mine = { staffIds: new Set(['st-1']), guardians: [] };

  it("lets a staff member read their own roster, and nobody else's", () => {
    expect(
      authorize(volunteer, 'roster.read', { school: SCHOOL, subject: { kind: 'staff', staffId: 'st-1' }, relations: mine }),
    ).toBe('relation');
    expect(() =>
      authorize(volunteer, 'roster.read', { school: SCHOOL, subject: { kind: 'staff', staffId: 'st-2' }, relations: mine }),
    ).toThrow(Forbidden);
    expect(() => authorize(volunteer, 'roster.read', { school: SCHOOL, subject: { kind: 'staff', staffId: 'st-1' } })).toThrow(
      Forbidden,
    );
  });

  it("lets a teacher or volunteer read their own hours, and nobody else's; the school's report stays the admins'", () => {
    const teacher = principal(['teacher'], ['s-1']);
    for (const p of [volunteer, teacher]) {
      const own = { school: SCHOOL, subject: { kind: 'staff' as const, staffId: 'st-1' }, relations: mine };
      expect(authorize(p, 'hours.staff', own)).toBe('relation');
      expect(() => authorize(p, 'hours.staff', { ...own, subject: { kind: 'staff', staffId: 'st-2' } })).toThrow(Forbidden);
      expect(() => authorize(p, 'hours.read', { school: SCHOOL })).toThrow(Forbidden);
    }
  });

  it('grants by role before looking at relations: an admin reads any roster', () => {
    const admin = principal(['admin'], ['s-1']);
    expect(authorize(admin, 'roster.read', { school: SCHOOL, subject: { kind: 'staff', staffId: 'st-9' } })).toEqual(['admin']);
    expect(needsRelations(admin, 'roster.read', SCHOOL)).toBe(false);
    expect(needsRelations(volunteer, 'roster.read', SCHOOL)).toBe(true);
    expect(needsRelations(volunteer, 'setup.read', SCHOOL)).toBe(false);
  });

  it("lets a guardian read their own child's record; another family's child is not there for them (404), for staff it is forbidden (403)", () => {
    const parent = principal(['parent'], ['s-1']);
    const family = { staffIds: new Set<string>(), guardians: [{ id: 'gd-1', name: '明妈', children: ['1001'] }] };
    const child = (studentNo: string) => ({ kind: 'student' as const, studentNo });
    expect(authorize(parent, 'students.read', { school: SCHOOL, subject: child('1001'), relations: family })).toBe('relation');
    expect(() => authorize(parent, 'students.read', { school: SCHOOL, subject: child('1002'), relations: family })).toThrow(
      NotFound,
    );
    expect(() => authorize(volunteer, 'students.read', { school: SCHOOL, subject: child('1002'), relations: mine })).toThrow(
      Forbidden,
    );
    // a relation to a child grants nothing else: not the list, not writes
    expect(() => authorize(parent, 'students.read', { school: SCHOOL, relations: family })).toThrow(Forbidden);
    expect(() => authorize(parent, 'students.write', { school: SCHOOL, subject: child('1001'), relations: family })).toThrow(
      Forbidden,
    );
  });

  it("lets a session's staff member read its class list with contacts and take attendance; another volunteer is refused", () => {
    const session = (staffId: string) => ({ kind: 'session' as const, staffId });
    for (const p of ['classlist.read', 'classlist.contacts', 'attendance.write'] as const) {
      expect(authorize(volunteer, p, { school: SCHOOL, subject: session('st-1'), relations: mine })).toBe('relation');
      expect(() => authorize(volunteer, p, { school: SCHOOL, subject: session('st-2'), relations: mine })).toThrow(Forbidden);
    }
    // a teacher of another session reads the list, without the guardians' contacts
    const teacher = principal(['teacher'], ['s-1']);
    const at = { school: SCHOOL, subject: session('st-1'), relations: NO_RELATIONS };
    expect(allows(teacher, 'classlist.read', at)).toBe(true);
    expect(allows(teacher, 'classlist.contacts', at)).toBe(false);
    expect(() => allows(principal(['teacher'], ['s-2']), 'classlist.read', at)).toThrow(NotFound);
  });

  it('scopes dated sessions: an admin reads all, a staff member their own, anyone else none', () => {
    expect(sessionScope(principal(['admin'], ['s-1']), SCHOOL, NO_RELATIONS)).toBe('all');
    expect(sessionScope(volunteer, SCHOOL, mine)).toEqual(new Set(['st-1']));
    expect(() => sessionScope(volunteer, SCHOOL, NO_RELATIONS)).toThrow(Forbidden);
    expect(() => sessionScope(principal(['admin'], ['s-2']), SCHOOL, NO_RELATIONS)).toThrow(NotFound);
  });

  it('never lets a relation open another school', () => {
    const stranger = principal(['volunteer'], ['s-2']);
    expect(() =>
      authorize(stranger, 'roster.read', { school: SCHOOL, subject: { kind: 'staff', staffId: 'st-1' }, relations: mine }),
    ).toThrow(NotFound);
  });
});

describe('access as a guardian of the child', () => {
  const parent = principal(['parent'], ['s-1']);
  const mine = { staffIds: new Set<string>(), guardians: [{ id: 'gd-1', name: '明妈', children: ['1001'] }] };
  const child = (studentNo: string) => ({ kind: 'student' as const, studentNo });

  it('lets a guardian read and write their own child’s form, and finds them the guardian record', () => {
    for (const p of ['family.read', 'family.write'] as const)
      expect(authorize(parent, p, { school: SCHOOL, subject: child('1001'), relations: mine })).toBe('relation');
    expect(guardianOf(mine, '1001')?.id).toBe('gd-1');
    expect(guardianOf(mine, '1002')).toBeNull();
  });

  it('answers another family’s child as not found, never as forbidden', () => {
    for (const p of ['family.read', 'family.write'] as const) {
      expect(() => authorize(parent, p, { school: SCHOOL, subject: child('1002'), relations: mine })).toThrow(NotFound);
      expect(() => authorize(parent, p, { school: SCHOOL, subject: child('1001') })).toThrow(NotFound);
    }
    const teacher = principal(['teacher'], ['s-1']);
    expect(() => authorize(teacher, 'family.read', { school: SCHOOL, subject: child('1001'), relations: mine })).not.toThrow();
    expect(() => authorize(teacher, 'family.read', { school: SCHOOL, subject: child('1001'), relations: NO_RELATIONS })).toThrow(
      NotFound,
    );
  });

  it('lets an admin read any child’s form, but only a guardian sign one', () => {
    const admin = principal(['admin'], ['s-1']);
    expect(authorize(admin, 'family.read', { school: SCHOOL, subject: child('1002') })).toEqual(['admin']);
    expect(() => authorize(admin, 'family.write', { school: SCHOOL, subject: child('1002') })).toThrow(NotFound);
  });
});

describe('a district’s figures', () => {
  it('are for that district’s bureau: another district is not there, anyone else is refused', () => {
    expect(() => authorizeDistrict(principal(['district'], [], 'd-1'), 'd-1')).not.toThrow();
    expect(() => authorizeDistrict(principal(['district'], [], 'd-2'), 'd-1')).toThrow(NotFound);
    expect(() => authorizeDistrict(principal(['admin'], ['s-1']), 'd-1')).toThrow(Forbidden);
  });
});

describe('memberships', () => {
  const p: Principal = {
    userId: 'u-1',
    roles: new Set(['parent']),
    memberships: new Map<string, ReadonlySet<Role>>([
      ['s-1', new Set(['admin', 'parent'] as const)],
      ['s-2', new Set(['admin'] as const)],
    ]),
    district: null,
  };

  it('lists only the schools where a membership names a group the user is in', () => {
    expect(schoolsOf(p)).toEqual(['s-1']);
    expect(membershipsOf(p)).toEqual([{ schoolId: 's-1', roles: ['parent'] }]);
    expect(schoolListScope(p)).toEqual({ schools: ['s-1'] });
  });

  it("scopes a bureau's list to its district", () => {
    expect(schoolListScope(principal(['district'], [], 'd-1'))).toEqual({ district: 'd-1' });
    expect(schoolListScope(principal(['district'], [], null))).toEqual({ schools: [] });
  });
});

describe('rolesAt', () => {
  it('gives a teacher who is also a parent both roles at their school', () => {
    const p = principal(['teacher', 'parent'], ['s-1']);
    expect(rolesAt(p, SCHOOL).sort()).toEqual(['parent', 'teacher']);
    expect((authorize(p, 'school.read', { school: SCHOOL }) as Role[]).sort()).toEqual(['parent', 'teacher']);
    expect(() => authorize(p, 'staff.read', { school: SCHOOL })).toThrow(Forbidden);
  });

  it('gives an admin of one school who is a parent at another only the parent role there', () => {
    const p: Principal = {
      userId: 'u-1',
      roles: new Set(['admin', 'parent']),
      memberships: new Map<string, ReadonlySet<Role>>([
        ['s-1', new Set(['admin'] as const)],
        ['s-2', new Set(['parent'] as const)],
      ]),
      district: null,
    };
    const other = { id: 's-2', districtId: 'd-1' };
    expect(rolesAt(p, SCHOOL)).toEqual(['admin']);
    expect(rolesAt(p, other)).toEqual(['parent']);
    expect(() => authorize(p, 'students.read', { school: other })).toThrow(Forbidden);
    expect(authorize(p, 'students.read', { school: SCHOOL })).toEqual(['admin']);
  });

  it('counts a membership only for a group the user is in', () => {
    const p: Principal = {
      userId: 'u-1',
      roles: new Set(['parent']),
      memberships: new Map([['s-1', new Set(['admin', 'parent'] as const)]]),
      district: null,
    };
    expect(rolesAt(p, SCHOOL)).toEqual(['parent']);
  });

  it('gives no roles at a school the user does not belong to', () => {
    expect(rolesAt(principal(['teacher', 'parent'], ['s-1']), { id: 's-2', districtId: 'd-1' })).toEqual([]);
  });

  it('adds the district role at the schools of the district only, never as a school role', () => {
    const p = principal(['admin', 'district'], ['s-1'], 'd-1');
    expect(rolesAt(p, SCHOOL).sort()).toEqual(['admin', 'district']);
    expect(rolesAt(p, { id: 's-5', districtId: 'd-1' })).toEqual(['district']);
    expect(rolesAt(p, { id: 's-6', districtId: 'd-2' })).toEqual([]);
  });
});

describe('authorizeSchoolCreation', () => {
  it('lets a district bureau register a school of its own district', () => {
    expect(() => authorizeSchoolCreation(principal(['district'], [], 'd-1'), 'd-1')).not.toThrow();
  });

  it('refuses a bureau another district', () => {
    expect(() => authorizeSchoolCreation(principal(['district'], [], 'd-1'), 'd-2')).toThrow(Forbidden);
  });

  it('refuses everyone who is not a bureau, admins of the district included', () => {
    for (const role of ['admin', 'teacher', 'volunteer', 'parent'] as const) {
      expect(() => authorizeSchoolCreation(principal([role], ['s-1'], 'd-1'), 'd-1'), role).toThrow(Forbidden);
    }
  });

  it('refuses a bureau role without a district', () => {
    expect(() => authorizeSchoolCreation(principal(['district'], [], null), 'd-1')).toThrow(Forbidden);
  });
});

/** Where each entity lives in the table: its key, listing, index attributes and unique values. */
import {
  clubNameKey,
  parseFormId,
  roomNameKey,
  type Club,
  type Grade,
  type Guardian,
  type Notice,
  type OptOutForm,
  type Room,
  type School,
  type Staff,
  type Student,
  type Term,
  type TimetableVersion,
} from '@kehou/domain';
import { indexKeys, keys } from './keys';
import type { EntitySpec } from './repository';

export const schoolSpec: EntitySpec<School> = {
  kind: 'school',
  what: 'school',
  key: (_schoolId, id) => keys.school(id),
  indexAttrs: (s) => indexKeys.schoolInDistrict(s.districtId, s.id),
};

export const gradeSpec: EntitySpec<Grade> = {
  kind: 'grade',
  what: 'grade',
  key: (s, id) => keys.entity(s, 'grade', id),
  listKey: (s) => keys.entitiesOf(s, 'grade'),
  duplicate: (g) => ({ path: ['level'], message: `the school has grade ${g.level} (${g.name}) already` }),
};

export const roomSpec: EntitySpec<Room> = {
  kind: 'room',
  what: 'room',
  key: (s, id) => keys.entity(s, 'room', id),
  listKey: (s) => keys.entitiesOf(s, 'room'),
  unique: (r) => [
    { what: 'room-name', value: roomNameKey(r.name), path: ['name'], message: `the school has a room named "${r.name}" already` },
  ],
};

export const termSpec: EntitySpec<Term> = {
  kind: 'term',
  what: 'term',
  key: (s, id) => keys.entity(s, 'term', id),
  listKey: (s) => keys.entitiesOf(s, 'term'),
};

const linkedUser = (kind: 'staff' | 'guardian') => (e: { userId: string | null; id: string }, schoolId: string) =>
  e.userId ? indexKeys.linkedToUser(e.userId, schoolId, kind, e.id) : ({} as Record<string, string>);

export const staffSpec: EntitySpec<Staff> = {
  kind: 'staff',
  what: 'staff member',
  key: (s, id) => keys.entity(s, 'staff', id),
  listKey: (s) => keys.entitiesOf(s, 'staff'),
  indexAttrs: linkedUser('staff'),
  unique: (st) =>
    st.userId
      ? [
          {
            what: 'staff-user',
            value: st.userId,
            path: ['userId'],
            message: 'this account is linked to another staff member of the school',
          },
        ]
      : [],
};

export const studentSpec: EntitySpec<Student> = {
  kind: 'student',
  what: 'student',
  key: (s, id) => keys.entity(s, 'student', id),
  listKey: (s) => keys.entitiesOf(s, 'student'),
  indexAttrs: (st, schoolId) => indexKeys.studentInGrade(schoolId, st.gradeLevel, st.homeroom, st.id),
  duplicate: (st) => ({ path: ['studentNo'], message: `the school has a student numbered ${st.id} already` }),
  /** links to guardians are written with the guardian (see Guardians in store.ts), never by a student update */
  sets: ['guardianIds'],
  preserve: ['guardianIds'],
};

/** What a guardian's sign-in account claims in the school: one guardian record an account (the claim's `owner`). */
export const GUARDIAN_ACCOUNT = 'guardian-user';

export const guardianSpec: EntitySpec<Guardian> = {
  kind: 'guardian',
  what: 'guardian',
  key: (s, id) => keys.entity(s, 'guardian', id),
  listKey: (s) => keys.entitiesOf(s, 'guardian'),
  indexAttrs: linkedUser('guardian'),
  duplicate: (g) => ({ path: ['phone'], message: `the school has a guardian with this phone number already (${g.name})` }),
  unique: (g) =>
    g.userId
      ? [
          {
            what: GUARDIAN_ACCOUNT,
            value: g.userId,
            path: ['userId'],
            message: 'this account is linked to another guardian of the school',
          },
        ]
      : [],
};

export const clubSpec: EntitySpec<Club> = {
  kind: 'club',
  what: 'club',
  key: (s, id) => keys.entity(s, 'club', id),
  listKey: (s) => keys.entitiesOf(s, 'club'),
  indexAttrs: (c, schoolId) => indexKeys.clubInTerm(schoolId, c.termId, c.id),
  unique: (c) => [
    {
      what: 'club-name',
      value: clubNameKey(c.termId, c.name),
      path: ['name'],
      message: `the term has a club named "${c.name}" already`,
    },
  ],
};

export const timetableSpec: EntitySpec<TimetableVersion> = {
  kind: 'timetable',
  what: 'timetable version',
  key: (s, id) => keys.entity(s, 'timetable', id),
};

/** A term's notice: its id is the term's. */
export const noticeSpec: EntitySpec<Notice> = {
  kind: 'notice',
  what: 'notice',
  key: (s, id) => keys.entity(s, 'notice', id),
  listKey: (s) => keys.entitiesOf(s, 'notice'),
};

/** A child's opt-out form of a term (id "<termId>#<studentNo>"), in the term's partition of forms; listed while a late request waits. */
export const optOutSpec: EntitySpec<OptOutForm> = {
  kind: 'optout',
  what: 'opt-out form',
  key: (s, id) => {
    const f = parseFormId(id);
    // an id that is no form's (from the history route) is a key where nothing is
    return f ? keys.optOutForm(s, f.termId, f.studentNo) : keys.optOutForm(s, id, '');
  },
  indexAttrs: (f, s) =>
    f.request?.state === 'pending' ? indexKeys.pendingRequest(s, f.termId, f.request.requestedAt, f.studentNo) : {},
};

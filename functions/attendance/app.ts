/**
 * Implementations of the attendance routes: parse (done) → authorise (the policy: by role,
 * or as the staff member of the session) → decide (domain/attendance.ts) → store → reply.
 * Sessions, their dates and names come from the published timetable's read models; the
 * children of a class from the seats held in the capacity primitive.
 */
import {
  allows,
  applyMarks,
  authorize,
  classCounts,
  classList,
  datedViews,
  hoursCsv,
  hoursReport,
  mayBeUnaccounted,
  mayHaveUnaccounted,
  monthsOf,
  needsRelations,
  NotFound,
  rosterDates,
  sessionScope,
  staffMemberCsv,
  staffMemberHours,
  timetableDayOn,
  termOn,
  todayIn,
  unaccountedIn,
  type AttendanceSheet,
  type DatedSessionView,
  type Permission,
  type Principal,
  type PublishedSession,
  type School,
  type SchoolDay,
  type Term,
} from '@kehou/domain';
import { bind, Reply, schoolFor, type Bound } from '@kehou/http';
import type { Runtime } from '@kehou/store';
import { attendanceRoutes as r } from './api';

/** The school, its terms and (when a relation may grant the permission) the caller's staff records, at once. */
async function schoolAndTerms(rt: Runtime, principal: Principal, schoolId: string, permission: Permission) {
  const relate = needsRelations(principal, permission, { id: schoolId, districtId: '' });
  const [school, terms, relations] = await Promise.all([
    rt.store.schools.get(schoolId, schoolId),
    rt.store.terms.all(schoolId),
    relate ? rt.store.relations.at(principal.userId, schoolId, 'staff') : undefined,
  ]);
  if (!school) throw new NotFound('school');
  return { school, terms, relations };
}

/** A published session on a date it runs, and the term that dates it; 404 on any other date. */
async function datedSession(rt: Runtime, school: School, terms: readonly Term[], date: string, sessionId: string) {
  const term = termOn(terms, date);
  const published = term && (await rt.store.attendance.publishedSession(school.id, term.id, sessionId));
  if (!term || !published) throw new NotFound('session');
  const { termId: _t, ...view } = published;
  const session = datedViews({ schoolId: school.id, term, zone: school.timezone }, [view], { start: date, end: date })[0];
  if (!session) throw new NotFound(`session on ${date}`);
  return { term, session, runsAs: timetableDayOn(term, date) as SchoolDay };
}

/** The dated session the caller may do `permission` on: its staff member, or the roles that may. */
async function sessionFor(
  rt: Runtime,
  principal: Principal,
  p: { schoolId: string; date: string; sessionId: string },
  permission: Permission,
) {
  const { school, terms, relations } = await schoolAndTerms(rt, principal, p.schoolId, permission);
  // a caller who is not of the school learns nothing, not even whether the session exists
  authorize(principal, 'school.read', { school });
  const dated = await datedSession(rt, school, terms, p.date, p.sessionId);
  const at = {
    school,
    subject: { kind: 'session' as const, staffId: dated.session.staffId },
    ...(relations ? { relations } : {}),
  };
  authorize(principal, permission, at);
  return { school, at, relations, ...dated };
}

/**
 * The class lists of dated sessions of a term on one date, with their sheets (read meanwhile):
 * the children holding seats of each class, then their records and forms at once, and their
 * guardians if shown.
 */
async function classLists(
  rt: Runtime,
  schoolId: string,
  term: Term,
  runsAs: SchoolDay,
  sessions: readonly DatedSessionView[],
  sheets: Promise<readonly AttendanceSheet[]>,
  contacts: boolean,
) {
  const [enrolled, taken] = await Promise.all([
    Promise.all(sessions.map((session) => rt.store.attendance.enrolled(schoolId, session.classId))),
    sheets,
  ]);
  const nos = [...new Set(enrolled.flat())];
  const [students, forms] = await Promise.all([
    rt.store.students.many(schoolId, nos),
    rt.store.optOuts.ofStudents(schoolId, term.id, nos),
  ]);
  const guardians = contacts
    ? new Map(
        (
          await rt.store.guardians.many(
            schoolId,
            students.flatMap((st) => st.guardianIds),
          )
        ).map((g) => [g.id, g]),
      )
    : null;
  const byNo = new Map(students.map((st) => [st.id, st]));
  const formOf = new Map(forms.map((f) => [f.studentNo, f]));
  const sheetOf = new Map(taken.map((sh) => [sh.sessionId, sh]));
  return sessions.map((session, i) => {
    const sheet = sheetOf.get(session.id) ?? null;
    return {
      sheet,
      children: classList(
        enrolled[i]!.flatMap((no) => byNo.get(no) ?? []),
        runsAs,
        formOf,
        sheet,
        guardians,
      ),
    };
  });
}

/**
 * The children unaccounted for in sessions of a date, read in bulk and only as far as needed:
 * each class's list (one query a class), then the records and forms of the children its sheet
 * does not account for (marked absent, or not marked once overdue), then the guardians of
 * those found missing (BatchGets of 100).
 */
async function unaccountedOf(
  rt: Runtime,
  schoolId: string,
  term: Term,
  runsAs: SchoolDay,
  sessions: readonly DatedSessionView[],
  sheetOf: ReadonlyMap<string, AttendanceSheet>,
  now: Date,
) {
  const classIds = [...new Set(sessions.map((s) => s.classId))];
  const lists = await Promise.all(classIds.map((c) => rt.store.attendance.enrolled(schoolId, c)));
  const enrolled = new Map(classIds.map((c, i) => [c, lists[i]!]));
  const candidates = sessions.map((s) => mayBeUnaccounted(s, enrolled.get(s.classId)!, sheetOf.get(s.id) ?? null, now));
  const nos = [...new Set(candidates.flat())];
  const [students, forms] = await Promise.all([
    rt.store.students.many(schoolId, nos),
    rt.store.optOuts.ofStudents(schoolId, term.id, nos),
  ]);
  const byNo = new Map(students.map((st) => [st.id, st]));
  const formOf = new Map(forms.map((f) => [f.studentNo, f]));
  const missing = (guardians: Parameters<typeof classList>[4]) =>
    sessions.flatMap((s, i) =>
      unaccountedIn(
        s,
        classList(
          candidates[i]!.flatMap((no) => byNo.get(no) ?? []),
          runsAs,
          formOf,
          sheetOf.get(s.id) ?? null,
          guardians,
        ),
        now,
      ),
    );
  const ids = new Set(missing(null).flatMap((u) => byNo.get(u.studentNo)!.guardianIds));
  const guardians = await rt.store.guardians.many(schoolId, [...ids]);
  return missing(new Map(guardians.map((g) => [g.id, g])));
}

/** The month's hours of the school's staff, from the sheets of its sessions, at the school's rate. */
async function hoursOf(rt: Runtime, principal: Principal, schoolId: string, month: string) {
  const [school, staff, sheets] = await Promise.all([
    schoolFor(rt.store, principal, schoolId, 'hours.read'),
    rt.store.staff.all(schoolId),
    rt.store.attendance.ofMonth(schoolId, month),
  ]);
  return hoursReport(school.id, month, sheets, staff, school.hourlyRateFen ?? null);
}

/** A staff member's month: their own (the policy's relation `self`), or anyone's for an admin; one round trip. */
async function staffHoursOf(rt: Runtime, principal: Principal, p: { schoolId: string; staffId: string }, month: string) {
  const [school, staff, sheets] = await Promise.all([
    schoolFor(rt.store, principal, p.schoolId, 'hours.staff', { kind: 'staff', staffId: p.staffId }),
    rt.store.staff.get(p.schoolId, p.staffId),
    rt.store.attendance.ofStaffMonth(p.schoolId, p.staffId, month),
  ]);
  if (!staff) throw new NotFound('staff member');
  return staffMemberHours(school.id, month, staff, sheets, school.hourlyRateFen ?? null);
}

const takenOf = (s: AttendanceSheet | null) =>
  s && { version: s.version, takenAt: s.takenAt, updatedAt: s.updatedAt, updatedBy: s.updatedBy };

export const bound: Bound<Runtime>[] = [
  bind(r.sessions, async ({ params, query, principal }, rt) => {
    const [school, terms, relations] = await Promise.all([
      schoolFor(rt.store, principal, params.schoolId, 'school.read'),
      rt.store.terms.all(params.schoolId),
      rt.store.relations.at(principal.userId, params.schoolId, 'staff'),
    ]);
    const scope = sessionScope(principal, school, relations);
    const range = { start: query.from, end: query.to };
    const inRange = terms.filter((t) => t.startDate <= range.end && range.start <= t.endDate);
    const [published, sheets] = await Promise.all([
      scope === 'all'
        ? Promise.all(inRange.map((t) => rt.store.attendance.publishedSessions(school.id, t.id)))
        : Promise.all([...scope].map((staffId) => rt.store.timetables.rosterOf(school.id, staffId))),
      Promise.all(monthsOf(range).map((m) => rt.store.attendance.ofMonth(school.id, m))),
    ]);
    const taken = new Map(sheets.flat().map((s) => [`${s.date}#${s.sessionId}`, s]));
    const items = rosterDates(school, terms, (published as PublishedSession[][]).flat(), range).map((d) => {
      const s = taken.get(`${d.date}#${d.id}`);
      return {
        ...d,
        attendance: s ? { version: s.version, marked: Object.keys(s.marks).length, updatedAt: s.updatedAt } : null,
      };
    });
    return { items };
  }),

  bind(r.classList, async ({ params, principal }, rt) => {
    const { school, at, term, session, runsAs } = await sessionFor(rt, principal, params, 'classlist.read');
    const contactsShown = allows(principal, 'classlist.contacts', at);
    const sheet = rt.store.attendance.sheet(school.id, session.date, session.id).then((sh) => (sh ? [sh] : []));
    const [list] = await classLists(rt, school.id, term, runsAs, [session], sheet, contactsShown);
    const { sheet: taken, children } = list!;
    return { session, runsAs, contactsShown, attendance: takenOf(taken), counts: classCounts(children), children };
  }),

  bind(r.save, async ({ params, body, principal }, rt) => {
    const { school, relations, session } = await sessionFor(rt, principal, params, 'attendance.write');
    const onList = new Set(await rt.store.attendance.enrolled(school.id, session.classId));
    const marker = {
      userId: principal.userId,
      name: relations?.staffIds.has(session.staffId) ? session.staffName : null,
      now: rt.clock(),
    };
    const saved = await rt.store.attendance.save(school.id, session.date, session.id, (prev) =>
      applyMarks(session, prev, body, onList, marker),
    );
    return { attendance: saved.sheet, changes: saved.entry?.changes ?? [], superseded: saved.superseded };
  }),

  bind(r.history, async ({ params, query, principal }, rt) => {
    const { school, session } = await sessionFor(rt, principal, params, 'classlist.contacts');
    return rt.store.attendance.history(school.id, session.date, session.id, query);
  }),

  bind(r.unaccounted, async ({ params, query, principal }, rt) => {
    const [school, terms] = await Promise.all([
      schoolFor(rt.store, principal, params.schoolId, 'unaccounted.read'),
      rt.store.terms.all(params.schoolId),
    ]);
    const now = rt.clock();
    const date = query.date ?? todayIn(school.timezone, now);
    const term = termOn(terms, date);
    const runsAs = term && (timetableDayOn(term, date) as SchoolDay | null);
    if (!term || !runsAs) return { date, runsAs: null, checkedAt: now.toISOString(), items: [] };
    const [published, sheets] = await Promise.all([
      rt.store.timetables.publishedView(school.id, term.id, { day: runsAs }),
      rt.store.attendance.ofDate(school.id, date),
    ]);
    const sheetOf = new Map(sheets.map((sh) => [sh.sessionId, sh]));
    const sessions = datedViews({ schoolId: school.id, term, zone: school.timezone }, published ?? [], {
      start: date,
      end: date,
    }).filter((s) => mayHaveUnaccounted(s, sheetOf.get(s.id) ?? null, now));
    const items = await unaccountedOf(rt, school.id, term, runsAs, sessions, sheetOf, now);
    return { date, runsAs, checkedAt: now.toISOString(), items };
  }),

  bind(r.hours, async ({ params, query, principal }, rt) => hoursOf(rt, principal, params.schoolId, query.month)),

  bind(r.hoursCsv, async ({ params, query, principal }, rt) => {
    const report = await hoursOf(rt, principal, params.schoolId, query.month);
    return new Reply(200, hoursCsv(report, query.statement), {
      'content-disposition': `attachment; filename="${query.statement}-${query.month}.csv"`,
    });
  }),

  bind(r.staffHours, async ({ params, query, principal }, rt) => staffHoursOf(rt, principal, params, query.month)),

  bind(r.staffHoursCsv, async ({ params, query, principal }, rt) => {
    const hours = await staffHoursOf(rt, principal, params, query.month);
    return new Reply(200, staffMemberCsv(hours), {
      'content-disposition': `attachment; filename="hours-${params.staffId}-${query.month}.csv"`,
    });
  }),
];

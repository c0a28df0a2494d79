/**
 * Implementations of the families routes: parse (done) → authorise (the policy, by role or as
 * a guardian of the child) → decide (domain) → store → reply. Each reads what it concerns
 * in one round trip where the records are known by key.
 */
import {
  amendForm,
  authorize,
  authorizeDistrict,
  childWeek,
  classSeatsId,
  clubsOfDay,
  created,
  decideRequest,
  dismissalCsv,
  dismissalList,
  formExists,
  formId,
  guardianOf,
  needsRelations,
  noticeProgress,
  noticeWindow,
  NotFound,
  participation,
  revised,
  sameSubmission,
  serviceDay,
  submitForm,
  sumFigures,
  termOn,
  todayIn,
  weekOf,
  withdrawForm,
  type FormContext,
  type Notice,
  type OptOutForm,
  type Permission,
  type Principal,
  type Relations,
  type School,
  type Student,
} from '@kehou/domain';
import { bind, Reply, type Bound } from '@kehou/http';
import type { FamilyWant, HeldEntry, Runtime } from '@kehou/store';
import { childRoutes, formRoutes, noticeRoutes, participationRoutes as pr } from './api';

/**
 * The school and the records a request concerns, with the caller's relations to the child
 * when a relation may grant the permission: read at once; then the policy decides. A child
 * who is not the caller's is 404 (`field`: the input that named them).
 */
async function access(
  rt: Runtime,
  principal: Principal,
  schoolId: string,
  permission: Permission,
  want: FamilyWant,
  o: { subject?: boolean; field?: string } = {},
) {
  const subject = o.subject && want.studentNo ? { kind: 'student' as const, studentNo: want.studentNo } : undefined;
  const relate = subject !== undefined && needsRelations(principal, permission, { id: schoolId, districtId: '' });
  const [records, relations] = await Promise.all([
    rt.store.family.records(schoolId, want),
    relate ? rt.store.relations.at(principal.userId, schoolId, 'student') : undefined,
  ]);
  if (!records.school) throw new NotFound('school');
  let grant;
  try {
    grant = authorize(principal, permission, {
      school: records.school,
      ...(subject ? { subject } : {}),
      ...(relations ? { relations } : {}),
    });
  } catch (e) {
    if (e instanceof NotFound && o.field && subject)
      throw new NotFound('student', [{ path: [o.field], message: 'is not a child of yours at this school' }]);
    throw e;
  }
  return { ...records, school: records.school, relations: relations ?? null, asGuardian: grant === 'relation' };
}

const need = <T>(x: T | null, what: string): T => {
  if (x === null) throw new NotFound(what);
  return x;
};

/** The classes a child holds a place in (club-class seats of the capacity primitive, granted). */
const heldClasses = (entries: readonly HeldEntry[]) =>
  new Set(
    entries.flatMap((e) =>
      e.state === 'granted' && e.resource.startsWith(classSeatsId('')) ? [e.resource.slice(classSeatsId('').length)] : [],
    ),
  );

const stampOf = (rt: Runtime, principal: Principal) => ({ by: principal.userId, now: rt.clock() });

/** What a guardian's change of a child's form is decided with. */
function formContext(
  rt: Runtime,
  principal: Principal,
  a: { school: School; notice: Notice | null; student: Student | null; relations: Relations | null },
): FormContext {
  const notice = need(a.notice, 'notice');
  const student = need(a.student, 'student');
  const guardian = a.relations && guardianOf(a.relations, student.id);
  if (!guardian) throw new NotFound('student');
  const now = rt.clock();
  return {
    schoolId: a.school.id,
    notice,
    today: todayIn(a.school.timezone, now),
    student,
    guardian,
    stamp: { by: principal.userId, now },
  };
}

/** A guardian's change of the child's form: what it is decided with, the form, then its next version stored. */
async function guardianChange(
  rt: Runtime,
  principal: Principal,
  params: { schoolId: string; termId: string; studentNo: string },
  change: (ctx: FormContext, prev: OptOutForm) => OptOutForm,
) {
  const want = { termId: params.termId, studentNo: params.studentNo, notice: true, form: true };
  const a = await access(rt, principal, params.schoolId, 'family.write', want, { subject: true });
  const prev = need(a.form, 'opt-out form');
  return rt.store.optOuts.replace(a.school.id, prev, change(formContext(rt, principal, a), prev));
}

const formPath = (f: OptOutForm) => `/schools/${f.schoolId}/terms/${f.termId}/optouts/${f.studentNo}`;

const notices: Bound<Runtime>[] = [
  bind(noticeRoutes.publish, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params.schoolId, 'notice.write', { termId: params.termId, term: true });
    need(a.term, 'term');
    const notice = created({ ...body, id: params.termId, schoolId: a.school.id, termId: params.termId }, stampOf(rt, principal));
    await rt.store.notices.create(a.school.id, notice);
    return new Reply(201, notice, { location: `/schools/${a.school.id}/terms/${params.termId}/notice` });
  }),
  bind(noticeRoutes.revise, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params.schoolId, 'notice.write', { termId: params.termId, notice: true });
    const prev = need(a.notice, 'notice');
    const { version, ...input } = body;
    return rt.store.notices.replace(a.school.id, prev, revised(prev, input, version, stampOf(rt, principal), 'the notice'));
  }),
  bind(noticeRoutes.get, async ({ params, principal }, rt) =>
    need((await access(rt, principal, params.schoolId, 'notice.read', { termId: params.termId, notice: true })).notice, 'notice'),
  ),
  bind(noticeRoutes.progress, async ({ params, query, principal }, rt) => {
    const [a, students, forms, opened] = await Promise.all([
      access(rt, principal, params.schoolId, 'notice.progress', { termId: params.termId, notice: true }),
      rt.store.family.students(params.schoolId, query),
      rt.store.optOuts.ofTerm(params.schoolId, params.termId),
      rt.store.optOuts.openedOf(params.schoolId, params.termId),
    ]);
    need(a.notice, 'notice');
    return { homerooms: noticeProgress(students, opened, new Set(forms.map((f) => f.studentNo))) };
  }),
];

const forms: Bound<Runtime>[] = [
  bind(formRoutes.submit, async ({ params, body, principal }, rt) => {
    const { studentNo, ...submission } = body;
    const a = await access(
      rt,
      principal,
      params.schoolId,
      'family.write',
      { termId: params.termId, studentNo, notice: true },
      { subject: true, field: 'studentNo' },
    );
    const next = submitForm(formContext(rt, principal, a), params.termId, submission);
    // a retry, with its key or without, or a second tap finds the form it stored; anything else is told to amend
    const held = await rt.store.optOuts.add(a.school.id, next);
    if (held && !sameSubmission(held, next)) throw formExists(held);
    const form = held ?? next;
    return new Reply(201, form, { location: formPath(form), ...(held ? { 'idempotent-replayed': 'true' } : {}) });
  }),
  bind(formRoutes.amend, async ({ params, body, principal }, rt) =>
    guardianChange(rt, principal, params, (ctx, prev) => amendForm(ctx, prev, body)),
  ),
  bind(formRoutes.withdraw, async ({ params, body, principal }, rt) =>
    guardianChange(rt, principal, params, (ctx, prev) => withdrawForm(ctx, prev, body)),
  ),
  bind(formRoutes.decide, async ({ params, body, principal }, rt) => {
    const a = await access(rt, principal, params.schoolId, 'optouts.manage', {
      termId: params.termId,
      studentNo: params.studentNo,
      form: true,
    });
    const prev = need(a.form, 'opt-out form');
    return rt.store.optOuts.replace(a.school.id, prev, decideRequest(prev, body, stampOf(rt, principal)));
  }),
  bind(formRoutes.get, async ({ params, principal }, rt) => {
    const want = { termId: params.termId, studentNo: params.studentNo, form: true };
    return need((await access(rt, principal, params.schoolId, 'family.read', want, { subject: true })).form, 'opt-out form');
  }),
  bind(formRoutes.history, async ({ params, query, principal }, rt) => {
    const a = await access(rt, principal, params.schoolId, 'family.read', { studentNo: params.studentNo }, { subject: true });
    const page = await rt.store.optOuts.history(a.school.id, formId(params.termId, params.studentNo), query);
    if (page.items.length === 0 && !query.cursor) throw new NotFound('opt-out form');
    return page;
  }),
  bind(formRoutes.list, async ({ params, query, principal }, rt) => {
    const { grade, homeroom, day, status, ...page } = query;
    const [a, forms] = await Promise.all([
      access(rt, principal, params.schoolId, 'optouts.manage', { termId: params.termId, term: true }),
      rt.store.optOuts.page(params.schoolId, params.termId, { grade, homeroom, day, status }, page),
    ]);
    need(a.term, 'term');
    return forms;
  }),
  bind(formRoutes.requests, async ({ params, query, principal }, rt) => {
    const [a, page] = await Promise.all([
      access(rt, principal, params.schoolId, 'optouts.manage', { termId: params.termId, term: true }),
      rt.store.optOuts.pending(params.schoolId, params.termId, query),
    ]);
    need(a.term, 'term');
    return page;
  }),
];

const children: Bound<Runtime>[] = [
  bind(childRoutes.notices, async ({ params, principal }, rt) => {
    const [a, all, terms] = await Promise.all([
      access(rt, principal, params.schoolId, 'family.read', { studentNo: params.studentNo }, { subject: true }),
      rt.store.notices.all(params.schoolId),
      rt.store.terms.all(params.schoolId),
    ]);
    const student = need(a.student, 'student');
    const today = todayIn(a.school.timezone, rt.clock());
    const shown = all.filter((n) => noticeWindow(n, today) !== 'not-open').sort((x, y) => y.opensOn.localeCompare(x.opensOn));
    const child = await rt.store.family.ofChild(
      a.school.id,
      student.id,
      shown.map((n) => n.termId),
    );
    return {
      items: shown.map((notice) => ({
        termId: notice.termId,
        termName: terms.find((t) => t.id === notice.termId)?.name ?? notice.termId,
        window: noticeWindow(notice, today) as 'open' | 'closed',
        notice,
        opened: child.opened.has(notice.termId),
        form: child.forms.get(notice.termId) ?? null,
      })),
    };
  }),
  bind(childRoutes.notice, async ({ params, principal }, rt) => {
    const a = await access(
      rt,
      principal,
      params.schoolId,
      'family.read',
      { termId: params.termId, studentNo: params.studentNo, term: true, notice: true, form: true, opened: true },
      { subject: true },
    );
    const student = need(a.student, 'student');
    const notice = need(a.notice, 'notice');
    const now = rt.clock();
    const window = noticeWindow(notice, todayIn(a.school.timezone, now));
    if (window === 'not-open') throw new NotFound('notice');
    // a guardian reading it is what "opened" means; the school reading it is not
    if (a.asGuardian && !a.opened)
      await rt.store.optOuts.markOpened(a.school.id, notice.termId, student.id, now.toISOString(), principal.userId);
    const termName = a.term?.name ?? notice.termId;
    return { termId: notice.termId, termName, window, notice, opened: a.opened || a.asGuardian, form: a.form };
  }),
  bind(childRoutes.week, async ({ params, query, principal }, rt) => {
    const [a, terms, entries] = await Promise.all([
      access(rt, principal, params.schoolId, 'family.read', { studentNo: params.studentNo }, { subject: true }),
      rt.store.terms.all(params.schoolId),
      rt.store.capacity.entriesOf(params.schoolId, params.studentNo),
    ]);
    const student = need(a.student, 'student');
    const dates = weekOf(query.date);
    const termIds = [...new Set(dates.flatMap((d) => termOn(terms, d)?.id ?? []))];
    const held = heldClasses(entries);
    const [{ forms, grade }, sessions] = await Promise.all([
      rt.store.family.ofChild(a.school.id, student.id, termIds, student.gradeLevel),
      // the published sessions of the classes the child holds, in each term of the week
      Promise.all(
        termIds.map(async (termId) => {
          const views = await Promise.all(
            [...held].map((classId) => rt.store.timetables.publishedView(a.school.id, termId, { classId })),
          );
          return [termId, views.flatMap((v) => v ?? [])] as const;
        }),
      ).then((x) => new Map(x)),
    ]);
    return {
      studentNo: student.id,
      name: student.name,
      gradeLevel: student.gradeLevel,
      homeroom: student.homeroom,
      days: childWeek(
        dates,
        terms,
        grade,
        a.school,
        (termId) => forms.get(termId),
        (termId, day) => clubsOfDay(sessions.get(termId) ?? [], held, day),
      ),
    };
  }),
];

/** A school's participation in a term, from its records as they are. */
async function schoolParticipation(rt: Runtime, schoolId: string, termId: string) {
  const d = await rt.store.family.participation(schoolId, termId);
  return participation(d);
}

const PARALLEL_SCHOOLS = 8;

const figures: Bound<Runtime>[] = [
  bind(pr.school, async ({ params, principal }, rt) => {
    const [a, p] = await Promise.all([
      access(rt, principal, params.schoolId, 'participation.read', { termId: params.termId, term: true }),
      schoolParticipation(rt, params.schoolId, params.termId),
    ]);
    need(a.term, 'term');
    return { schoolId: a.school.id, termId: params.termId, ...p };
  }),
  bind(pr.district, async ({ params, query, principal }, rt) => {
    authorizeDistrict(principal, params.districtId);
    const schools: School[] = [];
    let cursor: string | undefined;
    do {
      const page = await rt.store.schools.ofDistrict(params.districtId, { limit: 500, ...(cursor ? { cursor } : {}) });
      schools.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    const rows: Array<{ schoolId: string; name: string; termId: string | null; figures: ReturnType<typeof sumFigures> | null }> =
      [];
    let next = 0;
    const worker = async () => {
      while (next < schools.length) {
        const school = schools[next++]!;
        const term = termOn(await rt.store.terms.all(school.id), query.date);
        const p = term ? await schoolParticipation(rt, school.id, term.id) : null;
        rows.push({
          schoolId: school.id,
          name: school.name,
          termId: term?.id ?? null,
          figures: p && { students: p.students, teachers: p.teachers },
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_SCHOOLS, schools.length) }, worker));
    rows.sort((x, y) => x.name.localeCompare(y.name, 'zh') || x.schoolId.localeCompare(y.schoolId));
    const total = sumFigures(rows.flatMap((r) => (r.figures ? [r.figures] : [])));
    return { districtId: params.districtId, date: query.date, ...total, schools: rows };
  }),
];

/** The dismissal list of a homeroom on a date: the school, the grade, the terms and the homeroom's students, then their forms. */
async function dismissalOf(
  rt: Runtime,
  principal: Principal,
  schoolId: string,
  q: { date: string; grade: number; homeroom: string },
) {
  const [a, terms, students] = await Promise.all([
    access(rt, principal, schoolId, 'dismissal.read', { gradeLevel: q.grade }),
    rt.store.terms.all(schoolId),
    rt.store.family.students(schoolId, { grade: q.grade, homeroom: q.homeroom }),
  ]);
  const grade = need(a.grade, 'grade');
  const term = termOn(terms, q.date);
  const day = serviceDay(q.date, term, grade, a.school);
  const [forms, sessions, entries] = term
    ? await Promise.all([
        rt.store.optOuts.ofStudents(
          a.school.id,
          term.id,
          students.map((s) => s.id),
        ),
        // the day's published sessions of the grade, and each child's places: who stays for which club
        day.runsAs ? rt.store.timetables.publishedView(a.school.id, term.id, { day: day.runsAs, grade: q.grade }) : [],
        day.runsAs ? Promise.all(students.map((s) => rt.store.capacity.entriesOf(a.school.id, s.id))) : [],
      ])
    : [[], [], []];
  const held = new Map(students.map((s, i) => [s.id, heldClasses(entries[i] ?? [])]));
  return dismissalList(
    { schoolId: a.school.id, termId: term?.id ?? null, grade, homeroom: q.homeroom },
    day,
    students,
    new Map(forms.map((f) => [f.studentNo, f])),
    (studentNo) => clubsOfDay(sessions ?? [], held.get(studentNo) ?? new Set(), day.runsAs ?? ''),
  );
}

const dismissal: Bound<Runtime>[] = [
  bind(pr.dismissal, async ({ params, query, principal }, rt) => dismissalOf(rt, principal, params.schoolId, query)),
  bind(pr.dismissalCsv, async ({ params, query, principal }, rt) => {
    const list = await dismissalOf(rt, principal, params.schoolId, query);
    const name = `dismissal-${list.date}-g${list.grade}-${list.homeroom}.csv`.replace(/[^A-Za-z0-9._-]/g, '_');
    return new Reply(200, dismissalCsv(list), { 'content-disposition': `attachment; filename="${name}"` });
  }),
];

export const bound: Bound<Runtime>[] = [...notices, ...forms, ...children, ...figures, ...dismissal];

/** Implementations of the people routes. */
import {
  guardianIdFor,
  InvalidInput,
  memberOf,
  membershipsOf,
  NotFound,
  queuedImport,
  readImport,
  type PageQuery,
} from '@kehou/domain';
import { bind, crudRoutes, Reply, schoolFor, type Bound } from '@kehou/http';
import { Jobs, type Runtime } from '@kehou/store';
import { guardianMeta, guardianRoutes, importRoutes, meRoute, studentMeta, studentRoutes } from './api';

const students = crudRoutes(studentMeta, studentRoutes, {
  repo: (rt: Runtime) => ({
    get: (s, id) => rt.store.students.get(s, id),
    list: (s, q: PageQuery & { grade?: number; homeroom?: string }) =>
      q.grade === undefined ? rt.store.students.list(s, q) : rt.store.students.ofGrade(s, q.grade, q.homeroom, q),
    create: (s, e) => rt.store.students.create(s, e),
    replace: (s, prev, next) => rt.store.students.replace(s, prev, next),
    delete: (s, prev, at, by) => rt.store.students.delete(s, prev, at, by),
  }),
  idFrom: { field: 'studentNo', make: (s) => s.studentNo },
  prepare: async (s, { rt, school, prev }) => {
    if (!(await rt.store.grades.get(school.id, `g${s.gradeLevel}`)))
      throw InvalidInput.at(['gradeLevel'], `the school has no grade ${s.gradeLevel}`);
    return { guardianIds: prev?.guardianIds ?? [] };
  },
});

const guardians = crudRoutes(guardianMeta, guardianRoutes, {
  repo: (rt: Runtime) => rt.store.guardians,
  idFrom: { field: 'phone', make: (g, schoolId) => guardianIdFor(schoolId, g.phone) },
});

const imports: Bound<Runtime>[] = [
  // checks every row and stores them; the jobs function imports them (import-job.ts)
  bind(importRoutes.run, async ({ params, query, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'students.write');
    const levels = new Set((await rt.store.grades.all(school.id)).map((g) => g.level));
    const file = readImport(body, query.mode, levels);
    const now = rt.clock();
    const job = queuedImport(rt.newId(), file.mode, file.rows.length, { by: principal.userId, now });
    await rt.store.imports.start(school.id, job, file.rows, now, rt.jobs);
    return new Reply(202, job, { location: `/schools/${school.id}/imports/${job.importId}` });
  }),
  bind(importRoutes.get, async ({ params, principal }, rt) => {
    await schoolFor(rt.store, principal, params.schoolId, 'students.read');
    const job = await rt.store.imports.get(params.schoolId, params.importId);
    if (!job) throw new NotFound('import');
    return Jobs.view(job);
  }),
  bind(importRoutes.list, async ({ params, query, principal }, rt) => {
    await schoolFor(rt.store, principal, params.schoolId, 'students.read');
    return rt.store.imports.list(params.schoolId, query);
  }),
];

/** Who you are, at the schools where you hold a role: a record at a school you have no role at is not shown. */
const me = bind(meRoute, async ({ principal }, rt: Runtime) => {
  const [staff, guardians] = await Promise.all([
    rt.store.staff.ofUser(principal.userId),
    rt.store.guardians.ofUser(principal.userId),
  ]);
  const mine = guardians.filter((g) => memberOf(principal, g.schoolId));
  const children = await Promise.all(
    mine.map(async (g) =>
      (await rt.store.students.many(g.schoolId, g.children)).map((s) => ({
        schoolId: g.schoolId,
        studentNo: s.id,
        name: s.name,
        gradeLevel: s.gradeLevel,
        homeroom: s.homeroom,
        guardianId: g.id,
      })),
    ),
  );
  return {
    userId: principal.userId,
    roles: [...principal.roles],
    schools: membershipsOf(principal),
    district: principal.district,
    staff: staff.filter((s) => memberOf(principal, s.schoolId)),
    children: children.flat(),
  };
});

export const bound: Bound<Runtime>[] = [...students, ...guardians, ...imports, me];

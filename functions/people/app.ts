/** Implementations of the people routes. */
import {
  diffImport,
  guardianIdFor,
  InvalidInput,
  memberOf,
  membershipsOf,
  planImport,
  rowsFromCsv,
  validateImportRows,
  type ImportResult,
  type PageQuery,
  type IssuePath,
} from '@kehou/domain';
import { bind, crudRoutes, schoolFor, type Bound } from '@kehou/http';
import type { Runtime } from '@kehou/store';
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
  bind(importRoutes.run, async ({ params, query, body, bodyType, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'students.write');
    let mode = query.mode ?? 'upsert';
    let raw: unknown[];
    let filePath = (path: IssuePath) => path;
    if (bodyType === 'text/csv') {
      const csv = rowsFromCsv(body as string);
      if (csv.issues.length) throw new InvalidInput(csv.issues, 'The CSV file cannot be read; nothing was imported');
      raw = csv.rows;
      filePath = csv.filePath;
    } else {
      const json = body as Exclude<typeof body, string>;
      raw = json.rows;
      mode = query.mode ?? json.mode;
    }
    const levels = new Set((await rt.store.grades.all(school.id)).map((g) => g.level));
    const checked = validateImportRows(raw, levels);
    if (checked.issues.length) {
      throw new InvalidInput(
        checked.issues.slice(0, 1000).map((i) => ({ ...i, path: filePath(i.path) })),
        `${checked.issues.length} problem(s) in ${raw.length} rows; nothing was imported`,
      );
    }
    const stamp = { by: principal.userId, now: rt.clock() };
    const [current, currentGuardians] = await Promise.all([rt.store.students.all(school.id), rt.store.guardians.all(school.id)]);
    const diff = diffImport(
      school.id,
      planImport(school.id, checked.rows),
      mode,
      { students: new Map(current.map((s) => [s.id, s])), guardians: new Map(currentGuardians.map((g) => [g.id, g])) },
      stamp,
    );
    if (diff.issues.length)
      throw new InvalidInput(
        diff.issues.slice(0, 1000),
        `${diff.issues.length} row(s) name students who exist already; nothing was imported`,
      );

    const importId = rt.newId();
    const at = stamp.now.toISOString();
    const base: ImportResult = {
      importId,
      status: 'complete',
      mode,
      rows: raw.length,
      studentsWritten: 0,
      guardiansWritten: 0,
      errors: [],
    };
    // recorded before writing: an import cut short stays visible as "running"
    await rt.store.imports.put(school.id, { ...base, at, by: principal.userId, state: 'running', finishedAt: null });
    const s = await rt.store.students.writeImport(school.id, diff.students);
    const g = await rt.store.guardians.writeImport(school.id, diff.guardians);
    const errors = [...s.failed, ...g.failed].flatMap((f) =>
      f.rows.map((row) => ({ row, path: ['rows', row], message: f.message })),
    );
    const result: ImportResult = {
      ...base,
      status: errors.length ? 'partial' : 'complete',
      studentsWritten: s.written,
      guardiansWritten: g.written,
      errors,
    };
    await rt.store.imports.put(school.id, {
      ...result,
      at,
      by: principal.userId,
      state: 'finished',
      finishedAt: rt.clock().toISOString(),
    });
    return result;
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

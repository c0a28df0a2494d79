/** Implementations of the set-up routes: parse (done) → authorise → domain → store → reply. */
import {
  assertGradeFitsDay,
  authorizeSchoolCreation,
  created,
  gradeId,
  importTemplate,
  NotFound,
  planRooms,
  planStaff,
  readSetupImport,
  revised,
  schoolListScope,
  setupImportResult,
  type ImportTemplate,
  type Permission,
  type School,
} from '@kehou/domain';
import { bind, crudRoutes, Reply, schoolFor, type Bound } from '@kehou/http';
import type { Runtime } from '@kehou/store';
import {
  gradeMeta,
  gradeRoutes,
  historyRoute,
  importRoutes,
  roomMeta,
  roomRoutes,
  schoolRoutes,
  staffMeta,
  staffRoutes,
  termMeta,
  termRoutes,
  templateRoute,
} from './api';

const schools: Bound<Runtime>[] = [
  bind(schoolRoutes.create, async ({ body, principal }, rt) => {
    authorizeSchoolCreation(principal, body.districtId);
    const school = created({ ...body, id: rt.newId(), status: 'active' as const }, { by: principal.userId, now: rt.clock() });
    await rt.store.schools.create(school.id, school);
    return new Reply(201, school, { location: `/schools/${school.id}` });
  }),
  bind(schoolRoutes.list, async ({ query, principal }, rt) => {
    const scope = schoolListScope(principal);
    if ('district' in scope) return rt.store.schools.ofDistrict(scope.district, query);
    const mine = await Promise.all(scope.schools.slice(0, 50).map((id) => rt.store.schools.get(id, id)));
    return { items: mine.filter((s): s is School => s !== null), next: null };
  }),
  bind(schoolRoutes.get, async ({ params, principal }, rt) => schoolFor(rt.store, principal, params.schoolId, 'school.read')),
  bind(schoolRoutes.replace, async ({ params, body, principal }, rt) => {
    const prev = await schoolFor(rt.store, principal, params.schoolId, 'school.update');
    const { version, ...input } = body;
    const next = revised(prev, input, version, { by: principal.userId, now: rt.clock() }, 'school');
    return rt.store.schools.replace(prev.id, prev, next);
  }),
  bind(historyRoute, async ({ params, query, principal }, rt) => {
    await schoolFor(rt.store, principal, params.schoolId, 'history.read');
    const page = await rt.store.records[params.kind].history(params.schoolId, params.id, query);
    if (page.items.length === 0 && !query.cursor) throw new NotFound(params.kind);
    return page;
  }),
];

const grades = crudRoutes(gradeMeta, gradeRoutes, {
  repo: (rt: Runtime) => rt.store.grades,
  idFrom: { field: 'level', make: (g) => gradeId(g.level) },
  prepare: async (g, { school }) => assertGradeFitsDay(g, school as School),
});

const rooms = crudRoutes(roomMeta, roomRoutes, { repo: (rt: Runtime) => rt.store.rooms });
const terms = crudRoutes(termMeta, termRoutes, { repo: (rt: Runtime) => rt.store.terms });
const staff = crudRoutes(staffMeta, staffRoutes, { repo: (rt: Runtime) => rt.store.staff });

/** Rooms and staff from a file, all or nothing: checked against what the school has, written where they change. */
const imports: Bound<Runtime>[] = [
  bind(importRoutes.rooms, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'setup.write');
    const file = readSetupImport('rooms', body);
    const stamp = { by: principal.userId, now: rt.clock() };
    const plan = planRooms(file, await rt.store.rooms.all(school.id), { schoolId: school.id, stamp, newId: rt.newId });
    await rt.store.setupImports.rooms(school.id, plan.changes, file.label);
    return setupImportResult(plan, file.rows.length);
  }),
  bind(importRoutes.staff, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'staff.write');
    const file = readSetupImport('staff', body);
    const stamp = { by: principal.userId, now: rt.clock() };
    const plan = planStaff(file, await rt.store.staff.all(school.id), { schoolId: school.id, stamp, newId: rt.newId });
    await rt.store.setupImports.staff(school.id, plan.changes, file.label);
    return setupImportResult(plan, file.rows.length);
  }),
];

/** Who may have a template: who may import it. */
const TEMPLATE_PERMISSION: Record<ImportTemplate, Permission> = {
  students: 'students.write',
  rooms: 'setup.write',
  staff: 'staff.write',
  clubs: 'setup.write',
};
const template = bind(templateRoute, async ({ params, query, principal }, rt: Runtime) => {
  const kind = params.file.replace(/\.csv$/, '') as ImportTemplate;
  await schoolFor(rt.store, principal, params.schoolId, TEMPLATE_PERMISSION[kind]);
  return new Reply(200, importTemplate(kind, query.lang), { 'content-disposition': `attachment; filename="${params.file}"` });
});

export const bound: Bound<Runtime>[] = [...schools, ...grades, ...rooms, ...terms, ...staff, ...imports, template];

/** Routes of a school's set-up: the school, its grades, rooms, terms and staff. */
import {
  columnsInWords,
  Grade,
  GradeInput,
  HistoryEntry,
  Id,
  IMPORT_TEMPLATES,
  Page,
  PageQuery,
  RECORD_KINDS,
  Room,
  RoomInput,
  School,
  SchoolInput,
  SchoolUpdate,
  Staff,
  StaffInput,
  Term,
  TermInput,
} from '@kehou/domain';
import { crudSpecs, mayRefuse, route, type CrudMeta } from '@kehou/http';
import { SETUP_IMPORT_TERMS, setupImportRoute } from './import-route';
import * as z from 'zod';

const schoolParams = z.object({ schoolId: Id });

export const schoolRoutes = {
  create: route({
    operationId: 'createSchool',
    method: 'POST',
    path: '/schools',
    summary: 'Register a school (a district bureau, for its own district)',
    description:
      'Only a district bureau registers schools, and only in its own district (else 403). The time zone defaults to ' +
      'Asia/Shanghai and the end of the service day to 18:00. A retry with the same Idempotency-Key gets the first answer.',
    tag: 'Schools',
    auth: 'jwt',
    errors: [403],
    body: SchoolInput,
    response: School,
    status: 201,
    responseHeaders: { Location: 'the new school' },
    idempotent: true,
  }),
  list: route({
    operationId: 'listSchools',
    hot: true,
    method: 'GET',
    path: '/schools',
    summary: "The schools you belong to, or your district's",
    description:
      "A bureau gets its district's schools, a page at a time; anyone else the schools they belong to (up to 50, on one page).",
    tag: 'Schools',
    auth: 'jwt',
    query: PageQuery,
    response: Page(School),
  }),
  get: route({
    operationId: 'getSchool',
    method: 'GET',
    path: '/schools/{schoolId}',
    summary: 'Read a school',
    description: 'The school, for anyone who belongs to it or to its district; to anyone else it is 404.',
    tag: 'Schools',
    auth: 'jwt',
    errors: mayRefuse('school.read'),
    params: schoolParams,
    response: School,
  }),
  replace: route({
    operationId: 'replaceSchool',
    method: 'PUT',
    path: '/schools/{schoolId}',
    summary: 'Update a school (send the version you read)',
    description:
      "Replaces the school's name, time zone, end of day and address, if `version` is still the stored one (else 409, " +
      'saying who changed it); the replaced version stays in its history.',
    tag: 'Schools',
    auth: 'jwt',
    errors: mayRefuse('school.update'),
    params: schoolParams,
    body: SchoolUpdate,
    response: School,
  }),
};

export const historyRoute = route({
  operationId: 'getHistory',
  method: 'GET',
  path: '/schools/{schoolId}/history/{kind}/{id}',
  summary: 'Every version of a record: who changed what, when',
  description:
    'Every version of a record of the school (`kind` says what it is), with who wrote it, when and what, a page at a time; ' +
    'a record that never existed is 404.',
  tag: 'Schools',
  auth: 'jwt',
  errors: mayRefuse('history.read'),
  params: z.object({ schoolId: Id, kind: z.enum(RECORD_KINDS), id: z.string().min(1).max(80) }),
  query: PageQuery,
  response: Page(HistoryEntry),
});

export const gradeMeta = {
  what: 'grade',
  plural: 'grades',
  idParam: 'gradeId',
  tag: 'Grades',
  input: GradeInput,
  entity: Grade,
  read: 'setup.read',
  write: 'setup.write',
} satisfies CrudMeta<typeof GradeInput, typeof Grade>;
export const roomMeta = {
  what: 'room',
  plural: 'rooms',
  idParam: 'roomId',
  tag: 'Rooms',
  input: RoomInput,
  entity: Room,
  archivable: true,
  read: 'setup.read',
  write: 'setup.write',
} satisfies CrudMeta<typeof RoomInput, typeof Room>;
export const termMeta = {
  what: 'term',
  plural: 'terms',
  idParam: 'termId',
  tag: 'Terms',
  input: TermInput,
  entity: Term,
  read: 'setup.read',
  write: 'setup.write',
} satisfies CrudMeta<typeof TermInput, typeof Term>;
export const staffMeta = {
  what: 'staff member',
  plural: 'staff',
  idParam: 'staffId',
  tag: 'Staff',
  input: StaffInput,
  entity: Staff,
  archivable: true,
  read: 'staff.read',
  write: 'staff.write',
} satisfies CrudMeta<typeof StaffInput, typeof Staff>;

export const gradeRoutes = crudSpecs(gradeMeta);
export const roomRoutes = crudSpecs(roomMeta);
export const termRoutes = crudSpecs(termMeta);
export const staffRoutes = crudSpecs(staffMeta);

export const importRoutes = {
  rooms: setupImportRoute(
    {
      operationId: 'importRooms',
      path: '/schools/{schoolId}/rooms/import',
      summary: 'Import rooms from JSON rows or a CSV file',
      description: `One room a row (${columnsInWords('rooms')}), matched by name: a room the school has is updated, any other created. ${SETUP_IMPORT_TERMS}`,
      tag: 'Rooms',
      params: schoolParams,
    },
    'rooms',
    'setup.write',
  ),
  staff: setupImportRoute(
    {
      operationId: 'importStaff',
      path: '/schools/{schoolId}/staff/import',
      summary: 'Import staff from JSON rows or a CSV file',
      description:
        `One staff member a row (${columnsInWords('staff')}; a day's windows as 15:30-18:00, several separated by ";"; ` +
        '周六 and 周日 columns are read too), matched by id (编号), or else by name and phone: a row without a phone updates the ' +
        'one staff member of that name, one with a phone the one with that phone or else the one of that name without a phone. ' +
        `An import never removes a phone number. Kinds: 教师 teacher, 志愿者 volunteer, 外聘 external. ${SETUP_IMPORT_TERMS}`,
      tag: 'Staff',
      params: schoolParams,
    },
    'staff',
    'staff.write',
  ),
};

export const templateRoute = route({
  operationId: 'getImportTemplate',
  method: 'GET',
  path: '/schools/{schoolId}/import-templates/{file}',
  summary: 'A CSV template to fill in for an import: students, rooms, staff or clubs',
  description:
    'The columns of the import with an example row (for clubs two: a basic and an advanced class of one club), as CSV with a ' +
    'UTF-8 BOM so that Excel opens it right; `lang=en` for English headers. Filled in and saved from Excel (as CSV UTF-8 or CSV), ' +
    'it imports as it is.',
  tag: 'Schools',
  auth: 'jwt',
  errors: [403],
  params: z.object({ schoolId: Id, file: z.enum(IMPORT_TEMPLATES.map((k) => `${k}.csv` as const)) }),
  query: z.object({
    lang: z.enum(['zh', 'en']).default('zh').meta({ description: 'the headers: Chinese (default) or English' }),
  }),
  produces: 'text/csv; charset=utf-8',
  responseHeaders: { 'Content-Disposition': 'attachment, with the file name' },
});

export const routes = [
  ...Object.values(schoolRoutes),
  historyRoute,
  ...Object.values(gradeRoutes),
  ...Object.values(roomRoutes),
  ...Object.values(termRoutes),
  ...Object.values(staffRoutes),
  ...Object.values(importRoutes),
  templateRoute,
];

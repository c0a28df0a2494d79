/** Routes for the people of a school: students, guardians, bulk import; and "who am I". */
import {
  Guardian,
  GuardianInput,
  Id,
  ImportJob,
  ImportMode,
  ImportRequest,
  MAX_IMPORT_ROWS,
  Page,
  PageQuery,
  Staff,
  Student,
  StudentInput,
  StudentNo,
} from '@kehou/domain';
import { crudSpecs, route, type CrudMeta } from '@kehou/http';
import * as z from 'zod';

export const studentMeta = {
  what: 'student',
  plural: 'students',
  idParam: 'studentNo',
  idSchema: StudentNo,
  tag: 'Students',
  input: StudentInput,
  entity: Student,
  archivable: true,
  read: 'students.read',
  write: 'students.write',
  subject: (studentNo) => ({ kind: 'student', studentNo }),
} satisfies CrudMeta<typeof StudentInput, typeof Student>;

export const guardianMeta = {
  what: 'guardian',
  plural: 'guardians',
  idParam: 'guardianId',
  tag: 'Guardians',
  input: GuardianInput,
  entity: Guardian,
  read: 'students.read',
  write: 'students.write',
} satisfies CrudMeta<typeof GuardianInput, typeof Guardian>;

const crudStudents = crudSpecs(studentMeta);
export const studentRoutes = {
  ...crudStudents,
  list: route({
    ...crudStudents.list,
    summary: 'List the students of a school, or of one grade (and homeroom)',
    description:
      'The students of the school, or of one `grade` (and `homeroom`, which needs `grade`), a page at a time: pass `next` ' +
      'as `cursor` for the following page.',
    query: PageQuery.extend({
      grade: z.coerce.number().int().min(1).max(12).optional(),
      homeroom: z.string().min(1).max(20).optional(),
    }).refine((q) => q.homeroom === undefined || q.grade !== undefined, { path: ['homeroom'], message: 'needs grade as well' }),
  }),
};
export const guardianRoutes = crudSpecs(guardianMeta);

/** Fits Lambda's 6 MB request payload with room for the event around it (a whole school's roster is 1–2 MB). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const importRoutes = {
  run: route({
    operationId: 'importStudents',
    method: 'POST',
    path: '/schools/{schoolId}/students/import',
    summary:
      'Import students and guardians from JSON rows or a CSV file (学号,姓名,年级,班级,家长1姓名,家长1电话,家长1关系… or studentNo,name,grade,homeroom,guardian1Name,…), ' +
      `up to ${MAX_IMPORT_ROWS.toLocaleString('en')} rows and 5 MB. Every row is checked first: any error and nothing is imported (400, with every row's problems). ` +
      'Then the import runs as a job: 202 with its status resource (Location), to poll until finished. ' +
      'One import of a school at a time: another one gets 409 with Retry-After. Importing the same file twice writes nothing.',
    tag: 'Students',
    auth: 'jwt',
    params: z.object({ schoolId: Id }),
    query: z.object({ mode: ImportMode.optional() }),
    body: ImportRequest,
    bodyTypes: ['application/json', 'text/csv'],
    maxBodyBytes: MAX_IMPORT_BYTES,
    tooLarge: `The file is larger than 5 MB (${MAX_IMPORT_BYTES.toLocaleString('en')} bytes): split it into parts of fewer rows and import each part`,
    status: 202,
    response: ImportJob,
    idempotent: true,
  }),
  get: route({
    operationId: 'getImport',
    method: 'GET',
    path: '/schools/{schoolId}/imports/{importId}',
    summary:
      'An import: queued, running (rows done of rows), finished (students and guardians written) or failed, with every row that was not applied',
    tag: 'Students',
    auth: 'jwt',
    params: z.object({ schoolId: Id, importId: Id }),
    response: ImportJob,
  }),
  list: route({
    operationId: 'listImports',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/imports',
    summary: 'Imports of the school, oldest first: who imported what, when, and how it went',
    tag: 'Students',
    auth: 'jwt',
    params: z.object({ schoolId: Id }),
    query: PageQuery,
    response: Page(ImportJob),
  }),
};

export const Me = z.object({
  userId: z.string(),
  roles: z.array(z.string()),
  schools: z
    .array(z.object({ schoolId: z.string(), roles: z.array(z.string()) }))
    .meta({ description: 'your roles at each school' }),
  district: z.string().nullable(),
  staff: z.array(Staff).meta({ description: 'your staff records (teachers, volunteers)' }),
  children: z
    .array(
      z.object({
        schoolId: z.string(),
        studentNo: z.string(),
        name: z.string(),
        gradeLevel: z.number(),
        homeroom: z.string(),
        guardianId: z.string(),
      }),
    )
    .meta({ description: 'children you are a guardian of' }),
});
export const meRoute = route({
  operationId: 'getMe',
  method: 'GET',
  path: '/me',
  summary: 'Who you are: roles, schools, staff records, children',
  description:
    'Your user id, roles, schools and district as your token states them, with your staff records and the children you are a guardian of.',
  tag: 'Me',
  auth: 'jwt',
  response: Me,
});

export const routes = [
  ...Object.values(studentRoutes),
  ...Object.values(guardianRoutes),
  ...Object.values(importRoutes),
  meRoute,
];

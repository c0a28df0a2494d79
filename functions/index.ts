/**
 * The function registry: one Lambda function per folder here, with the routes it serves,
 * the table access it needs and its part in jobs. infra/ deploys from it, the local server
 * dispatches with it (and runs the jobs function in-process), the OpenAPI document is
 * generated from it. A test checks it lists every folder.
 */
import type { ApiFunction, ApiInfo, RouteSpec, TableAccess } from '@kehou/http';
import { routes as attendance } from './attendance/api';
import { routes as calendar } from './calendar/api';
import { routes as clubs } from './clubs/api';
import { routes as enrolment } from './enrolment/api';
import { routes as families } from './families/api';
import { routes as health } from './health/api';
import { routes as openapi } from './openapi/api';
import { routes as people } from './people/api';
import { routes as setup } from './setup/api';
import { routes as signin } from './signin/api';
import { routes as timetable } from './timetable/api';

export interface FunctionManifest extends ApiFunction {
  /** the folder under functions/, whose handler.ts exports `handler` */
  name: string;
  /** least privilege: what the function may do with the table */
  table: TableAccess;
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * 'start': hands jobs to the jobs function (it may invoke it);
   * 'run': the jobs function itself (no routes; invoked asynchronously, with its event a JobMessage)
   */
  jobs?: 'start' | 'run';
  /** signs guardians' session tokens: it gets the signing key, the tokens' issuer and the sign-in secret */
  signsSessions?: true;
}

export const FUNCTIONS: readonly FunctionManifest[] = [
  { name: 'health', routes: Object.values(health), table: 'none', memoryMb: 256, timeoutSeconds: 5 },
  { name: 'openapi', routes: Object.values(openapi), table: 'none', memoryMb: 512, timeoutSeconds: 10 },
  { name: 'setup', routes: setup, table: 'readwrite', memoryMb: 512, timeoutSeconds: 15 },
  { name: 'people', routes: people, table: 'readwrite', memoryMb: 1024, timeoutSeconds: 29, jobs: 'start' },
  { name: 'clubs', routes: clubs, table: 'readwrite', memoryMb: 512, timeoutSeconds: 29 },
  // the checker runs here (edits, publication); generation is a job
  { name: 'timetable', routes: timetable, table: 'readwrite', memoryMb: 1769, timeoutSeconds: 29, jobs: 'start' },
  { name: 'calendar', routes: Object.values(calendar), table: 'read', memoryMb: 512, timeoutSeconds: 10 },
  // the notice, opt-out forms, participation, dismissal: a burst of guardians at a notice's opening has concurrency of its own
  { name: 'families', routes: families, table: 'readwrite', memoryMb: 1024, timeoutSeconds: 29 },
  // club choice: a class's opening is a burst of guardians asking for the same seats at once; ranked allocation is a job
  { name: 'enrolment', routes: enrolment, table: 'readwrite', memoryMb: 1024, timeoutSeconds: 29, jobs: 'start' },
  // guardians' invitations and sessions; a request of a whole school writes up to 500 invitations
  { name: 'signin', routes: signin, table: 'readwrite', memoryMb: 512, timeoutSeconds: 29, signsSessions: true },
  // class lists, attendance, the unaccounted-for list, hours
  { name: 'attendance', routes: attendance, table: 'readwrite', memoryMb: 1024, timeoutSeconds: 29 },
  // imports, generations (the solver runs here, and only here) and allocations: Lambda's longest run, one full vCPU (1,769 MB)
  { name: 'jobs', routes: [], table: 'readwrite', memoryMb: 1769, timeoutSeconds: 900, jobs: 'run' },
];

export const ALL_ROUTES: readonly RouteSpec[] = FUNCTIONS.flatMap((f) => f.routes);

export const API_INFO: ApiInfo = {
  title: 'Kehou 课后 API',
  version: '0.1.0',
  description:
    'The "5+2" after-school service: school set-up, students and staff, clubs, timetables and rosters, guardians\' sign-in, ' +
    'the term notice, opt-out forms, participation and dismissal, club enrolment. ' +
    'Times are wall-clock "HH:MM" in the school’s IANA time zone; instants are ISO-8601. Errors are application/problem+json.',
  license: { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-Proprietary' },
  contact: { name: 'Kehou 课后' },
  tags: {
    Service: 'Is the API up, and what it is',
    Me: 'Who you are',
    Schools: 'Schools, and the history of every record of a school',
    Grades: "A school's grades: dismissal times and homework help",
    Rooms: "A school's rooms: capacity and features",
    Terms: 'Terms: dates, holidays and make-up days',
    Staff: 'Teachers, volunteers and external staff: skills and availability',
    Students: 'Students, and their import from a roster',
    Guardians: 'Parents and other guardians of students',
    Clubs: "A term's clubs and their tiered classes",
    Timetable: "A term's timetable: generate (a job), adjust, publish, read in every view",
    Rosters: "Staff members' sessions over dates, and their calendar feeds",
    'Opt-out':
      "The term's notice and the opt-out forms guardians sign with their children (不留者提出申请, 双签字): submit, amend, withdraw, late requests; a child's week",
    Participation: 'Participation of students and teachers per homeroom, grade, school and district; the daily dismissal list',
    Enrolment:
      "Club choice (the N of 1+N): the term's selection window, a child's eligible classes, ranked choices, first-come-first-served places with ordered waitlists, withdrawal and automatic promotion",
    'Sign-in': "Guardians' sign-in: invitations, sessions, and the keys that verify session tokens",
    Attendance:
      "Dated sessions' class lists, attendance taken on a phone, the children unaccounted for, staff members' hours and pay",
  },
};

/**
 * The function registry: one Lambda function per folder here, with the routes it serves,
 * the table access it needs and its part in jobs. infra/ deploys from it, the local server
 * dispatches with it (and runs the jobs function in-process), the OpenAPI document is
 * generated from it. A test checks it lists every folder.
 */
import type { RouteSpec } from '@kehou/http';
import { routes as calendar } from './calendar/api';
import { routes as clubs } from './clubs/api';
import { routes as health } from './health/api';
import { routes as openapi } from './openapi/api';
import { routes as people } from './people/api';
import { routes as setup } from './setup/api';
import { routes as timetable } from './timetable/api';

export interface FunctionManifest {
  /** the folder under functions/, whose handler.ts exports `handler` */
  name: string;
  routes: readonly RouteSpec[];
  /** least privilege: what the function may do with the table */
  table: 'none' | 'read' | 'readwrite';
  memoryMb: number;
  timeoutSeconds: number;
  /**
   * 'start': hands jobs to the jobs function (it may invoke it);
   * 'run': the jobs function itself (no routes; invoked asynchronously, with its event a JobMessage)
   */
  jobs?: 'start' | 'run';
}

export const FUNCTIONS: readonly FunctionManifest[] = [
  { name: 'health', routes: Object.values(health), table: 'none', memoryMb: 256, timeoutSeconds: 5 },
  { name: 'openapi', routes: Object.values(openapi), table: 'none', memoryMb: 512, timeoutSeconds: 10 },
  { name: 'setup', routes: setup, table: 'readwrite', memoryMb: 512, timeoutSeconds: 15 },
  { name: 'people', routes: people, table: 'readwrite', memoryMb: 1024, timeoutSeconds: 29, jobs: 'start' },
  { name: 'clubs', routes: clubs, table: 'readwrite', memoryMb: 512, timeoutSeconds: 29 },
  // the solver runs here: 1,769 MB is one full vCPU
  { name: 'timetable', routes: timetable, table: 'readwrite', memoryMb: 1769, timeoutSeconds: 29 },
  { name: 'calendar', routes: Object.values(calendar), table: 'read', memoryMb: 512, timeoutSeconds: 10 },
  // imports (and the next long work): Lambda's longest run, one full vCPU
  { name: 'jobs', routes: [], table: 'readwrite', memoryMb: 1769, timeoutSeconds: 900, jobs: 'run' },
];

export const ALL_ROUTES: readonly RouteSpec[] = FUNCTIONS.flatMap((f) => f.routes);

export const API_INFO = {
  title: 'Kehou 课后 API',
  version: '0.1.0',
  description:
    'The "5+2" after-school service: school set-up, clubs and timetables, opt-out forms, enrolment and summer care. ' +
    'Times are wall-clock "HH:MM" in the school’s IANA time zone; instants are ISO-8601. Errors are application/problem+json.',
};

/**
 * Routes of class lists, attendance, the "unaccounted for" list and hours. A dated session
 * is a session of the published timetable on a date it runs: `{date}/{sessionId}`, the
 * session's id as the timetable gives it ("<classId>.<n>").
 */
import {
  AttendanceEntry,
  AttendanceSave,
  AttendanceSheet,
  ClassListChild,
  DatedSessionView,
  HoursReport,
  Id,
  IsoDate,
  MarkChange,
  Month,
  PageQuery,
  Page,
  SchoolDay,
  StaffMemberHours,
  Statement,
  UnaccountedChild,
} from '@kehou/domain';
import { mayRefuse, route } from '@kehou/http';
import * as z from 'zod';
import { RangeQuery } from '../timetable/api';

const tag = 'Attendance';
const schoolParams = z.object({ schoolId: Id });
const sessionParams = schoolParams.extend({
  date: IsoDate,
  sessionId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, 'must be a session id of the timetable, "<classId>.<n>"'),
});

const Taken = z
  .object({ version: z.number().int(), takenAt: z.string(), updatedAt: z.string(), updatedBy: z.string() })
  .nullable()
  .meta({ description: 'null: attendance not taken yet' });
const Counts = z.object({
  enrolled: z.number().int(),
  expected: z.number().int(),
  unmarked: z.number().int().meta({ description: 'expected children not marked yet' }),
  present: z.number().int(),
  absent: z.number().int(),
  late: z.number().int(),
  excused: z.number().int(),
});

export const ClassList = z.object({
  session: DatedSessionView,
  runsAs: SchoolDay,
  contactsShown: z.boolean().meta({ description: "whether `guardians` are shown: to the session's staff member and admins" }),
  attendance: Taken,
  counts: Counts,
  children: z.array(ClassListChild),
});

const hours = {
  method: 'GET',
  tag,
  auth: 'jwt',
  errors: mayRefuse('hours.read'),
  params: schoolParams,
} as const;

const staffHours = {
  method: 'GET',
  tag,
  auth: 'jwt',
  errors: mayRefuse('hours.staff'),
  params: schoolParams.extend({ staffId: Id }),
  query: z.object({ month: Month }),
} as const;

export const attendanceRoutes = {
  sessions: route({
    operationId: 'listDatedSessions',
    method: 'GET',
    path: '/schools/{schoolId}/dated-sessions',
    summary: 'Dated sessions between two dates, with whether their attendance was taken: your own, or all for an admin',
    description:
      'The published sessions on each date from `from` to `to` (at most 62 days), holidays skipped and make-up days honoured: ' +
      "an admin's are every session of the school, a staff member's those of their own staff records (403 with none).",
    tag,
    auth: 'jwt',
    errors: [403],
    params: schoolParams,
    query: RangeQuery,
    response: z.object({
      items: z.array(
        DatedSessionView.extend({
          attendance: z
            .object({ version: z.number().int(), marked: z.number().int(), updatedAt: z.string() })
            .nullable()
            .meta({ description: 'null: not taken yet' }),
        }),
      ),
    }),
  }),
  classList: route({
    operationId: 'getClassList',
    method: 'GET',
    path: '/schools/{schoolId}/dated-sessions/{date}/{sessionId}',
    summary:
      "A dated session's class list: its room and time, each child with homeroom and mark; guardians' phones for its staff",
    description:
      'The children enrolled in the class (holding one of its seats), by grade, homeroom and number; a child opted out on ' +
      'the weekday that runs that date is listed as not expected. Guardians’ names and phones are shown to the staff member ' +
      'of the session and the school’s admins only; other teachers of the school read the list without them; anyone else ' +
      'is refused. 404: no such session on that date (a holiday, another weekday).',
    tag,
    auth: 'jwt',
    errors: mayRefuse('classlist.read'),
    params: sessionParams,
    response: ClassList,
  }),
  save: route({
    operationId: 'saveAttendance',
    method: 'POST',
    path: '/schools/{schoolId}/dated-sessions/{date}/{sessionId}/attendance',
    summary: 'Take attendance: the marks of the whole list or of a few children, in one request (offline-safe)',
    description:
      'For the staff member of the session or an admin, from an hour before its start. Marks merge child by child: the ' +
      'latest mark of a child wins, by `markedAt` (when it was made on the phone; never later than now), so a save ' +
      'retried late never overwrites a newer mark by someone else (such a child is listed in `superseded`). A retry with ' +
      'its Idempotency-Key gets the first answer; the same marks sent again change nothing. Every save that changed a ' +
      'mark is kept in the history (…/attendance/history).',
    tag,
    auth: 'jwt',
    errors: mayRefuse('attendance.write'),
    rules: ['session-not-started'],
    params: sessionParams,
    body: AttendanceSave,
    response: z.object({
      attendance: AttendanceSheet,
      changes: z.array(MarkChange).meta({ description: 'what this save changed (none: it was saved already)' }),
      superseded: z
        .array(z.string())
        .meta({ description: 'children whose mark was not applied: someone marked them later than this save did' }),
    }),
    idempotent: true,
  }),
  history: route({
    operationId: 'getAttendanceHistory',
    method: 'GET',
    path: '/schools/{schoolId}/dated-sessions/{date}/{sessionId}/attendance/history',
    summary: "Every save of a session's attendance that changed a mark: who, when, which child from what to what",
    tag,
    auth: 'jwt',
    errors: mayRefuse('classlist.contacts'),
    params: sessionParams,
    query: PageQuery,
    response: Page(AttendanceEntry),
  }),
  unaccounted: route({
    operationId: 'getUnaccountedFor',
    method: 'GET',
    path: '/schools/{schoolId}/unaccounted',
    summary: 'Children unaccounted for on a date (today by default): expected in a session, and absent or not marked',
    description:
      'Every child expected in a session of the published timetable that date (enrolled, active, not opted out on the ' +
      'weekday that runs it; holidays have none) who is marked absent, or not marked 15 minutes after the session started: ' +
      'with the class, room, staff member, guardians’ phones, and since when. `date` defaults to today in the school’s zone.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('unaccounted.read'),
    params: schoolParams,
    query: z.object({ date: IsoDate.optional() }),
    response: z.object({
      date: IsoDate,
      runsAs: SchoolDay.nullable().meta({ description: 'the weekday whose timetable runs; null: no sessions that date' }),
      checkedAt: z.string().meta({ format: 'date-time' }),
      items: z.array(UnaccountedChild),
    }),
  }),
  hours: route({
    ...hours,
    operationId: 'getStaffHours',
    path: '/schools/{schoolId}/hours',
    summary: "Each staff member's after-school minutes in a month, from sessions whose attendance was taken; teachers' pay",
    description:
      'A session counts for the staff member it was published for once attendance was taken. Teachers are paid at the ' +
      "school's hourly rate (`hourlyRateFen` of the school: no rate, no amounts); volunteers' hours are their statement.",
    query: z.object({ month: Month }),
    response: HoursReport,
  }),
  hoursCsv: route({
    ...hours,
    operationId: 'exportStaffHours',
    path: '/schools/{schoolId}/hours/export.csv',
    summary: "A month's remuneration report (teachers) or volunteer-hours statement, as CSV (opens in Excel)",
    query: z.object({ month: Month, statement: Statement }),
    produces: 'text/csv; charset=utf-8',
    responseHeaders: { 'Content-Disposition': 'attachment, with a file name naming the statement and month' },
  }),
  staffHours: route({
    ...staffHours,
    operationId: 'getStaffMemberHours',
    path: '/schools/{schoolId}/staff/{staffId}/hours',
    summary: "A staff member's own after-school hours in a month: each session counted, the minutes, a teacher's pay",
    description:
      'For the staff member themself (a teacher or volunteer reads their own; anyone else’s is 403) and the school’s ' +
      'admins: the dated sessions the staff member ran whose attendance was taken, their minutes and hours, and for a ' +
      "teacher the pay at the school's hourly rate. One round trip to the database.",
    response: StaffMemberHours,
  }),
  staffHoursCsv: route({
    ...staffHours,
    operationId: 'exportStaffMemberHours',
    path: '/schools/{schoolId}/staff/{staffId}/hours/export.csv',
    summary: "A staff member's statement of a month as CSV (a volunteer's hours statement; a teacher's remuneration)",
    produces: 'text/csv; charset=utf-8',
    responseHeaders: { 'Content-Disposition': 'attachment, with a file name naming the staff member and month' },
  }),
};

export const routes = Object.values(attendanceRoutes);

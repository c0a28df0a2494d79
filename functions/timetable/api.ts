/** Routes of the term timetable: generate, adjust, publish, read in every view, rosters and feeds. */
import {
  DatedSessionView,
  Id,
  IsoDate,
  PageQuery,
  SchoolDay,
  SessionChange,
  SessionView,
  Time,
  TimetableVersion,
  ViewFilter,
} from '@kehou/domain';
import { route } from '@kehou/http';
import { z } from 'zod';

const termParams = z.object({ schoolId: Id, termId: Id });
const versionParams = termParams.extend({ number: z.coerce.number().int().min(1) });
const tag = 'Timetable';

export const VersionSummary = TimetableVersion.omit({ sessions: true, changes: true }).extend({
  sessionCount: z.number().int(),
  changeCount: z.number().int().nullable(),
});

const RangeQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86400_000 <= 62, {
    path: ['to'],
    message: 'at most 62 days at a time',
  });

export const timetableRoutes = {
  generate: route({
    operationId: 'generateTimetable',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/timetable/generate',
    summary:
      'Generate the draft timetable from the stored set-up (locked sessions stay; the rest moves as little as possible unless fresh)',
    tag,
    auth: 'jwt',
    params: termParams,
    body: z.object({
      seed: z
        .number()
        .int()
        .min(0)
        .max(2 ** 31)
        .default(1),
      fresh: z.boolean().default(false),
    }),
    response: TimetableVersion,
    idempotent: true,
  }),
  overview: route({
    operationId: 'getTimetable',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable',
    summary: 'The draft and the published version of the term',
    tag,
    auth: 'jwt',
    params: termParams,
    response: z.object({ draft: VersionSummary.nullable(), published: VersionSummary.nullable() }),
  }),
  versions: route({
    operationId: 'listTimetableVersions',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions',
    summary: 'Every version: who generated and published what, when',
    tag,
    auth: 'jwt',
    params: termParams,
    query: PageQuery,
    response: z.object({ items: z.array(VersionSummary), next: z.string().nullable() }),
  }),
  version: route({
    operationId: 'getTimetableVersion',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}',
    summary: 'A version, as a view: by class, club, staff member, room, grade or day',
    tag,
    auth: 'jwt',
    params: versionParams,
    query: ViewFilter,
    response: VersionSummary.extend({ sessions: z.array(SessionView), changes: z.array(SessionChange).nullable() }),
  }),
  bench: route({
    operationId: 'getTimetableBench',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/bench',
    summary: 'A version in the solver benchmark format: the instance built from the stored data and the answer',
    tag,
    auth: 'jwt',
    params: versionParams,
    response: z.object({
      instance: z.record(z.string(), z.unknown()),
      answer: z.object({ sessions: z.array(z.record(z.string(), z.unknown())) }),
    }),
  }),
  csv: route({
    operationId: 'exportTimetableCsv',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/export.csv',
    summary: 'A version as CSV (opens in Excel)',
    tag,
    auth: 'jwt',
    params: versionParams,
    produces: 'text/csv; charset=utf-8',
  }),
  dated: route({
    operationId: 'getTimetableDates',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/dated',
    summary: 'A version over dates: holidays skipped, make-up days honoured, times with offsets',
    tag,
    auth: 'jwt',
    params: versionParams,
    query: ViewFilter.extend({ from: IsoDate.optional(), to: IsoDate.optional() }),
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  edit: route({
    operationId: 'editDraftSession',
    method: 'PATCH',
    path: '/schools/{schoolId}/terms/{termId}/timetable/draft/sessions/{sessionId}',
    summary: 'Move a draft session (day, start, room, staff) or lock it; a move that breaks a rule is refused naming the rule',
    tag,
    auth: 'jwt',
    params: termParams.extend({ sessionId: z.string().min(1).max(80) }),
    body: z.object({
      version: z.number().int().min(1),
      day: SchoolDay.optional(),
      start: Time.optional(),
      roomId: Id.optional(),
      staffId: Id.optional(),
      locked: z.boolean().optional(),
    }),
    response: TimetableVersion,
  }),
  swap: route({
    operationId: 'swapDraftSessions',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/timetable/draft/swap',
    summary: 'Swap the days and start times of two draft sessions',
    tag,
    auth: 'jwt',
    params: termParams,
    body: z
      .object({ version: z.number().int().min(1), a: z.string().min(1), b: z.string().min(1) })
      .refine((x) => x.a !== x.b, { path: ['b'], message: 'must be another session' }),
    response: TimetableVersion,
  }),
  publish: route({
    operationId: 'publishTimetable',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/timetable/publish',
    summary: 'Publish the draft; the answer lists exactly which sessions moved since the last publication',
    tag,
    auth: 'jwt',
    params: termParams,
    body: z.object({ version: z.number().int().min(1) }),
    response: TimetableVersion,
    idempotent: true,
  }),
};

export const FeedLink = z.object({ schoolId: z.string(), staffId: z.string(), url: z.string(), path: z.string() });

export const rosterRoutes = {
  mine: route({
    operationId: 'getMyRoster',
    method: 'GET',
    path: '/me/roster',
    summary: 'Your sessions (published timetables of every school you teach at) between two dates',
    tag: 'Rosters',
    auth: 'jwt',
    query: RangeQuery,
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  staff: route({
    operationId: 'getStaffRoster',
    method: 'GET',
    path: '/schools/{schoolId}/staff/{staffId}/roster',
    summary: "A staff member's sessions between two dates (their own, or an admin)",
    tag: 'Rosters',
    auth: 'jwt',
    params: z.object({ schoolId: Id, staffId: Id }),
    query: RangeQuery,
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  myFeeds: route({
    operationId: 'rotateMyCalendarFeeds',
    method: 'POST',
    path: '/me/calendar-feeds',
    summary: 'New secret calendar (iCal) URLs for your rosters; the old ones stop working',
    tag: 'Rosters',
    auth: 'jwt',
    response: z.object({ items: z.array(FeedLink) }),
  }),
  staffFeed: route({
    operationId: 'rotateStaffCalendarFeed',
    method: 'POST',
    path: '/schools/{schoolId}/staff/{staffId}/calendar-feed',
    summary: "A new secret calendar URL for a staff member's roster (their own, or an admin); the old one stops working",
    tag: 'Rosters',
    auth: 'jwt',
    params: z.object({ schoolId: Id, staffId: Id }),
    response: FeedLink,
  }),
};

export const routes = [...Object.values(timetableRoutes), ...Object.values(rosterRoutes)];

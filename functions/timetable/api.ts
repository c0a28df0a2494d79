/** Routes of the term timetable: generate (a job), adjust, publish, read in every view, rosters and feeds. */
import {
  DatedSessionView,
  GenerateJob,
  GenerateRequest,
  Id,
  IsoDate,
  PageQuery,
  SchoolDay,
  SessionChange,
  SessionView,
  Time,
  VersionSummary,
  ViewFilter,
} from '@kehou/domain';
import { mayRefuse, route } from '@kehou/http';
import type { RuleName } from '@kehou/scheduler';
import * as z from 'zod';

const termParams = z.object({ schoolId: Id, termId: Id });
const versionParams = termParams.extend({ number: z.coerce.number().int().min(1) });
const tag = 'Timetable';
const read = mayRefuse('timetable.read');
const write = mayRefuse('timetable.write');

/** Every hard rule the scheduler's checker can name: an edit or a publication that breaks one is refused (422) with it. */
const HARD_RULES = Object.keys({
  'session-shape': 1,
  'unknown-class': 1,
  'bad-day': 1,
  'day-not-scheduled': 1,
  'bad-time': 1,
  duration: 1,
  grid: 1,
  'too-late': 1,
  'grade-day': 1,
  'too-early': 1,
  'unknown-room': 1,
  capacity: 1,
  features: 1,
  'unknown-staff': 1,
  skill: 1,
  'fixed-staff': 1,
  unavailable: 1,
  'session-count': 1,
  'same-day': 1,
  'room-overlap': 1,
  'staff-overlap': 1,
  'weekly-max': 1,
  'student-overlap': 1,
  refusal: 1,
  'refusal-reason': 1,
  'expected-refusal': 1,
} satisfies Record<RuleName, 1>);

/** How many changes a published version's answer lists; the rest are a page away (…/changes). */
export const CHANGES_SHOWN = 100;

const ChangesShown = z.object({
  changes: z
    .array(SessionChange)
    .nullable()
    .meta({
      description: `a published version: the first ${CHANGES_SHOWN} sessions that changed since the version published before, by session id`,
    }),
  changesNext: z
    .string()
    .nullable()
    .meta({ description: 'the cursor of the rest (…/versions/{number}/changes?cursor=), null when `changes` holds them all' }),
});

export const RangeQuery = z
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
      'Generate the draft timetable from the stored set-up, as a job: 202 at once, then poll its status resource (Location)',
    description:
      'Accepts a generation of the term: the solver runs in the background (a large school can take longer than a request ' +
      'may) from the stored grades, rooms, staff and clubs; locked sessions stay, the rest move as little as possible ' +
      'unless fresh. Its status resource (the Location, …/timetable/jobs/{jobId}) says queued, running, finished with the ' +
      'draft (a new one when there was none, else the draft replaced by a new revision) or failed with the problem the ' +
      'request would have answered: 422 when there is nothing to schedule (`no-classes`), a fixed staff member cannot be ' +
      'scheduled (`fixed-staff-unavailable`), or no timetable keeps every hard rule (`timetable-infeasible`, with the ' +
      'culprit in `details`). One generation of a term at a time: another while one is queued or running gets 409 with ' +
      'Retry-After, and nothing is written.',
    tag,
    auth: 'jwt',
    errors: write,
    params: termParams,
    body: GenerateRequest,
    status: 202,
    response: GenerateJob,
    responseHeaders: { Location: 'the status resource of the generation: …/timetable/jobs/{jobId}' },
    idempotent: true,
  }),
  generation: route({
    operationId: 'getTimetableGeneration',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/jobs/{jobId}',
    summary: 'A generation: queued, running, finished (with the draft it made) or failed (with the problem, naming the rule)',
    description:
      'The status resource of a generation, for the page to poll: one round trip to the database. Finished: `draft` is ' +
      "the draft's summary (its sessions: …/versions/{number}). Failed: `problem` is what the request would have answered, " +
      'and `message` says it in words, naming the classes and staff members concerned.',
    tag,
    auth: 'jwt',
    errors: read,
    params: termParams.extend({ jobId: Id }),
    response: GenerateJob,
  }),
  overview: route({
    operationId: 'getTimetable',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable',
    summary: 'The draft and the published version of the term',
    description:
      'A summary of each (null when there is none): who made it and when, how many sessions, how many moved. ' +
      "One round trip to the database: the term and the timetable's head, which keeps both summaries.",
    tag,
    auth: 'jwt',
    errors: read,
    params: termParams,
    response: z.object({ draft: VersionSummary.nullable(), published: VersionSummary.nullable() }),
  }),
  versions: route({
    operationId: 'listTimetableVersions',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions',
    summary: 'Every version: who generated and published what, when',
    description: 'A summary of every version of the term, a page at a time: pass `next` as `cursor` for the following page.',
    tag,
    auth: 'jwt',
    errors: read,
    params: termParams,
    query: PageQuery,
    response: z.object({ items: z.array(VersionSummary), next: z.string().nullable() }),
  }),
  version: route({
    operationId: 'getTimetableVersion',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}',
    summary: 'A version, as a view: by class, club, staff member, room, grade or day',
    description:
      'The sessions of a version with the names of their club, class, room and staff member, filtered to the view asked for; ' +
      'a published version lists what moved since the one before (the first ' +
      `${CHANGES_SHOWN}; the rest at …/changes). The published version by class, staff member, grade or day is read from ` +
      'the read models written at publication (two round trips to the database, whatever the size of the school), with ' +
      'the names as published.',
    tag,
    auth: 'jwt',
    errors: read,
    params: versionParams,
    query: ViewFilter,
    response: VersionSummary.extend({ sessions: z.array(SessionView) }).extend(ChangesShown.shape),
  }),
  changes: route({
    operationId: 'listTimetableChanges',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/changes',
    summary: 'What a published version changed since the version published before, a page at a time',
    description:
      'Each session added, moved (day, time, room or staff member) or removed, by session id; a first publication added ' +
      'every session. A draft has none yet. Pass `next` as `cursor` for the following page.',
    tag,
    auth: 'jwt',
    errors: read,
    params: versionParams,
    query: PageQuery,
    response: z.object({ items: z.array(SessionChange), next: z.string().nullable() }),
  }),
  bench: route({
    operationId: 'getTimetableBench',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/bench',
    summary: 'A version in the solver benchmark format: the instance built from the stored data and the answer',
    description:
      "The term's set-up as the solver reads it and the version's sessions as its answer, to check or benchmark offline.",
    tag,
    auth: 'jwt',
    errors: read,
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
    description: 'Every session of the version, one a line, with day, times, club, class, room and staff member by name.',
    tag,
    auth: 'jwt',
    errors: read,
    params: versionParams,
    produces: 'text/csv; charset=utf-8',
    responseHeaders: { 'Content-Disposition': 'attachment, with a file name naming the term and version' },
  }),
  dated: route({
    operationId: 'getTimetableDates',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/timetable/versions/{number}/dated',
    summary: 'A version over dates: holidays skipped, make-up days honoured, times with offsets',
    description:
      "The version's sessions on each date from `from` to `to` (by default the whole term), filtered to the view asked for, " +
      "with start and end as instants in the school's time zone.",
    tag,
    auth: 'jwt',
    errors: read,
    params: versionParams,
    query: ViewFilter.extend({ from: IsoDate.optional(), to: IsoDate.optional() }),
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  edit: route({
    operationId: 'editDraftSession',
    method: 'PATCH',
    path: '/schools/{schoolId}/terms/{termId}/timetable/draft/sessions/{sessionId}',
    summary: 'Move a draft session (day, start, room, staff) or lock it; a move that breaks a rule is refused naming the rule',
    description:
      "Edits the draft (made from the published version when there is none), if `version` is still the draft's " +
      '(else 422 `stale-draft`). A locked session moves only when unlocked in the same request (else 422 `locked`); a move ' +
      'that breaks a hard rule of the timetable is refused with its name. 409: someone else changed the timetable meanwhile. ' +
      "Only the sessions changed are written; the answer is the draft's new revision, whose `revision.sessions` says which " +
      'sessions changed, as they were and as they are (read the sessions with …/versions/{number}).',
    tag,
    auth: 'jwt',
    errors: [...write, 409],
    rules: ['stale-draft', 'locked', ...HARD_RULES],
    params: termParams.extend({ sessionId: z.string().min(1).max(80) }),
    body: z.object({
      version: z.number().int().min(1),
      day: SchoolDay.optional(),
      start: Time.optional(),
      roomId: Id.optional(),
      staffId: Id.optional(),
      locked: z.boolean().optional(),
    }),
    response: VersionSummary,
  }),
  swap: route({
    operationId: 'swapDraftSessions',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/timetable/draft/swap',
    summary: 'Swap the days and start times of two draft sessions',
    description:
      "As a move of both: `version` must still be the draft's (else 422 `stale-draft`), neither may be locked (422 `locked`), " +
      'and a swap that breaks a hard rule of the timetable is refused with its name.',
    tag,
    auth: 'jwt',
    errors: [...write, 409],
    rules: ['stale-draft', 'locked', ...HARD_RULES],
    params: termParams,
    body: z
      .object({ version: z.number().int().min(1), a: z.string().min(1), b: z.string().min(1) })
      .refine((x) => x.a !== x.b, { path: ['b'], message: 'must be another session' }),
    response: VersionSummary,
  }),
  publish: route({
    operationId: 'publishTimetable',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/timetable/publish',
    summary: 'Publish the draft; the answer says exactly which sessions moved since the last publication',
    description:
      'The draft becomes the published version and the one published before is superseded (still readable). Refused (422) ' +
      "when there is no draft (`no-draft`), `version` is not the draft's (`stale-draft`), or the draft breaks a hard rule " +
      'since the set-up changed (that rule). The read models (rosters, calendar feeds, class and grade views) are written ' +
      'before the answer; publishing the same draft again (a retry) completes them and answers the same.',
    tag,
    auth: 'jwt',
    errors: write,
    rules: ['no-draft', 'stale-draft', ...HARD_RULES],
    params: termParams,
    body: z.object({ version: z.number().int().min(1) }),
    response: VersionSummary.extend(ChangesShown.shape),
    idempotent: true,
  }),
};

export const FeedLink = z.object({ schoolId: z.string(), staffId: z.string(), url: z.string(), path: z.string() });

export const rosterRoutes = {
  mine: route({
    operationId: 'getMyRoster',
    hot: true,
    method: 'GET',
    path: '/me/roster',
    summary: 'Your sessions (published timetables of every school you teach at) between two dates',
    description:
      'Your sessions on each date from `from` to `to` (at most 62 days), by start, across the schools you have a staff record at, ' +
      'as published (names as they were at publication). Two round trips to the database: your staff records, then each ' +
      "school's roster read model and terms at once.",
    tag: 'Rosters',
    auth: 'jwt',
    query: RangeQuery,
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  staff: route({
    operationId: 'getStaffRoster',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/staff/{staffId}/roster',
    summary: "A staff member's sessions between two dates (their own, or an admin)",
    description:
      "The staff member's sessions on each date from `from` to `to` (at most 62 days): for the staff member themself, " +
      'or an admin of the school. One round trip to the database: the school, your relation to the staff member, the ' +
      "staff member, the school's terms and the roster read model, at once.",
    tag: 'Rosters',
    auth: 'jwt',
    errors: mayRefuse('roster.read'),
    params: z.object({ schoolId: Id, staffId: Id }),
    query: RangeQuery,
    response: z.object({ items: z.array(DatedSessionView) }),
  }),
  myFeeds: route({
    operationId: 'rotateMyCalendarFeeds',
    method: 'POST',
    path: '/me/calendar-feeds',
    summary: 'New secret calendar (iCal) URLs for your rosters; the old ones stop working',
    description:
      'One URL for each school you have a staff record at (403 when you have none). Each replaces the one before, which ' +
      'then answers 404. 409: another rotation of the same feed won the race.',
    tag: 'Rosters',
    auth: 'jwt',
    errors: [403, 409],
    response: z.object({ items: z.array(FeedLink) }),
  }),
  staffFeed: route({
    operationId: 'rotateStaffCalendarFeed',
    method: 'POST',
    path: '/schools/{schoolId}/staff/{staffId}/calendar-feed',
    summary: "A new secret calendar URL for a staff member's roster (their own, or an admin); the old one stops working",
    description:
      'For the staff member themself, or an admin of the school. The new URL replaces the one before, which then answers ' +
      '404. 409: another rotation of the same feed won the race.',
    tag: 'Rosters',
    auth: 'jwt',
    errors: [...mayRefuse('roster.read'), 409],
    params: z.object({ schoolId: Id, staffId: Id }),
    response: FeedLink,
  }),
};

export const routes = [...Object.values(timetableRoutes), ...Object.values(rosterRoutes)];

/**
 * Routes of families and the school around the after-school service: the term's notice,
 * the opt-out forms guardians sign with their children (不留者提出申请, 双签字), a child's
 * week, participation (school and district), and the daily dismissal list at the gate.
 */
import {
  ChildDay,
  DismissalList,
  Figures,
  FormStatus,
  HistoryEntry,
  HomeroomProgress,
  Id,
  IsoDate,
  NewOptOut,
  Notice,
  NoticeInput,
  NoticeUpdate,
  OptOutChange,
  OptOutDecision,
  OptOutForm,
  OptOutWithdrawal,
  Page,
  PageQuery,
  Participation,
  SchoolDay,
  StudentNo,
  TeacherFigures,
} from '@kehou/domain';
import { mayRefuse, route } from '@kehou/http';
import * as z from 'zod';

const tag = 'Opt-out';
const termParams = z.object({ schoolId: Id, termId: Id });
const formParams = termParams.extend({ studentNo: StudentNo });
const childParams = z.object({ schoolId: Id, studentNo: StudentNo });
const Grade = z.coerce.number().int().min(1).max(12);
const Homeroom = z.string().min(1).max(20);
const RULES = ['notice-not-open'];

export const noticeRoutes = {
  publish: route({
    operationId: 'publishNotice',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/notice',
    summary: 'Publish the term’s notice to guardians (Chinese and English, opening and closing dates)',
    description:
      'Every student takes part in the after-school service unless a guardian opts them out on this notice. Guardians see ' +
      'it from `opensOn`, and may submit, amend or withdraw a form until `closesOn` (inclusive, in the school’s zone); ' +
      'after that a change is a request the school decides. One notice a term: a second is 409 (revise it with PUT).',
    tag,
    auth: 'jwt',
    errors: mayRefuse('notice.write'),
    params: termParams,
    body: NoticeInput,
    response: Notice,
    status: 201,
    responseHeaders: { Location: 'the notice' },
    idempotent: true,
  }),
  revise: route({
    operationId: 'reviseNotice',
    method: 'PUT',
    path: '/schools/{schoolId}/terms/{termId}/notice',
    summary: 'Revise the notice (send the version you read); every version is kept',
    description:
      'Replaces the notice if `version` is still the stored one (else 409, saying who changed it); the version it replaces ' +
      'stays in its history (`…/history/notice/{termId}`). Moving `closesOn` changes which changes are late from then on.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('notice.write'),
    params: termParams,
    body: NoticeUpdate,
    response: Notice,
  }),
  get: route({
    operationId: 'getNotice',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/notice',
    summary: 'The term’s notice, as the school wrote it (guardians read it through their child)',
    tag,
    auth: 'jwt',
    errors: mayRefuse('notice.read'),
    params: termParams,
    response: Notice,
  }),
  progress: route({
    operationId: 'getNoticeProgress',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/notice/progress',
    summary: 'Who has not opened or answered the notice yet, per homeroom, so that teachers can chase',
    description:
      'Per homeroom (of one `grade`, or one `homeroom` of it): its active students, how many of their guardians opened the ' +
      'notice (read it through their child) and answered it (submitted a form, whatever became of it), and the children of ' +
      'those who have not.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('notice.progress'),
    params: termParams,
    query: z
      .object({ grade: Grade.optional(), homeroom: Homeroom.optional() })
      .refine((q) => q.homeroom === undefined || q.grade !== undefined, { path: ['homeroom'], message: 'needs grade as well' }),
    response: z.object({ homerooms: z.array(HomeroomProgress) }),
  }),
};

export const formRoutes = {
  submit: route({
    operationId: 'submitOptOut',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/optouts',
    summary: 'A guardian opts their child out: whole term or chosen weekdays, signed by guardian and child',
    description:
      'The child’s form for the term (one a child and term, whoever of their guardians submits): the whole term or chosen ' +
      'weekdays (MON–FRI), whether the child still stays for homework help, a reason, the guardian’s typed signature and ' +
      'the child’s (drawn or typed; unless the notice switches it off). Before the notice closes it is in effect at once; ' +
      'after, only with `asRequest: true`, as a request the school decides. A child who is not yours is 404 naming ' +
      '`studentNo`. The form is written once, by a conditional write: a retry (with its Idempotency-Key or without) or the ' +
      'same submission again gets the form stored (`Idempotent-Replayed: true`); a child who has another form already is ' +
      '409 (amend it).',
    tag,
    auth: 'jwt',
    errors: [403],
    rules: RULES,
    params: termParams,
    body: NewOptOut,
    response: OptOutForm,
    status: 201,
    responseHeaders: { Location: 'the form' },
    idempotent: 'by-record',
  }),
  amend: route({
    operationId: 'amendOptOut',
    method: 'PUT',
    path: '/schools/{schoolId}/terms/{termId}/optouts/{studentNo}',
    summary: 'A guardian amends the form (send the version you read): signed again; a withdrawn one opts out again',
    description:
      'The whole form again, signed again, if `version` is still the stored one (else 409, saying who changed it): either ' +
      'guardian of the child may. After the notice closed, only with `asRequest: true`: the change waits for the school, ' +
      'and what is in effect stays until it approves. 409 while a request waits.',
    tag,
    auth: 'jwt',
    rules: RULES,
    params: formParams,
    body: OptOutChange,
    response: OptOutForm,
  }),
  withdraw: route({
    operationId: 'withdrawOptOut',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/withdraw',
    summary: 'A guardian withdraws the form: the child takes part again (after closing, once the school approves)',
    tag,
    auth: 'jwt',
    rules: RULES,
    params: formParams,
    body: OptOutWithdrawal,
    response: OptOutForm,
    idempotent: true,
  }),
  decide: route({
    operationId: 'decideOptOutRequest',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/decision',
    summary: 'The school approves or declines (with a reason) a late request',
    description:
      'Approved, the request takes effect (a form, an amendment, a withdrawal); declined, what was in effect stays and ' +
      'the guardian sees why. 409 when no request waits, or the version is stale.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('optouts.manage'),
    params: formParams,
    body: OptOutDecision,
    response: OptOutForm,
    idempotent: true,
  }),
  get: route({
    operationId: 'getOptOut',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/optouts/{studentNo}',
    summary: 'A child’s form: for their guardians and the school’s admins',
    tag,
    auth: 'jwt',
    params: formParams,
    response: OptOutForm,
  }),
  history: route({
    operationId: 'getOptOutHistory',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/history',
    summary: 'Every version of a child’s form: who did what, when',
    description:
      'Oldest first, a page at a time: each version with its `action` (submitted, amended, withdrawn, requested, approved, ' +
      'declined) and `actor`. For the child’s guardians and the school’s admins.',
    tag,
    auth: 'jwt',
    params: formParams,
    query: PageQuery,
    response: Page(HistoryEntry),
  }),
  list: route({
    operationId: 'listOptOuts',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/optouts',
    summary: 'The forms of a term, by student number, filtered by grade, homeroom, weekday and status',
    description:
      '`day`: forms in effect that take the child out that weekday. Grade and homeroom are the child’s when the form was last ' +
      'written. A page may hold fewer than `limit` forms (the filter applies after the read): follow `next` to the end.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('optouts.manage'),
    params: termParams,
    query: PageQuery.extend({
      grade: Grade.optional(),
      homeroom: Homeroom.optional(),
      day: SchoolDay.optional(),
      status: FormStatus.optional(),
    }),
    response: Page(OptOutForm),
  }),
  requests: route({
    operationId: 'listOptOutRequests',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/optout-requests',
    summary: 'Late requests waiting for the school’s decision, oldest first',
    tag,
    auth: 'jwt',
    errors: mayRefuse('optouts.manage'),
    params: termParams,
    query: PageQuery,
    response: Page(OptOutForm),
  }),
};

const ChildNotice = z.object({
  termId: z.string(),
  termName: z.string(),
  window: z.enum(['open', 'closed']).meta({ description: 'open: the guardian may change the form; closed: only by request' }),
  notice: Notice,
  opened: z.boolean().meta({ description: 'a guardian of the child has opened this notice' }),
  form: OptOutForm.nullable(),
});

export const childRoutes = {
  notices: route({
    operationId: 'listChildNotices',
    method: 'GET',
    path: '/schools/{schoolId}/students/{studentNo}/notices',
    summary: 'A child’s notices (opened or closed), newest first, each with the child’s form',
    tag,
    auth: 'jwt',
    params: childParams,
    response: z.object({ items: z.array(ChildNotice) }),
  }),
  notice: route({
    operationId: 'getChildNotice',
    method: 'GET',
    path: '/schools/{schoolId}/students/{studentNo}/notices/{termId}',
    summary: 'A term’s notice for a child, with the child’s form; a guardian reading it marks it opened',
    tag,
    auth: 'jwt',
    params: childParams.extend({ termId: Id }),
    response: ChildNotice,
  }),
  week: route({
    operationId: 'getChildWeek',
    hot: true,
    method: 'GET',
    path: '/schools/{schoolId}/students/{studentNo}/week',
    summary: 'A child’s week: dismissal, homework help and the end of the service each day, and the days opted out',
    description:
      'Monday to Sunday of the week of `date`: what each date is (holidays skipped, a make-up day runs the weekday it ' +
      'stands in for), the times, and when the child leaves by their form in effect. Two round trips to the database.',
    tag,
    auth: 'jwt',
    params: childParams,
    query: z.object({ date: IsoDate }),
    response: z.object({
      studentNo: z.string(),
      name: z.string(),
      gradeLevel: z.number().int(),
      homeroom: z.string(),
      days: z.array(ChildDay),
    }),
  }),
};

const SchoolFigures = z.object({ students: Figures, teachers: TeacherFigures });
/** What the dismissal list and its CSV have in common. */
const dismissal = {
  method: 'GET',
  description:
    'For the teacher at the gate: every active student of the homeroom on exactly one list, by their form in effect on ' +
    'the weekday that runs that date (holidays have no list; a make-up Saturday follows the weekday it stands in for). ' +
    'Two round trips to the database.',
  tag: 'Participation',
  auth: 'jwt',
  errors: mayRefuse('dismissal.read'),
  params: z.object({ schoolId: Id }),
  query: z.object({ date: IsoDate, grade: Grade, homeroom: Homeroom }),
} as const;

export const participationRoutes = {
  school: route({
    operationId: 'getParticipation',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/participation',
    summary:
      'Participation in the term per homeroom, grade and school, per weekday: students staying / enrolled, teachers taking part / all',
    description:
      'Students: on a weekday the students of the grades with service that day are enrolled; those opted out leave at ' +
      'dismissal, or after homework help (they still take part); for the term, a student takes part who stays on any day. ' +
      'Teachers: active staff of kind teacher; one takes part who has a session in the term’s published timetable (that ' +
      'weekday). Percentages to two decimals. Computed from the school’s records at each request (students, forms in ' +
      'effect, staff, the published timetable).',
    tag: 'Participation',
    auth: 'jwt',
    errors: mayRefuse('participation.read'),
    params: termParams,
    response: Participation.extend({ schoolId: z.string(), termId: z.string() }),
  }),
  district: route({
    operationId: 'getDistrictParticipation',
    method: 'GET',
    path: '/districts/{districtId}/participation',
    summary: 'Participation in a district’s schools on the term of a date: each school’s figures and the district’s',
    description:
      'For the district’s own bureau (another district is 404): each school of the district in the term that covers `date` ' +
      '(none: no figures), and the sums.',
    tag: 'Participation',
    auth: 'jwt',
    errors: [403],
    params: z.object({ districtId: Id }),
    query: z.object({ date: IsoDate }),
    response: SchoolFigures.extend({
      districtId: z.string(),
      date: z.string(),
      schools: z.array(
        z.object({
          schoolId: z.string(),
          name: z.string(),
          termId: z.string().nullable(),
          figures: SchoolFigures.nullable().meta({ description: 'null: no term of the school covers the date' }),
        }),
      ),
    }),
  }),
  dismissal: route({
    ...dismissal,
    operationId: 'getDismissalList',
    hot: true,
    path: '/schools/{schoolId}/dismissal',
    summary:
      'The dismissal list of a homeroom on a date: who leaves at dismissal, after homework help, at the end of the service',
    response: DismissalList,
  }),
  dismissalCsv: route({
    ...dismissal,
    operationId: 'exportDismissalList',
    hot: true,
    path: '/schools/{schoolId}/dismissal/export.csv',
    summary: 'The dismissal list as CSV (opens in Excel)',
    produces: 'text/csv; charset=utf-8',
    responseHeaders: { 'Content-Disposition': 'attachment, with a file name naming the date, grade and homeroom' },
  }),
};

export const routes = [
  ...Object.values(noticeRoutes),
  ...Object.values(formRoutes),
  ...Object.values(childRoutes),
  ...Object.values(participationRoutes),
];

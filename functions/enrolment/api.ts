/**
 * Routes of club enrolment (the "N" of "1+N"): the term's selection window, a child's
 * classes with their eligibility, ranked choices, first-come-first-served places with
 * ordered waitlists, withdrawal and removal with automatic promotion, a class's list and
 * its history, and teachers' approvals without a prerequisite.
 */
import {
  AllocationHead,
  AllocationJob,
  Choices,
  ChoicesInput,
  DraftBumped,
  DraftClass,
  DraftDropped,
  DraftGrant,
  DraftUnplaced,
  Id,
  Instant,
  Page,
  PageQuery,
  Prerequisite,
  Reason,
  SelectionWindow,
  StudentNo,
  WeeklySlot,
  WindowInput,
  WindowState,
} from '@kehou/domain';
import { mayRefuse, route } from '@kehou/http';
import * as z from 'zod';

const tag = 'Enrolment';
const termParams = z.object({ schoolId: Id, termId: Id });
const childParams = termParams.extend({ studentNo: StudentNo });
const classParams = termParams.extend({ classId: Id });
const WINDOW_RULES = ['window-not-open', 'wrong-mode'];

const Status = z
  .object({
    state: z.enum(['granted', 'waitlisted']),
    position: z.number().int().nullable().meta({ description: 'on the waitlist: 1 is next; null when granted' }),
    arrival: z.number().int().meta({ description: 'the arrival ticket: requests are served in this order' }),
    at: Instant,
  })
  .meta({ description: 'the child’s place in the class: granted, or waitlisted at a position' });

export const Place = Status.extend({
  classId: z.string(),
  what: z.string().meta({ description: 'the class, e.g. 机器人 基础班' }),
  seatsLeft: z.number().int(),
});

const ChildClass = z.object({
  classId: z.string(),
  clubId: z.string(),
  clubName: z.string(),
  className: z.string(),
  tier: z.string(),
  prerequisite: Prerequisite.nullable().meta({ description: 'the tier of the same club needed last term (null: none)' }),
  grades: z.array(z.number().int()),
  slots: z.array(WeeklySlot).meta({ description: 'its weekly sessions in the published timetable' }),
  capacity: z.number().int(),
  seatsLeft: z.number().int(),
  waiting: z.number().int().meta({ description: 'children on its waitlist' }),
  eligible: z.boolean(),
  reasons: z.array(Reason).meta({ description: 'why the child may not take it (empty when eligible)' }),
  status: Status.nullable(),
});

const WindowView = SelectionWindow.extend({ state: WindowState });

const Person = z.object({ studentNo: z.string(), name: z.string(), arrival: z.number().int(), at: Instant });

export const SeatEvent = z.object({
  action: z.enum(['joined', 'waitlisted', 'withdrawn', 'removed', 'left-waitlist', 'promoted', 'passed-over']),
  studentNo: z.string(),
  name: z.string(),
  arrival: z.number().int(),
  at: Instant,
  by: z.string().meta({ description: 'the user who did it (a promotion: who made the seat free)' }),
  byName: z.string(),
  note: z.string().nullable().meta({ description: 'a promotion: who left; a waiter passed over: why' }),
});

export const ChildSeatEvent = SeatEvent.extend({
  classId: z.string(),
  what: z.string().meta({ description: 'the class, e.g. 机器人 基础班' }),
});

export const AllocationView = AllocationHead.extend({
  classes: z.array(DraftClass).meta({ description: 'every class of the term, with its seats left when the allocation ran' }),
  grants: z
    .array(DraftGrant)
    .meta({ description: 'the places granted, class by class (in the order of `classes`), each class’s by round' }),
  unplacedChoices: z
    .array(DraftUnplaced)
    .meta({ description: 'children left without a place, in lottery order, with their eligible choices (for the waitlists)' }),
  dropped: z
    .array(DraftDropped)
    .meta({ description: 'choices no longer eligible when the allocation ran, left out with the reasons' }),
  lottery: z.array(z.string()).meta({
    description: "every child's id in the order the lottery drew them (first = luckiest), drawn from the ids sorted",
  }),
  bumped: z.array(DraftBumped).meta({
    description:
      'published: grants that could not be honoured because the class had filled since the run (first come, first ' +
      'served, or a change by the school): the child was waitlisted instead, at `position`',
  }),
  next: z
    .string()
    .nullable()
    .meta({
      description:
        'the lists are long for a large school: this answer holds `limit` pages of them (at most 1 MB); the cursor of ' +
        'the rest (…/allocation?cursor=), null when this answer ends them. Add each answer’s lists to the ones before.',
    }),
});

export const enrolmentRoutes = {
  setWindow: route({
    operationId: 'setEnrolmentWindow',
    method: 'PUT',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/window',
    summary: 'Set the term’s selection window: mode (ranked or first come, first served), times, N, the withdrawal cut-off',
    description:
      'Times are wall-clock in the school’s zone. Send the version you read (0 for the term’s first window); a stale one ' +
      'gets 409 with who changed it.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: termParams,
    body: WindowInput,
    response: WindowView,
  }),
  getWindow: route({
    operationId: 'getEnrolmentWindow',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/window',
    summary: 'The term’s selection window and whether it is open now',
    tag,
    auth: 'jwt',
    params: termParams,
    response: WindowView,
  }),
  childView: route({
    operationId: 'getChildEnrolment',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}',
    summary: 'A child’s classes: each with seats left, whether the child may take it (and why not), and the child’s place',
    description:
      'For the child’s guardians and the school’s admins: every class of the term with its weekly sessions as published, ' +
      'capacity, seats left and waitlist length; `eligible` and the `reasons` against it (grade, prerequisite, a day the ' +
      'child is opted out, a clash with a class the child holds, N reached); the child’s place (granted, or waitlisted at a ' +
      'position); the ranked choices saved.',
    tag,
    auth: 'jwt',
    params: childParams,
    response: z.object({
      studentNo: z.string(),
      name: z.string(),
      gradeLevel: z.number().int(),
      window: WindowView.nullable(),
      classes: z.array(ChildClass),
      choices: Choices.nullable(),
    }),
  }),
  childHistory: route({
    operationId: 'getChildEnrolmentHistory',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/history',
    summary: 'A child’s enrolment history across the term’s classes: joined, waitlisted, left, removed, moved up, passed over',
    description:
      'For the child’s guardians and the school’s admins ("who changed this?"): every change to the child’s places and ' +
      'waitlist positions in the term’s classes, newest first, each with the class, who did it (a promotion: who made the ' +
      'seat free) and when. One query, whatever the number of classes.',
    tag,
    auth: 'jwt',
    params: childParams,
    query: PageQuery,
    response: Page(ChildSeatEvent),
  }),
  saveChoices: route({
    operationId: 'saveEnrolmentChoices',
    method: 'PUT',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/choices',
    summary: 'A guardian ranks classes for the child, best first (ranked mode, while the window is open)',
    description:
      'Up to the window’s `choices` classes; they may clash with one another (they are alternatives; the allocation never ' +
      'grants two that clash). An ineligible class is refused (422 `ineligible`) with its reason at `choices.<i>` in ' +
      '`details.errors`. Send the version you read (0 for the first).',
    tag,
    auth: 'jwt',
    rules: [...WINDOW_RULES, 'too-many-choices', 'ineligible'],
    params: childParams,
    body: ChoicesInput,
    response: Choices,
  }),
  requestPlace: route({
    operationId: 'requestEnrolmentPlace',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/places',
    summary: 'A guardian asks for a place (first come, first served): granted, or waitlisted with the position',
    description:
      'Requests are served in order of arrival (`arrival`, a ticket): while seats are left the next arrival is granted, ' +
      'then each is waitlisted behind those before it. An ineligible class is refused (422 `ineligible`) with the reasons ' +
      'at `classId`. Asking again (a retry, with its Idempotency-Key or without) answers the place the child has ' +
      '(`Idempotent-Replayed: true`).',
    tag,
    auth: 'jwt',
    rules: [...WINDOW_RULES, 'ineligible'],
    params: childParams,
    body: z.object({ classId: Id }),
    response: Place,
    idempotent: 'by-record',
  }),
  withdraw: route({
    operationId: 'withdrawEnrolmentPlace',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/places/{classId}/withdraw',
    summary: 'A guardian withdraws the child from a class or its waitlist, until the school’s cut-off',
    description:
      'The first eligible child waiting moves up into the seat at once, in the same transaction. After the cut-off: 422 ' +
      '`withdrawal-closed` with the date (the school may still remove the child).',
    tag,
    auth: 'jwt',
    rules: ['withdrawal-closed'],
    params: childParams.extend({ classId: Id }),
    response: z.object({ classId: z.string(), left: z.enum(['granted', 'waitlisted']) }),
    idempotent: true,
  }),
  remove: route({
    operationId: 'removeFromClass',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/classes/{classId}/remove',
    summary: 'An admin removes a child from a class or its waitlist; the first eligible child waiting moves up',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: classParams,
    body: z.object({ studentNo: StudentNo }),
    response: z.object({
      classId: z.string(),
      left: Person.extend({ state: z.enum(['granted', 'waitlisted']) }),
      promoted: Person.nullable(),
      passed: z.array(z.object({ studentNo: z.string(), name: z.string(), reason: z.string() })),
    }),
    idempotent: true,
  }),
  classList: route({
    operationId: 'getClassEnrolment',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/classes/{classId}',
    summary: 'A class’s enrolled children (by arrival) and its waitlist (in order), with seats left',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: classParams,
    response: z.object({
      classId: z.string(),
      what: z.string(),
      capacity: z.number().int(),
      taken: z.number().int(),
      seatsLeft: z.number().int(),
      enrolled: z.array(Person),
      waitlist: z.array(Person.extend({ position: z.number().int() })),
    }),
  }),
  classHistory: route({
    operationId: 'getClassEnrolmentHistory',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/classes/{classId}/history',
    summary: 'Who joined, was waitlisted, left, was removed, moved up or was passed over in a class: by whom, when',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: classParams,
    query: PageQuery,
    response: Page(SeatEvent),
  }),
  runAllocation: route({
    operationId: 'runEnrolmentAllocation',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/allocation',
    summary: 'Run the ranked allocation of the term’s closed window, as a job: 202 at once, then poll its status (Location)',
    description:
      'Only once the ranked window has closed (422 `window-not-closed` with the closing time; `wrong-mode` for a first ' +
      'come, first served window). The job reads every child’s choices and records and checks eligibility again: ' +
      'choices no longer eligible are left out, with the reasons, in `dropped`. `seed` draws the lottery that breaks ' +
      'ties (without one, a seed is derived and recorded). Running again replaces the draft (send the version you ' +
      'read, 0 for the first); a published allocation is final (409). Its status resource (…/allocation/jobs/{jobId}) ' +
      'says finished with the draft’s figures, or failed with the problem the request would have answered. One run or ' +
      'publication of a term at a time: another gets 409 with Retry-After.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    rules: ['window-not-closed', 'wrong-mode'],
    params: termParams,
    body: z.object({ seed: z.number().int().min(0).max(0xffff_ffff).optional(), version: z.number().int().min(0) }),
    status: 202,
    response: AllocationJob,
    responseHeaders: { Location: 'the status resource of the run: …/enrolment/allocation/jobs/{jobId}' },
    idempotent: true,
  }),
  allocationJob: route({
    operationId: 'getEnrolmentAllocationJob',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/allocation/jobs/{jobId}',
    summary: 'A run or publication of the allocation: queued, running, finished (with the allocation’s figures) or failed',
    description:
      'The status resource of a run or a publication, for the page to poll. Finished: `allocation` is the allocation as ' +
      'the job left it (its lists: GET …/enrolment/allocation), `message` says what it did in words — for a ' +
      'publication, how many grants could not be honoured because their class had filled. Failed: `problem` is what ' +
      'the request would have answered.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: termParams.extend({ jobId: Id }),
    response: AllocationJob,
  }),
  getAllocation: route({
    operationId: 'getEnrolmentAllocation',
    method: 'GET',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/allocation',
    summary: 'The term’s allocation: the draft (figures, rank histogram, seed, lottery, grants by class) or as published',
    description:
      'The head (version, status, seed, figures) with each answer, and the lists a page at a time: follow `next` until ' +
      'it is null (a cursor is for the version it came from: after a run again, read from the start). Published: ' +
      '`bumped` names the children whose grant could not be honoured, waitlisted instead.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: termParams,
    query: PageQuery,
    response: AllocationView,
  }),
  publishAllocation: route({
    operationId: 'publishEnrolmentAllocation',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/allocation/publish',
    summary: 'Publish the draft, as a job: each grant becomes the child’s place; children without one wait on their choices',
    description:
      'Send the draft’s version (409 if it changed). Each grant is a place exactly as a first-come request makes it; a ' +
      'class that filled since the run (first come, first served, or a change by the school) waitlists the child ' +
      'instead, and the publication names them (`bumped`). The choices of children left without a place go onto full ' +
      'classes’ waitlists, children in lottery order. A publication that stopped (a crash) resumes with the classes left ' +
      'when run again: no place is given twice. A published allocation is not published again (409).',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.manage'),
    params: termParams,
    body: z.object({ version: z.number().int().min(1) }),
    status: 202,
    response: AllocationJob,
    responseHeaders: { Location: 'the status resource of the publication: …/enrolment/allocation/jobs/{jobId}' },
    idempotent: true,
  }),
  approve: route({
    operationId: 'approveEnrolment',
    method: 'POST',
    path: '/schools/{schoolId}/terms/{termId}/enrolment/approvals',
    summary: 'A teacher approves a child for a class without its prerequisite (where the class allows one)',
    tag,
    auth: 'jwt',
    errors: mayRefuse('enrolment.approve'),
    params: termParams,
    body: z.object({ studentNo: StudentNo, classId: Id }),
    response: z.object({ studentNo: z.string(), classId: z.string(), by: z.string(), at: Instant }),
    idempotent: true,
  }),
};

export const routes = Object.values(enrolmentRoutes);

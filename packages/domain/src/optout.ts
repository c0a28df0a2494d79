/**
 * The term notice and the opt-out form (不留者提出申请): every student takes part in the
 * after-school service unless a guardian applies not to stay, on a form signed by the
 * guardian and the child (双签字). Pure schemas and the form's life:
 *
 *   (none) ──submit──▶ opted-out ──withdraw──▶ withdrawn ──amend──▶ opted-out
 *                        │  ▲ amend
 *                        └──┘
 *
 * until the notice closes. After its closing date a change is a request the school approves
 * or declines (with a reason): a first form made late is `requested` until then (`declined`
 * if declined); on a form that exists the request waits beside what is in effect. Every
 * change is a new version of the one form of the child and term; the versions before are
 * kept (history), so nothing a guardian signed is overwritten or lost.
 */
import * as z from 'zod';
import { Id, Instant, Meta, Text, uniqueList } from './common';
import { Conflict, InvalidInput, RuleViolation } from './errors';
import { revised, type Stamp } from './entity';
import { StudentNo, type Guardian, type Student } from './people';
import { formId } from './optout-id';
import { IsoDate, SCHOOL_DAYS, type SchoolDay } from './time';

/** Text of some length that may run over lines (a notice's body): no control characters but newlines and tabs. */
const LongText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });

// ---------------------------------------------------------------- the notice
const NoticeFields = z.object({
  titleZh: Text(120).meta({ example: '2026 秋季学期课后服务告家长书' }),
  titleEn: Text(120).meta({ example: 'After-school service, autumn term 2026: a letter to parents' }),
  bodyZh: LongText(10_000),
  bodyEn: LongText(10_000),
  opensOn: IsoDate.meta({ description: 'guardians see the notice, and may answer it, from this date (in the school’s zone)' }),
  closesOn: IsoDate.meta({
    description:
      'the last date a guardian may submit, amend or withdraw a form; afterwards a change is a request the school decides',
  }),
  childSignature: z
    .boolean()
    .default(true)
    .meta({ description: 'whether a form needs the child’s signature besides the guardian’s (双签字)' }),
});
export const NoticeInput = NoticeFields.refine((n) => n.opensOn <= n.closesOn, {
  path: ['closesOn'],
  message: 'must not be before opensOn',
});
export type NoticeInput = z.infer<typeof NoticeInput>;
export const NoticeUpdate = NoticeFields.extend({ version: Meta.shape.version }).refine((n) => n.opensOn <= n.closesOn, {
  path: ['closesOn'],
  message: 'must not be before opensOn',
});
/** A term's notice: its id is the term's. */
export const Notice = NoticeFields.extend({ id: Id, schoolId: Id, termId: Id }).extend(Meta.shape);
export type Notice = z.infer<typeof Notice>;

/** A zone's calendar, made once per zone (a warm function asks for the same few on every request). */
const calendars = new Map<string, Intl.DateTimeFormat>();

/** The date it is in the school's zone, "yyyy-MM-dd". */
export function todayIn(zone: string, now: Date): string {
  let f = calendars.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    calendars.set(zone, f);
  }
  const parts = f.formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export type NoticeWindow = 'not-open' | 'open' | 'closed';
export function noticeWindow(n: Pick<Notice, 'opensOn' | 'closesOn'>, today: string): NoticeWindow {
  if (today < n.opensOn) return 'not-open';
  return today <= n.closesOn ? 'open' : 'closed';
}

// ---------------------------------------------------------------- what a guardian fills in
export const OPT_OUT_REASONS = ['family-care', 'other-activities', 'health', 'distance', 'cost', 'other'] as const;
export const OptOutReason = z
  .object({
    category: z.enum(OPT_OUT_REASONS).meta({
      description:
        'family-care: someone at home picks the child up; other-activities: lessons or care elsewhere; health; distance; cost; other (say why)',
    }),
    text: Text(500).nullable().default(null),
  })
  .refine((r) => r.category !== 'other' || r.text !== null, { path: ['text'], message: 'say why, when the reason is "other"' });

const SchoolDayOnly = z.enum(SCHOOL_DAYS, { error: 'must be a school day: MON, TUE, WED, THU or FRI' });

const ChoiceFields = {
  wholeTerm: z.boolean().meta({ description: 'the child does not stay on any day of the term' }),
  days: uniqueList(SchoolDayOnly, 5)
    .default([])
    .meta({
      description: 'the weekdays the child does not stay (leave out, or all five, with wholeTerm)',
      example: ['WED', 'FRI'],
    }),
  homeworkHelp: z
    .boolean()
    .meta({ description: 'the child still stays for homework help (作业辅导) on those days, and leaves when it ends' }),
  reason: OptOutReason,
};

const requireSignature = (who: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `required: ${who}` : undefined;

/** The guardian signs by typing their name; the server adds when, and the account and guardian record. */
export const GuardianSignatureInput = z.object(
  { name: Text(40).meta({ example: '王建华' }) },
  { error: requireSignature('the guardian signs by typing their name') },
);

/** A drawn signature: an SVG path ("M10 20 L30 40 …") or a PNG data URL, at most 16 KB. */
export const MAX_SIGNATURE_CHARS = 16 * 1024;
const SVG_PATH = /^[Mm][MmLlHhVvCcSsQqTtAaZz0-9eE\s,.+-]*$/;
const PNG_DATA_URL = /^data:image\/png;base64,iVBORw0KGgo[A-Za-z0-9+/]*={0,2}$/;
export const SignatureImage = z
  .string()
  .max(MAX_SIGNATURE_CHARS, `must be at most ${MAX_SIGNATURE_CHARS} characters (16 KB): draw it smaller, or simplify it`)
  .refine((s) => SVG_PATH.test(s) || PNG_DATA_URL.test(s), {
    message: 'must be an SVG path ("M10 20 L30 40 …") or a PNG data URL ("data:image/png;base64,…")',
  })
  .meta({ description: 'an SVG path, or a PNG data URL, of at most 16 KB' });

export const ChildSignature = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('drawn'), image: SignatureImage }), z.object({ kind: z.literal('typed'), name: Text(40) })],
  { error: requireSignature('the child signs, drawn on the screen or typed') },
);
export type ChildSignature = z.infer<typeof ChildSignature>;

const noDaysWithWholeTerm = (c: { wholeTerm: boolean; days: readonly string[] }, ctx: z.RefinementCtx) => {
  if (!c.wholeTerm && c.days.length === 0)
    ctx.addIssue({ code: 'custom', path: ['days'], message: 'name the days the child does not stay, or set wholeTerm' });
  if (c.wholeTerm && c.days.length > 0 && c.days.length < SCHOOL_DAYS.length)
    ctx.addIssue({
      code: 'custom',
      path: ['days'],
      message: 'leave days out (or name all five) when opting out for the whole term',
    });
};

/** What a guardian submits or amends: the choice, both signatures, and whether it is a late request. */
const SubmissionFields = z.object({
  ...ChoiceFields,
  guardianSignature: GuardianSignatureInput,
  childSignature: ChildSignature.nullable()
    .default(null)
    .meta({ description: 'required unless the notice switches the child’s signature off' }),
  asRequest: z.boolean().default(false).meta({
    description:
      'after the notice has closed a change is a request the school decides: say so with true (before closing a change applies at once)',
  }),
  note: Text(500).nullable().default(null).meta({ description: 'to the school, with a late request' }),
});
export const OptOutSubmission = SubmissionFields.superRefine(noDaysWithWholeTerm);
export type OptOutSubmission = z.infer<typeof OptOutSubmission>;
/** A new form: the child (a student number) and the submission. */
export const NewOptOut = SubmissionFields.extend({ studentNo: StudentNo }).superRefine(noDaysWithWholeTerm);
export type NewOptOut = z.infer<typeof NewOptOut>;
/** An amendment: the whole submission again, with the version read. */
export const OptOutChange = SubmissionFields.extend({ version: Meta.shape.version }).superRefine(noDaysWithWholeTerm);
export type OptOutChange = z.infer<typeof OptOutChange>;
export const OptOutWithdrawal = z.object({
  version: Meta.shape.version,
  asRequest: SubmissionFields.shape.asRequest,
  note: SubmissionFields.shape.note,
});
export type OptOutWithdrawal = z.infer<typeof OptOutWithdrawal>;
export const OptOutDecision = z
  .object({
    version: Meta.shape.version,
    decision: z.enum(['approve', 'decline']),
    reason: Text(500).nullable().default(null).meta({ description: 'why; required to decline' }),
  })
  .refine((d) => d.decision === 'approve' || d.reason !== null, { path: ['reason'], message: 'say why the request is declined' });
export type OptOutDecision = z.infer<typeof OptOutDecision>;

// ---------------------------------------------------------------- the stored form
export const SignedByGuardian = z.object({
  name: z.string().meta({ description: 'as the guardian typed it' }),
  signedAt: Instant,
  userId: z.string().meta({ description: 'the account that signed' }),
  guardianId: z.string().meta({ description: 'the guardian record of that account' }),
});
/** A choice as signed by a guardian (and the child). */
export const SignedOptOut = z.object({
  wholeTerm: z.boolean(),
  days: z.array(SchoolDayOnly).meta({ description: 'the weekdays the child does not stay (all five for the whole term)' }),
  homeworkHelp: z.boolean(),
  reason: OptOutReason,
  guardianSignature: SignedByGuardian,
  childSignature: ChildSignature.nullable(),
});
export type SignedOptOut = z.infer<typeof SignedOptOut>;

export const LateRequest = z.object({
  action: z.enum(['submit', 'amend', 'withdraw']),
  optOut: SignedOptOut.nullable().meta({ description: 'what the guardian asks to be in effect (null: none, to withdraw)' }),
  note: z.string().nullable(),
  requestedAt: Instant,
  requestedBy: z.string(),
  guardianId: z.string(),
  state: z.enum(['pending', 'approved', 'declined']),
  decidedAt: Instant.nullable(),
  decidedBy: z.string().nullable(),
  decisionReason: z.string().nullable(),
});
export type LateRequest = z.infer<typeof LateRequest>;

export const FORM_STATUSES = ['opted-out', 'withdrawn', 'requested', 'declined'] as const;
export const FormStatus = z.enum(FORM_STATUSES).meta({
  description:
    'opted-out: in effect; withdrawn: the child takes part again; requested: made after closing, waiting for the school (the child takes part meanwhile); declined: made after closing and declined',
});
export type FormStatus = z.infer<typeof FormStatus>;
export const FormAction = z.enum(['submitted', 'amended', 'withdrawn', 'requested', 'approved', 'declined']);
export type FormAction = z.infer<typeof FormAction>;

export const FormActor = z.object({
  as: z.enum(['guardian', 'school']),
  userId: z.string(),
  guardianId: z.string().nullable(),
  name: z.string().nullable().meta({ description: 'the guardian’s name' }),
});
export type FormActor = z.infer<typeof FormActor>;

export const OptOutForm = z
  .object({
    id: z.string().meta({ description: '"<termId>#<studentNo>": every version at …/history/optout/{id}' }),
    schoolId: Id,
    termId: Id,
    studentNo: StudentNo,
    studentName: z.string(),
    gradeLevel: z.number().int(),
    homeroom: z.string(),
    status: FormStatus,
    optOut: SignedOptOut.nullable().meta({ description: 'what is in effect (when opted out)' }),
    request: LateRequest.nullable().meta({ description: 'the latest late request, pending or decided' }),
    action: FormAction.meta({ description: 'what made this version' }),
    actor: FormActor.meta({ description: 'who made this version' }),
  })
  .extend(Meta.shape);
export type OptOutForm = z.infer<typeof OptOutForm>;

/** The days a form takes the child out (after homework help, or at dismissal): none unless opted out. */
export function daysOut(form: Pick<OptOutForm, 'status' | 'optOut'> | null | undefined): ReadonlySet<SchoolDay> {
  return new Set(form?.status === 'opted-out' && form.optOut ? form.optOut.days : []);
}

// ---------------------------------------------------------------- the form's life
export interface FormContext {
  schoolId: string;
  notice: Pick<Notice, 'opensOn' | 'closesOn' | 'childSignature'>;
  /** the date in the school's zone */
  today: string;
  student: Pick<Student, 'id' | 'name' | 'gradeLevel' | 'homeroom'>;
  /** the signer's guardian record */
  guardian: Pick<Guardian, 'id' | 'name'>;
  stamp: Stamp;
}

const childOf = (s: FormContext['student']) => `${s.name} (${s.id})`;

function signed(ctx: FormContext, s: OptOutSubmission): SignedOptOut {
  if (ctx.notice.childSignature && s.childSignature === null)
    throw InvalidInput.at(['childSignature'], `the school asks for ${ctx.student.name}'s signature too: drawn or typed`);
  return {
    wholeTerm: s.wholeTerm,
    days: s.wholeTerm ? [...SCHOOL_DAYS] : SCHOOL_DAYS.filter((d) => s.days.includes(d)),
    homeworkHelp: s.homeworkHelp,
    reason: s.reason,
    guardianSignature: {
      name: s.guardianSignature.name,
      signedAt: ctx.stamp.now.toISOString(),
      userId: ctx.stamp.by,
      guardianId: ctx.guardian.id,
    },
    childSignature: s.childSignature,
  };
}

/** Open, or closed with the change sent as a request; refuses a notice not yet open, and a late change not sent as one. */
function windowFor(ctx: FormContext, asRequest: boolean): 'open' | 'closed' {
  const w = noticeWindow(ctx.notice, ctx.today);
  if (w === 'not-open')
    throw new RuleViolation('notice-not-open', `the notice opens on ${ctx.notice.opensOn}; answer it from then`);
  if (w === 'closed' && !asRequest)
    throw InvalidInput.at(
      ['asRequest'],
      `the notice closed on ${ctx.notice.closesOn}: a change now is a request the school approves or declines; send it with asRequest: true`,
    );
  return w;
}

const guardianActor = (ctx: FormContext): FormActor => ({
  as: 'guardian',
  userId: ctx.stamp.by,
  guardianId: ctx.guardian.id,
  name: ctx.guardian.name,
});

function pendingRequest(
  ctx: FormContext,
  action: LateRequest['action'],
  optOut: SignedOptOut | null,
  note: string | null,
): LateRequest {
  return {
    action,
    optOut,
    note,
    requestedAt: ctx.stamp.now.toISOString(),
    requestedBy: ctx.stamp.by,
    guardianId: ctx.guardian.id,
    state: 'pending',
    decidedAt: null,
    decidedBy: null,
    decisionReason: null,
  };
}

function refusePending(prev: OptOutForm) {
  if (prev.request?.state === 'pending')
    throw new Conflict(
      `a late request of ${prev.studentName} (${prev.studentNo}) is waiting for the school's decision (asked ${prev.request.requestedAt})`,
      'state',
      { current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt } },
    );
}

/** The child's form exists already: amend it instead. */
export function formExists(prev: OptOutForm): Conflict {
  return new Conflict(
    `${prev.studentName} (${prev.studentNo}) has a form for this term already (version ${prev.version}, ${prev.action} at ${prev.updatedAt}); amend it instead`,
    'exists',
    { current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt } },
  );
}

/** A guardian's first form for the child and term (version 1). */
export function submitForm(ctx: FormContext, termId: string, s: OptOutSubmission): OptOutForm {
  const w = windowFor(ctx, s.asRequest);
  const optOut = signed(ctx, s);
  const at = ctx.stamp.now.toISOString();
  return {
    id: formId(termId, ctx.student.id),
    schoolId: ctx.schoolId,
    termId,
    studentNo: ctx.student.id,
    studentName: ctx.student.name,
    gradeLevel: ctx.student.gradeLevel,
    homeroom: ctx.student.homeroom,
    ...(w === 'open'
      ? { status: 'opted-out' as const, optOut, request: null, action: 'submitted' as const }
      : {
          status: 'requested' as const,
          optOut: null,
          request: pendingRequest(ctx, 'submit', optOut, s.note),
          action: 'requested' as const,
        }),
    actor: guardianActor(ctx),
    version: 1,
    createdAt: at,
    updatedAt: at,
    updatedBy: ctx.stamp.by,
  };
}

/**
 * Whether a form holds what this guardian submitted (a second tap of the same button, a
 * retry without its key): the same choice and signatures, signed by the same account.
 */
export function sameSubmission(prev: OptOutForm, next: OptOutForm): boolean {
  const held = prev.request?.state === 'pending' ? prev.request.optOut : prev.optOut;
  const sent = next.request?.optOut ?? next.optOut;
  if (!held || !sent || prev.status !== next.status) return false;
  const what = (o: SignedOptOut) =>
    canonical([
      o.wholeTerm,
      o.days,
      o.homeworkHelp,
      o.reason,
      o.guardianSignature.name,
      o.guardianSignature.userId,
      o.childSignature,
    ]);
  return what(held) === what(sent);
}

/** JSON with the keys of every object in order: the same for equal values, however they were built or read. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/** The form's next version, if `version` is still the one stored. */
const next = (prev: OptOutForm, data: Partial<OptOutForm>, version: number, stamp: Stamp): OptOutForm =>
  revised(prev, data, version, stamp, `the form of ${prev.studentName} (${prev.studentNo})`);

/** A guardian changes the form (any status: a withdrawn one opts the child out again). */
export function amendForm(ctx: FormContext, prev: OptOutForm, s: OptOutChange): OptOutForm {
  refusePending(prev);
  const w = windowFor(ctx, s.asRequest);
  const optOut = signed(ctx, s);
  const student = { studentName: ctx.student.name, gradeLevel: ctx.student.gradeLevel, homeroom: ctx.student.homeroom };
  if (w === 'open')
    return next(
      prev,
      { ...student, status: 'opted-out', optOut, action: 'amended', actor: guardianActor(ctx) },
      s.version,
      ctx.stamp,
    );
  const action = prev.status === 'opted-out' ? 'amend' : 'submit';
  return next(
    prev,
    { ...student, request: pendingRequest(ctx, action, optOut, s.note), action: 'requested', actor: guardianActor(ctx) },
    s.version,
    ctx.stamp,
  );
}

/** A guardian withdraws the form: the child takes part again (after closing, once the school approves). */
export function withdrawForm(ctx: FormContext, prev: OptOutForm, w: OptOutWithdrawal): OptOutForm {
  refusePending(prev);
  if (prev.status !== 'opted-out')
    throw new Conflict(
      `${childOf(ctx.student)} is not opted out (the form is ${prev.status}): there is nothing to withdraw`,
      'state',
      {
        current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt },
      },
    );
  if (windowFor(ctx, w.asRequest) === 'open')
    return next(
      prev,
      { status: 'withdrawn', optOut: null, action: 'withdrawn', actor: guardianActor(ctx) },
      w.version,
      ctx.stamp,
    );
  return next(
    prev,
    { request: pendingRequest(ctx, 'withdraw', null, w.note), action: 'requested', actor: guardianActor(ctx) },
    w.version,
    ctx.stamp,
  );
}

/** The school decides a late request: approved, it takes effect; declined (with a reason), what was in effect stays. */
export function decideRequest(prev: OptOutForm, d: OptOutDecision, stamp: Stamp): OptOutForm {
  const req = prev.request;
  if (req?.state !== 'pending')
    throw new Conflict(`no request of ${prev.studentName} (${prev.studentNo}) waits for a decision`, 'state', {
      current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt },
    });
  const decided: LateRequest = {
    ...req,
    state: d.decision === 'approve' ? 'approved' : 'declined',
    decidedAt: stamp.now.toISOString(),
    decidedBy: stamp.by,
    decisionReason: d.reason,
  };
  const actor: FormActor = { as: 'school', userId: stamp.by, guardianId: null, name: null };
  if (d.decision === 'decline')
    return next(
      prev,
      { request: decided, status: prev.status === 'requested' ? 'declined' : prev.status, action: 'declined', actor },
      d.version,
      stamp,
    );
  const effect =
    req.action === 'withdraw'
      ? { status: 'withdrawn' as const, optOut: null }
      : { status: 'opted-out' as const, optOut: req.optOut };
  return next(prev, { ...effect, request: decided, action: 'approved', actor }, d.version, stamp);
}

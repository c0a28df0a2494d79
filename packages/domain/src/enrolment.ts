/**
 * Club enrolment (the "N" of "1+N"): a selection window per term, a guardian's ranked
 * choices, and who may take which class, with the reason when not. Pure: the clock, the
 * published timetable and the child's records come in as arguments.
 *
 * Eligibility of a child for a class (each failed rule is a reason, in words):
 * - grade: the child's grade is one of the class's grades;
 * - prerequisite: the child held the named tier of the same club (its lineage) last term,
 *   or a teacher approved the child for this class;
 * - opted out: the class meets on no weekday the child's opt-out form takes them out;
 * - clash: none of its weekly sessions (from the published timetable) overlaps a session of
 *   a class the child holds;
 * - places: the child holds fewer classes than the window's N (a request for a place only);
 * - scheduled: the class has sessions in the published timetable.
 * Ranked choices may clash with one another: they are alternatives, and the allocation
 * never grants two clashing classes.
 */
import * as z from 'zod';
import { fromZonedTime } from 'date-fns-tz';
import type { Club, Prerequisite } from './clubs';
import { Id, Instant } from './common';
import { InvalidInput, RuleViolation, type Issue } from './errors';
import { IsoDate, minutesOf, SchoolDay, SCHOOL_DAYS, Time } from './time';

export const EnrolmentMode = z.enum(['ranked', 'fcfs']).meta({
  description:
    'ranked: guardians rank classes while the window is open, seats are allocated when it closes; ' +
    'fcfs: first come, first served while it is open, the rest on ordered waitlists',
});
export type EnrolmentMode = z.infer<typeof EnrolmentMode>;

/** A wall-clock moment in the school's zone, "2026-09-01T08:00". */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a date and time, yyyy-MM-ddTHH:mm (the school’s zone)')
  .refine((s) => IsoDate.safeParse(s.slice(0, 10)).success && Time.safeParse(s.slice(11)).success, {
    message: 'is not a real date and time',
  });

/** How many classes a guardian may rank, at most. */
export const MAX_CHOICES = 8;

const WindowFields = z.object({
  mode: EnrolmentMode,
  opensAt: LocalDateTime.meta({ description: 'when guardians may start, in the school’s zone', example: '2026-09-01T08:00' }),
  closesAt: LocalDateTime.meta({ description: 'when it closes (exclusive), in the school’s zone', example: '2026-09-07T20:00' }),
  places: z.number().int().min(1).max(5).meta({ description: 'N: how many classes a child may hold this term' }),
  choices: z
    .number()
    .int()
    .min(1)
    .max(MAX_CHOICES)
    .default(5)
    .meta({ description: 'how many classes a guardian may rank (at least N: more choices place more children)' }),
  withdrawUntil: IsoDate.meta({
    description: 'the last day (inclusive, in the school’s zone) a guardian may withdraw a child from a class',
  }),
});
const windowRules = (w: z.infer<typeof WindowFields>, ctx: z.RefinementCtx) => {
  if (w.opensAt >= w.closesAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'must be after opensAt' });
  if (w.choices < w.places)
    ctx.addIssue({ code: 'custom', path: ['choices'], message: 'must be at least places (a guardian ranks at least N)' });
};
export const WindowInput = WindowFields.extend({
  version: z.number().int().min(0).meta({ description: 'the version you read; 0 for the term’s first window' }),
}).superRefine(windowRules);
export type WindowInput = z.infer<typeof WindowInput>;

export const SelectionWindow = WindowFields.extend({
  schoolId: Id,
  termId: Id,
  version: z.number().int().min(1),
  updatedAt: Instant,
  updatedBy: z.string(),
});
export type SelectionWindow = z.infer<typeof SelectionWindow>;

export type WindowState = 'not-open' | 'open' | 'closed';
export const WindowState = z.enum(['not-open', 'open', 'closed']);

/** Where the window stands at `now`, its times read in the school's zone. */
export function windowState(w: Pick<SelectionWindow, 'opensAt' | 'closesAt'>, zone: string, now: Date): WindowState {
  if (now < fromZonedTime(w.opensAt, zone)) return 'not-open';
  return now < fromZonedTime(w.closesAt, zone) ? 'open' : 'closed';
}

/** The window as an admin sets it: a new version of the stored one (or the first). */
export function nextWindow(
  prev: SelectionWindow | null,
  input: WindowInput,
  at: { schoolId: string; termId: string; by: string; now: Date },
): SelectionWindow {
  const { version, ...fields } = input;
  return {
    ...fields,
    schoolId: at.schoolId,
    termId: at.termId,
    version: version + 1,
    updatedAt: at.now.toISOString(),
    updatedBy: at.by,
  };
}

/** Refuses what the window does not allow now, naming the window's times. */
export function assertWindow(w: SelectionWindow | null, mode: EnrolmentMode, zone: string, now: Date): SelectionWindow {
  if (!w) throw new RuleViolation('window-not-open', 'The school has not opened club choice for this term yet');
  const state = windowState(w, zone, now);
  if (state !== 'open')
    throw new RuleViolation(
      'window-not-open',
      state === 'not-open'
        ? `Club choice opens at ${w.opensAt.replace('T', ' ')}`
        : `Club choice closed at ${w.closesAt.replace('T', ' ')}`,
      { opensAt: w.opensAt, closesAt: w.closesAt },
    );
  if (w.mode !== mode)
    throw new RuleViolation(
      'wrong-mode',
      mode === 'fcfs'
        ? 'This term’s classes are allocated from ranked choices when the window closes: rank them instead'
        : 'This term’s classes are first come, first served: ask for a place instead',
      { mode: w.mode },
    );
  return w;
}

/** A ranked allocation runs only on a ranked window that has closed, naming its closing time. */
export function assertClosedRanked(w: SelectionWindow | null, zone: string, now: Date): SelectionWindow {
  if (!w) throw new RuleViolation('window-not-closed', 'The school has not opened club choice for this term yet');
  if (w.mode !== 'ranked')
    throw new RuleViolation('wrong-mode', 'This term’s classes are first come, first served: there is nothing to allocate', {
      mode: w.mode,
    });
  if (windowState(w, zone, now) !== 'closed')
    throw new RuleViolation(
      'window-not-closed',
      `Club choice closes at ${w.closesAt.replace('T', ' ')}: the allocation runs after that`,
      { closesAt: w.closesAt },
    );
  return w;
}

/** A guardian may withdraw until the school's cut-off (inclusive, that date in its zone). */
export function assertMayWithdraw(w: Pick<SelectionWindow, 'withdrawUntil'> | null, today: string): void {
  if (w && today > w.withdrawUntil)
    throw new RuleViolation(
      'withdrawal-closed',
      `Withdrawals closed on ${w.withdrawUntil} (the school’s cut-off); ask the school to remove the child`,
      { withdrawUntil: w.withdrawUntil },
    );
}

/** A weekly session of a class, as the published timetable has it. */
export const WeeklySlot = z.object({ day: SchoolDay, start: Time, end: Time });
export type WeeklySlot = z.infer<typeof WeeklySlot>;

/** A class families may choose: its club, its tier and grades, its weekly sessions as published. */
export interface ClassOffer {
  classId: string;
  clubId: string;
  lineageId: string;
  clubName: string;
  className: string;
  tier: string;
  grades: readonly number[];
  capacity: number;
  prerequisite: Prerequisite | null;
  slots: readonly WeeklySlot[];
}

/** "机器人 基础班" */
export const offerName = (o: Pick<ClassOffer, 'clubName' | 'className'>) => `${o.clubName} ${o.className}`;

/** The classes of a term's clubs with their weekly sessions from the published timetable (a class with none has no slots). */
export function classOffers(
  clubs: readonly Club[],
  sessions: ReadonlyArray<{ classId: string; day: string; start: string; end: string }>,
): ClassOffer[] {
  const slots = new Map<string, WeeklySlot[]>();
  for (const s of sessions) {
    if (!(SCHOOL_DAYS as readonly string[]).includes(s.day)) continue;
    slots.set(s.classId, [...(slots.get(s.classId) ?? []), { day: s.day as SchoolDay, start: s.start, end: s.end }]);
  }
  const order = (a: WeeklySlot, b: WeeklySlot) =>
    SCHOOL_DAYS.indexOf(a.day) - SCHOOL_DAYS.indexOf(b.day) || a.start.localeCompare(b.start);
  return clubs
    .filter((c) => c.status === 'active')
    .flatMap((club) =>
      club.classes.map((k) => ({
        classId: k.id,
        clubId: club.id,
        lineageId: club.lineageId,
        clubName: club.name,
        className: k.name,
        tier: k.tier,
        grades: k.grades,
        capacity: k.capacity,
        prerequisite: k.prerequisite,
        slots: (slots.get(k.id) ?? []).sort(order),
      })),
    );
}

/** What eligibility knows of a child. */
export interface ChildFacts {
  name: string;
  gradeLevel: number;
  /** the weekdays the child's opt-out form in effect takes them out */
  daysOut: ReadonlySet<SchoolDay>;
  /** classes of this term the child holds a place in */
  held: readonly string[];
  /** `<lineageId>#<tier>` of the classes the child held last term */
  heldLastTerm: ReadonlySet<string>;
  /** classes a teacher approved the child for, without their prerequisite */
  approvals: ReadonlySet<string>;
}

export const EligibilityRule = z.enum(['grade', 'prerequisite', 'opted-out', 'clash', 'places', 'unscheduled']);
export type EligibilityRule = z.infer<typeof EligibilityRule>;
export const Reason = z.object({ rule: EligibilityRule, message: z.string() });
export type Reason = z.infer<typeof Reason>;

const slotText = (s: WeeklySlot) => `${s.day} ${s.start}–${s.end}`;
const overlaps = (a: WeeklySlot, b: WeeklySlot) =>
  a.day === b.day && minutesOf(a.start)! < minutesOf(b.end)! && minutesOf(b.start)! < minutesOf(a.end)!;

/** The first session of `a` that overlaps one of `b`, with it. */
export function clashOf(a: Pick<ClassOffer, 'slots'>, b: Pick<ClassOffer, 'slots'>): [WeeklySlot, WeeklySlot] | null {
  for (const x of a.slots) for (const y of b.slots) if (overlaps(x, y)) return [x, y];
  return null;
}

/**
 * Why the child may not take the class (empty: eligible). `forPlace`: a request for a place
 * now, where the child's N counts; a ranked choice is not one yet.
 */
export function reasonsAgainst(
  offer: ClassOffer,
  child: ChildFacts,
  offers: ReadonlyMap<string, ClassOffer>,
  o: { places: number; forPlace: boolean },
): Reason[] {
  const out: Reason[] = [];
  const name = offerName(offer);
  if (!offer.grades.includes(child.gradeLevel))
    out.push({
      rule: 'grade',
      message: `${name} is for grade ${offer.grades.join(', ')}; ${child.name} is in grade ${child.gradeLevel}`,
    });
  const pre = offer.prerequisite;
  if (
    pre &&
    !child.heldLastTerm.has(`${offer.lineageId}#${pre.tier}`) &&
    !(pre.orTeacherApproval && child.approvals.has(offer.classId))
  )
    out.push({
      rule: 'prerequisite',
      message:
        `${name} needs the ${offer.clubName} ${pre.tier} class last term` +
        (pre.orTeacherApproval ? ' or a teacher’s approval' : '') +
        `; ${child.name} has neither`,
    });
  if (offer.slots.length === 0)
    out.push({ rule: 'unscheduled', message: `${name} has no sessions in the published timetable yet` });
  const out_ = offer.slots.filter((s) => child.daysOut.has(s.day));
  if (out_.length)
    out.push({
      rule: 'opted-out',
      message: `${name} meets ${out_.map(slotText).join(', ')}, a day ${child.name} is opted out of the service`,
    });
  for (const id of child.held) {
    const other = offers.get(id);
    if (!other || id === offer.classId) continue;
    const c = clashOf(offer, other);
    if (c) out.push({ rule: 'clash', message: `${name} meets ${slotText(c[0])}, when ${offerName(other)} meets` });
  }
  if (o.forPlace && !child.held.includes(offer.classId) && child.held.length >= o.places)
    out.push({
      rule: 'places',
      message: `${child.name} already holds ${child.held.length} ${child.held.length === 1 ? 'class' : 'classes'}, the most this term allows`,
    });
  return out;
}

/** A guardian's ranked choices for a child, best first. */
export const ChoicesInput = z.object({
  choices: z
    .array(Id)
    .max(MAX_CHOICES)
    .refine((a) => new Set(a).size === a.length, { message: 'must not list a class twice' })
    .meta({ description: 'class ids, best first' }),
  version: z.number().int().min(0).meta({ description: 'the version you read; 0 for the first' }),
});
export type ChoicesInput = z.infer<typeof ChoicesInput>;

export const Choices = z.object({
  schoolId: Id,
  termId: Id,
  studentNo: z.string(),
  choices: z.array(z.string()),
  version: z.number().int().min(1),
  updatedAt: Instant,
  updatedBy: z.string(),
});
export type Choices = z.infer<typeof Choices>;

/**
 * A child's ranked choices against the window and eligibility: unknown classes are 400 at
 * `choices.<i>`; more than the window allows, or an ineligible class, is 422 naming each
 * refused choice at its path, with the reason.
 */
export function checkChoices(
  choices: readonly string[],
  w: Pick<SelectionWindow, 'choices' | 'places'>,
  child: ChildFacts,
  offers: ReadonlyMap<string, ClassOffer>,
): void {
  const unknown: Issue[] = choices.flatMap((id, i) =>
    offers.has(id) ? [] : [{ path: ['choices', i], message: 'is not a class of this term' }],
  );
  if (unknown.length) throw new InvalidInput(unknown);
  if (choices.length > w.choices)
    throw new RuleViolation('too-many-choices', `A guardian ranks at most ${w.choices} classes this term`, {
      errors: [{ path: ['choices'], message: `at most ${w.choices}` }],
    });
  const errors = choices.flatMap((id, i) =>
    reasonsAgainst(offers.get(id)!, child, offers, { places: w.places, forPlace: false }).map((r) => ({
      path: ['choices', i],
      rule: r.rule,
      message: r.message,
    })),
  );
  if (errors.length) throw new RuleViolation('ineligible', errors.map((e) => e.message).join('; '), { errors });
}

/** Refuses a place the child may not take, naming the reasons. */
export function assertEligible(reasons: readonly Reason[], path: string): void {
  if (reasons.length)
    throw new RuleViolation('ineligible', reasons.map((r) => r.message).join('; '), {
      errors: reasons.map((r) => ({ path: [path], rule: r.rule, message: r.message })),
    });
}

/** The term before this one at the school (the latest to end before it starts): where prerequisites were earned. */
export function termBefore<T extends { id: string; startDate: string; endDate: string }>(terms: readonly T[], term: T): T | null {
  return terms.filter((t) => t.endDate < term.startDate).sort((a, b) => b.endDate.localeCompare(a.endDate))[0] ?? null;
}

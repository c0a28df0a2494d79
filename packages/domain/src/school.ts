/** A school and its week: grades with dismissal times, rooms, terms. Pure schemas and rules. */
import * as z from 'zod';
import { Id, IsoDateRange, Meta, nameKey, Slug, Status, Text, uniqueList } from './common';
import { InvalidInput } from './errors';
import { IsoDate, SchoolDay, SERVICE_DAY_END, SERVICE_DAY_END_MINUTES, Time, TimeZone, hhmm, minutesOf, weekdayOf } from './time';

const atOrBeforeServiceEnd = (t: string) => (minutesOf(t) ?? Infinity) <= SERVICE_DAY_END_MINUTES;

// ---------------------------------------------------------------- school
/** Stored in fen, a whole number, so that pay adds up exactly. */
export const HourlyRateFen = z
  .number()
  .int()
  .min(0)
  .max(1_000_000)
  .meta({ description: "the school's hourly rate for after-school work, in fen (分): 8000 is ¥80.00 an hour" });

export const SchoolInput = z.object({
  name: Text(80),
  districtId: Id.meta({ description: 'the education bureau (district) the school belongs to' }),
  timezone: TimeZone.default('Asia/Shanghai'),
  dayEnd: Time.default(SERVICE_DAY_END)
    .refine(atOrBeforeServiceEnd, { message: `must be at or before ${SERVICE_DAY_END}: the service ends by ${SERVICE_DAY_END}` })
    .meta({ description: 'when the after-school service ends each day (at the latest 18:00)' }),
  address: Text(200).optional(),
  hourlyRateFen: HourlyRateFen.optional(),
});
export type SchoolInput = z.infer<typeof SchoolInput>;
export const School = SchoolInput.extend({ id: Id, status: Status }).extend(Meta.shape);
export type School = z.infer<typeof School>;
export const SchoolUpdate = SchoolInput.omit({ districtId: true }).extend({ version: Meta.shape.version });

// ---------------------------------------------------------------- grades
const GradeFields = z.object({
  level: z.number().int().min(1).max(12).meta({ description: '1–6 primary, 7–9 junior middle, 10–12 senior' }),
  name: Text(40).meta({ example: '三年级' }),
  dismissal: z.partialRecord(SchoolDay, Time).meta({
    description: 'end of regular lessons on each weekday; a day left out has no after-school service for this grade',
    example: { MON: '15:50' },
  }),
  homeworkMinutes: z
    .number()
    .int()
    .min(0)
    .max(180)
    .default(30)
    .meta({ description: 'homework help (作业辅导, the "1" of "1+N") right after dismissal; clubs start after it' }),
});
export const GradeInput = GradeFields.superRefine((g, ctx) => {
  for (const [day, t] of Object.entries(g.dismissal)) {
    const m = minutesOf(t);
    if (m === null) continue;
    if (m > SERVICE_DAY_END_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['dismissal', day],
        message: `dismissal ${t} is after ${SERVICE_DAY_END}, when the service must have ended`,
      });
    } else if (m + g.homeworkMinutes > SERVICE_DAY_END_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['homeworkMinutes'],
        message: `homework help from ${t} on ${day} for ${g.homeworkMinutes} min would end at ${hhmm(m + g.homeworkMinutes)}, after ${SERVICE_DAY_END}`,
      });
    }
  }
});
export type GradeInput = z.infer<typeof GradeInput>;
export const Grade = GradeFields.extend({ id: Id, schoolId: Id }).extend(Meta.shape);
export type Grade = z.infer<typeof Grade>;
export const gradeId = (level: number) => `g${level}`;

/** Earliest club start of a grade on each day: dismissal plus homework help. */
export function earliestClubStart(grade: Pick<GradeInput, 'dismissal' | 'homeworkMinutes'>): Partial<Record<SchoolDay, string>> {
  const out: Partial<Record<SchoolDay, string>> = {};
  for (const [day, t] of Object.entries(grade.dismissal) as [SchoolDay, string][]) {
    const m = minutesOf(t);
    if (m !== null) out[day] = hhmm(m + grade.homeworkMinutes);
  }
  return out;
}

/** The "5+2" policy: at least two hours of service a day, from dismissal until the day ends. */
export const MIN_SERVICE_MINUTES = 120;

/** The days on which a grade's service, from dismissal to `dayEnd`, is shorter than the policy's two hours. */
export function shortServiceDays(
  grade: Pick<GradeInput, 'dismissal'>,
  dayEnd: string,
): Array<{ day: SchoolDay; minutes: number }> {
  const end = minutesOf(dayEnd);
  if (end === null) return [];
  const out: Array<{ day: SchoolDay; minutes: number }> = [];
  for (const [day, t] of Object.entries(grade.dismissal) as [SchoolDay, string][]) {
    const m = minutesOf(t);
    if (m !== null && end - m < MIN_SERVICE_MINUTES) out.push({ day, minutes: Math.max(0, end - m) });
  }
  return out;
}

/**
 * A grade against its school: a school may end its service before 18:00, and homework help
 * must be over by then on every day the grade stays. Throws InvalidInput at homeworkMinutes.
 */
export function assertGradeFitsDay(
  grade: Pick<GradeInput, 'dismissal' | 'homeworkMinutes'>,
  school: Pick<School, 'dayEnd'>,
): void {
  const end = minutesOf(school.dayEnd) ?? SERVICE_DAY_END_MINUTES;
  for (const [day, start] of Object.entries(earliestClubStart(grade))) {
    if ((minutesOf(start) ?? 0) > end) {
      throw InvalidInput.at(
        ['homeworkMinutes'],
        `homework help on ${day} would end at ${start}, after the school's service ends (${school.dayEnd})`,
      );
    }
  }
}

// ---------------------------------------------------------------- rooms
export const RoomInput = z.object({
  name: Text(60).meta({ example: '舞蹈室 1' }),
  capacity: z.number().int().min(1).max(2000),
  features: uniqueList(Slug, 20)
    .default([])
    .meta({ description: 'e.g. dance, music, gym, outdoor, piano, computers', example: ['dance'] }),
  building: Text(60).optional(),
});
export type RoomInput = z.infer<typeof RoomInput>;
export const Room = RoomInput.extend({ id: Id, schoolId: Id, status: Status }).extend(Meta.shape);
export type Room = z.infer<typeof Room>;

/** Room names are unique in a school regardless of case and spacing. */
export const roomNameKey = nameKey;

// ---------------------------------------------------------------- terms
const TermFields = z.object({
  name: Text(60).meta({ example: '2026 秋季学期' }),
  startDate: IsoDate,
  endDate: IsoDate,
  holidays: z
    .array(IsoDateRange.extend({ name: Text(60) }))
    .max(60)
    .default([])
    .meta({ description: 'days without school (national holidays, exam weeks); both ends inclusive' }),
  makeUpDays: z
    .array(z.object({ date: IsoDate, runsAs: SchoolDay, name: Text(60).optional() }))
    .max(30)
    .default([])
    .meta({ description: 'weekend days that are school days (调休), running the timetable of the weekday given' }),
});
export const TermInput = TermFields.superRefine((t, ctx) => {
  if (t.endDate < t.startDate) ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'must not be before startDate' });
  const inTerm = (d: string) => t.startDate <= d && d <= t.endDate;
  t.holidays.forEach((h, i) => {
    if (!inTerm(h.start) || !inTerm(h.end))
      ctx.addIssue({ code: 'custom', path: ['holidays', i], message: 'must lie inside the term' });
  });
  const seen = new Set<string>();
  t.makeUpDays.forEach((m, i) => {
    if (!inTerm(m.date)) ctx.addIssue({ code: 'custom', path: ['makeUpDays', i, 'date'], message: 'must lie inside the term' });
    if (seen.has(m.date)) ctx.addIssue({ code: 'custom', path: ['makeUpDays', i, 'date'], message: `${m.date} is listed twice` });
    seen.add(m.date);
    if (!['SAT', 'SUN'].includes(weekdayOf(m.date))) {
      ctx.addIssue({
        code: 'custom',
        path: ['makeUpDays', i, 'date'],
        message: `${m.date} is a ${weekdayOf(m.date)}: a make-up day is a weekend day`,
      });
    }
    if (t.holidays.some((h) => h.start <= m.date && m.date <= h.end)) {
      ctx.addIssue({ code: 'custom', path: ['makeUpDays', i, 'date'], message: `${m.date} is inside a holiday` });
    }
  });
});
export type TermInput = z.infer<typeof TermInput>;
export const Term = TermFields.extend({ id: Id, schoolId: Id }).extend(Meta.shape);
export type Term = z.infer<typeof Term>;

/** Staff, students and guardians of a school. Pure schemas and rules. */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { Id, Meta, Slug, Status, Text, uniqueList } from './common';
import { IsoDate, Time, Weekday, minutesOf } from './time';

// ---------------------------------------------------------------- staff
export const StaffKind = z.enum(['teacher', 'volunteer', 'external']).meta({
  description:
    'teacher: a teacher of the school; volunteer: retired teachers, parents, students…; external: an institution or professional',
});
export type StaffKind = z.infer<typeof StaffKind>;

export const Window = z
  .object({ start: Time, end: Time })
  .refine((w) => (minutesOf(w.start) ?? 0) < (minutesOf(w.end) ?? 0), { path: ['end'], message: 'must be after start' });
export type Window = z.infer<typeof Window>;

/** Weekly availability: per day, windows that do not overlap (touching is fine). */
export const Availability = z.partialRecord(Weekday, z.array(Window).max(8)).superRefine((a, ctx) => {
  for (const [day, windows] of Object.entries(a)) {
    const sorted = windows.map((w, i) => ({ i, s: minutesOf(w.start) ?? 0, e: minutesOf(w.end) ?? 0 })).sort((x, y) => x.s - y.s);
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (cur.s < prev.e) ctx.addIssue({ code: 'custom', path: [day, cur.i], message: `overlaps window ${prev.i} of ${day}` });
    }
  }
});
export type Availability = z.infer<typeof Availability>;

export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,18}[0-9]$/, 'must be a phone number')
  // one person, one number: spaces, dashes and China's country code on a mobile number are dropped
  .transform((p) => p.replace(/[ -]/g, '').replace(/^(?:\+86|0086)(1\d{10})$/, '$1'))
  .meta({ example: '13800138000' });

export const StaffInput = z.object({
  name: Text(60),
  kind: StaffKind,
  skills: uniqueList(Slug, 30).default([]).meta({ description: 'what this person can teach, e.g. street-dance, chess, choir' }),
  availability: Availability.default({}).meta({ description: 'weekly windows in the school time zone' }),
  maxMinutesPerWeek: z.number().int().min(0).max(3000).default(240),
  qualificationExpiresOn: IsoDate.nullable()
    .default(null)
    .meta({ description: 'teaching qualification or certificate valid until' }),
  backgroundCheckExpiresOn: IsoDate.nullable()
    .default(null)
    .meta({ description: 'background check (无犯罪记录证明) valid until' }),
  noPaidTutoringCommitmentOn: IsoDate.nullable()
    .default(null)
    .meta({ description: 'date the commitment not to take part in paid off-campus tutoring was signed; null if not signed' }),
  userId: Id.nullable().default(null).meta({ description: 'the sign-in account of this person, when linked' }),
  phone: Phone.nullable().default(null),
});
export type StaffInput = z.infer<typeof StaffInput>;
export const Staff = StaffInput.extend({ id: Id, schoolId: Id, status: Status }).extend(Meta.shape);
export type Staff = z.infer<typeof Staff>;

// ---------------------------------------------------------------- students and guardians
export const StudentNo = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'must be the school\'s student number: letters, digits, "_" or "-" (at most 40)')
  .meta({ example: '20260301' });

export const StudentInput = z.object({
  studentNo: StudentNo,
  name: Text(40),
  gradeLevel: z.number().int().min(1).max(12),
  homeroom: Text(20).meta({ description: 'homeroom class (行政班) within the grade', example: '3' }),
});
export type StudentInput = z.infer<typeof StudentInput>;
export const Student = StudentInput.extend({
  id: StudentNo,
  schoolId: Id,
  status: Status,
  guardianIds: z.array(Id),
}).extend(Meta.shape);
export type Student = z.infer<typeof Student>;

export const Relation = z.enum(['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other']);
export const GuardianContact = z.object({ name: Text(40), phone: Phone, relation: Relation.default('guardian') });
export const GuardianInput = GuardianContact.extend({
  children: uniqueList(StudentNo, 10).min(1, 'must name at least one child'),
  userId: Id.nullable().default(null).meta({ description: "the parent's sign-in account, when linked" }),
});
export type GuardianInput = z.infer<typeof GuardianInput>;
export const Guardian = GuardianInput.extend({ id: Id, schoolId: Id }).extend(Meta.shape);
export type Guardian = z.infer<typeof Guardian>;

/**
 * A guardian is identified in a school by their phone number, so that importing the same
 * family twice, or siblings in two files, links one guardian to all children. The id is a
 * digest, so the phone number never appears in a key or a log line.
 */
export function guardianIdFor(schoolId: string, phone: string): string {
  return `gd-${createHash('sha256').update(`${schoolId}\u0000${phone}`).digest('hex').slice(0, 20)}`;
}

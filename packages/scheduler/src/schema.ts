import * as z from 'zod';
import { WEEK, parseHHMM, type Day } from './time';

// The bench formats (../shared/bench/README.md), as zod schemas. Shapes only: the
// referential rules (unique ids, known references) are in parse.ts.

const Time = z.string().refine((t) => parseHHMM(t) !== null, { error: (i) => `${JSON.stringify(i.input)} is not a time "HH:MM"` });
export const DaySchema = z.enum(WEEK);
const Id = z.string().min(1, { error: 'must be a non-empty string' });
const Interval = z
  .tuple([Time, Time])
  .refine(([a, b]) => (parseHHMM(a) ?? 0) < (parseHHMM(b) ?? 0), { error: (i) => `${JSON.stringify(i.input)} does not start before it ends` });

export const GradeSchema = z.object({ id: Id, earliestStart: z.partialRecord(DaySchema, Time) });
export const RoomSchema = z.object({ id: Id, capacity: z.number().min(0), features: z.array(z.string()) });
export const StaffKindSchema = z.enum(['teacher', 'volunteer', 'external']);
export const StaffSchema = z.object({
  id: Id,
  kind: StaffKindSchema,
  skills: z.array(z.string()),
  available: z.partialRecord(DaySchema, z.array(Interval)),
  maxMinutesPerWeek: z.number().min(0),
});
export const ClassSchema = z.object({
  id: Id,
  club: z.string(),
  tier: z.string(),
  grades: z.array(z.string()).min(1, { error: 'must list at least one grade' }),
  size: z.int().min(0),
  skill: Id,
  roomFeatures: z.array(z.string()),
  sessions: z.int().min(1),
  minutes: z.int().min(1),
  staff: z.string().nullish(),
});
export const StudentSchema = z.object({ id: Id, classes: z.array(z.string()) });

export const InstanceSchema = z.object({
  name: z.string(),
  timezone: z.string().refine(isTimeZone, { error: (i) => `unknown time zone ${JSON.stringify(i.input)}` }),
  days: z.array(DaySchema).min(1, { error: 'must list at least one day' }),
  dayEnd: Time,
  granularity: z.int().min(1).max(1440),
  grades: z.array(GradeSchema),
  rooms: z.array(RoomSchema),
  staff: z.array(StaffSchema),
  classes: z.array(ClassSchema),
  students: z.array(StudentSchema).optional(),
});

export const SessionSchema = z.object({
  class: Id,
  day: DaySchema,
  start: Time,
  end: Time,
  room: Id,
  staff: Id,
});
export const TimetableSchema = z.object({ sessions: z.array(SessionSchema) });
export const RefusalSchema = z.object({ infeasible: z.literal(true), reason: z.string() });
export const AnswerSchema = z.union([TimetableSchema, RefusalSchema]);

export type Instance = z.infer<typeof InstanceSchema>;
export type Grade = z.infer<typeof GradeSchema>;
export type Room = z.infer<typeof RoomSchema>;
export type Staff = z.infer<typeof StaffSchema>;
export type StaffKind = z.infer<typeof StaffKindSchema>;
export type ClassSpec = z.infer<typeof ClassSchema>;
export type Student = z.infer<typeof StudentSchema>;
export type Session = z.infer<typeof SessionSchema>;
export type Timetable = z.infer<typeof TimetableSchema>;
export type Refusal = z.infer<typeof RefusalSchema>;
export type Answer = z.infer<typeof AnswerSchema>;
export type { Day };

function isTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

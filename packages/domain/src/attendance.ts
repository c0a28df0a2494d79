/**
 * Class lists, attendance, the "unaccounted for" list and hours. Pure.
 *
 * - A dated session is a session of the published timetable on a date it runs (the term's
 *   calendar: holidays skipped, make-up days run the weekday they stand in for).
 * - Its class list: the children holding a seat of its class (`club-class:<classId>` in the
 *   capacity primitive), each expected unless archived or opted out (a form in effect) on
 *   the weekday that runs that date.
 * - Attendance: one sheet per dated session, a mark per child (present, absent, late,
 *   excused). Saves merge child by child, the latest mark of a child winning (by when it
 *   was made on the phone, never later than the server's now): a retried save changes
 *   nothing, and a stale retry never overwrites a newer mark by someone else. Every save
 *   that changed something is kept in the sheet's history (who, when, from what to what).
 * - Unaccounted for: an expected child marked absent, or not marked OVERDUE_MINUTES after
 *   the start of the session.
 * - Hours: a session counts for its staff member once its attendance was taken (a sheet
 *   exists); teachers are paid at the school's hourly rate, volunteers get a statement.
 */
import * as z from 'zod';
import { daysOut, type OptOutForm } from './optout';
import { toCsv } from './calendar';
import { Instant } from './common';
import { InvalidInput, RuleViolation } from './errors';
import { StudentNo, type Guardian, type Staff, type Student } from './people';
import { HourlyRateFen } from './school';
import type { DatedSessionView } from './timetable-views';
import { IsoDate, type Weekday } from './time';

/** A child not marked this long after the start of an expected session is unaccounted for. */
export const OVERDUE_MINUTES = 15;

export const AttendanceStatus = z.enum(['present', 'absent', 'late', 'excused']).meta({
  description:
    'present; absent (unexcused: the child is missing); late (arrived after the start); excused (the school knows why)',
});
export type AttendanceStatus = z.infer<typeof AttendanceStatus>;

export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, yyyy-MM')
  .meta({ example: '2026-09' });

/** What the phone sends: the marks of the whole list or of a few children. */
export const AttendanceSave = z.object({
  marks: z
    .array(
      z.object({
        studentNo: StudentNo,
        status: AttendanceStatus,
        markedAt: z.iso
          .datetime({ offset: true })
          .optional()
          .meta({ description: 'when the mark was made on the phone (a save retried later keeps its order); default: now' }),
      }),
    )
    .min(1)
    .max(300)
    .refine((m) => new Set(m.map((x) => x.studentNo)).size === m.length, { message: 'must not mark a child twice' }),
});
export type AttendanceSave = z.infer<typeof AttendanceSave>;

export const StoredMark = z.object({
  status: AttendanceStatus,
  at: Instant.meta({ description: 'when it was marked' }),
  by: z.string().meta({ description: 'the account that marked it' }),
  byName: z.string().nullable().meta({ description: 'the staff member who marked it (null: an admin without a staff record)' }),
});
export type StoredMark = z.infer<typeof StoredMark>;

/** The session as the sheet keeps it when attendance is first taken: who ran it, where, for how long. */
const SheetSession = z.object({
  termId: z.string(),
  sessionId: z.string(),
  classId: z.string(),
  clubName: z.string(),
  className: z.string(),
  roomName: z.string(),
  staffId: z.string(),
  staffName: z.string(),
  start: z.string(),
  end: z.string(),
  minutes: z.number().int(),
});

export const AttendanceSheet = SheetSession.extend({
  schoolId: z.string(),
  date: IsoDate,
  marks: z.record(z.string(), StoredMark),
  version: z.number().int().min(1),
  takenAt: Instant.meta({ description: 'when attendance was first taken' }),
  updatedAt: Instant,
  updatedBy: z.string(),
});
export type AttendanceSheet = z.infer<typeof AttendanceSheet>;

export const MarkChange = z.object({
  studentNo: z.string(),
  from: AttendanceStatus.nullable(),
  to: AttendanceStatus,
});
export const AttendanceEntry = z.object({
  version: z.number().int(),
  at: Instant,
  by: z.string(),
  byName: z.string().nullable(),
  changes: z.array(MarkChange),
});
export type AttendanceEntry = z.infer<typeof AttendanceEntry>;

export interface Marker {
  userId: string;
  /** the staff member's name, when the marker is one */
  name: string | null;
  now: Date;
}

/**
 * The sheet after a save: each mark applied unless the child holds that status already
 * (nothing to do) or a newer mark (`superseded`). A child not on the class list is refused,
 * naming the mark. A session whose date is still to come cannot be marked.
 */
export function applyMarks(
  session: DatedSessionView,
  prev: AttendanceSheet | null,
  save: AttendanceSave,
  onList: ReadonlySet<string>,
  m: Marker,
): { sheet: AttendanceSheet; entry: AttendanceEntry | null; superseded: string[] } {
  const now = m.now.toISOString();
  if (Date.parse(session.startsAt) > m.now.getTime() + 60 * 60_000)
    throw new RuleViolation(
      'session-not-started',
      `${session.clubName} ${session.className} on ${session.date} starts at ${session.start}: attendance is taken from an hour before`,
    );
  save.marks.forEach((mark, i) => {
    if (!onList.has(mark.studentNo))
      throw InvalidInput.at(
        ['marks', i, 'studentNo'],
        `${mark.studentNo} is not on the class list of ${session.clubName} ${session.className}`,
      );
  });
  const marks = { ...(prev?.marks ?? {}) };
  const changes: z.infer<typeof MarkChange>[] = [];
  const superseded: string[] = [];
  for (const mark of save.marks) {
    const at = mark.markedAt && Date.parse(mark.markedAt) < m.now.getTime() ? new Date(mark.markedAt).toISOString() : now;
    const held = marks[mark.studentNo];
    if (held?.status === mark.status) continue;
    if (held && held.at > at) {
      superseded.push(mark.studentNo);
      continue;
    }
    marks[mark.studentNo] = { status: mark.status, at, by: m.userId, byName: m.name };
    changes.push({ studentNo: mark.studentNo, from: held?.status ?? null, to: mark.status });
  }
  if (prev && changes.length === 0) return { sheet: prev, entry: null, superseded };
  const version = (prev?.version ?? 0) + 1;
  const sheet: AttendanceSheet = {
    schoolId: session.schoolId,
    date: session.date,
    termId: session.termId,
    sessionId: session.id,
    classId: session.classId,
    clubName: session.clubName,
    className: session.className,
    roomName: session.roomName,
    staffId: session.staffId,
    staffName: session.staffName,
    start: session.start,
    end: session.end,
    minutes: session.minutes,
    ...(prev ? { takenAt: prev.takenAt } : { takenAt: now }),
    marks,
    version,
    updatedAt: now,
    updatedBy: m.userId,
  };
  return { sheet, entry: { version, at: now, by: m.userId, byName: m.name, changes }, superseded };
}

// ---------------------------------------------------------------- the class list
export const GuardianContactView = z.object({ name: z.string(), relation: z.string(), phone: z.string() });

export const ClassListChild = z.object({
  studentNo: z.string(),
  name: z.string(),
  gradeLevel: z.number().int(),
  homeroom: z.string(),
  expected: z.boolean().meta({ description: 'false: opted out on the weekday that runs that date' }),
  note: z.string().nullable().meta({ description: 'why the child is not expected' }),
  mark: StoredMark.nullable(),
  guardians: z.array(GuardianContactView).nullable().meta({
    description: "guardians' names and phones: for the session's staff member and the school's admins only (else null)",
  }),
});
export type ClassListChild = z.infer<typeof ClassListChild>;

/**
 * The children of a dated session, by homeroom and number: the active students holding a
 * seat of its class, each expected unless their form in effect takes them out on `runsAs`.
 */
export function classList(
  students: readonly Pick<Student, 'id' | 'name' | 'gradeLevel' | 'homeroom' | 'status' | 'guardianIds'>[],
  runsAs: Weekday,
  forms: ReadonlyMap<string, Pick<OptOutForm, 'status' | 'optOut'>>,
  sheet: AttendanceSheet | null,
  guardians: ReadonlyMap<string, Pick<Guardian, 'name' | 'relation' | 'phone'>> | null,
): ClassListChild[] {
  return students
    .filter((s) => s.status === 'active')
    .map((s) => {
      const out = (daysOut(forms.get(s.id)) as ReadonlySet<string>).has(runsAs);
      return {
        studentNo: s.id,
        name: s.name,
        gradeLevel: s.gradeLevel,
        homeroom: s.homeroom,
        expected: !out,
        note: out ? `opted out on ${runsAs}` : null,
        mark: sheet?.marks[s.id] ?? null,
        guardians: guardians
          ? s.guardianIds.flatMap((id) => {
              const g = guardians.get(id);
              return g ? [{ name: g.name, relation: g.relation, phone: g.phone }] : [];
            })
          : null,
      };
    })
    .sort(
      (a, b) => a.gradeLevel - b.gradeLevel || a.homeroom.localeCompare(b.homeroom) || a.studentNo.localeCompare(b.studentNo),
    );
}

// ---------------------------------------------------------------- unaccounted for
export const UnaccountedChild = z.object({
  studentNo: z.string(),
  name: z.string(),
  gradeLevel: z.number().int(),
  homeroom: z.string(),
  date: IsoDate,
  sessionId: z.string(),
  clubName: z.string(),
  className: z.string(),
  roomName: z.string(),
  staffName: z.string(),
  startsAt: z.string().meta({ format: 'date-time', description: 'when the child was expected' }),
  reason: z.enum(['marked-absent', 'not-marked']),
  since: Instant.meta({ description: `marked absent: when; not marked: ${OVERDUE_MINUTES} minutes after the start` }),
  markedBy: z.string().nullable().meta({ description: 'who marked the child absent' }),
  guardians: z.array(GuardianContactView),
});
export type UnaccountedChild = z.infer<typeof UnaccountedChild>;

/** When a child not marked in a session becomes unaccounted for: OVERDUE_MINUTES after its start. */
const overdueAt = (session: Pick<DatedSessionView, 'startsAt'>) =>
  new Date(Date.parse(session.startsAt) + OVERDUE_MINUTES * 60_000);

/** Can anyone of a session be unaccounted for now: is it overdue, or is a child marked absent? */
export const mayHaveUnaccounted = (
  session: Pick<DatedSessionView, 'startsAt'>,
  sheet: Pick<AttendanceSheet, 'marks'> | null,
  now: Date,
) => now >= overdueAt(session) || Object.values(sheet?.marks ?? {}).some((m) => m.status === 'absent');

/**
 * The children on a session's list who may be unaccounted for, known from its sheet alone: marked
 * absent, or not marked once the session is overdue. Whether they were expected (active, not
 * opted out that weekday) is decided on their records, by `unaccountedIn`.
 */
export function mayBeUnaccounted(
  session: Pick<DatedSessionView, 'startsAt'>,
  enrolled: readonly string[],
  sheet: Pick<AttendanceSheet, 'marks'> | null,
  now: Date,
): string[] {
  const overdue = now >= overdueAt(session);
  return enrolled.filter((no) => {
    const mark = sheet?.marks[no];
    return mark ? mark.status === 'absent' : overdue;
  });
}

/** The expected children of a dated session who are marked absent, or not marked OVERDUE_MINUTES after its start. */
export function unaccountedIn(session: DatedSessionView, children: readonly ClassListChild[], now: Date): UnaccountedChild[] {
  const overdue = overdueAt(session);
  return children.flatMap((c): UnaccountedChild[] => {
    if (!c.expected) return [];
    const absent = c.mark?.status === 'absent';
    if (!absent && (c.mark || now < overdue)) return [];
    return [
      {
        studentNo: c.studentNo,
        name: c.name,
        gradeLevel: c.gradeLevel,
        homeroom: c.homeroom,
        date: session.date,
        sessionId: session.id,
        clubName: session.clubName,
        className: session.className,
        roomName: session.roomName,
        staffName: session.staffName,
        startsAt: session.startsAt,
        reason: absent ? 'marked-absent' : 'not-marked',
        since: absent ? c.mark!.at : overdue.toISOString(),
        markedBy: absent ? (c.mark!.byName ?? c.mark!.by) : null,
        guardians: c.guardians ?? [],
      },
    ];
  });
}

// ---------------------------------------------------------------- hours
export const StaffHours = z.object({
  staffId: z.string(),
  name: z.string(),
  kind: z.string(),
  sessions: z.number().int().meta({ description: 'dated sessions whose attendance was taken' }),
  minutes: z.number().int(),
  hours: z.number().meta({ description: 'minutes / 60, two decimals' }),
  amountFen: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'teachers: minutes × the rate, rounded to the fen; null otherwise' }),
});
export type StaffHours = z.infer<typeof StaffHours>;

export const HoursReport = z.object({
  schoolId: z.string(),
  month: Month,
  hourlyRateFen: HourlyRateFen.nullable().meta({ description: 'null: the school has not set its rate (no amounts)' }),
  staff: z.array(StaffHours),
  totals: z.object({ minutes: z.number().int(), amountFen: z.number().int() }),
});
export type HoursReport = z.infer<typeof HoursReport>;

/** Each staff member's minutes in the month from the sessions whose attendance was taken; teachers' pay at the rate. */
export function hoursReport(
  schoolId: string,
  month: string,
  sheets: readonly Pick<AttendanceSheet, 'date' | 'staffId' | 'staffName' | 'minutes'>[],
  staff: readonly Pick<Staff, 'id' | 'name' | 'kind'>[],
  rateFen: number | null,
): HoursReport {
  const byId = new Map(staff.map((s) => [s.id, s]));
  const rows = new Map<string, StaffHours>();
  for (const sh of sheets) {
    if (!sh.date.startsWith(`${month}-`)) continue;
    const s = byId.get(sh.staffId);
    const row = rows.get(sh.staffId) ?? {
      staffId: sh.staffId,
      name: s?.name ?? sh.staffName,
      kind: s?.kind ?? 'unknown',
      sessions: 0,
      minutes: 0,
      hours: 0,
      amountFen: null,
    };
    row.sessions++;
    row.minutes += sh.minutes;
    rows.set(sh.staffId, row);
  }
  const out = [...rows.values()].map((r) => withPay(r, rateFen));
  out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'zh') || a.staffId.localeCompare(b.staffId));
  return {
    schoolId,
    month,
    hourlyRateFen: rateFen,
    staff: out,
    totals: { minutes: out.reduce((n, r) => n + r.minutes, 0), amountFen: out.reduce((n, r) => n + (r.amountFen ?? 0), 0) },
  };
}

/** Minutes as hours, two decimals. */
const hoursOf = (minutes: number) => Math.round((minutes * 100) / 60) / 100;

/** A row's hours from its minutes, and a teacher's pay at the rate (rounded to the fen). */
const withPay = (r: StaffHours, rateFen: number | null): StaffHours => ({
  ...r,
  hours: hoursOf(r.minutes),
  amountFen: r.kind === 'teacher' && rateFen !== null ? Math.round((r.minutes * rateFen) / 60) : null,
});

// ---------------------------------------------------------------- a staff member's own hours
/** A dated session counted in a staff member's hours, as its sheet keeps it. */
export const HoursSession = SheetSession.pick({
  sessionId: true,
  clubName: true,
  className: true,
  roomName: true,
  start: true,
  end: true,
  minutes: true,
}).extend({ date: IsoDate });

export const StaffMemberHours = StaffHours.extend({
  schoolId: z.string(),
  month: Month,
  hourlyRateFen: HourlyRateFen.nullable().meta({
    description: "a teacher's: the school's rate (null: not set); null for volunteers and external instructors",
  }),
  items: z.array(HoursSession).meta({ description: 'the dated sessions whose attendance was taken, by date and time' }),
});
export type StaffMemberHours = z.infer<typeof StaffMemberHours>;

/** One staff member's month: the sessions whose attendance was taken, their minutes and (a teacher) pay at the rate. */
export function staffMemberHours(
  schoolId: string,
  month: string,
  staff: Pick<Staff, 'id' | 'name' | 'kind'>,
  sheets: readonly Pick<AttendanceSheet, keyof z.infer<typeof HoursSession> | 'staffId'>[],
  rateFen: number | null,
): StaffMemberHours {
  const items = sheets
    .filter((sh) => sh.staffId === staff.id && sh.date.startsWith(`${month}-`))
    .map(({ date, sessionId, clubName, className, roomName, start, end, minutes }) => ({
      date,
      sessionId,
      clubName,
      className,
      roomName,
      start,
      end,
      minutes,
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.start.localeCompare(b.start) || a.sessionId.localeCompare(b.sessionId));
  const row = { staffId: staff.id, name: staff.name, kind: staff.kind, sessions: items.length, hours: 0, amountFen: null };
  return {
    ...withPay({ ...row, minutes: items.reduce((n, s) => n + s.minutes, 0) }, rateFen),
    schoolId,
    month,
    hourlyRateFen: staff.kind === 'teacher' ? rateFen : null,
    items,
  };
}

/** A staff member's statement of the month as CSV (opens in Excel): each session, then the total (a teacher's with the pay). */
export function staffMemberCsv(h: StaffMemberHours): string {
  const teacher = h.kind === 'teacher';
  const who = teacher ? '教师 teacher' : h.kind === 'volunteer' ? '志愿者 volunteer' : '姓名 name';
  return toCsv(
    [
      '月份 month',
      who,
      '日期 date',
      '课程 session',
      '时间 time',
      '分钟 minutes',
      '小时 hours',
      ...(teacher ? ['金额 amount (元)'] : []),
    ],
    [
      ...h.items.map((s) => [
        h.month,
        h.name,
        s.date,
        `${s.clubName} ${s.className}`,
        `${s.start}-${s.end}`,
        s.minutes,
        hoursOf(s.minutes).toFixed(2),
        ...(teacher ? [''] : []),
      ]),
      [
        h.month,
        h.name,
        '合计 total',
        `${h.sessions} 课次 sessions`,
        '',
        h.minutes,
        h.hours.toFixed(2),
        ...(teacher ? [h.amountFen === null ? '' : yuan(h.amountFen)] : []),
      ],
    ],
  );
}

export const Statement = z.enum(['remuneration', 'volunteer']).meta({
  description: "remuneration: teachers' after-school hours and pay at the school's rate; volunteer: volunteers' hours",
});
export type Statement = z.infer<typeof Statement>;

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** A statement of the report as CSV (opens in Excel): teachers' remuneration, or volunteers' hours. */
export function hoursCsv(r: HoursReport, statement: Statement): string {
  if (statement === 'volunteer')
    return toCsv(
      ['月份 month', '志愿者 volunteer', '课次 sessions', '分钟 minutes', '小时 hours'],
      r.staff.filter((s) => s.kind === 'volunteer').map((s) => [r.month, s.name, s.sessions, s.minutes, s.hours.toFixed(2)]),
    );
  const rate = r.hourlyRateFen === null ? '' : yuan(r.hourlyRateFen);
  return toCsv(
    [
      '月份 month',
      '教师 teacher',
      '课次 sessions',
      '分钟 minutes',
      '小时 hours',
      '课时费标准 rate (元/小时)',
      '金额 amount (元)',
    ],
    r.staff
      .filter((s) => s.kind === 'teacher')
      .map((s) => [
        r.month,
        s.name,
        s.sessions,
        s.minutes,
        s.hours.toFixed(2),
        rate,
        s.amountFen === null ? '' : yuan(s.amountFen),
      ]),
  );
}

/** The months (yyyy-MM) a range of dates touches, in order. */
export function monthsOf(range: { start: string; end: string }): string[] {
  const out: string[] = [];
  for (let m = range.start.slice(0, 7); m <= range.end.slice(0, 7);) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

/** How many children of a class list are enrolled, expected, marked each way, and expected but not marked. */
export function classCounts(children: readonly ClassListChild[]) {
  const counts = { enrolled: children.length, expected: 0, unmarked: 0, present: 0, absent: 0, late: 0, excused: 0 };
  for (const c of children) {
    if (c.expected) counts.expected++;
    if (c.mark) counts[c.mark.status]++;
    else if (c.expected) counts.unmarked++;
  }
  return counts;
}

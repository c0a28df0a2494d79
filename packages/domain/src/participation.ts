/**
 * What the forms mean for each day and for the term: participation (the figure schools and
 * bureaus are judged by), the daily dismissal list at the gate, a child's week, and who has
 * not opened or answered the notice. Pure.
 *
 * Participation, per homeroom, grade, school and district:
 * - students: on a weekday, the students of the grades that have service that day (a
 *   dismissal time) are enrolled; a student opted out that day leaves at dismissal, or after
 *   homework help when the form says so (`homeworkOnly`: they take part, in homework help);
 *   everyone else stays. For the term, a student takes part if they stay on at least one day
 *   of their grade's week (homework help counts); `homeworkOnly` are those who take part in
 *   homework help alone. Only active students count; only forms in effect (opted out) count.
 * - teachers: every active staff member of kind teacher is one of "all teachers"; one takes
 *   part on a weekday if the term's published timetable gives them a session that day, and in
 *   the term if it gives them any (volunteers and external staff are not counted).
 * Percentages have two decimals ("99.32"), null when there is nobody to count.
 */
import * as z from 'zod';
import { timetableDayOn, toCsv, type TermDates } from './calendar';
import { daysOut, type OptOutForm } from './optout';
import type { Staff, Student } from './people';
import type { Grade, School, Term } from './school';
import { hhmm, IsoDate, minutesOf, SCHOOL_DAYS, SchoolDay, Time, Weekday, weekdayOf, type Weekday as Day } from './time';

export const percentOf = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part * 10_000) / whole) / 100;

const Percent = z.number().nullable().meta({ description: 'two decimals, e.g. 99.32; null when there is nobody to count' });

export const StudentCount = z.object({
  enrolled: z.number().int(),
  staying: z.number().int().meta({ description: 'take part (homework help included)' }),
  homeworkOnly: z.number().int().meta({ description: 'of those staying, leave when homework help ends' }),
  leaving: z.number().int().meta({ description: 'leave at the regular dismissal time' }),
  percent: Percent.meta({ description: 'staying / enrolled, two decimals' }),
});
export type StudentCount = z.infer<typeof StudentCount>;
/** One of each school day (a record's keys, spelt out so that the document lists them). */
const eachDay = <T extends z.ZodType>(x: T) => z.object({ MON: x, TUE: x, WED: x, THU: x, FRI: x });
export const Figures = z.object({ term: StudentCount, days: eachDay(StudentCount) });
export type Figures = z.infer<typeof Figures>;
export const TeacherCount = z.object({ taking: z.number().int(), all: z.number().int(), percent: Percent });
export type TeacherCount = z.infer<typeof TeacherCount>;
export const TeacherFigures = z.object({ term: TeacherCount, days: eachDay(TeacherCount) });
export type TeacherFigures = z.infer<typeof TeacherFigures>;

export const Participation = z.object({
  students: Figures,
  teachers: TeacherFigures,
  grades: z.array(Figures.extend({ grade: z.number().int(), name: z.string() })),
  homerooms: z.array(Figures.extend({ grade: z.number().int(), homeroom: z.string() })),
});
export type Participation = z.infer<typeof Participation>;

interface Tally {
  enrolled: number;
  staying: number;
  homeworkOnly: number;
}
const tally = (): Tally => ({ enrolled: 0, staying: 0, homeworkOnly: 0 });
const countOf = (t: Tally): StudentCount => ({
  enrolled: t.enrolled,
  staying: t.staying,
  homeworkOnly: t.homeworkOnly,
  leaving: t.enrolled - t.staying,
  percent: percentOf(t.staying, t.enrolled),
});
const perDay = <T>(make: (day: SchoolDay) => T) =>
  Object.fromEntries(SCHOOL_DAYS.map((d) => [d, make(d)])) as Record<SchoolDay, T>;
const mapDays = <A, B>(days: Record<SchoolDay, A>, f: (a: A) => B) => perDay((d) => f(days[d]));

class FiguresTally {
  readonly term = tally();
  readonly days = perDay(() => tally());
  figures(): Figures {
    return { term: countOf(this.term), days: mapDays(this.days, countOf) };
  }
}

/** How one student takes part on each day of their grade's week, and in the term. */
function studentWeek(serviceDays: readonly SchoolDay[], form: Pick<OptOutForm, 'status' | 'optOut'> | undefined) {
  const out = daysOut(form);
  const homework = form?.optOut?.homeworkHelp ?? false;
  const days = serviceDays.map((d) => ({ day: d, leaves: out.has(d) ? (homework ? 'after-homework' : 'dismissal') : 'end' }));
  const stays = days.some((d) => d.leaves !== 'dismissal');
  const homeworkOnly = stays && days.every((d) => d.leaves === 'after-homework');
  return { days, stays, homeworkOnly };
}

const byHomeroom = (a: string, b: string) => a.localeCompare(b, 'zh', { numeric: true });

export interface ParticipationData {
  grades: readonly Pick<Grade, 'level' | 'name' | 'dismissal'>[];
  students: readonly Pick<Student, 'id' | 'gradeLevel' | 'homeroom' | 'status'>[];
  forms: readonly Pick<OptOutForm, 'studentNo' | 'status' | 'optOut'>[];
  staff: readonly Pick<Staff, 'id' | 'kind' | 'status'>[];
  /** the sessions of the term's published timetable: who, which weekday */
  sessions: readonly { staffId: string; day: Day }[];
}

/** A school's participation in a term, per homeroom, grade and school, per weekday and for the term. */
export function participation(d: ParticipationData): Participation {
  const grades = new Map(d.grades.map((g) => [g.level, g]));
  const forms = new Map(d.forms.map((f) => [f.studentNo, f]));
  const school = new FiguresTally();
  const ofGrade = new Map<number, FiguresTally>();
  const ofHomeroom = new Map<string, { grade: number; homeroom: string; t: FiguresTally }>();
  for (const s of d.students) {
    const grade = grades.get(s.gradeLevel);
    if (s.status !== 'active' || !grade) continue;
    const serviceDays = SCHOOL_DAYS.filter((day) => grade.dismissal[day] !== undefined);
    if (serviceDays.length === 0) continue;
    const week = studentWeek(serviceDays, forms.get(s.id));
    const g = ofGrade.get(s.gradeLevel) ?? ofGrade.set(s.gradeLevel, new FiguresTally()).get(s.gradeLevel)!;
    const key = `${s.gradeLevel}\u0000${s.homeroom}`;
    const h =
      ofHomeroom.get(key) ?? ofHomeroom.set(key, { grade: s.gradeLevel, homeroom: s.homeroom, t: new FiguresTally() }).get(key)!;
    for (const t of [school, g, h.t]) {
      t.term.enrolled++;
      if (week.stays) t.term.staying++;
      if (week.homeworkOnly) t.term.homeworkOnly++;
      for (const { day, leaves } of week.days) {
        const c = t.days[day];
        c.enrolled++;
        if (leaves !== 'dismissal') c.staying++;
        if (leaves === 'after-homework') c.homeworkOnly++;
      }
    }
  }
  return {
    students: school.figures(),
    teachers: teacherFigures(d.staff, d.sessions),
    grades: [...ofGrade.entries()]
      .sort(([a], [b]) => a - b)
      .map(([level, t]) => ({ grade: level, name: grades.get(level)!.name, ...t.figures() })),
    homerooms: [...ofHomeroom.values()]
      .sort((a, b) => a.grade - b.grade || byHomeroom(a.homeroom, b.homeroom))
      .map((h) => ({ grade: h.grade, homeroom: h.homeroom, ...h.t.figures() })),
  };
}

function teacherFigures(staff: ParticipationData['staff'], sessions: ParticipationData['sessions']): TeacherFigures {
  const teachers = new Set(staff.filter((s) => s.kind === 'teacher' && s.status === 'active').map((s) => s.id));
  const term = new Set<string>();
  const days = perDay(() => new Set<string>());
  for (const s of sessions) {
    if (!teachers.has(s.staffId)) continue;
    term.add(s.staffId);
    if ((SCHOOL_DAYS as readonly string[]).includes(s.day)) days[s.day as SchoolDay].add(s.staffId);
  }
  const count = (taking: Set<string>): TeacherCount => ({
    taking: taking.size,
    all: teachers.size,
    percent: percentOf(taking.size, teachers.size),
  });
  return { term: count(term), days: mapDays(days, count) };
}

/** The sum of schools' figures (a district's), percentages of the sums. */
export function sumFigures(all: readonly { students: Figures; teachers: TeacherFigures }[]) {
  const addStudents = (xs: StudentCount[]): StudentCount => {
    const t = tally();
    for (const x of xs) {
      t.enrolled += x.enrolled;
      t.staying += x.staying;
      t.homeworkOnly += x.homeworkOnly;
    }
    return countOf(t);
  };
  const addTeachers = (xs: TeacherCount[]): TeacherCount => {
    const taking = xs.reduce((n, x) => n + x.taking, 0);
    const of = xs.reduce((n, x) => n + x.all, 0);
    return { taking, all: of, percent: percentOf(taking, of) };
  };
  return {
    students: {
      term: addStudents(all.map((p) => p.students.term)),
      days: perDay((d) => addStudents(all.map((p) => p.students.days[d]))),
    },
    teachers: {
      term: addTeachers(all.map((p) => p.teachers.term)),
      days: perDay((d) => addTeachers(all.map((p) => p.teachers.days[d]))),
    },
  };
}

// ---------------------------------------------------------------- a day of service
export const Leaves = z.enum(['dismissal', 'after-homework', 'after-club', 'end-of-service']).meta({
  description:
    'dismissal: at the regular dismissal time; after-homework: when homework help ends; after-club: when the child’s ' +
    'last club of the day ends; end-of-service: when the service ends',
});
export type Leaves = z.infer<typeof Leaves>;

export const ServiceDay = z.object({
  date: IsoDate,
  weekday: Weekday,
  runsAs: SchoolDay.nullable().meta({
    description: 'the weekday whose timetable runs (a make-up day runs another’s); null: no school',
  }),
  service: z.boolean().meta({ description: 'whether the grade has after-school service that date' }),
  note: z.string().nullable().meta({ description: 'why not, or what kind of day: a holiday’s name, a make-up day' }),
  dismissal: Time.nullable().meta({ description: 'the regular dismissal time' }),
  homeworkEnd: Time.nullable().meta({ description: 'when homework help ends' }),
  serviceEnd: Time.nullable().meta({ description: 'when the service ends' }),
});
export type ServiceDay = z.infer<typeof ServiceDay>;

/** What a date is for a grade: a day of service (with its times) or not, and why. */
export function serviceDay(
  date: string,
  term: (TermDates & Pick<Term, 'name'>) | null,
  grade: Pick<Grade, 'name' | 'dismissal' | 'homeworkMinutes'>,
  school: Pick<School, 'dayEnd'>,
): ServiceDay {
  const weekday = weekdayOf(date);
  const none = (note: string): ServiceDay => ({
    date,
    weekday,
    runsAs: null,
    service: false,
    note,
    dismissal: null,
    homeworkEnd: null,
    serviceEnd: null,
  });
  if (!term) return none('no term of the school covers this date');
  const holiday = term.holidays.find((h) => h.start <= date && date <= h.end);
  if (holiday) return none(`holiday: ${holiday.name}`);
  const runsAs = timetableDayOn(term, date) as SchoolDay | null;
  if (!runsAs) return none(date < term.startDate || date > term.endDate ? `outside the term ${term.name}` : 'weekend');
  const makeUp = term.makeUpDays.find((m) => m.date === date) as { name?: string } | undefined;
  const note = makeUp ? `make-up day: runs as ${runsAs}${makeUp.name ? ` (${makeUp.name})` : ''}` : null;
  const dismissal = grade.dismissal[runsAs];
  if (dismissal === undefined) return { ...none(`${grade.name} has no after-school service on ${runsAs}`), runsAs };
  return {
    date,
    weekday,
    runsAs,
    service: true,
    note,
    dismissal,
    homeworkEnd: hhmm((minutesOf(dismissal) ?? 0) + grade.homeworkMinutes),
    serviceEnd: school.dayEnd,
  };
}

/** A club session a child attends on a day (a class they hold, as the published timetable has it). */
export const ClubOfDay = z.object({
  classId: z.string(),
  what: z.string().meta({ description: 'the club and class, e.g. 机器人 基础班' }),
  start: Time,
  end: Time,
  roomName: z.string(),
});
export type ClubOfDay = z.infer<typeof ClubOfDay>;

/** The clubs of a weekday among published sessions, of the classes a child holds, by start. */
export function clubsOfDay(
  sessions: ReadonlyArray<{
    classId: string;
    day: string;
    start: string;
    end: string;
    clubName: string;
    className: string;
    roomName: string;
  }>,
  held: ReadonlySet<string>,
  day: string,
): ClubOfDay[] {
  return sessions
    .filter((x) => x.day === day && held.has(x.classId))
    .map((x) => ({ classId: x.classId, what: `${x.clubName} ${x.className}`, start: x.start, end: x.end, roomName: x.roomName }))
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** When a child leaves on a day of service, by their form (and, staying, when their last club of the day ends). */
export function leavesOn(
  day: ServiceDay,
  form: Pick<OptOutForm, 'status' | 'optOut'> | undefined,
  clubs: readonly Pick<ClubOfDay, 'end'>[] = [],
): { leaves: Leaves; at: string } | null {
  if (!day.service || !day.runsAs) return null;
  if (!daysOut(form).has(day.runsAs)) {
    const last = clubs.reduce<string | null>((m, c) => (m === null || c.end > m ? c.end : m), null);
    return last ? { leaves: 'after-club', at: last } : { leaves: 'end-of-service', at: day.serviceEnd! };
  }
  return form?.optOut?.homeworkHelp
    ? { leaves: 'after-homework', at: day.homeworkEnd! }
    : { leaves: 'dismissal', at: day.dismissal! };
}

/** The term of the school that a date falls in, if any. */
export const termOn = <T extends Pick<Term, 'startDate' | 'endDate'>>(terms: readonly T[], date: string): T | null =>
  [...terms].sort((a, b) => a.startDate.localeCompare(b.startDate)).find((t) => t.startDate <= date && date <= t.endDate) ?? null;

// ---------------------------------------------------------------- the dismissal list
const Child = z.object({ studentNo: z.string(), name: z.string() });
export const DismissalList = ServiceDay.extend({
  schoolId: z.string(),
  termId: z.string().nullable(),
  grade: z.number().int(),
  gradeName: z.string(),
  homeroom: z.string(),
  atDismissal: z.array(Child).meta({ description: 'leave at the regular dismissal time' }),
  afterHomework: z.array(Child).meta({ description: 'leave when homework help ends' }),
  afterClub: z
    .array(Child.extend({ club: z.string(), at: Time }))
    .meta({ description: 'leave when their last club of the day ends (the club and when)' }),
  toEnd: z.array(Child).meta({ description: 'stay until the service ends' }),
});
export type DismissalList = z.infer<typeof DismissalList>;

/** Who leaves when, from a homeroom, on a date: every active student of it on exactly one list (none on a day without service). */
export function dismissalList(
  where: { schoolId: string; termId: string | null; grade: Pick<Grade, 'level' | 'name'>; homeroom: string },
  day: ServiceDay,
  students: readonly Pick<Student, 'id' | 'name' | 'status'>[],
  forms: ReadonlyMap<string, Pick<OptOutForm, 'status' | 'optOut'>>,
  clubsOf: (studentNo: string) => readonly ClubOfDay[] = () => [],
): DismissalList {
  const lists: Record<Exclude<Leaves, 'after-club'>, Array<{ studentNo: string; name: string }>> = {
    dismissal: [],
    'after-homework': [],
    'end-of-service': [],
  };
  const afterClub: DismissalList['afterClub'] = [];
  if (day.service)
    for (const s of [...students].sort((a, b) => a.id.localeCompare(b.id))) {
      if (s.status !== 'active') continue;
      const clubs = clubsOf(s.id);
      const l = leavesOn(day, forms.get(s.id), clubs)!;
      if (l.leaves === 'after-club')
        afterClub.push({ studentNo: s.id, name: s.name, club: clubs.find((c) => c.end === l.at)!.what, at: l.at });
      else lists[l.leaves].push({ studentNo: s.id, name: s.name });
    }
  return {
    ...day,
    schoolId: where.schoolId,
    termId: where.termId,
    grade: where.grade.level,
    gradeName: where.grade.name,
    homeroom: where.homeroom,
    atDismissal: lists.dismissal,
    afterHomework: lists['after-homework'],
    afterClub,
    toEnd: lists['end-of-service'],
  };
}

const LEAVES_ZH: Record<Leaves, string> = {
  dismissal: '放学离校 at dismissal',
  'after-homework': '作业辅导后离校 after homework help',
  'after-club': '社团结束后离校 after their club',
  'end-of-service': '课后服务结束 end of service',
};

/** The list as CSV for the gate (opens in Excel): one child a line, by when they leave. */
export function dismissalCsv(l: DismissalList): string {
  const rows: Array<[string, string, Leaves, string]> = [
    ...l.atDismissal.map((c) => [c.studentNo, c.name, 'dismissal' as const, l.dismissal!] as [string, string, Leaves, string]),
    ...l.afterHomework.map(
      (c) => [c.studentNo, c.name, 'after-homework' as const, l.homeworkEnd!] as [string, string, Leaves, string],
    ),
    ...l.afterClub.map((c) => [c.studentNo, c.name, 'after-club' as const, c.at] as [string, string, Leaves, string]),
    ...l.toEnd.map((c) => [c.studentNo, c.name, 'end-of-service' as const, l.serviceEnd!] as [string, string, Leaves, string]),
  ];
  return toCsv(
    ['日期 date', '年级 grade', '班级 homeroom', '学号 student number', '姓名 name', '离校 leaves', '时间 time'],
    rows.map(([no, name, leaves, at]) => [l.date, l.gradeName, l.homeroom, no, name, LEAVES_ZH[leaves], at]),
  );
}

// ---------------------------------------------------------------- a child's week
export const ChildDay = ServiceDay.extend({
  termId: z.string().nullable(),
  optedOut: z.boolean().meta({ description: 'the child’s form takes them out of (part of) the service this day' }),
  clubs: z.array(ClubOfDay).meta({ description: 'the clubs the child is enrolled in that day, by start' }),
  leaves: Leaves.nullable(),
  leavesAt: Time.nullable(),
});
export type ChildDay = z.infer<typeof ChildDay>;

/** The Monday of the week of a date, and the seven dates from it. */
export function weekOf(date: string): string[] {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => {
    const x = new Date(d);
    x.setUTCDate(d.getUTCDate() + i);
    return x.toISOString().slice(0, 10);
  });
}

/** A child's week, Monday to Sunday: each day's times, and when the child leaves by their form of that term. */
export function childWeek(
  dates: readonly string[],
  terms: readonly (TermDates & Pick<Term, 'id' | 'name'>)[],
  grade: Pick<Grade, 'name' | 'dismissal' | 'homeworkMinutes'> | null,
  school: Pick<School, 'dayEnd'>,
  formOfTerm: (termId: string) => Pick<OptOutForm, 'status' | 'optOut'> | undefined,
  clubsOn: (termId: string, day: SchoolDay) => readonly ClubOfDay[] = () => [],
): ChildDay[] {
  return dates.map((date) => {
    const term = termOn(terms, date);
    const day = serviceDay(date, term, grade ?? { name: 'the grade', dismissal: {}, homeworkMinutes: 0 }, school);
    const form = term ? formOfTerm(term.id) : undefined;
    const clubs = term && day.service && day.runsAs ? clubsOn(term.id, day.runsAs) : [];
    const leaves = leavesOn(day, form, clubs);
    return {
      ...day,
      termId: term?.id ?? null,
      optedOut: leaves !== null && (leaves.leaves === 'dismissal' || leaves.leaves === 'after-homework'),
      clubs: [...clubs],
      leaves: leaves?.leaves ?? null,
      leavesAt: leaves?.at ?? null,
    };
  });
}

// ---------------------------------------------------------------- who has not opened or answered the notice
export const HomeroomProgress = z.object({
  grade: z.number().int(),
  homeroom: z.string(),
  students: z.number().int(),
  opened: z.number().int().meta({ description: 'a guardian has read the notice' }),
  answered: z.number().int().meta({ description: 'a guardian has submitted a form (whatever became of it)' }),
  notOpened: z.array(Child),
  notAnswered: z.array(Child),
});
export type HomeroomProgress = z.infer<typeof HomeroomProgress>;

/** Per homeroom: how many students' guardians have opened and answered the notice, and who has not. */
export function noticeProgress(
  students: readonly Pick<Student, 'id' | 'name' | 'gradeLevel' | 'homeroom' | 'status'>[],
  opened: ReadonlySet<string>,
  answered: ReadonlySet<string>,
): HomeroomProgress[] {
  const rooms = new Map<string, HomeroomProgress>();
  for (const s of [...students].sort((a, b) => a.id.localeCompare(b.id))) {
    if (s.status !== 'active') continue;
    const key = `${s.gradeLevel}\u0000${s.homeroom}`;
    const r =
      rooms.get(key) ??
      rooms
        .set(key, {
          grade: s.gradeLevel,
          homeroom: s.homeroom,
          students: 0,
          opened: 0,
          answered: 0,
          notOpened: [],
          notAnswered: [],
        })
        .get(key)!;
    r.students++;
    const child = { studentNo: s.id, name: s.name };
    if (opened.has(s.id)) r.opened++;
    else r.notOpened.push(child);
    if (answered.has(s.id)) r.answered++;
    else r.notAnswered.push(child);
  }
  return [...rooms.values()].sort((a, b) => a.grade - b.grade || byHomeroom(a.homeroom, b.homeroom));
}

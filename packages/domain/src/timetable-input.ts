/**
 * The solver's input, built from what the school stored: grades with their earliest club
 * start (dismissal + homework help), active rooms, staff who may be scheduled this term,
 * and every class of the term's active clubs. Pure. Staff who may not be scheduled are
 * left out with a warning the admin sees.
 */
import type { Instance, Session } from '@kehou/scheduler';
import type { Club, ClubClass } from './clubs';
import type { Staff } from './people';
import { earliestClubStart, gradeId, MIN_SERVICE_MINUTES, shortServiceDays, type Term } from './school';
import { SCHOOL_DAYS } from './time';
import type { TimetableData, TimetableSession } from './timetable';

export const GRANULARITY_MINUTES = 5;

export interface BuiltInstance {
  instance: Instance;
  warnings: string[];
  /** class id → its club and class */
  classes: Map<string, { club: Club; cls: ClubClass }>;
  /** staff left out this term, with why */
  unavailable: Map<string, string>;
  /** class id → preferred staff id (a soft wish) */
  preferred: Map<string, string>;
}

/** Why a staff member cannot be scheduled this term, or null. */
export function whyNotSchedulable(s: Staff, term: Pick<Term, 'startDate' | 'endDate'>): string | null {
  if (s.status !== 'active') return 'archived';
  if (s.kind !== 'teacher') {
    if (s.backgroundCheckExpiresOn === null) return 'no background check on record';
    if (s.backgroundCheckExpiresOn < term.startDate) return `background check expired on ${s.backgroundCheckExpiresOn}`;
  }
  if (s.qualificationExpiresOn !== null && s.qualificationExpiresOn < term.startDate)
    return `qualification expired on ${s.qualificationExpiresOn}`;
  return null;
}

export function buildInstance(d: TimetableData): BuiltInstance {
  const warnings: string[] = [];
  const unavailable = new Map<string, string>();
  const staff: Instance['staff'] = [];
  for (const s of d.staff) {
    const why = whyNotSchedulable(s, d.term);
    if (why) {
      unavailable.set(s.id, why);
      if (s.status === 'active') warnings.push(`${s.name} (${s.id}) is not scheduled: ${why}`);
      continue;
    }
    if (s.kind !== 'teacher' && s.backgroundCheckExpiresOn !== null && s.backgroundCheckExpiresOn < d.term.endDate) {
      warnings.push(`${s.name} (${s.id}): background check expires on ${s.backgroundCheckExpiresOn}, before the term ends`);
    }
    if (s.kind === 'teacher' && s.noPaidTutoringCommitmentOn === null)
      warnings.push(`${s.name} (${s.id}) has not signed the no-paid-tutoring commitment`);
    staff.push({
      id: s.id,
      kind: s.kind,
      skills: [...s.skills],
      available: Object.fromEntries(
        Object.entries(s.availability).map(([day, ws]) => [day, ws.map((w) => [w.start, w.end] as [string, string])]),
      ),
      maxMinutesPerWeek: s.maxMinutesPerWeek,
    });
  }
  for (const g of d.grades) {
    const short = shortServiceDays(g, d.school.dayEnd);
    if (short.length)
      warnings.push(
        `${g.name}: the service lasts ${short.map((x) => `${x.minutes} min on ${x.day}`).join(', ')}, ` +
          `under the ${MIN_SERVICE_MINUTES / 60} hours a day of "5+2"`,
      );
  }
  const classes = new Map<string, { club: Club; cls: ClubClass }>();
  const preferred = new Map<string, string>();
  const instanceClasses: Instance['classes'] = [];
  for (const club of d.clubs) {
    if (club.status !== 'active' || club.termId !== d.term.id) continue;
    for (const cls of club.classes) {
      classes.set(cls.id, { club, cls });
      if (cls.preferredStaffId && !unavailable.has(cls.preferredStaffId)) preferred.set(cls.id, cls.preferredStaffId);
      instanceClasses.push({
        id: cls.id,
        club: club.id,
        tier: cls.tier,
        grades: cls.grades.map(gradeId),
        size: cls.capacity,
        skill: club.skill,
        roomFeatures: [...club.roomFeatures],
        sessions: cls.sessionsPerWeek,
        minutes: cls.minutesPerSession,
        ...(cls.fixedStaffId ? { staff: cls.fixedStaffId } : {}),
      });
    }
  }
  const instance: Instance = {
    name: `${d.school.name} ${d.term.name}`,
    timezone: d.school.timezone,
    days: [...SCHOOL_DAYS],
    dayEnd: d.school.dayEnd,
    granularity: GRANULARITY_MINUTES,
    grades: d.grades.map((g) => ({ id: gradeId(g.level), earliestStart: earliestClubStart(g) })),
    rooms: d.rooms
      .filter((r) => r.status === 'active')
      .map((r) => ({ id: r.id, capacity: r.capacity, features: [...r.features] })),
    staff,
    classes: instanceClasses,
  };
  // a child holding two or more of the classes scheduled: they must never overlap
  const students = (d.enrolments ?? [])
    .map((e) => ({ id: e.studentNo, classes: e.classIds.filter((c) => classes.has(c)) }))
    .filter((s) => s.classes.length > 1);
  if (students.length) instance.students = students;
  return { instance, warnings, classes, unavailable, preferred };
}

/** Stored sessions in the solver's format (and back, with the club and lock flags). */
export function toSolverSessions(sessions: readonly TimetableSession[]): Session[] {
  return sessions.map((s) => ({ class: s.classId, day: s.day, start: s.start, end: s.end, room: s.roomId, staff: s.staffId }));
}

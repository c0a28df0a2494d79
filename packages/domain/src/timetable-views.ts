/**
 * What people read of a timetable: sessions with names (club, class, room, staff), filtered
 * to a view (a class, a club, a staff member, a room, a grade, a day), over dates, as CSV,
 * as a staff member's calendar. Pure.
 */
import * as z from 'zod';
import { expandOverTerm, icalendar, toCsv } from './calendar';
import type { Club } from './clubs';
import { Id } from './common';
import type { Staff } from './people';
import type { Room, School, Term } from './school';
import { IsoDate, minutesOf, Weekday, WEEKDAY_ZH } from './time';
import { sortSessions, TimetableSession } from './timetable';

export const SessionView = TimetableSession.extend({
  clubName: z.string(),
  clubNameEn: z.string(),
  className: z.string(),
  tier: z.string(),
  grades: z.array(z.number().int()),
  minutes: z.number().int(),
  roomName: z.string(),
  staffName: z.string(),
});
export type SessionView = z.infer<typeof SessionView>;

const ZonedInstant = z.string().meta({ format: 'date-time', description: "ISO-8601 with the offset of the school's zone" });
export const DatedSessionView = SessionView.extend({
  date: IsoDate,
  startsAt: ZonedInstant,
  endsAt: ZonedInstant,
  schoolId: z.string(),
  termId: z.string(),
});
export type DatedSessionView = z.infer<typeof DatedSessionView>;

export const ViewFilter = z.object({
  classId: Id.optional(),
  clubId: Id.optional(),
  staffId: Id.optional(),
  roomId: Id.optional(),
  grade: z.coerce.number().int().min(1).max(12).optional(),
  day: Weekday.optional(),
});
export type ViewFilter = z.infer<typeof ViewFilter>;

export interface NamesData {
  clubs: readonly Club[];
  rooms: readonly Room[];
  staff: readonly Staff[];
}

/** Whether a view shows a session. */
export function inView(v: SessionView, filter: ViewFilter): boolean {
  return (
    (!filter.classId || v.classId === filter.classId) &&
    (!filter.clubId || v.clubId === filter.clubId) &&
    (!filter.staffId || v.staffId === filter.staffId) &&
    (!filter.roomId || v.roomId === filter.roomId) &&
    (!filter.day || v.day === filter.day) &&
    (filter.grade === undefined || v.grades.includes(filter.grade))
  );
}

/** Sessions with the names people read, in reading order, filtered to a view. */
export function viewSessions(data: NamesData, sessions: readonly TimetableSession[], filter: ViewFilter = {}): SessionView[] {
  const cls = new Map(data.clubs.flatMap((club) => club.classes.map((k) => [k.id, { club, k }] as const)));
  const rooms = new Map(data.rooms.map((r) => [r.id, r]));
  const staff = new Map(data.staff.map((s) => [s.id, s]));
  const out: SessionView[] = [];
  for (const s of sortSessions(sessions)) {
    const c = cls.get(s.classId);
    const v: SessionView = {
      ...s,
      clubName: c?.club.name ?? '(deleted club)',
      clubNameEn: c?.club.nameEn ?? '(deleted club)',
      className: c?.k.name ?? '(deleted class)',
      tier: c?.k.tier ?? '',
      grades: c ? [...c.k.grades] : [],
      minutes: (minutesOf(s.end) ?? 0) - (minutesOf(s.start) ?? 0),
      roomName: rooms.get(s.roomId)?.name ?? s.roomId,
      staffName: staff.get(s.staffId)?.name ?? s.staffId,
    };
    if (inView(v, filter)) out.push(v);
  }
  return out;
}

/** A session of a published timetable as its read models keep it: its view (names as published) and its term. */
export type PublishedSession = SessionView & { termId: string };

/**
 * A staff member's published sessions on each date from `from` to `to`, across the school's
 * terms: each term's own calendar (holidays, make-up days) dates the sessions published for
 * it; sessions of a term that no longer exists are left out. By start, then session.
 */
export function rosterDates(
  school: Pick<School, 'id' | 'timezone'>,
  terms: readonly Term[],
  sessions: readonly PublishedSession[],
  range: { start: string; end: string },
): DatedSessionView[] {
  const byTerm = new Map<string, SessionView[]>();
  for (const { termId, ...view } of sessions) byTerm.set(termId, [...(byTerm.get(termId) ?? []), view]);
  return terms
    .filter((t) => byTerm.has(t.id) && t.startDate <= range.end && range.start <= t.endDate)
    .flatMap((term) =>
      datedViews({ schoolId: school.id, term, zone: school.timezone }, sortSessions(byTerm.get(term.id)!), range),
    )
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id));
}

/** A view over dates of the term (whole term when no range), with the school's zone offsets. */
export function datedViews(
  where: { schoolId: string; term: Term; zone: string },
  views: readonly SessionView[],
  range?: { start: string; end: string },
): DatedSessionView[] {
  return expandOverTerm(where.term, views, where.zone, range?.start, range?.end).map((d) => ({
    ...d.session,
    date: d.date,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    schoolId: where.schoolId,
    termId: where.term.id,
  }));
}

export function timetableCsv(views: readonly SessionView[]): string {
  return toCsv(
    [
      '星期 day',
      '开始 start',
      '结束 end',
      '社团 club',
      'club',
      '班级 class',
      'tier',
      '年级 grades',
      '教室 room',
      '老师 staff',
      'session',
      'locked',
    ],
    views.map((v) => [
      WEEKDAY_ZH[v.day],
      v.start,
      v.end,
      v.clubName,
      v.clubNameEn,
      v.className,
      v.tier,
      v.grades.join(' '),
      v.roomName,
      v.staffName,
      v.id,
      v.locked ? 'yes' : '',
    ]),
  );
}

/** A staff member's calendar: one event per dated session, at the school's wall-clock times. */
export function staffCalendar(o: { name: string; zone: string; now: Date; sessions: readonly DatedSessionView[] }): string {
  return icalendar({
    name: o.name,
    zone: o.zone,
    now: o.now,
    events: o.sessions.map((s) => ({
      uid: `${s.id}.${s.date}@kehou`,
      date: s.date,
      start: s.start,
      end: s.end,
      summary: `${s.clubName} ${s.className}`,
      location: s.roomName,
      description: `${s.clubNameEn} (${s.tier}), grades ${s.grades.join(', ')}, ${s.minutes} min`,
    })),
  });
}

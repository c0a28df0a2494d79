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
import type { Room, Term } from './school';
import { IsoDate, minutesOf, Weekday } from './time';
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

/** Sessions with the names people read, in reading order, filtered to a view. */
export function viewSessions(data: NamesData, sessions: readonly TimetableSession[], filter: ViewFilter = {}): SessionView[] {
  const cls = new Map(data.clubs.flatMap((club) => club.classes.map((k) => [k.id, { club, k }] as const)));
  const rooms = new Map(data.rooms.map((r) => [r.id, r]));
  const staff = new Map(data.staff.map((s) => [s.id, s]));
  const out: SessionView[] = [];
  for (const s of sortSessions(sessions)) {
    const c = cls.get(s.classId);
    if (filter.classId && s.classId !== filter.classId) continue;
    if (filter.clubId && s.clubId !== filter.clubId) continue;
    if (filter.staffId && s.staffId !== filter.staffId) continue;
    if (filter.roomId && s.roomId !== filter.roomId) continue;
    if (filter.day && s.day !== filter.day) continue;
    if (filter.grade !== undefined && !c?.k.grades.includes(filter.grade)) continue;
    out.push({
      ...s,
      clubName: c?.club.name ?? '(deleted club)',
      clubNameEn: c?.club.nameEn ?? '(deleted club)',
      className: c?.k.name ?? '(deleted class)',
      tier: c?.k.tier ?? '',
      grades: c ? [...c.k.grades] : [],
      minutes: (minutesOf(s.end) ?? 0) - (minutesOf(s.start) ?? 0),
      roomName: rooms.get(s.roomId)?.name ?? s.roomId,
      staffName: staff.get(s.staffId)?.name ?? s.staffId,
    });
  }
  return out;
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

const DAY_ZH: Record<string, string> = {
  MON: '周一',
  TUE: '周二',
  WED: '周三',
  THU: '周四',
  FRI: '周五',
  SAT: '周六',
  SUN: '周日',
};

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
      DAY_ZH[v.day] ?? v.day,
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

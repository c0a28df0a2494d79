/**
 * Timetable problems in words an admin can act on: people, rooms and classes by name (and
 * id), days and times as the school reads them — "王老师 (t-12) is not available on MON
 * 17:30–18:15" rather than the solver's "staff t-12 is not available". Pure.
 */
import type { Violation } from '@kehou/scheduler';
import { earliestClubStart, gradeId } from './school';
import { hhmm, minutesOf } from './time';
import type { TimetableData, TimetableSession } from './timetable';
import { whyNotSchedulable } from './timetable-input';

type Placed = Pick<TimetableSession, 'classId' | 'day' | 'start' | 'end' | 'roomId' | 'staffId'>;

/** Names of a term's classes, rooms, staff and grades, for messages. */
export function timetableNames(data: TimetableData) {
  const classes = new Map(data.clubs.flatMap((club) => club.classes.map((k) => [k.id, { club, k }] as const)));
  const rooms = new Map(data.rooms.map((r) => [r.id, r]));
  const staff = new Map(data.staff.map((s) => [s.id, s]));
  const grades = new Map(data.grades.map((g) => [gradeId(g.level), g]));
  const named = (name: string | undefined, id: string, what: string) => (name ? `${name} (${id})` : `${what} ${id}`);
  const names = {
    classes,
    rooms,
    staff,
    grades,
    cls: (id: string) => {
      const c = classes.get(id);
      return named(c && `${c.club.name} ${c.k.name}`, id, 'class');
    },
    room: (id: string) => named(rooms.get(id)?.name, id, 'room'),
    member: (id: string) => named(staff.get(id)?.name, id, 'staff member'),
    grade: (id: string) => named(grades.get(id)?.name, id, 'grade'),
    /** "MON 17:30–18:15" */
    when: (s: Pick<Placed, 'day' | 'start' | 'end'>) => `${s.day} ${s.start}–${s.end}`,
    /** a text with ids in it (a solver's reason), each known id followed by its name */
    text: (t: string) =>
      t.replace(/[A-Za-z0-9][A-Za-z0-9_-]{5,63}/g, (id) => {
        const name = classes.has(id)
          ? `${classes.get(id)!.club.name} ${classes.get(id)!.k.name}`
          : (staff.get(id)?.name ?? rooms.get(id)?.name ?? data.clubs.find((c) => c.id === id)?.name);
        return name ? `${name} (${id})` : id;
      }),
  };
  return names;
}
export type TimetableNames = ReturnType<typeof timetableNames>;

/** "街舞 基础班 (c-1) on MON 16:30–17:30" */
export const sessionLabel = (n: TimetableNames, s: Placed) => `${n.cls(s.classId)} on ${n.when(s)}`;

const windowsText = (windows: ReadonlyArray<{ start: string; end: string }> | undefined) =>
  windows?.length ? windows.map((w) => `${w.start}–${w.end}`).join(', ') : 'not at all';

/** One violation of the checker, about these sessions, in words. */
export function explainViolation(
  data: TimetableData,
  sessions: readonly Placed[],
  v: Violation,
  n = timetableNames(data),
): string {
  const [a, b] = v.sessions.map((i) => sessions[i]);
  if (!a) return n.text(v.message);
  const c = n.classes.get(a.classId);
  const room = n.rooms.get(a.roomId);
  const member = n.staff.get(a.staffId);
  switch (v.rule) {
    case 'too-late':
      return `${sessionLabel(n, a)} would end at ${a.end}, after ${data.school.dayEnd}, when the service ends`;
    case 'too-early': {
      const late = (c?.k.grades ?? [])
        .map((level) => data.grades.find((g) => g.level === level))
        .flatMap((g) => {
          const earliest = g && earliestClubStart(g)[a.day as keyof ReturnType<typeof earliestClubStart>];
          return g && earliest && earliest > a.start ? [`${g.name} from ${earliest}`] : [];
        });
      return `${sessionLabel(n, a)} would start at ${a.start}, before lessons and homework help are over (${late.join(', ') || 'its grades'})`;
    }
    case 'grade-day':
      return `${sessionLabel(n, a)}: ${(c?.k.grades ?? []).map((l) => n.grade(gradeId(l))).join(', ')} ha${(c?.k.grades.length ?? 0) > 1 ? 've' : 's'} no after-school service on ${a.day}`;
    case 'grid':
      return `${sessionLabel(n, a)}: a session starts on the 5-minute grid (e.g. ${hhmm(Math.floor((minutesOf(a.start) ?? 0) / 5) * 5)})`;
    case 'unknown-room':
      return `${sessionLabel(n, a)}: ${n.room(a.roomId)} is archived or no longer exists`;
    case 'capacity':
      return `${n.room(a.roomId)} holds ${room?.capacity ?? '?'}; ${n.cls(a.classId)} has ${c?.k.capacity ?? '?'} places`;
    case 'features': {
      const missing = (c?.club.roomFeatures ?? []).filter((f) => !room?.features.includes(f));
      return `${n.room(a.roomId)} lacks what ${n.cls(a.classId)} needs: ${missing.join(', ')}`;
    }
    case 'unknown-staff': {
      const why = member ? whyNotSchedulable(member, data.term) : 'no longer on the staff';
      return `${n.member(a.staffId)} cannot be scheduled this term (${why ?? 'not schedulable'}): ${sessionLabel(n, a)}`;
    }
    case 'skill':
      return `${n.member(a.staffId)} cannot teach ${c?.club.skill ?? 'this club'}: ${sessionLabel(n, a)}`;
    case 'fixed-staff':
      return `${n.cls(a.classId)} must be taken by ${n.member(c?.k.fixedStaffId ?? '')}, not ${n.member(a.staffId)}`;
    case 'unavailable':
      return (
        `${n.member(a.staffId)} is not available on ${n.when(a)} ` +
        `(available on ${a.day}: ${windowsText(member?.availability[a.day as keyof typeof member.availability])})`
      );
    case 'same-day':
      return `${n.cls(a.classId)} would meet twice on ${(b ?? a).day}`;
    case 'room-overlap':
      return b
        ? `${n.room(a.roomId)} would be double-booked on ${a.day}: ${n.cls(a.classId)} ${a.start}–${a.end} and ${n.cls(b.classId)} ${b.start}–${b.end}`
        : n.text(v.message);
    case 'staff-overlap':
      return b
        ? `${n.member(a.staffId)} would take two sessions at once on ${a.day}: ${n.cls(a.classId)} ${a.start}–${a.end} and ${n.cls(b.classId)} ${b.start}–${b.end}`
        : n.text(v.message);
    case 'weekly-max': {
      const minutes = sessions
        .filter((s) => s.staffId === a.staffId)
        .reduce((sum, s) => sum + (minutesOf(s.end) ?? 0) - (minutesOf(s.start) ?? 0), 0);
      return `${n.member(a.staffId)} would work ${minutes} min a week, more than their maximum of ${member?.maxMinutesPerWeek ?? '?'}`;
    }
    default:
      return n.text(v.message);
  }
}

/**
 * What the timetable page says in words, pure (the translation function is given): a refused
 * edit's rules, worded for the session it concerns, and a publication's changes as lines and
 * as a notice to send to parents and staff.
 */
import type { TFunction } from 'i18next';
import { timetableZh } from '../../i18n/timetable.zh-CN';
import { endIfStarting, minutesOf, type GridDay } from './grid';

/** What a session's names are (a session as a version lists it). */
export interface Named {
  id: string;
  classId: string;
  day: string;
  start: string;
  end: string;
  roomId: string;
  staffId: string;
  clubName: string;
  clubNameEn: string;
  className: string;
  roomName: string;
  staffName: string;
}

/** One rule an edit would break, as the API's refusal names it. */
export interface Violation {
  rule: string;
  message: string;
}

/** An edit of the draft, as the page asked it. */
export type Edit<S extends Named = Named> =
  | { kind: 'move'; session: S; day: GridDay; start: string }
  | { kind: 'lock'; session: S; locked: boolean }
  | { kind: 'swap'; session: S; other: S };

/** The rules of a refusal (422): each violation the API lists, else the one rule it names. */
export function violationsOf(body: unknown): Violation[] {
  const b = (body && typeof body === 'object' ? body : {}) as { rule?: unknown; detail?: unknown; details?: unknown };
  const listed = (b.details as { violations?: unknown } | undefined)?.violations;
  if (Array.isArray(listed)) {
    const found = listed.flatMap((v: { rule?: unknown; message?: unknown }) =>
      typeof v?.rule === 'string' ? [{ rule: v.rule, message: typeof v.message === 'string' ? v.message : '' }] : [],
    );
    if (found.length) return found;
  }
  return typeof b.rule === 'string' ? [{ rule: b.rule, message: typeof b.detail === 'string' ? b.detail : '' }] : [];
}

/** The sessions an edit would leave where they would be. */
export function placedAfter<S extends Named>(edit: Edit<S>): S[] {
  switch (edit.kind) {
    case 'move':
      return [{ ...edit.session, day: edit.day, start: edit.start, end: endIfStarting(edit.session, edit.start) }];
    case 'lock':
      return [edit.session];
    case 'swap': {
      const { session: a, other: b } = edit;
      return [
        { ...a, day: b.day, start: b.start, end: endIfStarting(a, b.start) },
        { ...b, day: a.day, start: a.start, end: endIfStarting(b, a.start) },
      ];
    }
  }
}

const classLabel = (s: Pick<Named, 'clubName' | 'clubNameEn' | 'className'>, lang: string) =>
  `${lang === 'en' ? s.clubNameEn : s.clubName} ${s.className}`;

const worded = new Set(Object.keys(timetableZh.refusal));

/**
 * A refusal in the reader's words, one line per rule broken. The API names each rule and
 * says which session by its day and time ("MON 17:30–18:15", or "on MON: … 16:00–17:00" for
 * two sessions at once); the session is found by that, else it is the (first) one the edit moved.
 * A clash names the session of the draft it would clash with. A rule without words of its own is named, with the API's message.
 */
export function refusalLines<S extends Named>(
  violations: readonly Violation[],
  edit: Edit<S>,
  school: { dayEnd: string },
  /** the draft's sessions, to name the one a session would clash with */
  sessions: readonly S[],
  t: TFunction,
  lang: string,
): string[] {
  const placed = placedAfter(edit);
  const moved = new Set(placed.map((p) => p.id));
  /** the session of the draft (not one the edit moves) in the same room or with the same staff member at the same time */
  const clash = (s: S, same: 'roomId' | 'staffId') =>
    sessions.find(
      (o) =>
        !moved.has(o.id) &&
        o[same] === s[same] &&
        o.day === s.day &&
        minutesOf(o.start) < minutesOf(s.end) &&
        minutesOf(s.start) < minutesOf(o.end),
    );
  return violations.map((v) => {
    // a locked session is named where it is; any other rule, where the edit would put it
    const candidates = v.rule === 'locked' ? (edit.kind === 'swap' ? [edit.session, edit.other] : [edit.session]) : placed;
    const s =
      candidates.find((p) => v.message.includes(`${p.day} ${p.start}–${p.end}`)) ??
      candidates.find((p) => new RegExp(`\\b${p.day}\\b`).test(v.message) && v.message.includes(`${p.start}–${p.end}`)) ??
      candidates[0]!;
    const day = t(`timetable.days.${s.day}`);
    const when = `${day} ${s.start}–${s.end}`;
    const other =
      v.rule === 'room-overlap' || v.rule === 'staff-overlap'
        ? clash(s, v.rule === 'room-overlap' ? 'roomId' : 'staffId')
        : undefined;
    const params = {
      other: other
        ? t('timetable.editor.what', { class: classLabel(other, lang), when: `${other.start}–${other.end}` })
        : t('timetable.editor.another'),
      what: t('timetable.editor.what', { class: classLabel(s, lang), when }),
      class: classLabel(s, lang),
      when,
      day,
      start: s.start,
      end: s.end,
      room: s.roomName,
      staff: s.staffName,
      dayEnd: school.dayEnd,
      rule: v.rule,
      message: v.message,
    };
    return t(`timetable.refusal.${worded.has(v.rule) && v.rule !== 'other' ? v.rule : 'other'}`, params);
  });
}

/** What a publication changed, for a session (the API's SessionChange). */
export interface Change {
  sessionId: string;
  classId: string;
  kind: 'added' | 'removed' | 'moved';
  before: Slot | null;
  after: Slot | null;
}
interface Slot {
  day: string;
  start: string;
  end: string;
  roomId: string;
  staffId: string;
}

/** Names of classes, rooms and staff members from the sessions of versions (the first list that names one wins). */
export function namesOf(lists: ReadonlyArray<readonly Named[]>, lang: string) {
  const classes = new Map<string, string>();
  const rooms = new Map<string, string>();
  const staff = new Map<string, string>();
  for (const list of lists)
    for (const s of list) {
      if (!classes.has(s.classId)) classes.set(s.classId, classLabel(s, lang));
      if (!rooms.has(s.roomId)) rooms.set(s.roomId, s.roomName);
      if (!staff.has(s.staffId)) staff.set(s.staffId, s.staffName);
    }
  return {
    cls: (id: string) => classes.get(id) ?? id,
    room: (id: string) => rooms.get(id) ?? id,
    staff: (id: string) => staff.get(id) ?? id,
  };
}
export type Names = ReturnType<typeof namesOf>;

const DAY_ORDER = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const KIND_ORDER = ['moved', 'added', 'removed'];
const placeOf = (c: Change) => (c.after ?? c.before)!;

/** Changes in reading order: moved, then added, then removed; each by day and time (where they are now, or were). */
export function sortChanges<C extends Change>(changes: readonly C[]): C[] {
  return [...changes].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      DAY_ORDER.indexOf(placeOf(a).day) - DAY_ORDER.indexOf(placeOf(b).day) ||
      minutesOf(placeOf(a).start) - minutesOf(placeOf(b).start) ||
      a.sessionId.localeCompare(b.sessionId),
  );
}

/** One change in words: "国际象棋 基础班：周一 16:30–17:15，教室 101，王老师 → 周三 …". */
export function changeLine(c: Change, names: Names, t: TFunction): string {
  const slot = (s: Slot | null) =>
    s
      ? t('timetable.changes.slot', {
          day: t(`timetable.days.${s.day}`),
          start: s.start,
          end: s.end,
          room: names.room(s.roomId),
          staff: names.staff(s.staffId),
        })
      : '';
  return t(`timetable.changes.${c.kind}`, { what: names.cls(c.classId), before: slot(c.before), after: slot(c.after) });
}

/** The notice to send: a heading naming the term, the version and when it was published, then one line per change. */
export function changesNotice(
  head: { term: string; number: number; when: string },
  changes: readonly Change[],
  names: Names,
  t: TFunction,
): string {
  return [t('timetable.changes.noticeHead', head), ...sortChanges(changes).map((c) => `- ${changeLine(c, names, t)}`)].join('\n');
}

/**
 * The term's timetable as the product keeps it: numbered versions (a draft, the published
 * one, earlier ones superseded), each a list of weekly sessions with stable ids, so that
 * a republication can say exactly which sessions moved. Pure.
 */
import * as z from 'zod';
import type { Club } from './clubs';
import { Id, Instant, Meta } from './common';
import type { Staff } from './people';
import type { Grade, Room, School, Term } from './school';
import { hhmm, Time, Weekday, minutesOf } from './time';

export const TimetableSession = z.object({
  id: z.string().meta({ description: 'stable across versions: "<classId>.<n>"' }),
  classId: Id,
  clubId: Id,
  day: Weekday,
  start: Time,
  end: Time,
  roomId: Id,
  staffId: Id,
  locked: z.boolean().meta({ description: 're-generating keeps a locked session where it is' }),
});
export type TimetableSession = z.infer<typeof TimetableSession>;

export const SessionChange = z.object({
  sessionId: z.string(),
  classId: z.string(),
  kind: z.enum(['added', 'removed', 'moved']),
  before: TimetableSession.pick({ day: true, start: true, end: true, roomId: true, staffId: true }).nullable(),
  after: TimetableSession.pick({ day: true, start: true, end: true, roomId: true, staffId: true }).nullable(),
});
export type SessionChange = z.infer<typeof SessionChange>;

export const TimetableStatus = z.enum(['draft', 'published', 'superseded']);

/** A session as an edit found it and as it left it. */
export const SessionEdit = z.object({ before: TimetableSession, after: TimetableSession });
export type SessionEdit = z.infer<typeof SessionEdit>;

export const Revision = z
  .object({
    kind: z.enum(['generated', 'edited', 'published', 'superseded']),
    sessions: z.array(SessionEdit).meta({ description: 'for an edit: the sessions it changed, as they were and as they are' }),
  })
  .meta({ description: "what made this revision of the version (every revision is kept in the version's history)" });
export type Revision = z.infer<typeof Revision>;

/** Warnings kept with a version: a school of any size keeps a bounded list. */
export const MAX_WARNINGS = 50;

export const ChangeCounts = z.object({ added: z.number().int(), moved: z.number().int(), removed: z.number().int() });
export type ChangeCounts = z.infer<typeof ChangeCounts>;

/**
 * A version of the term's timetable, without its sessions: those are kept apart (a set of
 * their own, one record a session), so that a version of any size is small to read and an
 * edit writes only the sessions it changes.
 */
export const TimetableVersion = z
  .object({
    id: z.string(),
    termId: Id,
    number: z.number().int().min(1),
    status: TimetableStatus,
    basedOn: z.number().int().nullable().meta({ description: 'the version this draft started from' }),
    generation: z
      .object({
        seed: z.number().int(),
        millis: z.number(),
        moved: z.number().int().nullable(),
        consecutiveDays: z.number().int(),
        teacherLoadSpread: z.number().int(),
      })
      .nullable(),
    warnings: z.array(z.string()).meta({ description: `at most ${MAX_WARNINGS} lines; the last says how many more there were` }),
    sessionCount: z.number().int(),
    publishedAt: Instant.nullable(),
    publishedBy: z.string().nullable(),
    changeCounts: ChangeCounts.nullable().meta({
      description: 'on publication: how many sessions were added, moved and removed since the version published before',
    }),
    revision: Revision,
    sessionSet: z.string().meta({
      description: 'where its sessions are kept: a re-generation keeps them in a new set, and the revision before keeps its own',
    }),
    changeSet: z
      .string()
      .nullable()
      .meta({ description: 'where its changes are kept (a first publication has none: every session is added)' }),
  })
  .extend(Meta.shape);
export type TimetableVersion = z.infer<typeof TimetableVersion>;

/** What a term's timetable is built from and read with. */
export interface TimetableData {
  school: School;
  term: Term;
  grades: readonly Grade[];
  rooms: readonly Room[];
  staff: readonly Staff[];
  clubs: readonly Club[];
  /** with a generation that keeps enrolled children's clubs apart: each child's classes of the term */
  enrolments?: ReadonlyArray<{ studentNo: string; classIds: readonly string[] }>;
}

export const timetableVersionId = (termId: string, number: number) => `${termId}#V${String(number).padStart(4, '0')}`;

/**
 * The term's timetable at a glance, in one record: which version is the draft and which is
 * published, the summary of each, and which publication the read models (rosters, class
 * and grade views) show.
 */
export interface TimetableHead {
  termId: string;
  draft: number | null;
  published: number | null;
  latest: number;
  summaries: { draft: TimetableVersion | null; published: TimetableVersion | null };
  /** the publication whose read models are complete (null: none yet) */
  views: number | null;
}

/** The warnings kept with a version, at most MAX_WARNINGS lines: the last says how many more there were. */
export function boundedWarnings(warnings: readonly string[]): string[] {
  if (warnings.length <= MAX_WARNINGS) return [...warnings];
  const kept = warnings.slice(0, MAX_WARNINGS - 1);
  return [...kept, `… and ${warnings.length - kept.length} more warnings like these`];
}

/** How many sessions of each kind a list of changes holds. */
export function countChanges(changes: readonly SessionChange[]): ChangeCounts {
  const counts: ChangeCounts = { added: 0, moved: 0, removed: 0 };
  for (const c of changes) counts[c.kind]++;
  return counts;
}

type Placed = Pick<TimetableSession, 'classId' | 'day' | 'start' | 'end' | 'roomId' | 'staffId'>;

/**
 * Ids for a new set of sessions, reusing the ids of the previous ones: the same class at
 * the same time and place first, then the same class on the same day, then any session of
 * the class; new ones get the lowest free number of their class.
 */
export function assignSessionIds<S extends Placed>(
  previous: readonly (Placed & { id: string })[],
  next: readonly S[],
): (S & { id: string })[] {
  const free = new Map<string, (Placed & { id: string })[]>();
  for (const p of previous) free.set(p.classId, [...(free.get(p.classId) ?? []), p]);
  const out: (S & { id: string })[] = next.map((s) => ({ ...s, id: '' }));
  const passes: Array<(a: Placed, b: Placed) => boolean> = [
    (a, b) => a.day === b.day && a.start === b.start && a.roomId === b.roomId && a.staffId === b.staffId,
    (a, b) => a.day === b.day,
    () => true,
  ];
  for (const same of passes) {
    for (const s of out) {
      if (s.id) continue;
      const pool = free.get(s.classId) ?? [];
      const i = pool.findIndex((p) => same(p, s));
      if (i >= 0) {
        s.id = pool[i]!.id;
        pool.splice(i, 1);
      }
    }
  }
  const used = new Set(out.filter((s) => s.id).map((s) => s.id));
  for (const s of out) {
    if (s.id) continue;
    let n = 0;
    while (used.has(`${s.classId}.${n}`)) n++;
    s.id = `${s.classId}.${n}`;
    used.add(s.id);
  }
  return out;
}

const slot = (s: TimetableSession) => ({ day: s.day, start: s.start, end: s.end, roomId: s.roomId, staffId: s.staffId });
const sameSlot = (a: TimetableSession, b: TimetableSession) =>
  a.day === b.day && a.start === b.start && a.end === b.end && a.roomId === b.roomId && a.staffId === b.staffId;

/** What changed between two versions, session by session (a change of room or staff is a move too). */
export function diffVersions(before: readonly TimetableSession[], after: readonly TimetableSession[]): SessionChange[] {
  const old = new Map(before.map((s) => [s.id, s]));
  const changes: SessionChange[] = [];
  for (const s of after) {
    const b = old.get(s.id);
    if (!b) changes.push({ sessionId: s.id, classId: s.classId, kind: 'added', before: null, after: slot(s) });
    else if (!sameSlot(b, s))
      changes.push({ sessionId: s.id, classId: s.classId, kind: 'moved', before: slot(b), after: slot(s) });
    old.delete(s.id);
  }
  for (const b of old.values())
    changes.push({ sessionId: b.id, classId: b.classId, kind: 'removed', before: slot(b), after: null });
  return changes.sort((x, y) => x.sessionId.localeCompare(y.sessionId));
}

/** A session moved to another day, start, room or staff member; it keeps its length. */
export function moveSession(
  s: TimetableSession,
  to: Partial<Pick<TimetableSession, 'day' | 'start' | 'roomId' | 'staffId'>>,
): TimetableSession {
  const start = to.start ?? s.start;
  const length = (minutesOf(s.end) ?? 0) - (minutesOf(s.start) ?? 0);
  // only what is given changes: a key present but undefined keeps the session's value
  return {
    ...s,
    day: to.day ?? s.day,
    start,
    end: hhmm((minutesOf(start) ?? 0) + length),
    roomId: to.roomId ?? s.roomId,
    staffId: to.staffId ?? s.staffId,
  };
}

const DAY_ORDER = new Map(Weekday.options.map((d, i) => [d, i]));
/** Sessions in reading order: by day, start, then id. */
export function sortSessions<S extends Pick<TimetableSession, 'day' | 'start' | 'id'>>(sessions: readonly S[]): S[] {
  return [...sessions].sort(
    (a, b) =>
      DAY_ORDER.get(a.day)! - DAY_ORDER.get(b.day)! ||
      (minutesOf(a.start) ?? 0) - (minutesOf(b.start) ?? 0) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * The week grid, pure: which sessions a view shows (a grade, a room, a staff member), and
 * where each goes — columns Monday to Friday, rows of half an hour up to 18:00, a session in
 * the row its start falls in. Times are the school's wall clock ("HH:MM"), read as they are.
 */

export const GRID_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;
export type GridDay = (typeof GRID_DAYS)[number];
/** The "5+2" rule: after-school service ends at 18:00 at the latest; the grid ends there. */
export const SERVICE_END = '18:00';
/** A row of the grid, in minutes. */
export const ROW_MINUTES = 30;
/** Where the grid starts when nothing is earlier (or nothing is scheduled). */
export const GRID_START = '15:00';

/** "HH:MM" → minutes after midnight. */
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
export const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A session's end when it starts at `start` and keeps its length. */
export const endIfStarting = (s: { start: string; end: string }, start: string) =>
  hhmm(minutesOf(start) + minutesOf(s.end) - minutesOf(s.start));

/** The earliest start a move offers: after-school service begins in the afternoon. */
export const EARLIEST_START = '12:00';
/** A session starts on the 5-minute grid. */
export const START_STEP = 5;

/**
 * The starts a move offers: every 5 minutes from 12:00 until before 18:00 (one that would end
 * after 18:00 is offered too: the API refuses it, saying why), and the session's own start.
 */
export function startChoices(current: string): string[] {
  const out: string[] = [];
  for (let m = minutesOf(EARLIEST_START); m < minutesOf(SERVICE_END); m += START_STEP) out.push(hhmm(m));
  if (!out.includes(current)) out.push(current);
  return out.sort((a, b) => minutesOf(a) - minutesOf(b));
}

export interface Placed {
  id: string;
  day: string;
  start: string;
  end: string;
}

export interface Row<S> {
  start: string;
  end: string;
  /** the sessions starting in this row, each day's by start then id */
  cells: Record<GridDay, S[]>;
}

/** Where the grid starts: the row of the earliest session of the version (so every view of it has the same rows), 15:00 at the latest. */
export function gridStart(sessions: readonly Placed[]): string {
  const earliest = Math.min(minutesOf(GRID_START), ...sessions.map((s) => minutesOf(s.start)));
  return hhmm(Math.floor(earliest / ROW_MINUTES) * ROW_MINUTES);
}

const isGridDay = (d: string): d is GridDay => (GRID_DAYS as readonly string[]).includes(d);

/** The rows from `from` to 18:00 (further only if a session starts later), each session in its start's row. */
export function layoutWeek<S extends Placed>(sessions: readonly S[], from: string): Row<S>[] {
  const first = minutesOf(from);
  const latest = Math.max(minutesOf(SERVICE_END), ...sessions.map((s) => minutesOf(s.start) + 1));
  const rows: Row<S>[] = [];
  for (let m = first; m < latest; m += ROW_MINUTES)
    rows.push({
      start: hhmm(m),
      end: hhmm(m + ROW_MINUTES),
      cells: { MON: [], TUE: [], WED: [], THU: [], FRI: [] },
    });
  const sorted = [...sessions].sort(
    (a, b) => minutesOf(a.start) - minutesOf(b.start) || minutesOf(a.end) - minutesOf(b.end) || a.id.localeCompare(b.id),
  );
  for (const s of sorted) {
    if (!isGridDay(s.day)) continue;
    const i = Math.max(0, Math.floor((minutesOf(s.start) - first) / ROW_MINUTES));
    rows[i]!.cells[s.day].push(s);
  }
  return rows;
}

/** What a session is, as far as choosing a view goes. */
export interface Viewed extends Placed {
  grades: number[];
  roomId: string;
  roomName: string;
  staffId: string;
  staffName: string;
}

export const VIEW_KINDS = ['grade', 'room', 'staff'] as const;
export type ViewKind = (typeof VIEW_KINDS)[number];
export interface ViewChoice {
  /** the grade's level, the room's id or the staff member's id */
  value: string;
  /** the room's or staff member's name; for a grade, its level (the page words it) */
  name: string;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The grades, rooms or staff members the sessions have, in order: grades by level, others by name. */
export function viewChoices(sessions: readonly Viewed[], kind: ViewKind): ViewChoice[] {
  const found = new Map<string, string>();
  for (const s of sessions) {
    if (kind === 'grade') for (const g of s.grades) found.set(String(g), String(g));
    else if (kind === 'room') found.set(s.roomId, s.roomName);
    else found.set(s.staffId, s.staffName);
  }
  const choices = [...found].map(([value, name]) => ({ value, name }));
  return kind === 'grade'
    ? choices.sort((a, b) => Number(a.value) - Number(b.value))
    : choices.sort((a, b) => collator.compare(a.name, b.name) || a.value.localeCompare(b.value));
}

/** Whether the view (a grade's level, a room's or staff member's id) shows the session. */
export function inView(s: Viewed, kind: ViewKind, value: string): boolean {
  if (kind === 'grade') return s.grades.includes(Number(value));
  return (kind === 'room' ? s.roomId : s.staffId) === value;
}

/**
 * A staff member's weekly availability (the API's windows "HH:MM"–"HH:MM" per day) and the
 * week grid's half-hour slots. Painting a slot adds it to, or cuts it out of, the day's
 * windows: a window that does not sit on the grid (15:50–18:00) keeps its exact minutes
 * where the slot painted does not reach, and days the grid does not show (Saturday,
 * Sunday) are never touched. Pure.
 */
export interface Window {
  start: string;
  end: string;
}
/** By weekday: MON … SUN, as the API has it. */
export type Availability = Partial<Record<string, Window[]>>;

export const GRID_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;
export const WEEK_DAYS = [...GRID_DAYS, 'SAT', 'SUN'] as const;
export const SLOT_MINUTES = 30;
/** where the grid starts unless a window starts earlier */
export const GRID_START = 14 * 60;
/** the "5+2" service ends by 18:00 */
export const GRID_END = 18 * 60;

/** "15:30" → 930 ("24:00" → 1440). */
export const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};
export const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The starts of the grid's rows: from 14:00 (or the half hour before the earliest window on a weekday) to 17:30. */
export function gridRows(a: Availability): number[] {
  const earliest = Math.min(GRID_START, ...GRID_DAYS.flatMap((d) => (a[d] ?? []).map((w) => minutes(w.start))));
  const from = Math.max(0, Math.floor(earliest / SLOT_MINUTES) * SLOT_MINUTES);
  const rows: number[] = [];
  for (let m = from; m < GRID_END; m += SLOT_MINUTES) rows.push(m);
  return rows;
}

export type Coverage = 'all' | 'some' | 'none';

/** How much of [from, to) the windows cover. */
export function coverage(windows: readonly Window[] | undefined, from: number, to: number): Coverage {
  let covered = 0;
  for (const w of windows ?? []) covered += Math.max(0, Math.min(to, minutes(w.end)) - Math.max(from, minutes(w.start)));
  return covered >= to - from ? 'all' : covered > 0 ? 'some' : 'none';
}

/** The windows with [from, to) added (`on`) or cut out: sorted, touching or overlapping ones joined. */
export function paint(windows: readonly Window[] | undefined, from: number, to: number, on: boolean): Window[] {
  const spans: Array<[number, number]> = [];
  for (const w of windows ?? []) {
    const [s, e] = [minutes(w.start), minutes(w.end)];
    if (on || e <= from || s >= to) spans.push([s, e]);
    else {
      if (s < from) spans.push([s, from]);
      if (e > to) spans.push([to, e]);
    }
  }
  if (on) spans.push([from, to]);
  spans.sort((x, y) => x[0] - y[0]);
  const joined: Array<[number, number]> = [];
  for (const [s, e] of spans) {
    const last = joined.at(-1);
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else joined.push([s, e]);
  }
  return joined.map(([s, e]) => ({ start: hhmm(s), end: hhmm(e) }));
}

/** The availability with one slot of one day set on or off (a day left with no window is dropped). */
export function setSlot(a: Availability, day: string, from: number, on: boolean): Availability {
  const windows = paint(a[day], from, from + SLOT_MINUTES, on);
  const { [day]: _old, ...rest } = a;
  return windows.length ? { ...rest, [day]: windows } : rest;
}

/** The days with windows, Monday first. */
export const daysWith = (a: Availability): string[] => WEEK_DAYS.filter((d) => (a[d]?.length ?? 0) > 0);

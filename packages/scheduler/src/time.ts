/** Days of the week in the bench format, in week order. */
export const WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Day = (typeof WEEK)[number];

const DAY_NUMBER: ReadonlyMap<string, number> = new Map(WEEK.map((d, i) => [d, i]));

/** The day's position in the week (MON = 0 … SUN = 6), or undefined for anything else. */
export function dayNumber(day: unknown): number | undefined {
  return typeof day === 'string' ? DAY_NUMBER.get(day) : undefined;
}

export function isDay(day: unknown): day is Day {
  return dayNumber(day) !== undefined;
}

const HHMM = /^(\d\d):(\d\d)$/;

/** "HH:MM" (00:00 … 23:59, and 24:00) → minutes after midnight; null when malformed ("4:00", "25:00", "12:60"). */
export function parseHHMM(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = HHMM.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** Minutes after midnight (0 … 1440) → "HH:MM". */
export function formatHHMM(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) throw new RangeError(`not a time of day: ${minutes} minutes`);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

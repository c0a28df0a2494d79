/**
 * Dates and times in the school's zone. The API gives wall-clock "HH:MM" and dates in the
 * school's zone, and instants as ISO-8601: they are shown as they are, or formatted with the
 * school's zone named; nothing here uses the browser's own zone. Dates ("2026-09-01") are
 * plain calendar days: arithmetic on them is done in UTC, where no day has a gap.
 */
export type IsoDate = string;

/** The calendar day it is at `now` in `zone`. */
export function todayIn(zone: string, now: Date): IsoDate {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(now)
    .reduce<Record<string, string>>((o, p) => ((o[p.type] = p.value), o), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const utc = (d: IsoDate) => new Date(`${d}T00:00:00Z`);

export function addDays(d: IsoDate, n: number): IsoDate {
  const t = utc(d);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** Monday of the week `d` is in (weeks run Monday to Sunday, as the school's do). */
export const mondayOf = (d: IsoDate): IsoDate => addDays(d, -((utc(d).getUTCDay() + 6) % 7));

/** A calendar day for people, e.g. "12月7日周一" / "Mon, Dec 7". */
export const formatDay = (d: IsoDate, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'short', day: 'numeric', weekday: 'short' }).format(utc(d));

/** An instant (ISO-8601) as the school's clock showed it, e.g. "2026/12/7 16:05". */
export const formatInstant = (iso: string, zone: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

/**
 * The weekly timetable over a term's dates: holidays skipped, make-up days (调休) running
 * the timetable of the weekday they stand in for, each session a concrete interval with
 * ISO-8601 times and offsets in the school's zone (date-fns-tz, never by hand). Then the
 * same as iCalendar (RFC 5545) for calendar apps, and as CSV.
 */
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { weekdayOf, type Weekday } from './time';

export interface TermDates {
  startDate: string;
  endDate: string;
  holidays: ReadonlyArray<{ start: string; end: string; name: string }>;
  makeUpDays: ReadonlyArray<{ date: string; runsAs: Weekday }>;
}

export interface WeeklySession {
  id: string;
  day: Weekday;
  start: string;
  end: string;
}

export interface DatedSession<S extends WeeklySession = WeeklySession> {
  session: S;
  date: string;
  /** ISO-8601 with the zone's offset, e.g. 2026-09-01T16:30:00+08:00 */
  startsAt: string;
  endsAt: string;
}

const ISO_WITH_OFFSET = "yyyy-MM-dd'T'HH:mm:ssXXX";

function* datesBetween(from: string, to: string): Generator<string> {
  const d = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (d <= end) {
    yield d.toISOString().slice(0, 10);
    d.setUTCDate(d.getUTCDate() + 1);
  }
}

const nextDate = (date: string) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
};

/** Which weekday's timetable runs on a date of the term, or null (weekend, holiday, outside the term). */
export function timetableDayOn(term: TermDates, date: string): Weekday | null {
  if (date < term.startDate || date > term.endDate) return null;
  if (term.holidays.some((h) => h.start <= date && date <= h.end)) return null;
  const makeUp = term.makeUpDays.find((m) => m.date === date);
  if (makeUp) return makeUp.runsAs;
  const day = weekdayOf(date);
  return day === 'SAT' || day === 'SUN' ? null : day;
}

/**
 * A pure function of strings, remembered: a zone's conversions cost tens of microseconds each
 * (Intl underneath), and a warm function converts the same dates and times for every staff
 * member and child of a school (a term's feed is a few hundred of them). Bounded: forgotten
 * all at once when full.
 */
function remembered<T>(f: (...args: string[]) => T, size = 20_000): (...args: string[]) => T {
  const known = new Map<string, T>();
  return (...args) => {
    const key = args.join('|');
    let v = known.get(key);
    if (v === undefined) {
      if (known.size >= size) known.clear();
      v = f(...args);
      known.set(key, v);
    }
    return v;
  };
}

/** The instant a wall-clock "HH:MM" on a date is in the zone, as ISO-8601 with offset. */
export const zonedInstant: (date: string, hhmm: string, zone: string) => string = remembered((date, hhmm, zone) => {
  // "24:00" is midnight of the next date, which is not always 24 hours after this one (DST)
  const instant =
    hhmm === '24:00' ? fromZonedTime(`${nextDate(date)}T00:00:00`, zone) : fromZonedTime(`${date}T${hhmm}:00`, zone);
  return formatInTimeZone(instant, zone, ISO_WITH_OFFSET);
});

/** Every session of the weekly timetable on every date it runs between `from` and `to` (inclusive). */
export function expandOverTerm<S extends WeeklySession>(
  term: TermDates,
  sessions: readonly S[],
  zone: string,
  from = term.startDate,
  to = term.endDate,
): DatedSession<S>[] {
  const byDay = new Map<Weekday, S[]>();
  for (const s of sessions) byDay.set(s.day, [...(byDay.get(s.day) ?? []), s]);
  for (const list of byDay.values()) list.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  const out: DatedSession<S>[] = [];
  const lo = from > term.startDate ? from : term.startDate;
  const hi = to < term.endDate ? to : term.endDate;
  if (lo > hi) return out;
  for (const date of datesBetween(lo, hi)) {
    const day = timetableDayOn(term, date);
    if (!day) continue;
    for (const s of byDay.get(day) ?? [])
      out.push({ session: s, date, startsAt: zonedInstant(date, s.start, zone), endsAt: zonedInstant(date, s.end, zone) });
  }
  return out;
}

// ---------------------------------------------------------------- iCalendar
export interface CalendarEvent {
  uid: string;
  date: string;
  start: string;
  end: string;
  summary: string;
  location: string;
  description: string;
}

/** RFC 5545 text: commas, semicolons, backslashes and newlines escaped. */
const escapeText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

/** Lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
function fold(line: string): string {
  const out: string[] = [];
  let cur = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (octets + n > (out.length ? 74 : 75)) {
      out.push(cur);
      cur = '';
      octets = 0;
    }
    cur += ch;
    octets += n;
  }
  out.push(cur);
  return out.join('\r\n ');
}

const offsetText = (ms: number) => {
  const m = Math.round(ms / 60000);
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
};
const compact = (date: string, hhmm = '00:00') => `${date.replace(/-/g, '')}T${hhmm.replace(':', '')}00`;

/** The zone's UTC offset at an instant, in ms (from the zone's own rules, via Intl). */
function offsetAt(zone: string, t: number): number {
  const m = /^([+-])(\d\d):(\d\d)$/.exec(formatInTimeZone(new Date(t), zone, 'xxx'));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** Wall-clock "yyyyMMddTHHmmss" of an instant at a given offset. */
const wallAt = (t: number, offset: number) => new Date(t + offset).toISOString().replace(/[-:]/g, '').slice(0, 15);

/**
 * A VTIMEZONE for the zone over the dates the calendar covers: its offset at the start,
 * and one component per change of offset (found by scanning, to the quarter hour), so that
 * any client places the events right without a zone database of its own.
 */
export const vtimezone: (zone: string, from: string, to: string) => readonly string[] = remembered(
  (zone, from, to) => Object.freeze(zoneComponents(zone, from, to)),
  1_000,
);

function zoneComponents(zone: string, from: string, to: string): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const start = fromZonedTime(`${from}T00:00:00`, zone).getTime();
  const end = fromZonedTime(`${to}T23:59:59`, zone).getTime();
  const component = (at: number, fromOffset: number, toOffset: number, kind: 'DAYLIGHT' | 'STANDARD') => [
    `BEGIN:${kind}`,
    `DTSTART:${wallAt(at, fromOffset)}`,
    `TZOFFSETFROM:${offsetText(fromOffset)}`,
    `TZOFFSETTO:${offsetText(toOffset)}`,
    `TZNAME:${formatInTimeZone(new Date(at), zone, 'zzz')}`,
    `END:${kind}`,
  ];
  let prev = offsetAt(zone, start);
  // daylight saving time: ahead of the zone's lowest offset over the year around
  const MONTH = 30 * 86400_000;
  const lowest = Math.min(...Array.from({ length: 13 }, (_, i) => offsetAt(zone, start + (i - 6) * MONTH)));
  const first = prev > lowest ? 'DAYLIGHT' : 'STANDARD';
  lines.push(...component(start, prev, prev, first));
  // a day at a time (zones change their offset at most a few times a year, never twice a day),
  // then within the day of a change its hour, then its quarter
  const HOUR = 3600_000;
  const QUARTER = 15 * 60_000;
  for (let day = start + 24 * HOUR; day <= end + 24 * HOUR; day += 24 * HOUR) {
    if (offsetAt(zone, day) === prev) continue;
    let hour = day - 23 * HOUR;
    while (offsetAt(zone, hour) === prev) hour += HOUR;
    let at = hour - HOUR + QUARTER;
    while (offsetAt(zone, at) === prev) at += QUARTER;
    const off = offsetAt(zone, at);
    lines.push(...component(at, prev, off, off > prev ? 'DAYLIGHT' : 'STANDARD'));
    prev = off;
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** A calendar feed: events at wall-clock times of the zone (TZID), stamped `now`. */
export function icalendar(o: { name: string; zone: string; now: Date; events: readonly CalendarEvent[] }): string {
  const dates = o.events.map((e) => e.date).sort();
  const stamp = `${o.now.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Kehou//After-school timetable//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(o.name)}`,
    `X-WR-TIMEZONE:${o.zone}`,
    ...(dates.length ? vtimezone(o.zone, dates[0]!, dates[dates.length - 1]!) : []),
  ];
  for (const e of o.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=${o.zone}:${compact(e.date, e.start)}`,
      `DTEND;TZID=${o.zone}:${compact(e.date, e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------- CSV
const csvCell = (v: string | number) => {
  const s = String(v);
  // a leading = + - @ (or tab, CR) would be a formula in Excel: quote it as text
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** RFC 4180 CSV with a UTF-8 BOM, so that Excel opens Chinese text correctly. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

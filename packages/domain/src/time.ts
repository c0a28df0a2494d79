/** Wall-clock times ("HH:MM"), weekdays and time zones. Pure. */
import * as z from 'zod';

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SCHOOL_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const satisfies readonly Weekday[];
export const Weekday = z.enum(WEEKDAYS);
/** A weekday as a Chinese school writes it. */
export const WEEKDAY_ZH: Record<Weekday, string> = {
  MON: '周一',
  TUE: '周二',
  WED: '周三',
  THU: '周四',
  FRI: '周五',
  SAT: '周六',
  SUN: '周日',
};
export const SchoolDay = z.enum(SCHOOL_DAYS);
export type SchoolDay = z.infer<typeof SchoolDay>;

/** The "5+2" rule: after-school service ends at 18:00 at the latest. */
export const SERVICE_DAY_END = '18:00';
export const SERVICE_DAY_END_MINUTES = 18 * 60;

/** A time "HH:MM" from 00:00 to 24:00: what minutesOf reads and Time accepts (and the JSON Schema's pattern). */
const HHMM_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** "HH:MM" → minutes after midnight; "24:00" is legal, "4:00", "25:00", "12:60" are not. */
export function minutesOf(hhmm: string): number | null {
  const m = HHMM_RE.exec(hhmm);
  if (!m) return null;
  return m[1] === undefined ? 24 * 60 : Number(m[1]) * 60 + Number(m[2]);
}

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export const Time = z
  .string()
  .regex(HHMM_RE, 'must be a time "HH:MM" between 00:00 and 24:00')
  .meta({ description: 'Local wall-clock time "HH:MM" in the school\'s time zone', example: '16:10' });

export function isTimeZone(zone: string): boolean {
  if (!zone.includes('/') && zone !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const TimeZone = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone such as "Asia/Shanghai"' })
  // stored as the zone database spells it: "asia/shanghai" becomes "Asia/Shanghai"
  .transform((zone) => new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone)
  .meta({ description: 'IANA time zone', example: 'Asia/Shanghai' });

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date "YYYY-MM-DD" that exists. */
export const IsoDate = z
  .string()
  .refine(
    (s) => {
      if (!DATE_RE.test(s)) return false;
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'must be a date "YYYY-MM-DD"' },
  )
  .meta({ format: 'date', example: '2026-09-01' });

/** Day of the week of a calendar date (the date itself has no zone). */
export function weekdayOf(isoDate: string): Weekday {
  const js = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7]!;
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  hhmm,
  isTimeZone,
  IsoDate,
  minutesOf,
  SchoolDay,
  SERVICE_DAY_END,
  SERVICE_DAY_END_MINUTES,
  Time,
  TimeZone,
  WEEKDAYS,
  weekdayOf,
} from '../src/time';

describe('minutesOf', () => {
  it.each([
    ['00:00', 0],
    ['08:05', 8 * 60 + 5],
    ['16:10', 16 * 60 + 10],
    ['18:00', 1080],
    ['23:59', 23 * 60 + 59],
    ['24:00', 1440],
  ])('reads %s as %i minutes after midnight', (t, m) => {
    expect(minutesOf(t)).toBe(m);
  });

  it.each([
    '4:00',
    '25:00',
    '12:60',
    '1200',
    '24:01',
    '24:30',
    '',
    '12:0',
    '12:000',
    ' 12:00',
    '12:00 ',
    '12.00',
    'ab:cd',
    '-1:00',
    '１２:００',
  ])('refuses %j', (t) => {
    expect(minutesOf(t)).toBeNull();
  });

  it('agrees with the service end constant', () => {
    expect(minutesOf(SERVICE_DAY_END)).toBe(SERVICE_DAY_END_MINUTES);
  });
});

describe('hhmm', () => {
  it('writes minutes as zero-padded "HH:MM"', () => {
    expect(hhmm(0)).toBe('00:00');
    expect(hhmm(65)).toBe('01:05');
    expect(hhmm(1080)).toBe('18:00');
    expect(hhmm(1440)).toBe('24:00');
  });

  it('is the inverse of minutesOf for every minute of the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1440 }), (m) => {
        expect(minutesOf(hhmm(m))).toBe(m);
      }),
    );
  });
});

describe('Time', () => {
  it('takes "HH:MM" up to 24:00 and refuses the rest with a message', () => {
    expect(Time.safeParse('16:10').success).toBe(true);
    expect(Time.safeParse('24:00').success).toBe(true);
    const bad = Time.safeParse('4:00');
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/HH:MM/);
    expect(Time.safeParse(1600).success).toBe(false);
  });
});

describe('isTimeZone', () => {
  it.each(['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'America/New_York', 'UTC', 'Etc/GMT-8'])('takes %s', (z) => {
    expect(isTimeZone(z)).toBe(true);
  });

  it.each(['Asia/Beijing', 'GMT+8', 'CST', 'Beijing', '+08:00', 'Asia/', '', 'Mars/Olympus_Mons'])('refuses %j', (z) => {
    expect(isTimeZone(z)).toBe(false);
  });

  it('is what the TimeZone schema checks', () => {
    expect(TimeZone.safeParse('Asia/Shanghai').success).toBe(true);
    expect(TimeZone.safeParse('Asia/Beijing').error!.issues[0]!.message).toContain('IANA');
  });
});

describe('IsoDate', () => {
  it('takes calendar dates that exist, leap days of leap years included', () => {
    for (const d of ['2026-09-01', '2028-02-29', '2000-02-29', '2026-12-31', '2027-01-01'])
      expect(IsoDate.safeParse(d).success, d).toBe(true);
  });

  it('refuses dates that do not exist and other shapes', () => {
    for (const d of [
      '2026-02-29',
      '2100-02-29',
      '2026-02-30',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '2026-9-1',
      '20260901',
      '2026-09-01T00:00:00Z',
      '',
      'today',
    ]) {
      expect(IsoDate.safeParse(d).success, d).toBe(false);
    }
  });

  it('takes exactly the days that a calendar has', () => {
    const daysIn = (y: number, m: number) =>
      [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const s = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(IsoDate.safeParse(s).success).toBe(d <= daysIn(y, m));
        },
      ),
    );
  });
});

describe('weekdayOf', () => {
  it('names the weekday of known dates', () => {
    expect(weekdayOf('2026-09-01')).toBe('TUE'); // first day of the 2026 autumn term
    expect(weekdayOf('2026-10-01')).toBe('THU'); // National Day 2026
    expect(weekdayOf('2000-01-01')).toBe('SAT');
    expect(weekdayOf('2028-02-29')).toBe('TUE');
    expect(weekdayOf('2026-09-27')).toBe('SUN');
  });

  it('advances by one weekday a day, across months, years and leap days', () => {
    const start = Date.UTC(1999, 11, 20);
    let expected = WEEKDAYS.indexOf(weekdayOf('1999-12-20'));
    for (let i = 0; i < 800; i++) {
      const iso = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      expect(weekdayOf(iso), iso).toBe(WEEKDAYS[expected]);
      expected = (expected + 1) % 7;
    }
  });

  it('does not depend on the time zone of the machine', () => {
    // the date has no zone: reading it at UTC midnight keeps it the same day everywhere
    const before = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(weekdayOf('2026-09-01')).toBe('TUE');
      process.env.TZ = 'Pacific/Pago_Pago';
      expect(weekdayOf('2026-09-01')).toBe('TUE');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('SchoolDay', () => {
  it('is Monday to Friday', () => {
    expect(SchoolDay.options).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI']);
    expect(SchoolDay.safeParse('SAT').success).toBe(false);
  });
});

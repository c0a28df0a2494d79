import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  expandOverTerm,
  icalendar,
  timetableDayOn,
  toCsv,
  vtimezone,
  zonedInstant,
  type CalendarEvent,
  type TermDates,
  type WeeklySession,
} from '../src/calendar';
import { parseCsv } from '../src/csv-import';
import { weekdayOf } from '../src/time';

// Autumn term 2026: starts Tuesday 1 September, ends Wednesday 20 January 2027.
// National Day 1–7 October; Sunday 27 September runs as a Wednesday and Saturday 10 October
// as a Friday (调休).
const TERM: TermDates = {
  startDate: '2026-09-01',
  endDate: '2027-01-20',
  holidays: [
    { name: '国庆', start: '2026-10-01', end: '2026-10-07' },
    { name: '元旦', start: '2027-01-01', end: '2027-01-01' },
  ],
  makeUpDays: [
    { date: '2026-09-27', runsAs: 'WED' },
    { date: '2026-10-10', runsAs: 'FRI' },
  ],
};
const SHANGHAI = 'Asia/Shanghai';
const NEW_YORK = 'America/New_York';

describe('the test calendar', () => {
  it('has the weekdays the tests assume', () => {
    expect(weekdayOf('2026-09-01')).toBe('TUE');
    expect(weekdayOf('2026-09-27')).toBe('SUN');
    expect(weekdayOf('2026-10-10')).toBe('SAT');
    expect(weekdayOf('2027-01-20')).toBe('WED');
    expect(weekdayOf('2026-03-08')).toBe('SUN');
    expect(weekdayOf('2026-11-01')).toBe('SUN');
  });
});

// ---------------------------------------------------------------- timetableDayOn
describe('timetableDayOn', () => {
  it.each([
    ['2026-09-01', 'TUE'],
    ['2026-09-04', 'FRI'],
    ['2026-09-07', 'MON'],
    ['2026-09-30', 'WED'],
    ['2026-10-08', 'THU'],
    ['2027-01-20', 'WED'],
  ])('runs a weekday of the term as itself: %s is %s', (date, day) => {
    expect(timetableDayOn(TERM, date)).toBe(day);
  });

  it('runs nothing on an ordinary weekend', () => {
    expect(timetableDayOn(TERM, '2026-09-05')).toBeNull();
    expect(timetableDayOn(TERM, '2026-09-06')).toBeNull();
    expect(timetableDayOn(TERM, '2026-10-17')).toBeNull();
  });

  it('runs nothing on a holiday, both ends included, and runs the days around it', () => {
    for (const date of ['2026-10-01', '2026-10-05', '2026-10-07', '2027-01-01'])
      expect(timetableDayOn(TERM, date), date).toBeNull();
    expect(timetableDayOn(TERM, '2026-09-30')).toBe('WED');
    expect(timetableDayOn(TERM, '2026-10-08')).toBe('THU');
    expect(timetableDayOn(TERM, '2026-12-31')).toBe('THU');
  });

  it('runs a weekend make-up day as the weekday it stands in for', () => {
    expect(timetableDayOn(TERM, '2026-09-27')).toBe('WED');
    expect(timetableDayOn(TERM, '2026-10-10')).toBe('FRI');
    expect(timetableDayOn({ ...TERM, makeUpDays: [] }, '2026-10-10')).toBeNull();
  });

  it('runs nothing outside the term, even on a weekday', () => {
    expect(weekdayOf('2026-08-31')).toBe('MON');
    expect(timetableDayOn(TERM, '2026-08-31')).toBeNull();
    expect(timetableDayOn(TERM, '2027-01-21')).toBeNull();
    expect(timetableDayOn({ ...TERM, makeUpDays: [{ date: '2027-01-23', runsAs: 'MON' }] }, '2027-01-23')).toBeNull();
  });
});

// ---------------------------------------------------------------- zonedInstant
describe('zonedInstant', () => {
  it('gives Beijing time with +08:00', () => {
    expect(zonedInstant('2026-09-01', '16:30', SHANGHAI)).toBe('2026-09-01T16:30:00+08:00');
    expect(zonedInstant('2026-09-01', '00:00', SHANGHAI)).toBe('2026-09-01T00:00:00+08:00');
    expect(Date.parse(zonedInstant('2026-09-01', '16:30', SHANGHAI))).toBe(Date.parse('2026-09-01T08:30:00Z'));
  });

  it('follows the start of daylight saving time in New York (8 March 2026)', () => {
    expect(zonedInstant('2026-03-07', '16:30', NEW_YORK)).toBe('2026-03-07T16:30:00-05:00');
    expect(zonedInstant('2026-03-08', '01:30', NEW_YORK)).toBe('2026-03-08T01:30:00-05:00');
    expect(zonedInstant('2026-03-08', '16:30', NEW_YORK)).toBe('2026-03-08T16:30:00-04:00');
    expect(zonedInstant('2026-03-09', '16:30', NEW_YORK)).toBe('2026-03-09T16:30:00-04:00');
  });

  it('follows the end of daylight saving time in New York (1 November 2026)', () => {
    expect(zonedInstant('2026-10-31', '16:30', NEW_YORK)).toBe('2026-10-31T16:30:00-04:00');
    expect(zonedInstant('2026-11-01', '16:30', NEW_YORK)).toBe('2026-11-01T16:30:00-05:00');
    expect(Date.parse(zonedInstant('2026-11-01', '16:30', NEW_YORK))).toBe(Date.parse('2026-11-01T21:30:00Z'));
  });

  it('reads "24:00" as midnight at the start of the next date', () => {
    expect(zonedInstant('2026-09-01', '24:00', SHANGHAI)).toBe('2026-09-02T00:00:00+08:00');
    expect(zonedInstant('2026-12-31', '24:00', SHANGHAI)).toBe('2027-01-01T00:00:00+08:00');
    expect(zonedInstant('2026-09-30', '24:00', SHANGHAI)).toBe('2026-10-01T00:00:00+08:00');
  });

  it('reads "24:00" as the next midnight on a day of 23 or 25 hours', () => {
    expect(zonedInstant('2026-03-08', '24:00', NEW_YORK)).toBe('2026-03-09T00:00:00-04:00');
    expect(zonedInstant('2026-11-01', '24:00', NEW_YORK)).toBe('2026-11-02T00:00:00-05:00');
  });
});

// ---------------------------------------------------------------- expandOverTerm
describe('expandOverTerm', () => {
  type Named = WeeklySession & { name: string };
  const SESSIONS: Named[] = [
    { id: 'a.0', day: 'MON', start: '16:30', end: '17:15', name: '街舞' },
    { id: 'c.0', day: 'WED', start: '16:30', end: '17:30', name: '合唱' },
    { id: 'b.0', day: 'MON', start: '15:40', end: '16:20', name: '围棋' },
    { id: 'd.0', day: 'FRI', start: '16:00', end: '16:40', name: '书法' },
    { id: 'e.0', day: 'SAT', start: '09:00', end: '10:00', name: '周六' },
    { id: 'a.1', day: 'MON', start: '16:30', end: '17:00', name: '街舞 2' },
  ];
  const pairs = (ds: { date: string; session: { id: string } }[]) => ds.map((d) => `${d.date} ${d.session.id}`);

  it('skips the holiday and weekends, runs make-up days, in order of date then start then id', () => {
    // Act
    const out = expandOverTerm(TERM, SESSIONS, SHANGHAI, '2026-09-26', '2026-10-12');
    // Assess
    expect(pairs(out)).toEqual([
      '2026-09-27 c.0', // Sunday, runs as Wednesday
      '2026-09-28 b.0',
      '2026-09-28 a.0',
      '2026-09-28 a.1',
      '2026-09-30 c.0',
      '2026-10-09 d.0',
      '2026-10-10 d.0', // Saturday, runs as Friday: the Saturday session does not run
      '2026-10-12 b.0',
      '2026-10-12 a.0',
      '2026-10-12 a.1',
    ]);
  });

  it('places a make-up Saturday session at the weekday times on that date', () => {
    const out = expandOverTerm(TERM, SESSIONS, SHANGHAI, '2026-10-10', '2026-10-10');
    expect(out).toEqual([
      { session: SESSIONS[3], date: '2026-10-10', startsAt: '2026-10-10T16:00:00+08:00', endsAt: '2026-10-10T16:40:00+08:00' },
    ]);
  });

  it('carries each session as given, with its own fields', () => {
    const out = expandOverTerm(TERM, SESSIONS, SHANGHAI, '2026-09-07', '2026-09-07');
    expect(out.map((d) => d.session.name)).toEqual(['围棋', '街舞', '街舞 2']);
    expect(out[0]!.session).toBe(SESSIONS[2]);
  });

  it('clips from and to to the term', () => {
    const head = expandOverTerm(TERM, SESSIONS, SHANGHAI, '2026-08-01', '2026-09-07');
    expect(pairs(head)).toEqual(['2026-09-02 c.0', '2026-09-04 d.0', '2026-09-07 b.0', '2026-09-07 a.0', '2026-09-07 a.1']);
    const tail = expandOverTerm(TERM, SESSIONS, SHANGHAI, '2027-01-18', '2027-03-01');
    expect(pairs(tail)).toEqual(['2027-01-18 b.0', '2027-01-18 a.0', '2027-01-18 a.1', '2027-01-20 c.0']);
  });

  it('gives nothing for a range outside the term or backwards', () => {
    expect(expandOverTerm(TERM, SESSIONS, SHANGHAI, '2027-02-01', '2027-03-01')).toEqual([]);
    expect(expandOverTerm(TERM, SESSIONS, SHANGHAI, '2026-09-10', '2026-09-09')).toEqual([]);
    expect(expandOverTerm(TERM, [], SHANGHAI)).toEqual([]);
  });

  it('covers the whole term by default: every working date once per session of its day', () => {
    // Act
    const out = expandOverTerm(TERM, SESSIONS, SHANGHAI);
    // Assess
    expect(out[0]!.date).toBe('2026-09-02');
    expect(out[out.length - 1]!.date).toBe('2027-01-20');
    for (const d of out) {
      const day = timetableDayOn(TERM, d.date);
      expect(day, d.date).toBe(d.session.day);
      expect(d.startsAt.startsWith(`${d.date}T${d.session.start}:00`)).toBe(true);
    }
    expect(out.some((d) => d.date >= '2026-10-01' && d.date <= '2026-10-07')).toBe(false);
    expect(out.filter((d) => d.session.id === 'e.0')).toEqual([]);
    const keys = pairs(out);
    expect(new Set(keys).size).toBe(keys.length);
    const order = out.map((d) => `${d.date} ${d.session.start}`);
    expect(order).toEqual([...order].sort());
  });

  it('does not reorder the sessions it was given', () => {
    const input = [...SESSIONS];
    expandOverTerm(TERM, input, SHANGHAI);
    expect(input).toEqual(SESSIONS);
  });

  it("uses the zone's offset on each date, across a change of daylight saving time", () => {
    const term: TermDates = { startDate: '2026-10-26', endDate: '2026-11-06', holidays: [], makeUpDays: [] };
    const out = expandOverTerm(term, [SESSIONS[3]!], NEW_YORK);
    expect(out.map((d) => d.startsAt)).toEqual(['2026-10-30T16:00:00-04:00', '2026-11-06T16:00:00-05:00']);
  });
});

// ---------------------------------------------------------------- vtimezone
/** The STANDARD / DAYLIGHT parts of a VTIMEZONE, each as its properties. */
const partsOf = (lines: string[]) => {
  const parts: Record<string, string>[] = [];
  let cur: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:STANDARD' || line === 'BEGIN:DAYLIGHT') cur = { KIND: line.slice(6) };
    else if (line.startsWith('END:') && cur) {
      parts.push(cur);
      cur = null;
    } else if (cur) {
      const i = line.indexOf(':');
      cur[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return parts;
};

describe('vtimezone', () => {
  it('is one STANDARD part at +0800 for Asia/Shanghai', () => {
    // Act
    const lines = vtimezone(SHANGHAI, '2026-09-01', '2027-01-20');
    // Assess
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai']);
    expect(lines[lines.length - 1]).toBe('END:VTIMEZONE');
    expect(partsOf(lines)).toEqual([
      expect.objectContaining({ KIND: 'STANDARD', DTSTART: '20260901T000000', TZOFFSETFROM: '+0800', TZOFFSETTO: '+0800' }),
    ]);
  });

  it('has a STANDARD part at 02:00 on 1 November 2026 for New York, from -0400 to -0500', () => {
    const parts = partsOf(vtimezone(NEW_YORK, '2026-10-15', '2026-11-20'));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ KIND: 'DAYLIGHT', DTSTART: '20261015T000000', TZOFFSETFROM: '-0400', TZOFFSETTO: '-0400' });
    expect(parts[1]).toEqual({
      KIND: 'STANDARD',
      DTSTART: '20261101T020000',
      TZOFFSETFROM: '-0400',
      TZOFFSETTO: '-0500',
      TZNAME: expect.any(String),
    });
  });

  it('has a DAYLIGHT part at 02:00 on 8 March 2026 for New York, from -0500 to -0400', () => {
    const parts = partsOf(vtimezone(NEW_YORK, '2026-03-01', '2026-03-31'));
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ KIND: 'STANDARD', TZOFFSETFROM: '-0500', TZOFFSETTO: '-0500' });
    expect(parts[1]).toMatchObject({ KIND: 'DAYLIGHT', DTSTART: '20260308T020000', TZOFFSETFROM: '-0500', TZOFFSETTO: '-0400' });
  });

  it('has a part for each change over a year, and none when nothing changes', () => {
    const year = partsOf(vtimezone(NEW_YORK, '2026-01-05', '2026-12-18'));
    expect(year.map((p) => `${p.KIND} ${p.DTSTART}`)).toEqual([
      'STANDARD 20260105T000000',
      'DAYLIGHT 20260308T020000',
      'STANDARD 20261101T020000',
    ]);
    expect(partsOf(vtimezone(NEW_YORK, '2026-04-01', '2026-06-30')).map((p) => p.KIND)).toEqual(['DAYLIGHT']);
    // south of the equator, summer is in January
    expect(partsOf(vtimezone('Australia/Sydney', '2026-01-05', '2026-02-20')).map((p) => p.KIND)).toEqual(['DAYLIGHT']);
    expect(partsOf(vtimezone('Australia/Sydney', '2026-06-01', '2026-07-20')).map((p) => p.KIND)).toEqual(['STANDARD']);
  });

  it('writes offsets with minutes, west of Greenwich too', () => {
    expect(partsOf(vtimezone('Asia/Kolkata', '2026-09-01', '2026-09-30'))[0]).toMatchObject({ TZOFFSETTO: '+0530' });
    // St John's, Newfoundland: -02:30 in summer, -03:30 from 02:00 on 1 November 2026
    const nl = partsOf(vtimezone('America/St_Johns', '2026-10-20', '2026-11-10'));
    expect(nl[1]).toMatchObject({ KIND: 'STANDARD', DTSTART: '20261101T020000', TZOFFSETFROM: '-0230', TZOFFSETTO: '-0330' });
  });
});

// ---------------------------------------------------------------- icalendar
const NOW = new Date('2026-09-01T08:00:00.000Z');
const LONG_ZH = '街舞社团基础班：每周一、周三下午在舞蹈室上课，请穿运动鞋，带水杯；家长请于十八点前接孩子回家🎒'.repeat(2);
const EVENTS: CalendarEvent[] = [
  {
    uid: 'k-1.0.2026-09-07@kehou',
    date: '2026-09-07',
    start: '16:30',
    end: '17:15',
    summary: '街舞 基础班',
    location: '舞蹈室 1',
    description: 'Street dance, basic; bring shoes\\water\nsecond line',
  },
  {
    uid: 'k-1.0.2026-09-14@kehou',
    date: '2026-09-14',
    start: '16:30',
    end: '17:15',
    summary: LONG_ZH,
    location: '舞蹈室 1',
    description: 'x'.repeat(200),
  },
];
const calendar = (events = EVENTS, zone = SHANGHAI) => icalendar({ name: '李老师, 课后服务', zone, now: NOW, events });
const unfold = (ics: string) =>
  ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .slice(0, -1);
const unescape = (v: string) => v.replace(/\\(.)/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
const valueOf = (lines: string[], name: string) =>
  lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1));

describe('icalendar', () => {
  it('ends every line with CRLF and has no bare CR or LF', () => {
    const ics = calendar();
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(/\r(?!\n)|(?<!\r)\n/.test(ics)).toBe(false);
  });

  it('folds every line to at most 75 octets, continuing with a space', () => {
    // Act
    const physical = calendar().split('\r\n').slice(0, -1);
    // Assess
    for (const line of physical) expect(Buffer.byteLength(line, 'utf8'), line).toBeLessThanOrEqual(75);
    const continued = physical.filter((l) => l.startsWith(' '));
    expect(continued.length).toBeGreaterThan(4); // the long summary and description were folded
  });

  it('never folds inside a UTF-8 character: each physical line decodes on its own', () => {
    const bytes = Buffer.from(calendar(), 'utf8');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let from = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        expect(() => decoder.decode(bytes.subarray(from, i))).not.toThrow();
        from = i + 2;
      }
    }
    expect(from).toBe(bytes.length);
  });

  it('gives back the original text when unfolded and unescaped', () => {
    const lines = unfold(calendar());
    expect(valueOf(lines, 'SUMMARY').map(unescape)).toEqual(['街舞 基础班', LONG_ZH]);
    expect(valueOf(lines, 'DESCRIPTION').map(unescape)).toEqual([EVENTS[0]!.description, 'x'.repeat(200)]);
    expect(valueOf(lines, 'X-WR-CALNAME').map(unescape)).toEqual(['李老师, 课后服务']);
  });

  it('escapes commas, semicolons, backslashes and newlines', () => {
    const lines = unfold(calendar());
    expect(valueOf(lines, 'DESCRIPTION')[0]).toBe('Street dance\\, basic\\; bring shoes\\\\water\\nsecond line');
    expect(valueOf(lines, 'X-WR-CALNAME')).toEqual(['李老师\\, 课后服务']);
    const crlf = unfold(calendar([{ ...EVENTS[0]!, description: 'a\r\nb' }]));
    expect(valueOf(crlf, 'DESCRIPTION')).toEqual(['a\\nb']);
  });

  it('writes each event at wall-clock times of the zone, with UID and DTSTAMP', () => {
    const lines = unfold(calendar());
    expect(valueOf(lines, 'UID')).toEqual(['k-1.0.2026-09-07@kehou', 'k-1.0.2026-09-14@kehou']);
    expect(lines).toContain('DTSTART;TZID=Asia/Shanghai:20260907T163000');
    expect(lines).toContain('DTEND;TZID=Asia/Shanghai:20260907T171500');
    expect(valueOf(lines, 'DTSTAMP')).toEqual(['20260901T080000Z', '20260901T080000Z']);
    expect(valueOf(lines, 'LOCATION')).toEqual(['舞蹈室 1', '舞蹈室 1']);
    expect(lines).toContain('X-WR-TIMEZONE:Asia/Shanghai');
  });

  it('includes a VTIMEZONE for the zone the events name', () => {
    const lines = unfold(calendar(EVENTS, NEW_YORK));
    const at = lines.indexOf('BEGIN:VTIMEZONE');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('TZID:America/New_York');
    expect(at).toBeLessThan(lines.indexOf('BEGIN:VEVENT'));
    expect(lines).toContain('DTSTART;TZID=America/New_York:20260907T163000');
  });

  it('balances every BEGIN with its END, properly nested', () => {
    // Prepare
    const lines = unfold(calendar());
    const stack: string[] = [];
    // Act
    for (const l of lines) {
      if (l.startsWith('BEGIN:')) stack.push(l.slice(6));
      else if (l.startsWith('END:')) expect(stack.pop()).toBe(l.slice(4));
    }
    // Assess
    expect(stack).toEqual([]);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
  });

  it('is an empty but valid calendar without events, and has no VTIMEZONE then', () => {
    const lines = unfold(calendar([]));
    expect(lines).toContain('VERSION:2.0');
    expect(lines).not.toContain('BEGIN:VTIMEZONE');
    expect(lines).not.toContain('BEGIN:VEVENT');
    expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
  });

  it('folds and unfolds any text back to itself', () => {
    const unit = fc.constantFrom('a', ' ', ',', ';', '\\', '\n', '中', '班', 'é', '🎒', ':');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 120 }), (summary) => {
        const ics = calendar([{ ...EVENTS[0]!, summary }]);
        for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
        expect(valueOf(unfold(ics), 'SUMMARY').map(unescape)).toEqual([summary]);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------- toCsv
describe('toCsv', () => {
  it('starts with a byte order mark and ends every row with CRLF', () => {
    const csv = toCsv(['a', 'b'], [['1', 2]]);
    expect(csv).toBe('\uFEFFa,b\r\n1,2\r\n');
  });

  it('quotes cells with commas, quotes or line breaks, and leaves others bare', () => {
    const csv = toCsv(['社团'], [['李, 明'], ['say "你好"'], ['line 1\nline 2'], ['a\rb'], ['街舞 基础班']]);
    expect(csv.slice(1).split('\r\n')).toEqual([
      '社团',
      '"李, 明"',
      '"say ""你好"""',
      '"line 1\nline 2"',
      '"a\rb"',
      '街舞 基础班',
      '',
    ]);
  });

  it.each([
    ['=SUM(A1)', `"'=SUM(A1)"`],
    ['+8613800138000', `"'+8613800138000"`],
    ['-1', `"'-1"`],
    ['@x', `"'@x"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('neutralises the formula-looking cell %s with an apostrophe inside quotes', (cell, written) => {
    expect(toCsv(['h'], [[cell]])).toBe(`\uFEFFh\r\n${written}\r\n`);
  });

  it('neutralises a negative number, and a formula-looking header', () => {
    expect(toCsv(['=h'], [[-1, 5]])).toBe(`\uFEFF"'=h"\r\n"'-1",5\r\n`);
  });

  it('leaves = + - @ alone when not at the start', () => {
    expect(toCsv(['h'], [['a=b', '1-2', 'x@y.cn', '13800138000']])).toBe('\uFEFFh\r\na=b,1-2,x@y.cn,13800138000\r\n');
  });

  it('reads back, by an RFC 4180 reader, as the cells written (formula cells with their apostrophe)', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', '中', ' ', ',', '"', '\n', '\r\n', '\t', '=', '+', '-', '@', "'"),
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const [header, ...body] = rows;
        const back = parseCsv(toCsv(header!, body));
        const expected = rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
        expect(back).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

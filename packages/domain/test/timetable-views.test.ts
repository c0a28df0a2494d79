import { describe, expect, it } from 'vitest';
import { Club } from '../src/clubs';
import { Staff } from '../src/people';
import { parseCsv } from '../src/csv-import';
import { Room, Term } from '../src/school';
import type { TimetableSession } from '../src/timetable';
import {
  DatedSessionView,
  datedViews,
  inView,
  rosterDates,
  SessionView,
  staffCalendar,
  timetableCsv,
  viewSessions,
  ViewFilter,
  type NamesData,
} from '../src/timetable-views';

const META = { version: 1, createdAt: '2026-06-01T00:00:00.000Z', updatedAt: '2026-06-01T00:00:00.000Z', updatedBy: 'u-1' };
const klass = (id: string, tier: string, name: string, grades: number[]) => ({
  id,
  tier,
  name,
  grades,
  capacity: 20,
  sessionsPerWeek: 1,
  minutesPerSession: 45,
});
const club = (id: string, name: string, nameEn: string, classes: ReturnType<typeof klass>[]) =>
  Club.parse({
    id,
    schoolId: 's-1',
    termId: 't-1',
    status: 'active',
    lineageId: `lin-${id}`,
    name,
    nameEn,
    category: 'arts',
    descriptionZh: name,
    descriptionEn: nameEn,
    skill: 'any',
    classes,
    ...META,
  });

const DATA: NamesData = {
  clubs: [
    club('c-dance', '街舞', 'Street dance', [
      klass('k-d1', 'basic', '基础班', [3, 4]),
      klass('k-d2', 'advanced', '提升班', [5, 6]),
    ]),
    club('c-go', '围棋, 象棋', 'Go, chess', [klass('k-g1', 'basic', '入门班', [1, 2, 3])]),
  ],
  rooms: [
    Room.parse({ id: 'r-dance', schoolId: 's-1', status: 'active', name: '舞蹈室 1', capacity: 30, ...META }),
    Room.parse({ id: 'r-301', schoolId: 's-1', status: 'active', name: '301 教室', capacity: 45, ...META }),
  ],
  staff: [
    Staff.parse({ id: 'st-li', schoolId: 's-1', status: 'active', name: '李老师', kind: 'teacher', ...META }),
    Staff.parse({ id: 'st-wang', schoolId: 's-1', status: 'active', name: '王志愿者', kind: 'volunteer', ...META }),
  ],
};

const s = (
  id: string,
  classId: string,
  clubId: string,
  day: TimetableSession['day'],
  start: string,
  end: string,
  roomId: string,
  staffId: string,
  locked = false,
): TimetableSession => ({ id, classId, clubId, day, start, end, roomId, staffId, locked });

const SESSIONS: TimetableSession[] = [
  s('k-d2.0', 'k-d2', 'c-dance', 'WED', '16:30', '17:30', 'r-dance', 'st-li'),
  s('k-d1.0', 'k-d1', 'c-dance', 'MON', '16:30', '17:15', 'r-dance', 'st-li', true),
  s('k-g1.0', 'k-g1', 'c-go', 'MON', '15:40', '16:20', 'r-301', 'st-wang'),
  s('k-d1.1', 'k-d1', 'c-dance', 'THU', '16:30', '17:15', 'r-301', 'st-wang'),
];
const ids = (views: { id: string }[]) => views.map((v) => v.id);

// ---------------------------------------------------------------- viewSessions
describe('viewSessions', () => {
  it('fills in the names, grades and minutes, in reading order', () => {
    // Act
    const views = viewSessions(DATA, SESSIONS);
    // Assess
    expect(ids(views)).toEqual(['k-g1.0', 'k-d1.0', 'k-d2.0', 'k-d1.1']);
    expect(views[1]).toEqual({
      ...SESSIONS[1],
      clubName: '街舞',
      clubNameEn: 'Street dance',
      className: '基础班',
      tier: 'basic',
      grades: [3, 4],
      minutes: 45,
      roomName: '舞蹈室 1',
      staffName: '李老师',
    });
    expect(views.map((v) => v.minutes)).toEqual([40, 45, 60, 45]);
    for (const v of views) expect(SessionView.safeParse(v).success).toBe(true);
  });

  it.each<[string, ViewFilter, string[]]>([
    ['classId', { classId: 'k-d1' }, ['k-d1.0', 'k-d1.1']],
    ['clubId', { clubId: 'c-dance' }, ['k-d1.0', 'k-d2.0', 'k-d1.1']],
    ['staffId', { staffId: 'st-wang' }, ['k-g1.0', 'k-d1.1']],
    ['roomId', { roomId: 'r-dance' }, ['k-d1.0', 'k-d2.0']],
    ['grade', { grade: 3 }, ['k-g1.0', 'k-d1.0', 'k-d1.1']],
    ['grade', { grade: 6 }, ['k-d2.0']],
    ['day', { day: 'MON' }, ['k-g1.0', 'k-d1.0']],
  ])('filters by %s alone: %o', (_name, filter, expected) => {
    expect(ids(viewSessions(DATA, SESSIONS, filter))).toEqual(expected);
  });

  it('shows nothing for a filter nothing matches, and everything for no filter', () => {
    expect(viewSessions(DATA, SESSIONS, { grade: 9 })).toEqual([]);
    expect(viewSessions(DATA, SESSIONS, { day: 'FRI' })).toEqual([]);
    expect(viewSessions(DATA, SESSIONS, { staffId: 'st-nobody' })).toEqual([]);
    expect(viewSessions(DATA, SESSIONS, {})).toHaveLength(SESSIONS.length);
  });

  it('combines filters', () => {
    expect(ids(viewSessions(DATA, SESSIONS, { clubId: 'c-dance', staffId: 'st-wang' }))).toEqual(['k-d1.1']);
    expect(ids(viewSessions(DATA, SESSIONS, { grade: 3, day: 'MON', roomId: 'r-301' }))).toEqual(['k-g1.0']);
  });

  it('still shows a session of a deleted club or class, marked, with ids for unknown rooms and staff', () => {
    // Prepare
    const orphan = s('k-gone.0', 'k-gone', 'c-gone', 'TUE', '16:00', '17:30', 'r-gone', 'st-gone');
    // Act
    const views = viewSessions(DATA, [...SESSIONS, orphan]);
    // Assess
    expect(views.find((v) => v.id === 'k-gone.0')).toEqual({
      ...orphan,
      clubName: '(deleted club)',
      clubNameEn: '(deleted club)',
      className: '(deleted class)',
      tier: '',
      grades: [],
      minutes: 90,
      roomName: 'r-gone',
      staffName: 'st-gone',
    });
    expect(ids(viewSessions(DATA, [orphan], { clubId: 'c-gone' }))).toEqual(['k-gone.0']);
    expect(viewSessions(DATA, [orphan], { grade: 3 })).toEqual([]);
  });

  it('gives each view its own grades: changing them does not change the club', () => {
    const views = viewSessions(DATA, SESSIONS, { classId: 'k-d2' });
    views[0]!.grades.push(12);
    expect(DATA.clubs[0]!.classes[1]!.grades).toEqual([5, 6]);
  });
});

describe('inView', () => {
  it('shows a view every session that viewSessions gives for the same filter, and no other', () => {
    // Prepare
    const all = viewSessions(DATA, SESSIONS);
    const filters: ViewFilter[] = [
      { classId: 'k-d1' },
      { staffId: 'st-wang', day: 'THU' },
      { grade: 3 },
      { roomId: 'r-301' },
      {},
    ];
    for (const f of filters) {
      // Act
      const shown = all.filter((v) => inView(v, f));
      // Assess
      expect(ids(shown)).toEqual(ids(viewSessions(DATA, SESSIONS, f)));
    }
  });
});

// ---------------------------------------------------------------- datedViews
const TERM = Term.parse({
  id: 't-1',
  schoolId: 's-1',
  name: '2026 秋季学期',
  startDate: '2026-09-01',
  endDate: '2026-10-16',
  holidays: [{ name: '国庆', start: '2026-10-01', end: '2026-10-07' }],
  makeUpDays: [{ date: '2026-10-10', runsAs: 'THU' }],
  ...META,
});
const WHERE = { schoolId: 's-1', term: TERM, zone: 'Asia/Shanghai' };

describe('datedViews', () => {
  it('puts each view on its dates, with the school and term, at +08:00', () => {
    // Prepare
    const views = viewSessions(DATA, SESSIONS, { classId: 'k-d1' });
    // Act
    const dated = datedViews(WHERE, views, { start: '2026-09-07', end: '2026-09-13' });
    // Assess
    expect(dated.map((d) => `${d.date} ${d.id}`)).toEqual(['2026-09-07 k-d1.0', '2026-09-10 k-d1.1']);
    expect(dated[0]).toEqual({
      ...views[0],
      date: '2026-09-07',
      startsAt: '2026-09-07T16:30:00+08:00',
      endsAt: '2026-09-07T17:15:00+08:00',
      schoolId: 's-1',
      termId: 't-1',
    });
    for (const d of dated) expect(DatedSessionView.safeParse(d).success).toBe(true);
  });

  it('covers the whole term without a range: the holiday skipped, the make-up Saturday kept', () => {
    const dated = datedViews(WHERE, viewSessions(DATA, SESSIONS, { classId: 'k-d1', day: 'THU' }));
    const dates = dated.map((d) => d.date);
    expect(dates).toEqual(['2026-09-03', '2026-09-10', '2026-09-17', '2026-09-24', '2026-10-08', '2026-10-10', '2026-10-15']);
    expect(dated.find((d) => d.date === '2026-10-10')!.startsAt).toBe('2026-10-10T16:30:00+08:00');
  });

  it('clips a range to the term', () => {
    const dated = datedViews(WHERE, viewSessions(DATA, SESSIONS, { day: 'MON' }), { start: '2026-10-01', end: '2026-12-31' });
    expect(dated.map((d) => `${d.date} ${d.id}`)).toEqual(['2026-10-12 k-g1.0', '2026-10-12 k-d1.0']);
  });
});

// ---------------------------------------------------------------- timetableCsv
describe('timetableCsv', () => {
  const HEADER = '星期 day,开始 start,结束 end,社团 club,club,班级 class,tier,年级 grades,教室 room,老师 staff,session,locked';

  it('has the header and one row per session, with Chinese day names', () => {
    // Act
    const csv = timetableCsv(viewSessions(DATA, SESSIONS));
    // Assess
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines).toHaveLength(SESSIONS.length + 2); // the header, the rows, and the end of the last row
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.slice(1, -1).map((l) => l.slice(0, 2))).toEqual(['周一', '周一', '周三', '周四']);
    expect(lines[2]).toBe('周一,16:30,17:15,街舞,Street dance,基础班,basic,3 4,舞蹈室 1,李老师,k-d1.0,yes');
  });

  it('quotes a club name with a comma, and reads back as the views', () => {
    const views = viewSessions(DATA, SESSIONS, { clubId: 'c-go' });
    const csv = timetableCsv(views);
    expect(csv).toContain('"围棋, 象棋","Go, chess"');
    expect(parseCsv(csv)[1]).toEqual([
      '周一',
      '15:40',
      '16:20',
      '围棋, 象棋',
      'Go, chess',
      '入门班',
      'basic',
      '1 2 3',
      '301 教室',
      '王志愿者',
      'k-g1.0',
      '',
    ]);
  });

  it('is only the header for no sessions', () => {
    expect(timetableCsv([])).toBe(`\uFEFF${HEADER}\r\n`);
  });
});

// ---------------------------------------------------------------- staffCalendar
describe('staffCalendar', () => {
  const NOW = new Date('2026-09-01T08:00:00.000Z');
  const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const valuesOf = (lines: string[], name: string) =>
    lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1));
  const liSessions = () =>
    datedViews(WHERE, viewSessions(DATA, SESSIONS, { staffId: 'st-li' }), { start: '2026-09-07', end: '2026-09-20' });

  it('has one event per dated session, with a UID unique per session and date', () => {
    // Prepare
    const dated = liSessions();
    // Act
    const lines = unfold(staffCalendar({ name: '李老师 · 实验小学 课后服务', zone: 'Asia/Shanghai', now: NOW, sessions: dated }));
    // Assess
    expect(dated).toHaveLength(4);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(4);
    expect(valuesOf(lines, 'UID')).toEqual([
      'k-d1.0.2026-09-07@kehou',
      'k-d2.0.2026-09-09@kehou',
      'k-d1.0.2026-09-14@kehou',
      'k-d2.0.2026-09-16@kehou',
    ]);
  });

  it('names the club and class in SUMMARY, the room in LOCATION, at the wall-clock time', () => {
    const lines = unfold(staffCalendar({ name: '李老师', zone: 'Asia/Shanghai', now: NOW, sessions: liSessions().slice(0, 2) }));
    expect(valuesOf(lines, 'SUMMARY')).toEqual(['街舞 基础班', '街舞 提升班']);
    expect(valuesOf(lines, 'LOCATION')).toEqual(['舞蹈室 1', '舞蹈室 1']);
    expect(lines).toContain('DTSTART;TZID=Asia/Shanghai:20260907T163000');
    expect(lines).toContain('DTEND;TZID=Asia/Shanghai:20260909T173000');
    expect(valuesOf(lines, 'DESCRIPTION')[0]).toBe('Street dance (basic)\\, grades 3\\, 4\\, 45 min');
    expect(valuesOf(lines, 'X-WR-CALNAME')).toEqual(['李老师']);
    expect(lines).toContain('BEGIN:VTIMEZONE');
  });

  it('escapes a club name with a comma in SUMMARY', () => {
    const dated = datedViews(WHERE, viewSessions(DATA, SESSIONS, { clubId: 'c-go' }), { start: '2026-09-07', end: '2026-09-07' });
    const lines = unfold(staffCalendar({ name: '王志愿者', zone: 'Asia/Shanghai', now: NOW, sessions: dated }));
    expect(valuesOf(lines, 'SUMMARY')).toEqual(['围棋\\, 象棋 入门班']);
  });

  it('is an empty calendar for no sessions', () => {
    const lines = unfold(staffCalendar({ name: '李老师', zone: 'Asia/Shanghai', now: NOW, sessions: [] }));
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toEqual([]);
    expect(lines).toContain('END:VCALENDAR');
  });
});

// ---------------------------------------------------------------- rosterDates
describe('rosterDates', () => {
  const SPRING = Term.parse({
    ...TERM,
    id: 't-2',
    name: '2027 春季学期',
    startDate: '2027-02-22',
    endDate: '2027-03-05',
    holidays: [],
  });
  const published = [
    ...viewSessions(DATA, SESSIONS, { staffId: 'st-wang' }).map((v) => ({ ...v, termId: 't-1' })),
    ...viewSessions(DATA, SESSIONS, { classId: 'k-d2' }).map((v) => ({ ...v, termId: 't-2' })),
    { ...viewSessions(DATA, SESSIONS, { classId: 'k-d1', day: 'MON' })[0]!, termId: 't-deleted' },
  ];
  const school = { id: 's-1', timezone: 'Asia/Shanghai' };

  it("dates each term's sessions by that term's calendar, by start, across the terms in the range", () => {
    // Act
    const dated = rosterDates(school, [TERM, SPRING], published, { start: '2026-10-08', end: '2027-02-28' });
    // Assess: autumn's THU session and the make-up Saturday run as THU, spring's WED, nothing in the holiday
    expect(dated.map((d) => `${d.date} ${d.termId} ${d.id}`)).toEqual([
      '2026-10-08 t-1 k-d1.1',
      '2026-10-10 t-1 k-d1.1',
      '2026-10-12 t-1 k-g1.0',
      '2026-10-15 t-1 k-d1.1',
      '2027-02-24 t-2 k-d2.0',
    ]);
    expect(dated[0]).toMatchObject({ schoolId: 's-1', startsAt: '2026-10-08T16:30:00+08:00' });
  });

  it('leaves out the sessions of a term that no longer exists, and a term outside the range', () => {
    expect(rosterDates(school, [SPRING], published, { start: '2026-09-01', end: '2026-12-31' })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  assertMayWithdraw,
  assertWindow,
  checkChoices,
  classOffers,
  reasonsAgainst,
  WindowInput,
  windowState,
  type ChildFacts,
} from '../src/enrolment';
import { InvalidInput, RuleViolation } from '../src/errors';
import type { Club } from '../src/clubs';

const club = (id: string, name: string, classes: Array<Partial<Club['classes'][number]> & { id: string; name: string }>): Club =>
  ({
    id,
    lineageId: `lin-${id}`,
    schoolId: 's',
    termId: 't',
    name,
    nameEn: name,
    category: 'other',
    descriptionZh: name,
    descriptionEn: name,
    skill: 'x',
    roomFeatures: [],
    status: 'active',
    version: 1,
    createdAt: '',
    updatedAt: '',
    updatedBy: '',
    classes: classes.map((k) => ({
      tier: 'basic',
      grades: [3, 4],
      capacity: 30,
      sessionsPerWeek: 1,
      minutesPerSession: 60,
      preferredStaffId: null,
      fixedStaffId: null,
      prerequisite: null,
      ...k,
    })),
  }) as Club;

const CLUBS = [
  club('robot', '机器人', [
    { id: 'rb', name: '基础班' },
    { id: 'ra', name: '进阶班', tier: 'advanced', prerequisite: { tier: 'basic', orTeacherApproval: true } },
  ]),
  club('dance', '舞蹈', [{ id: 'db', name: '基础班', grades: [1, 2] }]),
  club('chess', '国际象棋', [
    { id: 'cb', name: '基础班' },
    { id: 'ca', name: '提升班', tier: 'advanced', prerequisite: { tier: 'basic', orTeacherApproval: false } },
  ]),
];
const SESSIONS = [
  { classId: 'rb', day: 'MON', start: '16:30', end: '17:30' },
  { classId: 'ra', day: 'TUE', start: '16:30', end: '17:30' },
  { classId: 'db', day: 'TUE', start: '17:00', end: '17:45' },
  { classId: 'cb', day: 'TUE', start: '16:00', end: '16:30' },
  { classId: 'cb', day: 'THU', start: '16:00', end: '16:30' },
  { classId: 'ca', day: 'WED', start: '16:00', end: '17:00' },
];
const OFFERS = new Map(classOffers(CLUBS, SESSIONS).map((o) => [o.classId, o]));
const offer = (id: string) => OFFERS.get(id)!;
const child = (o: Partial<ChildFacts> = {}): ChildFacts => ({
  name: '小明',
  gradeLevel: 3,
  daysOut: new Set(),
  held: [],
  heldLastTerm: new Set(),
  approvals: new Set(),
  ...o,
});
const why = (id: string, c: ChildFacts, forPlace = true) =>
  reasonsAgainst(offer(id), c, OFFERS, { places: 2, forPlace }).map((r) => r.message);

describe('class offers', () => {
  it('take each class’s weekly sessions from the published timetable, in weekday order', () => {
    expect(offer('cb').slots).toEqual([
      { day: 'TUE', start: '16:00', end: '16:30' },
      { day: 'THU', start: '16:00', end: '16:30' },
    ]);
    expect(offer('ra')).toMatchObject({ clubName: '机器人', className: '进阶班', lineageId: 'lin-robot', tier: 'advanced' });
  });
});

describe('eligibility', () => {
  it('admits a child of the grade with no clash, prerequisite or day out', () => {
    expect(why('rb', child())).toEqual([]);
  });

  it('refuses another grade, naming both', () => {
    expect(why('db', child())).toEqual(['舞蹈 基础班 is for grade 1, 2; 小明 is in grade 3']);
  });

  it('needs the basic tier of the same club last term, or a teacher’s approval', () => {
    expect(why('ra', child())).toEqual([
      '机器人 进阶班 needs the 机器人 basic class last term or a teacher’s approval; 小明 has neither',
    ]);
    expect(why('ra', child({ heldLastTerm: new Set(['lin-robot#basic']) }))).toEqual([]);
    expect(why('ra', child({ approvals: new Set(['ra']) }))).toEqual([]);
    // another club's basic tier is not this one's
    expect(why('ra', child({ heldLastTerm: new Set(['lin-chess#basic']) }))).toHaveLength(1);
  });

  it('does not take an approval where the prerequisite does not allow one', () => {
    expect(why('ca', child({ approvals: new Set(['ca']) }))).toEqual([
      '国际象棋 提升班 needs the 国际象棋 basic class last term; 小明 has neither',
    ]);
  });

  it('refuses a class that meets on a day the child is opted out', () => {
    expect(why('cb', child({ daysOut: new Set(['THU']) }))).toEqual([
      '国际象棋 基础班 meets THU 16:00–16:30, a day 小明 is opted out of the service',
    ]);
  });

  it('refuses a class that clashes with one the child holds, naming both and the time', () => {
    const c = child({ gradeLevel: 3, held: ['ra'], approvals: new Set(['ra']) });
    expect(why('cb', c)).toEqual([]); // TUE 16:00–16:30 ends when 进阶班 starts: no overlap
    const dance = child({ gradeLevel: 1, held: ['db'] });
    expect(
      reasonsAgainst({ ...offer('ra'), grades: [1] }, { ...dance, approvals: new Set(['ra']) }, OFFERS, {
        places: 2,
        forPlace: true,
      }).map((r) => r.message),
    ).toEqual(['机器人 进阶班 meets TUE 16:30–17:30, when 舞蹈 基础班 meets']);
  });

  it('counts N only for a place: a child holding N classes may rank but not take another', () => {
    const c = child({ held: ['rb', 'cb'] });
    expect(why('ca', { ...c, heldLastTerm: new Set(['lin-chess#basic']) })).toEqual([
      '小明 already holds 2 classes, the most this term allows',
    ]);
    expect(why('ca', { ...c, heldLastTerm: new Set(['lin-chess#basic']) }, false)).toEqual([]);
  });

  it('refuses a class with no published sessions', () => {
    const offers = new Map(classOffers(CLUBS, []).map((o) => [o.classId, o]));
    expect(reasonsAgainst(offers.get('rb')!, child(), offers, { places: 2, forPlace: true })).toEqual([
      { rule: 'unscheduled', message: '机器人 基础班 has no sessions in the published timetable yet' },
    ]);
  });
});

describe('ranked choices', () => {
  const w = { choices: 3, places: 1 };
  it('may be alternatives that clash with one another', () => {
    expect(() => checkChoices(['rb', 'cb', 'ra'].slice(0, 2), w, child(), OFFERS)).not.toThrow();
  });

  it('refuses an ineligible choice at its path, with the reason', () => {
    const e = (() => {
      try {
        checkChoices(['rb', 'ra'], w, child(), OFFERS);
      } catch (x) {
        return x;
      }
    })() as RuleViolation;
    expect(e).toBeInstanceOf(RuleViolation);
    expect(e.rule).toBe('ineligible');
    expect(e.details).toEqual({
      errors: [
        {
          path: ['choices', 1],
          rule: 'prerequisite',
          message: '机器人 进阶班 needs the 机器人 basic class last term or a teacher’s approval; 小明 has neither',
        },
      ],
    });
  });

  it('refuses more than the window allows, and classes of another term as bad input', () => {
    expect(() => checkChoices(['rb', 'cb', 'ca', 'ra'], w, child(), OFFERS)).toThrow(RuleViolation);
    expect(() => checkChoices(['rb', 'nope'], w, child(), OFFERS)).toThrow(InvalidInput);
  });
});

describe('the window', () => {
  const input = {
    mode: 'fcfs',
    opensAt: '2026-09-01T08:00',
    closesAt: '2026-09-07T20:00',
    places: 2,
    withdrawUntil: '2026-09-20',
    version: 0,
  };
  const w = { ...WindowInput.parse(input), schoolId: 's', termId: 't', version: 1, updatedAt: '', updatedBy: '' };

  it('opens and closes at the school’s wall-clock times', () => {
    expect(windowState(w, 'Asia/Shanghai', new Date('2026-08-31T23:59:59Z'))).toBe('not-open');
    expect(windowState(w, 'Asia/Shanghai', new Date('2026-09-01T00:00:00Z'))).toBe('open');
    expect(windowState(w, 'Asia/Shanghai', new Date('2026-09-07T12:00:00Z'))).toBe('closed');
    expect(windowState(w, 'Europe/London', new Date('2026-09-07T12:00:00Z'))).toBe('open');
  });

  it('defaults to five choices and needs at least N, closing after opening', () => {
    expect(w.choices).toBe(5);
    const bad = WindowInput.safeParse({ ...input, choices: 1, closesAt: '2026-09-01T08:00' });
    expect(bad.error?.issues.map((i) => i.path)).toEqual([['closesAt'], ['choices']]);
    expect(WindowInput.safeParse({ ...input, opensAt: '2026-02-30T08:00' }).success).toBe(false);
  });

  it('refuses a request in the other mode, or outside the window, saying when', () => {
    expect(() => assertWindow(w, 'ranked', 'Asia/Shanghai', new Date('2026-09-02T00:00:00Z'))).toThrow(/first come/);
    expect(() => assertWindow(w, 'fcfs', 'Asia/Shanghai', new Date('2026-08-01T00:00:00Z'))).toThrow(
      'Club choice opens at 2026-09-01 08:00',
    );
    expect(() => assertWindow(null, 'fcfs', 'Asia/Shanghai', new Date())).toThrow(/not opened/);
  });

  it('lets guardians withdraw until the cut-off day, inclusive', () => {
    expect(() => assertMayWithdraw(w, '2026-09-20')).not.toThrow();
    expect(() => assertMayWithdraw(w, '2026-09-21')).toThrow('Withdrawals closed on 2026-09-20');
  });
});

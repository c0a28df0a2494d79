import { describe, expect, it } from 'vitest';
import { placeSession } from '../src/check/check';
import { compileCheckModel, type CheckModel } from '../src/check/model';
import {
  distinctDays,
  endsByDayEnd,
  exactDuration,
  fixedStaffTakesIt,
  gradeMeetsThatDay,
  knownRoom,
  knownStaff,
  notBeforeEarliestStart,
  onGrid,
  overlappingPairs,
  roomHasFeatures,
  roomHoldsClass,
  roomNotDoubleBooked,
  scheduledDay,
  sessionCount,
  staffAvailable,
  staffHasSkill,
  staffNotDoubleBooked,
  studentNotDoubleBooked,
  wellFormedTimes,
  withinWeeklyMax,
  type Placed,
  type RuleName,
  type Sink,
  type Timed,
} from '../src/check/rules';
import { tinySchool, tinyWith } from './fixtures';

// Each hard rule alone: one case that breaks it, one that does not.

function sink(): Sink & { found: RuleName[] } {
  const found: RuleName[] = [];
  return {
    found,
    report: (rule) => found.push(rule),
    more: (rule, n) => {
      for (let i = 0; i < n; i++) found.push(rule);
    },
    wantMore: () => true,
  };
}

const model = (): CheckModel => compileCheckModel(tinySchool());
const chess = { class: 'chess-basic-1', day: 'MON', start: '16:00', end: '17:00', room: 'room-1', staff: 't001' };
const dance = { class: 'street-dance-basic-1', day: 'MON', start: '17:00', end: '17:45', room: 'dance-1', staff: 't001' };

function place(m: CheckModel, session: Record<string, unknown>, i = 0): Placed {
  const p = placeSession(m, session, i, sink());
  if (!p) throw new Error('fixture session should place');
  return p;
}

function runs(rule: (m: CheckModel, p: Placed, out: Sink) => void, session: Record<string, unknown>, m = model()): RuleName[] {
  const out = sink();
  rule(m, place(m, session), out);
  return out.found;
}

const at = (i: number, d: number, s: number, e: number, cls = `c${i}`): Timed => ({ i, d, s, e, cls });

describe('scheduledDay: sessions fall on one of the instance days', () => {
  it('reports a day outside the week and a day the school does not schedule', () => {
    expect(runs(scheduledDay, { ...chess, day: 'FUNDAY' })).toEqual(['bad-day']);
    expect(runs(scheduledDay, { ...chess, day: 'SAT' })).toEqual(['day-not-scheduled']);
  });
  it('accepts a scheduled day', () => {
    expect(runs(scheduledDay, chess)).toEqual([]);
  });
});

describe('wellFormedTimes: start and end are "HH:MM"', () => {
  it('reports each malformed time', () => {
    const out = sink();
    wellFormedTimes(place(model(), { ...chess, start: '4:00', end: '25:00' }), out);
    expect(out.found).toEqual(['bad-time', 'bad-time']);
  });
  it('accepts 24:00 as a time', () => {
    const out = sink();
    wellFormedTimes(place(model(), { ...chess, start: '23:00', end: '24:00' }), out);
    expect(out.found).toEqual([]);
  });
});

describe('exactDuration: a session lasts exactly the class minutes', () => {
  it('reports a 55-minute session of a 60-minute class', () => {
    const out = sink();
    exactDuration(place(model(), { ...chess, end: '16:55' }), out);
    expect(out.found).toEqual(['duration']);
  });
  it('accepts 60 minutes', () => {
    const out = sink();
    exactDuration(place(model(), chess), out);
    expect(out.found).toEqual([]);
  });
});

describe('onGrid: starts lie on the granularity grid', () => {
  it('reports a start at 16:03 on a 5-minute grid', () => {
    expect(runs(onGrid, { ...chess, start: '16:03', end: '17:03' })).toEqual(['grid']);
  });
  it('accepts 16:05', () => {
    expect(runs(onGrid, { ...chess, start: '16:05', end: '17:05' })).toEqual([]);
  });
});

describe('endsByDayEnd: nothing ends after 18:00', () => {
  it('reports 17:30–18:30', () => {
    expect(runs(endsByDayEnd, { ...chess, start: '17:30', end: '18:30' })).toEqual(['too-late']);
  });
  it('accepts a session ending exactly at 18:00', () => {
    expect(runs(endsByDayEnd, { ...chess, start: '17:00', end: '18:00' })).toEqual([]);
  });
});

describe('gradeMeetsThatDay: a grade without an earliest start that day has no clubs', () => {
  const m = compileCheckModel(tinyWith((i) => delete (i.grades[0] as { earliestStart: Record<string, string> }).earliestStart.THU));
  it('reports a session on THU when g1 has no clubs on THU', () => {
    expect(runs(gradeMeetsThatDay, { ...chess, day: 'THU' }, m)).toEqual(['grade-day']);
  });
  it('accepts MON', () => {
    expect(runs(gradeMeetsThatDay, chess, m)).toEqual([]);
  });
});

describe('notBeforeEarliestStart: clubs start after lessons and homework help', () => {
  it('reports 15:55 when g1 may start at 16:00', () => {
    expect(runs(notBeforeEarliestStart, { ...chess, start: '15:55', end: '16:55' })).toEqual(['too-early']);
  });
  it('accepts exactly 16:00', () => {
    expect(runs(notBeforeEarliestStart, chess)).toEqual([]);
  });
});

describe('knownRoom, roomHoldsClass, roomHasFeatures: a fitting room', () => {
  it('reports an unknown room', () => {
    const m = model();
    const out = sink();
    expect(knownRoom(m, place(m, { ...chess, room: 'nowhere' }), out)).toBeUndefined();
    expect(out.found).toEqual(['unknown-room']);
  });
  it('reports a room too small for the class', () => {
    const m = compileCheckModel(tinyWith((i) => ((i.rooms[0] as { capacity: number }).capacity = 20)));
    const out = sink();
    roomHoldsClass(m.rooms.get('room-1')!, place(m, chess), out);
    expect(out.found).toEqual(['capacity']);
  });
  it('reports a room without a dance floor for street dance', () => {
    const m = model();
    const out = sink();
    roomHasFeatures(m.rooms.get('room-1')!, place(m, { ...dance, room: 'room-1' }), out);
    expect(out.found).toEqual(['features']);
  });
  it('accepts the dance studio', () => {
    const m = model();
    const out = sink();
    const room = knownRoom(m, place(m, dance), out)!;
    roomHoldsClass(room, place(m, dance), out);
    roomHasFeatures(room, place(m, dance), out);
    expect(out.found).toEqual([]);
  });
});

describe('knownStaff, staffHasSkill, fixedStaffTakesIt: a qualified staff member', () => {
  it('reports an unknown staff member', () => {
    const m = model();
    const out = sink();
    expect(knownStaff(m, place(m, { ...chess, staff: 'ghost' }), out)).toBeUndefined();
    expect(out.found).toEqual(['unknown-staff']);
  });
  it('reports a volunteer without the street-dance skill', () => {
    const m = model();
    const out = sink();
    staffHasSkill(m.staff.get('v001')!, place(m, { ...dance, staff: 'v001' }), out);
    expect(out.found).toEqual(['skill']);
  });
  it('reports someone else taking a class fixed to t001', () => {
    const m = compileCheckModel(tinyWith((i) => ((i.classes[0] as { staff?: string }).staff = 't001')));
    const out = sink();
    fixedStaffTakesIt(place(m, { ...chess, staff: 'v001' }), out);
    expect(out.found).toEqual(['fixed-staff']);
  });
  it('accepts the fixed member with the skill', () => {
    const m = compileCheckModel(tinyWith((i) => ((i.classes[0] as { staff?: string }).staff = 't001')));
    const out = sink();
    staffHasSkill(m.staff.get('t001')!, place(m, chess), out);
    fixedStaffTakesIt(place(m, chess), out);
    expect(out.found).toEqual([]);
  });
});

describe('staffAvailable: inside ONE availability interval', () => {
  const m = model();
  const v001 = m.staff.get('v001')!;
  it('reports a session spanning two touching intervals (16:30–17:30 over 16:00–17:00 + 17:00–18:00)', () => {
    const out = sink();
    staffAvailable(v001, place(m, { ...chess, day: 'TUE', start: '16:30', end: '17:30', staff: 'v001' }), out);
    expect(out.found).toEqual(['unavailable']);
  });
  it('reports a day without availability', () => {
    const out = sink();
    staffAvailable(v001, place(m, { ...chess, staff: 'v001' }), out);
    expect(out.found).toEqual(['unavailable']);
  });
  it('accepts a session filling one interval exactly', () => {
    const out = sink();
    staffAvailable(v001, place(m, { ...chess, day: 'TUE', start: '17:00', end: '18:00', staff: 'v001' }), out);
    expect(out.found).toEqual([]);
  });
});

describe('sessionCount: each class meets exactly `sessions` times', () => {
  const cls = model().classes.get('chess-basic-1')!;
  it('reports one session of a twice-weekly class', () => {
    const out = sink();
    sessionCount(cls, [0], out);
    expect(out.found).toEqual(['session-count']);
  });
  it('accepts two', () => {
    const out = sink();
    sessionCount(cls, [0, 1], out);
    expect(out.found).toEqual([]);
  });
});

describe('distinctDays: a class meets at most once a day', () => {
  const m = model();
  const cls = m.classes.get('chess-basic-1')!;
  it('reports a second session on MON', () => {
    const out = sink();
    distinctDays(cls, [place(m, chess, 0), place(m, { ...chess, start: '17:00', end: '18:00' }, 1)], out);
    expect(out.found).toEqual(['same-day']);
  });
  it('accepts MON and WED', () => {
    const out = sink();
    distinctDays(cls, [place(m, chess, 0), place(m, { ...chess, day: 'WED' }, 1)], out);
    expect(out.found).toEqual([]);
  });
});

describe('roomNotDoubleBooked / staffNotDoubleBooked: one session at a time', () => {
  it('reports overlapping sessions, one per pair', () => {
    const out = sink();
    roomNotDoubleBooked('room-1', [at(0, 0, 960, 1020), at(1, 0, 990, 1050), at(2, 0, 1000, 1045)], out);
    expect(out.found).toEqual(['room-overlap', 'room-overlap', 'room-overlap']);
    const staff = sink();
    staffNotDoubleBooked('t001', [at(0, 0, 960, 1020), at(1, 0, 1019, 1064)], staff);
    expect(staff.found).toEqual(['staff-overlap']);
  });
  it('does not count touching sessions (17:00 end, 17:00 start) or other days', () => {
    const out = sink();
    roomNotDoubleBooked('room-1', [at(0, 0, 960, 1020), at(1, 0, 1020, 1080), at(2, 1, 960, 1020)], out);
    staffNotDoubleBooked('t001', [at(0, 0, 960, 1020), at(1, 0, 1020, 1065)], out);
    expect(out.found).toEqual([]);
  });
});

describe('withinWeeklyMax: nobody works past maxMinutesPerWeek', () => {
  const v001 = model().staff.get('v001')!;
  it('reports 180 minutes against a maximum of 120', () => {
    const out = sink();
    withinWeeklyMax('v001', v001, 180, [0, 1, 2], out);
    expect(out.found).toEqual(['weekly-max']);
  });
  it('accepts exactly the maximum', () => {
    const out = sink();
    withinWeeklyMax('v001', v001, 120, [0, 1], out);
    expect(out.found).toEqual([]);
  });
});

describe('studentNotDoubleBooked: no student in two sessions at once', () => {
  it('reports two classes of one student overlapping', () => {
    const out = sink();
    studentNotDoubleBooked('s1', [at(0, 0, 960, 1020, 'chess'), at(1, 0, 1000, 1045, 'dance')], out);
    expect(out.found).toEqual(['student-overlap']);
  });
  it('accepts touching sessions and leaves pairs of one class to the same-day rule', () => {
    const out = sink();
    studentNotDoubleBooked('s1', [at(0, 0, 960, 1020, 'chess'), at(1, 0, 1020, 1065, 'dance'), at(2, 0, 1000, 1060, 'chess')], out);
    expect(out.found).toEqual(['student-overlap']); // dance vs the second chess session only
  });
});

describe('overlappingPairs', () => {
  it('counts every overlapping pair however many overlap at once', () => {
    const list = Array.from({ length: 50 }, (_, i) => at(i, 0, 960, 1020));
    expect(overlappingPairs(list, () => {}, () => false)).toBe((50 * 49) / 2);
  });
});

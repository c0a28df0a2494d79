import { describe, expect, it } from 'vitest';
import { check, generateInstance, solve, type Instance } from '../src/index';
import { compileSolverModel, type SolverModel } from '../src/solver/model';
import { Sat } from '../src/solver/sat';
import { State } from '../src/solver/state';
import { atMostK, capacityGroups, conflictGraph, findTimes, hallCuts, leftShiftAnchors, timingModel, type TimeResult } from '../src/solver/timing';

/**
 * `n` one-session classes of 60 minutes that need a lab; `labs` lab rooms; `days` days on
 * which the only possible start is 17:00, and two staff members who could take any of them
 * (`chemists` of them have the skill the classes need, all available every day).
 */
function labSchool(n: number, labs: number, days: number, chemists = 8): Instance {
  const week = (['MON', 'TUE', 'WED', 'THU', 'FRI'] as const).slice(0, days);
  const always = Object.fromEntries(week.map((d) => [d, [['16:00', '18:00']] as [string, string][]]));
  return {
    name: 'labs',
    timezone: 'Asia/Shanghai',
    days: [...week],
    dayEnd: '18:00',
    granularity: 5,
    grades: [{ id: 'g1', earliestStart: Object.fromEntries(week.map((d) => [d, '17:00'])) }],
    rooms: [
      ...Array.from({ length: labs }, (_, i) => ({ id: `lab-${i + 1}`, capacity: 40, features: ['lab'] })),
      { id: 'room-1', capacity: 40, features: [] },
    ],
    staff: Array.from({ length: chemists }, (_, i) => ({ id: `t${i + 1}`, kind: 'teacher' as const, skills: ['science'], available: always, maxMinutesPerWeek: 600 })),
    classes: Array.from({ length: n }, (_, i) => ({
      id: `science-${i + 1}`,
      club: 'science',
      tier: 'basic',
      grades: ['g1'],
      size: 30,
      skill: 'science',
      roomFeatures: ['lab'],
      sessions: 1,
      minutes: 60,
    })),
    // a student in the first two classes, so that the timing phase runs in solve()
    students: [{ id: 's1', classes: ['science-1', 'science-2'] }],
  };
}

/** How many hinted sessions fall on each day that has any. */
function sessionsPerDay(m: SolverModel, hint: Int32Array): number[] {
  const perDay = new Map<number, number>();
  for (const v of hint) perDay.set((v / m.slots) | 0, (perDay.get((v / m.slots) | 0) ?? 0) + 1);
  return [...perDay.values()];
}

/** One start variable per class and candidate, as findTimes makes them, with every class at its first candidate. */
function atFirstStarts(m: SolverModel): { sat: Sat; kept: number[][]; Z: Int32Array[] } {
  const sat = new Sat();
  const kept = m.candidates.map((c) => Array.from(c));
  const Z = kept.map((list) => Int32Array.from(list, () => sat.newVar()));
  for (const z of Z) sat.addClause([2 * (z[0] as number)]);
  return { sat, kept, Z };
}

describe('atMostK', () => {
  const cases: [number, number][] = [
    [5, 0],
    [5, 1],
    [8, 1],
    [6, 2],
    [7, 3],
    [4, 4],
  ];
  it.each(cases)('allows exactly k of %i literals to be true, k = %i, and never k + 1', (n, k) => {
    for (const force of [k, k + 1]) {
      if (force > n) continue;
      const sat = new Sat();
      const xs = Array.from({ length: n }, () => sat.newVar());
      expect(atMostK(sat, xs.map((x) => 2 * x), k)).toBe(true);
      // the first `force` literals are true
      for (let i = 0; i < force; i++) sat.addClause([2 * (xs[i] as number)]);
      const result = sat.solve(100_000);
      expect(result).toBe(force <= k);
      if (result) expect(xs.filter((x) => sat.isTrue(x)).length).toBeLessThanOrEqual(k);
    }
  });

  it('refuses a negative bound', () => {
    const sat = new Sat();
    expect(atMostK(sat, [2 * sat.newVar()], -1)).toBe(false);
  });
});

describe('the timing phase counts rooms and staff', () => {
  it('groups the classes that depend on a small set of rooms', () => {
    const m = compileSolverModel(labSchool(5, 2, 3));
    const groups = capacityGroups(m, m.candidates.map((c) => Array.from(c)));
    expect(groups.map((g) => g.classes.length)).toContain(5);
    const state = new State(m);
    expect(groups.find((g) => g.classes.length === 5)?.free(state, 0, m.slots - 1)).toBe(2);
  });

  it('spreads classes that share two labs over the days: never three at once', () => {
    const m = compileSolverModel(labSchool(6, 2, 3));
    const r = findTimes(m, new State(m), 100_000, 'all');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    expect(sessionsPerDay(m, r.hint).sort()).toEqual([2, 2, 2]);
  });

  it('proves that seven lab classes do not fit in two labs on three one-slot days', () => {
    const m = compileSolverModel(labSchool(7, 2, 3));
    expect(findTimes(m, new State(m), 100_000, 'all')).toEqual({ status: 'unsat', restricted: false });
  });

  it('counts staff members too: two who can teach the skill take at most two classes at once', () => {
    const inst = labSchool(6, 6, 3, 2);
    const m = compileSolverModel(inst);
    const r = findTimes(m, new State(m), 100_000, 'all');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    expect(Math.max(...sessionsPerDay(m, r.hint))).toBe(2);
  });

  it('lets solve() timetable a school whose times only work with the labs counted', () => {
    const inst = labSchool(6, 2, 3);
    const r = solve(inst, { seed: 3 });
    expect(r.status).toBe('ok');
    if (r.status === 'ok') expect(check(inst, { sessions: r.sessions }).hardViolations).toBe(0);
  });

  it('cuts a slot whose sessions cannot all have a lab: the set of labs is named with its free count', () => {
    const m = compileSolverModel(labSchool(3, 2, 1));
    const { sat, kept, Z } = atFirstStarts(m); // all three at 17:00 on the one day
    expect(sat.solve(1000)).toBe(true);
    const cuts = hallCuts(m, new State(m), kept, Z, sat);
    expect(cuts.length).toBeGreaterThan(0);
    // every cut is broken by the current starts: more of its starts are true than it allows
    for (const cut of cuts) expect(cut.lits.filter((l) => sat.isTrue(l >> 1)).length).toBeGreaterThan(cut.cap);
    expect(cuts.some((c) => c.cap === 2 && c.lits.length === 3)).toBe(true);
  });

  it('finds no cut when every slot has enough rooms and staff', () => {
    const m = compileSolverModel(labSchool(2, 2, 1));
    const { sat, kept, Z } = atFirstStarts(m);
    expect(sat.solve(1000)).toBe(true);
    expect(hallCuts(m, new State(m), kept, Z, sat)).toEqual([]);
  });

  it('adds Hall cuts until the times leave every session a lab, for a set of labs too large to count up front', () => {
    // ten labs (more than the counted groups hold), twelve chemists (more than the staff modelled): 12 classes on 2 days
    const m = compileSolverModel(labSchool(12, 10, 2, 12));
    expect(capacityGroups(m, m.candidates.map((c) => Array.from(c)))).toEqual([]);
    const r = findTimes(m, new State(m), 100_000, 'all');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    expect(Math.max(...sessionsPerDay(m, r.hint))).toBeLessThanOrEqual(10);
  });
});

describe('the timing phase chooses staff', () => {
  it("with 'most', chooses distinct members for classes with more than ten possible, within their weekly maxima", () => {
    // twelve one-session classes at 17:00 on two days, twelve chemists who may each teach 60 minutes a week
    const inst = labSchool(12, 12, 2, 12);
    const m = compileSolverModel({ ...inst, staff: inst.staff.map((p) => ({ ...p, maxMinutesPerWeek: 60 })) });
    const few = findTimes(m, new State(m), 100_000, 'all', true, 'few');
    expect(few.status).toBe('sat');
    if (few.status === 'sat') expect(new Set(few.staffHint)).toEqual(new Set([-1])); // twelve possible: not modelled
    const most = findTimes(m, new State(m), 100_000, 'all', true, 'most');
    expect(most.status).toBe('sat');
    if (most.status === 'sat') expect(new Set(most.staffHint).size).toBe(12);
  });

  it("says when 'most' would model no more classes than 'few'", () => {
    const m = compileSolverModel(labSchool(6, 2, 3)); // eight possible members each
    expect(findTimes(m, new State(m), 100_000, 'all', true, 'most')).toEqual({ status: 'same' });
  });

  it('does not take one member all week for a rule: a class taught by two members on two days is timetabled', () => {
    // chess meets twice; t1 is only there on Monday, t2 only on Tuesday
    const inst: Instance = {
      name: 'two members',
      timezone: 'Asia/Shanghai',
      days: ['MON', 'TUE'],
      dayEnd: '18:00',
      granularity: 5,
      grades: [{ id: 'g1', earliestStart: { MON: '16:00', TUE: '16:00' } }],
      rooms: [
        { id: 'room-1', capacity: 40, features: [] },
        { id: 'room-2', capacity: 40, features: [] },
      ],
      staff: [
        { id: 't1', kind: 'teacher', skills: ['chess'], available: { MON: [['16:00', '18:00']] }, maxMinutesPerWeek: 600 },
        { id: 't2', kind: 'teacher', skills: ['chess'], available: { TUE: [['16:00', '18:00']] }, maxMinutesPerWeek: 600 },
        { id: 't3', kind: 'teacher', skills: ['art'], available: { MON: [['16:00', '18:00']], TUE: [['16:00', '18:00']] }, maxMinutesPerWeek: 600 },
      ],
      classes: [
        { id: 'chess', club: 'chess', tier: 'basic', grades: ['g1'], size: 20, skill: 'chess', roomFeatures: [], sessions: 2, minutes: 60 },
        { id: 'art', club: 'art', tier: 'basic', grades: ['g1'], size: 20, skill: 'art', roomFeatures: [], sessions: 1, minutes: 30 },
      ],
      // a student in both, so that solve() runs the timing phase
      students: [{ id: 's1', classes: ['chess', 'art'] }],
    };
    const m = compileSolverModel(inst);
    expect(findTimes(m, new State(m), 100_000, 'all', true, 'few')).toEqual({ status: 'unsat', restricted: false });
    expect(findTimes(m, new State(m), 100_000, 'all', true, 'none').status).toBe('sat');
    const r = solve(inst, { seed: 1 });
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(check(inst, { sessions: r.sessions }).hardViolations).toBe(0);
    expect(r.sessions.filter((x) => x.class === 'chess').map((x) => `${x.day} ${x.staff}`).sort()).toEqual(['MON t1', 'TUE t2']);
  });
});

describe('the timing phase on left-shifted starts', () => {
  it('starts every session at the window or where a chain of sessions ends', () => {
    // one student in three classes of 45, 45 and 30 minutes, one afternoon of 130 minutes
    const labs = labSchool(3, 3, 1);
    const inst: Instance = {
      ...labs,
      grades: [{ id: 'g1', earliestStart: { MON: '15:50' } }],
      staff: labs.staff.map((p) => ({ ...p, available: { MON: [['15:00', '18:00']] } })),
      classes: labs.classes.map((c, i) => ({ ...c, minutes: [45, 45, 30][i] as number })),
      students: [{ id: 's1', classes: ['science-1', 'science-2', 'science-3'] }],
    };
    const m = compileSolverModel(inst);
    const r = findTimes(m, new State(m), 100_000, 'shifted');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    const first = (15 * 60 + 50 - m.base) / m.unit;
    // 15:50 plus sums of the lengths (0, 30, 45, 60, 75, 90, 105, 120 minutes)
    const chained = new Set([0, 30, 45, 60, 75, 90, 105, 120].map((x) => first + x / m.unit));
    // exactly those slots are offered
    const offered = leftShiftAnchors(m, new State(m), conflictGraph(m))(0);
    expect(new Set(Array.from({ length: m.slots }, (_, t) => t).filter((t) => offered[t] === 1))).toEqual(chained);
    const starts = Array.from(r.hint, (v) => v % m.slots);
    for (const t of starts) expect(chained.has(t)).toBe(true);
    const spans = starts.map((t, x) => [t, t + (m.length[m.classOf[x] as number] as number)] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect((spans[i] as readonly number[])[0]).toBeGreaterThanOrEqual((spans[i - 1] as readonly number[])[1] as number);
  });

  it('keeps every student of a generated school free of overlaps, each class on its number of distinct days', () => {
    const inst = generateInstance({ seed: 5, students: 300, clubs: 12, withStudents: true });
    const m = compileSolverModel(inst);
    expectStudentsFree(inst, m, findTimes(m, new State(m), 100_000, 'shifted'));
  });

  it('offers a class with many possible staff the arrivals of a day when few of them are there at its starts', () => {
    // 20 chemists: on MON two are there from 16:00 and the rest arrive at 16:50; on TUE all are there from 16:00
    const labs = labSchool(1, 1, 2, 20);
    const inst: Instance = {
      ...labs,
      grades: [{ id: 'g1', earliestStart: { MON: '16:00', TUE: '16:00' } }],
      staff: labs.staff.map((p, i) => ({ ...p, available: { MON: [[i < 2 ? '16:00' : '16:50', '18:00']], TUE: [['16:00', '18:00']] } })),
      classes: labs.classes.map((c) => ({ ...c, minutes: 45 })),
      students: [],
    };
    const m = compileSolverModel(inst);
    const at = (day: number, hhmm: string): number => day * m.slots + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) - m.base) / m.unit;
    const offered = leftShiftAnchors(m, new State(m), conflictGraph(m))(0);
    // the chain from 16:00 both days (16:45, 17:30); 16:50 only on MON, when 18 of them arrive
    expect([offered[at(0, '16:00')], offered[at(0, '16:45')], offered[at(0, '16:50')]]).toEqual([1, 1, 1]);
    expect([offered[at(1, '16:00')], offered[at(1, '16:45')], offered[at(1, '16:50')]]).toEqual([1, 1, 0]);
  });

  it('offers a class the chain of another that needs rooms of the same set (of nine labs) only when waiting for rooms is asked for (`wide`)', () => {
    // no students: every class is a component of its own; `early` starts at 16:15, the others at 16:35
    const labs = labSchool(10, 9, 1, 9); // nine chemists too: staff sets of up to eight are always joined
    const inst: Instance = {
      ...labs,
      grades: [
        { id: 'g1', earliestStart: { MON: '16:15' } },
        { id: 'g2', earliestStart: { MON: '16:35' } },
      ],
      staff: labs.staff.map((p) => ({ ...p, available: { MON: [['16:00', '18:00']] } })),
      classes: labs.classes.map((c, i) => (i === 0 ? { ...c, id: 'early', minutes: 45 } : { ...c, grades: ['g2'] })),
      students: [],
    };
    const m = compileSolverModel(inst);
    const slot = (hhmm: string): number => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) - m.base) / m.unit;
    const late = m.classIndex.get('science-2') as number;
    // arrivalsUpTo 0: no chains from the staff members' arrivals, which would blur the picture
    const narrow = leftShiftAnchors(m, new State(m), conflictGraph(m), 0)(late);
    const wide = leftShiftAnchors(m, new State(m), conflictGraph(m), 0, 100)(late);
    // 17:15 is in early's chain (16:15 and 60 minutes), not in the others' (16:35 and 45 or 60 minutes)
    expect([narrow[slot('16:35')], narrow[slot('17:15')]]).toEqual([1, 0]);
    expect([wide[slot('16:35')], wide[slot('17:15')]]).toEqual([1, 1]);
  });
});

describe('a timing model around placed sessions', () => {
  // (no Hall cuts: the model itself must know)
  /** labSchool's science-1 placed on its first day at 17:00, in lab-1 with t1 (its student left out: no clash but rooms and staff) */
  function withFirstPlaced(inst: Instance): { m: SolverModel; state: State } {
    const m = compileSolverModel({ ...inst, students: [] });
    const state = new State(m);
    const c = m.classIndex.get('science-1') as number;
    state.assign(m.firstSession[c] as number, 0, 0, m.roomIndex.get('lab-1') as number, m.staffIndex.get('t1') as number);
    return { m, state };
  }

  it("with a member chosen for each session ('each'), does not give a member busy with a placed session another one then", () => {
    // one day, one start: science-2 and -3 need two chemists at 17:00, and t1 has science-1
    const two = withFirstPlaced(labSchool(3, 3, 1, 2));
    expect(findTimes(two.m, two.state, 100_000, 'all', false, 'each')).toEqual({ status: 'unsat', restricted: false });
    const three = withFirstPlaced(labSchool(3, 3, 1, 3));
    const r = findTimes(three.m, three.state, 100_000, 'all', false, 'each');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    const chosen = Array.from(r.staffHint).filter((p) => p >= 0).map((p) => three.m.staffIds[p]);
    expect(chosen.sort()).toEqual(['t2', 't3']);
  });

  it('counts the minutes placed sessions take from a weekly maximum', () => {
    // one chemist with 120 minutes a week, 60 of them placed on Monday: two more classes do not fit
    const inst = labSchool(3, 3, 3, 1);
    const tight = { ...inst, staff: inst.staff.map((p) => ({ ...p, maxMinutesPerWeek: 120 })) };
    const placed = withFirstPlaced(tight);
    expect(findTimes(placed.m, placed.state, 100_000, 'all', false, 'each')).toEqual({ status: 'unsat', restricted: false });
    // with 60, no start is left at all, even where the model chooses no staff
    const spent = withFirstPlaced({ ...inst, staff: inst.staff.map((p) => ({ ...p, maxMinutesPerWeek: 60 })) });
    expect(findTimes(spent.m, spent.state, 100_000, 'all', false, 'none')).toEqual({ status: 'unsat', restricted: false });
    // 180 minutes leave room for both, on Tuesday and Wednesday
    const roomy = withFirstPlaced({ ...inst, staff: inst.staff.map((p) => ({ ...p, maxMinutesPerWeek: 180 })) });
    const r = findTimes(roomy.m, roomy.state, 100_000, 'all', false, 'each');
    expect(r.status).toBe('sat');
    if (r.status === 'sat') expect(sessionsPerDay(roomy.m, r.hint.filter((v) => v >= 0)).sort()).toEqual([1, 1]);
  });

  it('offers no start whose rooms placed sessions take', () => {
    // one lab: with science-1 in it on Monday at 17:00, science-2 has no start on Monday, whatever the staff
    const monday = withFirstPlaced(labSchool(2, 1, 1, 2));
    expect(findTimes(monday.m, monday.state, 100_000, 'all', false, 'none')).toEqual({ status: 'unsat', restricted: false });
    const { m, state } = withFirstPlaced(labSchool(2, 1, 2, 2));
    const r = findTimes(m, state, 100_000, 'all', false, 'none');
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    const x = m.firstSession[m.classIndex.get('science-2') as number] as number;
    expect(((r.hint[x] as number) / m.slots) | 0).toBe(1);
  });
});

describe('an ask for times (allows)', () => {
  // rooms r1 (a), r2 (a, b), r3 (b): two classes need a, two need b, so at most three meet at once,
  // a limit no class's own set of rooms names (each has two rooms for two classes)
  const week = ['MON', 'TUE'] as const;
  const always = Object.fromEntries(week.map((d) => [d, [['16:00', '18:00']] as [string, string][]]));
  const inst: Instance = {
    name: 'overlapping rooms',
    timezone: 'Asia/Shanghai',
    days: [...week],
    dayEnd: '18:00',
    granularity: 5,
    grades: [{ id: 'g1', earliestStart: { MON: '17:00', TUE: '17:00' } }],
    rooms: [
      { id: 'r1', capacity: 40, features: ['a'] },
      { id: 'r2', capacity: 40, features: ['a', 'b'] },
      { id: 'r3', capacity: 40, features: ['b'] },
    ],
    staff: Array.from({ length: 4 }, (_, i) => ({ id: `t${i + 1}`, kind: 'teacher' as const, skills: ['x'], available: always, maxMinutesPerWeek: 600 })),
    classes: ['a', 'a', 'b', 'b'].map((f, i) => ({ id: `c${i + 1}`, club: 'c', tier: 'basic', grades: ['g1'], size: 30, skill: 'x', roomFeatures: [f], sessions: 1, minutes: 60 })),
  };

  it('adds Hall cuts when asked to, until the times leave every session a room', () => {
    const m = compileSolverModel(inst);
    const ask = (cutRounds: number): { days: number[]; cuts: number } => {
      const lines: string[] = [];
      const timing = timingModel(m, new State(m), 'all', false, 'none', (line) => lines.push(line));
      if (!('run' in timing)) throw new Error('no model');
      const times = timing.allows(0, { conflicts: 100_000 }, cutRounds);
      if (!times) throw new Error('no times');
      return { days: sessionsPerDay(m, times.hint).sort(), cuts: lines.filter((l) => l.startsWith('Hall cuts')).length };
    };
    expect(ask(0)).toEqual({ days: [4], cuts: 0 }); // the relaxation alone: all four on one day
    const cut = ask(5);
    expect(cut.cuts).toBeGreaterThan(0);
    expect(Math.max(...cut.days)).toBeLessThanOrEqual(3);
  });
});

describe('a timing model searched in steps', () => {
  it('goes on where it stopped: steps of two conflicts find times that keep every student free', () => {
    const inst = generateInstance({ seed: 5, students: 300, clubs: 12, withStudents: true, tight: 0.9 });
    const m = compileSolverModel(inst);
    const timing = timingModel(m, new State(m), 'shifted');
    if (!('run' in timing)) throw new Error('no model');
    let r = timing.run({ conflicts: 2 });
    let steps = 1;
    for (; r.status === 'unknown' && steps < 100; steps++) r = timing.run({ conflicts: 2 });
    expect(steps).toBeGreaterThan(2);
    expectStudentsFree(inst, m, r);
  });

  it('then asks for times with fewer pairs of a class\'s sessions on consecutive days, and hands on the first times too', () => {
    let improved = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const inst = generateInstance({ seed, students: 300, withStudents: true });
      const m = compileSolverModel(inst);
      const timing = timingModel(m, new State(m), 'shifted');
      if (!('run' in timing)) throw new Error('no model');
      const r = timing.run({ conflicts: Infinity, assignments: 5_000_000 });
      expectStudentsFree(inst, m, r);
      if (r.status !== 'sat' || !r.earlier) continue;
      expectStudentsFree(inst, m, { status: 'sat', ...r.earlier });
      expect(pairsOf(m, r.hint)).toBeLessThan(pairsOf(m, r.earlier.hint));
      improved++;
    }
    expect(improved).toBeGreaterThanOrEqual(3);
  });

  it('goes on asking for one pair fewer after an ask its step could not answer', () => {
    // before, an ask not answered on its step ended the asks with the times found so far
    let after = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const inst = generateInstance({ seed, students: 2000, withStudents: true });
      const m = compileSolverModel(inst);
      const lines: string[] = [];
      const timing = timingModel(m, new State(m), 'shifted', true, 'few', (line) => lines.push(line));
      if (!('run' in timing)) throw new Error('no model');
      const r = timing.run({ conflicts: Infinity, assignments: 10_000_000 });
      if (r.status !== 'sat') continue; // (seed 3's left-shifted starts have no times)
      expectStudentsFree(inst, m, r);
      const unanswered = lines.findIndex((line) => /, ([2-9]|\d\d+) pairs fewer: unknown/.test(line));
      if (unanswered < 0) continue;
      const then = Math.min(...lines.slice(0, unanswered).flatMap((line) => /^(\d+) pairs of a class/.exec(line)?.[1] ?? []).map(Number));
      if (pairsOf(m, r.hint) < then) after++;
    }
    expect(after).toBeGreaterThanOrEqual(1);
  });

  it('stops when its work (assignments) runs out, and goes on with more', () => {
    const inst = generateInstance({ seed: 5, students: 300, clubs: 12, withStudents: true });
    const m = compileSolverModel(inst);
    const timing = timingModel(m, new State(m), 'shifted');
    if (!('run' in timing)) throw new Error('no model');
    expect(timing.run({ conflicts: Infinity, assignments: 50 })).toEqual({ status: 'unknown' });
    expectStudentsFree(inst, m, timing.run({ conflicts: Infinity }));
  });
});

/** Pairs of a class's hinted sessions on consecutive days. */
function pairsOf(m: SolverModel, hint: Int32Array): number {
  let pairs = 0;
  for (let c = 0; c < m.classIds.length; c++) {
    const days: number[] = [];
    for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) days.push(((hint[x] as number) / m.slots) | 0);
    for (const a of days) for (const b of days) if ((m.weekNo[b] as number) - (m.weekNo[a] as number) === 1) pairs++;
  }
  return pairs;
}

/** The hint gives every class its number of distinct days and no student two sessions at once. */
function expectStudentsFree(inst: Instance, m: SolverModel, r: TimeResult): void {
    expect(r.status).toBe('sat');
    if (r.status !== 'sat') return;
    const S = m.slots;
    const sessionsOf = (c: number): number[] => {
      const out: number[] = [];
      for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) out.push(r.hint[x] as number);
      return out;
    };
    for (let c = 0; c < m.classIds.length; c++) {
      const days = sessionsOf(c).map((v) => (v / S) | 0);
      expect(new Set(days).size).toBe(m.sessionsOf[c]);
    }
    for (const st of inst.students ?? []) {
      const spans = st.classes.flatMap((id) => {
        const c = m.classIndex.get(id) as number;
        return sessionsOf(c).map((v) => [v, v + (m.length[c] as number)] as const);
      });
      for (const a of spans) for (const b of spans) if (a !== b) expect(a[0] < b[1] && b[0] < a[1]).toBe(false);
    }
}

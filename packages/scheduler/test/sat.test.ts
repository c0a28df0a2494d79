import { describe, expect, it } from 'vitest';
import { luby, Sat } from '../src/solver/sat';

function pigeons(holes: number): Sat {
  const sat = new Sat();
  const v = (p: number, h: number): number => p * holes + h;
  for (let k = 0; k < (holes + 1) * holes; k++) sat.newVar();
  for (let p = 0; p <= holes; p++) sat.addClause(Array.from({ length: holes }, (_, h) => 2 * v(p, h)));
  for (let h = 0; h < holes; h++) for (let a = 0; a <= holes; a++) for (let b = a + 1; b <= holes; b++) sat.addClause([2 * v(a, h) + 1, 2 * v(b, h) + 1]);
  return sat;
}

describe('Sat', () => {
  it('proves that 7 pigeons do not fit in 6 holes', () => {
    expect(pigeons(6).solve(1e6)).toBe(false);
  });

  it('finds a model that satisfies every clause of random 3-SAT formulas', () => {
    const rand = lcg(12345);
    for (let round = 0; round < 20; round++) {
      const sat = new Sat();
      const n = 60;
      for (let i = 0; i < n; i++) sat.newVar();
      const clauses = Array.from({ length: 3.5 * n }, () => [0, 1, 2].map(() => randomLit(rand, n)));
      for (const c of clauses) sat.addClause(c);
      expect(sat.solve(1e6)).toBe(true);
      for (const c of clauses) expect(c.some(holdsIn(sat))).toBe(true);
    }
  });

  it('stays right over thousands of conflicts, learnt-clause reductions included (9 pigeons, 8 holes; a planted 3-SAT formula)', () => {
    const php = pigeons(8);
    expect(php.solve(1e7)).toBe(false);
    expect(php.conflicts).toBeGreaterThan(4_000); // past the first reductions (at 2,000 learnt clauses, then 10% more each time)

    const rand = lcg(777);
    const n = 250;
    const hidden = Array.from({ length: n }, () => rand() < 0.5);
    const sat = new Sat();
    for (let i = 0; i < n; i++) sat.newVar();
    const clauses: number[][] = [];
    while (clauses.length < 4.2 * n) {
      const c = [0, 1, 2].map(() => randomLit(rand, n));
      if (c.some((l) => hidden[l >> 1] === !(l & 1))) clauses.push(c);
    }
    for (const c of clauses) sat.addClause(c);
    expect(sat.solve(1e7)).toBe(true);
    for (const c of clauses) expect(c.some(holdsIn(sat))).toBe(true);
  });

  it('gives up (null) when the conflict budget runs out', () => {
    expect(pigeons(8).solve(10)).toBeNull();
  });

  it('gives up (null) when the work budget (assignments) runs out, and goes on when asked again', () => {
    const sat = pigeons(7);
    expect(sat.solve(1e9, 2_000)).toBeNull();
    expect(sat.assignments).toBeGreaterThanOrEqual(2_000);
    expect(sat.assignments).toBeLessThan(2_000 + 8 * 7); // stops at the first conflict past the budget
    expect(sat.solve(1e9)).toBe(false);
  });

  it('restarts along the Luby sequence', () => {
    expect(Array.from({ length: 15 }, (_, i) => luby(i + 1))).toEqual([1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]);
  });

  it('is incremental: clauses added after a model is found rule it out, and learnt facts carry over', () => {
    const sat = new Sat();
    const xs = Array.from({ length: 4 }, () => sat.newVar());
    sat.addClause(xs.map((x) => 2 * x)); // at least one
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) sat.addClause([2 * (xs[i] as number) + 1, 2 * (xs[j] as number) + 1]); // at most one
    const found: number[] = [];
    for (let round = 0; round < 4; round++) {
      expect(sat.solve(1000)).toBe(true);
      const x = xs.find((v) => sat.isTrue(v)) as number;
      expect(found).not.toContain(x);
      found.push(x);
      sat.addClause([2 * x + 1]); // not this one again
    }
    expect(sat.solve(1000)).toBe(false);
    expect(sat.solve(1000)).toBe(false);
  });

  it('accepts variables and clauses added after solving', () => {
    const sat = new Sat();
    const a = sat.newVar();
    const b = sat.newVar();
    sat.addClause([2 * a, 2 * b]);
    expect(sat.solve(100)).toBe(true);
    const c = sat.newVar();
    sat.addClause([2 * a + 1, 2 * c]);
    sat.addClause([2 * b + 1, 2 * c]);
    sat.addClause([2 * c + 1, 2 * a + 1]);
    expect(sat.solve(100)).toBe(true);
    expect(sat.isTrue(b) && sat.isTrue(c) && !sat.isTrue(a)).toBe(true);
  });

  it('keeps "at most" constraints: 7 pigeons, 6 holes of one place each, counted natively, is UNSAT', () => {
    const sat = new Sat();
    const v = (p: number, h: number): number => p * 6 + h;
    for (let k = 0; k < 7 * 6; k++) sat.newVar();
    for (let p = 0; p < 7; p++) sat.addClause(Array.from({ length: 6 }, (_, h) => 2 * v(p, h)));
    for (let h = 0; h < 6; h++) sat.addAtMost(Array.from({ length: 7 }, (_, p) => 2 * v(p, h)), 1);
    expect(sat.solve(1e6)).toBe(false);
  });

  it('finds models of random weighted "at most" constraints with clauses, and each model keeps every constraint', () => {
    const rand = lcg(4242);
    let sats = 0;
    let unsats = 0;
    for (let round = 0; round < 150; round++) {
      const sat = new Sat();
      const n = 30;
      for (let i = 0; i < n; i++) sat.newVar();
      const lit = (): number => randomLit(rand, n);
      const clauses = Array.from({ length: 40 }, () => [lit(), lit(), lit()]);
      const cards = Array.from({ length: 4 + (round % 8) }, () => {
        const lits = Array.from({ length: 4 + Math.floor(rand() * 8) }, lit);
        const weights = lits.map(() => 1 + Math.floor(rand() * 4));
        return { lits, weights, limit: 2 + Math.floor(rand() * 10) };
      });
      for (const c of clauses) sat.addClause(c);
      for (const c of cards) sat.addAtMost(c.lits, c.limit, c.weights);
      const res = sat.solve(1e6);
      // a model must keep everything; UNSAT is confirmed by an exhaustive search
      if (res === true) {
        sats++;
        const t = holdsIn(sat);
        for (const c of clauses) expect(c.some(t)).toBe(true);
        for (const c of cards) expect(c.lits.reduce((a, l, i) => a + (t(l) ? (c.weights[i] as number) : 0), 0)).toBeLessThanOrEqual(c.limit);
      } else {
        expect(res).toBe(false);
        unsats++;
        expect(bruteForceSat(n, clauses, cards)).toBe(false);
      }
    }
    expect(sats).toBeGreaterThan(20);
    expect(unsats).toBeGreaterThan(20);
  });

  it('solves under assumptions, and the formula stays satisfiable when they cannot all hold', () => {
    const sat = new Sat();
    const [a, b, c, d] = [sat.newVar(), sat.newVar(), sat.newVar(), sat.newVar()] as [number, number, number, number];
    sat.addClause([2 * a + 1, 2 * c]); // a → c
    sat.addClause([2 * c + 1, 2 * b + 1]); // c → ¬b
    sat.addClause([2 * d, 2 * b]);
    expect(sat.solve(100, Infinity, [2 * a, 2 * d])).toBe(true);
    expect([a, c, d].every((v) => sat.isTrue(v))).toBe(true);
    expect(sat.solve(100, Infinity, [2 * d, 2 * a, 2 * b])).toBe(false);
    expect(sat.solve(100, Infinity, [2 * b])).toBe(true);
    expect(sat.isTrue(a) || sat.isTrue(c)).toBe(false);
    // an assumption that a unit clause makes false fails; its negation is then a consistent clause
    sat.addClause([2 * c]);
    expect(sat.solve(100, Infinity, [2 * d, 2 * b])).toBe(false);
    expect(sat.addClause([2 * b + 1])).toBe(true);
    expect(sat.solve(100)).toBe(true);
  });

  it('finds the models of random formulas that keep random assumptions, or none when brute force finds none', () => {
    const rand = lcg(7);
    let sats = 0;
    let unsats = 0;
    for (let round = 0; round < 200; round++) {
      const n = 12;
      const sat = new Sat();
      for (let i = 0; i < n; i++) sat.newVar();
      const lit = (): number => randomLit(rand, n);
      const clauses = Array.from({ length: 30 }, () => [lit(), lit(), lit()]);
      for (const c of clauses) sat.addClause(c);
      const assumptions = Array.from({ length: 3 }, lit);
      const res = sat.solve(1e5, Infinity, assumptions);
      const expected = bruteForceSat(n, [...clauses, ...assumptions.map((l) => [l])], []);
      expect(res).toBe(expected);
      if (res) {
        for (const c of [...clauses, ...assumptions.map((l) => [l])]) expect(c.some(holdsIn(sat))).toBe(true);
        sats++;
      } else unsats++;
      // the assumptions leave no trace: the formula alone is answered as before
      expect(sat.solve(1e5)).toBe(bruteForceSat(n, clauses, []));
    }
    expect(sats).toBeGreaterThan(20);
    expect(unsats).toBeGreaterThan(20);
  });

  it('sets out from the target it is given: a model of the formula comes back as it is', () => {
    // a chain x0 ∨ x1, x1 ∨ x2, …: the default phases (false) would find another model
    const sat = new Sat();
    for (let v = 0; v < 30; v++) sat.newVar();
    for (let v = 0; v + 1 < 30; v++) sat.addClause([2 * v, 2 * (v + 1)]);
    expect(sat.solve(1000)).toBe(true);
    const first = sat.model();
    const wanted = Uint8Array.from({ length: 30 }, (_, v) => (v % 3 === 0 ? 0 : 1));
    expect(wanted).not.toEqual(first);
    sat.setTarget(wanted);
    expect(sat.solve(1000)).toBe(true);
    expect(sat.model()).toEqual(wanted);
  });

  it('"at most" constraints added between solves cut off the model found, down to UNSAT', () => {
    const sat = new Sat();
    const xs = Array.from({ length: 6 }, () => sat.newVar(true));
    sat.addClause(xs.slice(0, 3).map((x) => 2 * x));
    sat.addClause(xs.slice(3).map((x) => 2 * x));
    expect(sat.solve(100)).toBe(true);
    expect(sat.addAtMost(xs.map((x) => 2 * x), 2)).toBe(true);
    expect(sat.solve(100)).toBe(true);
    expect(xs.filter((x) => sat.isTrue(x)).length).toBe(2);
    sat.addAtMost(xs.map((x) => 2 * x), 1);
    expect(sat.solve(100)).toBe(false);
  });
});

/** A small deterministic generator (a linear congruential one): a seed gives the same formulas every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** A literal of one of n variables, either sign. */
function randomLit(rand: () => number, n: number): number {
  return 2 * Math.floor(rand() * n) + (rand() < 0.5 ? 1 : 0);
}

/** Whether a literal is true in the solver's last model. */
function holdsIn(sat: Sat): (l: number) => boolean {
  return (l) => sat.isTrue(l >> 1) === !(l & 1);
}

/** Whether some assignment of n variables satisfies the clauses and weighted "at most" constraints (by search with pruning). */
function bruteForceSat(n: number, clauses: number[][], cards: { lits: number[]; weights: number[]; limit: number }[]): boolean {
  const val = new Int8Array(n).fill(-1);
  const holds = (l: number): number => (val[l >> 1] === -1 ? -1 : (val[l >> 1] === 1) === !(l & 1) ? 1 : 0);
  const broken = (): boolean =>
    clauses.some((c) => c.every((l) => holds(l) === 0)) ||
    cards.some((c) => c.lits.reduce((a, l, i) => a + (holds(l) === 1 ? (c.weights[i] as number) : 0), 0) > c.limit);
  const walk = (v: number): boolean => {
    if (broken()) return false;
    if (v === n) return true;
    for (const x of [0, 1]) {
      val[v] = x;
      if (walk(v + 1)) return true;
    }
    val[v] = -1;
    return false;
  };
  return walk(0);
}

/**
 * Ranked allocation of club places when a selection window closes (issue 29). Pure and
 * deterministic: the only chance in it is a lottery drawn from the seed it is given, and the
 * answer records that lottery, so anyone can run it again and get the same draft.
 *
 * What it decides, in this order:
 * 1. Rules never broken: no class over its seats left; no child given two classes whose weekly
 *    slots overlap on a day (nor one that overlaps a class the child already holds); no child
 *    holding more than `placesPerChild` classes, counting those already held.
 * 2. Rounds: round k may give each child holding fewer than k classes one more. So children
 *    with no place go first: a child who already holds a class (from an earlier window)
 *    competes from round 2 on, after every child without one has had round 1 — even for a
 *    class it ranked first and the other child ranked last.
 * 3. Within a round, exactly: as many children as possible get a class; among those
 *    allocations, the smallest sum of ranks of the granted choices (1 = a first choice);
 *    among those, the lottery — where two allocations differ by two children exchanging
 *    ranks or a seat, the child drawn earlier gets the better one.
 *
 * A round is a min-cost maximum flow (source → child, 1; child → class, cost by rank;
 * class → sink, seats left), solved by successive shortest paths (Dijkstra with potentials);
 * the lottery enters as a perturbation of the costs too small to outweigh a rank. Costs are
 * integers, and within the schema's limits every path's cost stays below 10^15 (< 2^53), so
 * no tie is decided by rounding.
 */
import * as z from 'zod';
import { Id } from './common';
import { MAX_CHOICES } from './enrolment';
import { StudentNo } from './people';
import { minutesOf } from './time';
import { TimetableSession } from './timetable';

export const AllocationClass = z.object({
  id: Id,
  seatsLeft: z.number().int().min(0).max(10_000),
  slots: z
    .array(TimetableSession.pick({ day: true, start: true, end: true }))
    .max(20)
    .meta({ description: 'its weekly sessions, as the published timetable has them' }),
});
export type AllocationClass = z.infer<typeof AllocationClass>;

export const AllocationChild = z.object({
  id: StudentNo,
  choices: z.array(Id).max(MAX_CHOICES).meta({ description: 'eligible classes, first choice first' }),
  held: z
    .array(Id)
    .default([])
    .meta({ description: 'classes the child already holds (they count against placesPerChild and must not clash)' }),
});
export type AllocationChild = z.infer<typeof AllocationChild>;

export const AllocationInput = z
  .object({
    classes: z.array(AllocationClass).max(2_000),
    children: z.array(AllocationChild).max(50_000),
    placesPerChild: z.number().int().min(1).max(5).meta({ description: 'the school’s N: classes a child may hold' }),
    seed: z.number().int().min(0).max(0xffff_ffff).meta({ description: 'draws the lottery that breaks ties' }),
  })
  .superRefine((input, ctx) => {
    const classes = new Set<string>();
    input.classes.forEach((c, i) => {
      if (classes.has(c.id)) ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: 'another class has this id' });
      classes.add(c.id);
      c.slots.forEach((s, j) => {
        if (minutesOf(s.start)! >= minutesOf(s.end)!)
          ctx.addIssue({ code: 'custom', path: ['classes', i, 'slots', j, 'end'], message: 'must be after the start' });
      });
    });
    const children = new Set<string>();
    input.children.forEach((k, i) => {
      if (children.has(k.id)) ctx.addIssue({ code: 'custom', path: ['children', i, 'id'], message: 'another child has this id' });
      children.add(k.id);
      const seen = new Set<string>();
      for (const [field, list] of [['held', k.held] as const, ['choices', k.choices] as const])
        list.forEach((id, j) => {
          const path = ['children', i, field, j];
          if (!classes.has(id)) ctx.addIssue({ code: 'custom', path, message: `names no class of this allocation (${id})` });
          else if (seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `names ${id} twice (held or chosen)` });
          seen.add(id);
        });
    });
  });
export type AllocationInput = z.input<typeof AllocationInput>;

export const AllocationGrant = z.object({
  childId: StudentNo,
  classId: Id,
  rank: z.number().int().min(1).meta({ description: "the choice's rank: 1 = first choice" }),
  round: z.number().int().min(1),
});
export type AllocationGrant = z.infer<typeof AllocationGrant>;

/** A draft allocation: what `allocate` answers. */
export const Allocation = z.object({
  seed: z.number().int(),
  lottery: z.array(StudentNo).meta({
    description: "every child's id in the order the lottery drew them (first = luckiest), drawn from the ids sorted",
  }),
  grants: z.array(AllocationGrant).meta({ description: 'round by round, children in their input order' }),
  rounds: z.array(z.object({ round: z.number().int(), competing: z.number().int(), granted: z.number().int() })),
  children: z.number().int(),
  placed: z.number().int().meta({ description: 'children holding at least one class afterwards (held before or granted now)' }),
  unplaced: z.number().int().meta({ description: 'children who chose at least one class and hold none afterwards' }),
  ranks: z.array(z.number().int()).meta({ description: 'grants by rank: ranks[0] first choices, ranks[1] second, …' }),
});
export type Allocation = z.infer<typeof Allocation>;

/** The lottery: the children's ids, sorted, then shuffled (Fisher–Yates) by a generator seeded with `seed`. */
export function drawLottery(ids: readonly string[], seed: number): string[] {
  const order = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const next = splitMix32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = uniformBelow(next, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** SplitMix32: a small seeded generator of 32-bit integers (never Math.random). */
function splitMix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform in [0, n) without modulo bias (draws again past the largest multiple of n). */
function uniformBelow(next: () => number, n: number): number {
  const limit = 2 ** 32 - (2 ** 32 % n);
  for (;;) {
    const x = next();
    if (x < limit) return x % n;
  }
}

interface Slot {
  day: string;
  start: number;
  end: number;
}
const slotsOf = (c: AllocationClass): Slot[] =>
  c.slots.map((s) => ({ day: s.day, start: minutesOf(s.start)!, end: minutesOf(s.end)! }));
const clash = (a: readonly Slot[], b: readonly Slot[]) =>
  a.some((x) => b.some((y) => x.day === y.day && x.start < y.end && y.start < x.end));

/** Allocates the places; `raw` is parsed with AllocationInput (a malformed one throws its ZodError). */
export function allocate(raw: AllocationInput): Allocation {
  const input = AllocationInput.parse(raw);
  const classIndex = new Map(input.classes.map((c, i) => [c.id, i]));
  const at = (id: string) => classIndex.get(id)!; // every id is a class's: the schema checked it
  const slots = input.classes.map(slotsOf);
  const seatsLeft = Int32Array.from(input.classes, (c) => c.seatsLeft);
  const lottery = drawLottery(
    input.children.map((k) => k.id),
    input.seed,
  );
  const drawn = new Map(lottery.map((id, i) => [id, i]));
  const n = input.children.length;
  const ranksOut = Math.max(0, ...input.children.map((k) => k.choices.length));
  // Costs of a grant at rank r to the child drawn at position p: K·r − (n − p)·(R − r). The
  // lottery's part of any allocation lies in (−K, 0], so one rank outweighs any draw.
  const R = ranksOut + 1;
  const K = ((R - 1) * n * (n + 1)) / 2 + 1;
  const held = input.children.map((k) => k.held.map(at));
  const grants: AllocationGrant[] = [];
  const rounds: Allocation['rounds'] = [];

  for (let round = 1; round <= input.placesPerChild; round++) {
    // the children who may get one more class this round, with the choices they may get
    const competing: { child: number; options: Option[] }[] = [];
    input.children.forEach((k, i) => {
      const holds = held[i]!;
      if (holds.length >= round) return;
      const w = n - drawn.get(k.id)!;
      const options = k.choices.flatMap((id, r): Option[] => {
        const c = at(id);
        if (seatsLeft[c] === 0 || holds.includes(c) || holds.some((h) => clash(slots[h]!, slots[c]!))) return [];
        return [{ cls: c, rank: r + 1, cost: K * (r + 1) - w * (R - (r + 1)) }];
      });
      if (options.length) competing.push({ child: i, options });
    });
    const chosen = solveRound(competing, seatsLeft);
    let granted = 0;
    competing.forEach(({ child, options }, p) => {
      const o = options[chosen[p]!];
      if (!o) return;
      seatsLeft[o.cls]!--;
      held[child]!.push(o.cls);
      grants.push({ childId: input.children[child]!.id, classId: input.classes[o.cls]!.id, rank: o.rank, round });
      granted++;
    });
    rounds.push({ round, competing: competing.length, granted });
  }

  const ranks = new Array<number>(ranksOut).fill(0);
  for (const g of grants) ranks[g.rank - 1]!++;
  const placed = held.filter((h) => h.length > 0).length;
  const unplaced = input.children.filter((k, i) => k.choices.length > 0 && held[i]!.length === 0).length;
  return { seed: input.seed, lottery, grants, rounds, children: n, placed, unplaced, ranks };
}

interface Option {
  cls: number;
  rank: number;
  cost: number;
}

/**
 * One round, exactly: which option each competing child gets (its index; −1: none). Children
 * whose choices share no class, even through other children, cannot affect each other (in a
 * school, grades apart): each such group is solved on its own, which keeps every search small.
 */
function solveRound(competing: readonly { options: readonly Option[] }[], seatsLeft: Int32Array): Int32Array {
  const classes = seatsLeft.length;
  const root = Int32Array.from({ length: classes }, (_, c) => c);
  const find = (c: number): number => (root[c] === c ? c : (root[c] = find(root[c]!)));
  for (const { options } of competing) for (const o of options) root[find(o.cls)] = find(options[0]!.cls);
  const groups = new Map<number, number[]>();
  competing.forEach(({ options }, p) => {
    const g = find(options[0]!.cls);
    const group = groups.get(g);
    if (group) group.push(p);
    else groups.set(g, [p]);
  });
  const chosen = new Int32Array(competing.length).fill(-1);
  for (const members of groups.values()) {
    const edgeStart = new Int32Array(members.length + 1);
    members.forEach((p, j) => (edgeStart[j + 1] = edgeStart[j]! + competing[p]!.options.length));
    const edgeClass = new Int32Array(edgeStart[members.length]!);
    const edgeCost = new Float64Array(edgeClass.length);
    members.forEach((p, j) =>
      competing[p]!.options.forEach((o, k) => {
        edgeClass[edgeStart[j]! + k] = o.cls;
        edgeCost[edgeStart[j]! + k] = o.cost;
      }),
    );
    const assigned = maxFlowMinCost(members.length, classes, seatsLeft, edgeStart, edgeClass, edgeCost);
    members.forEach((p, j) => {
      if (assigned[j]! >= 0) chosen[p] = assigned[j]! - edgeStart[j]!;
    });
  }
  return chosen;
}

/**
 * A maximum flow of least cost from `m` children (1 each) over their edges to classes (`cap`
 * each) — an exact assignment. Edges of child p are edgeStart[p]…edgeStart[p+1]−1, with
 * positive integer costs. Answers, per child, the edge it is assigned along (−1: none).
 *
 * Successive shortest paths: each augmentation finds a cheapest path source → unmatched child
 * → class (→ a child of that class moving to another of its choices → class …) → a class with
 * a seat free, by Dijkstra on costs reduced by potentials (π), and stops when there is none.
 * Such paths never leave a child unmatched again, so a child's π stays 0 until matched, and
 * the cheapest entry into each class is the head of a list sorted once. Dijkstra stops at the
 * sink; nodes it settled closer move their potential by their distance, all others by the
 * sink's (kept as one shared `shift`, so an augmentation costs what it visits, not m).
 */
function maxFlowMinCost(
  m: number,
  classes: number,
  cap: Int32Array,
  edgeStart: Int32Array,
  edgeClass: Int32Array,
  edgeCost: Float64Array,
): Int32Array {
  const edges = edgeClass.length;
  const owner = new Int32Array(edges);
  for (let p = 0; p < m; p++) owner.fill(p, edgeStart[p]!, edgeStart[p + 1]!);
  // per class, the edges into it, cheapest first (ties: input order)
  const entryStart = new Int32Array(classes + 1);
  for (let e = 0; e < edges; e++) entryStart[edgeClass[e]! + 1]!++;
  for (let c = 0; c < classes; c++) entryStart[c + 1]! += entryStart[c]!;
  const entry = new Int32Array(edges);
  const entryAt = entryStart.slice(0, classes);
  for (let e = 0; e < edges; e++) entry[entryAt[edgeClass[e]!]!++] = e;
  for (let c = 0; c < classes; c++)
    entry.subarray(entryStart[c]!, entryStart[c + 1]!).sort((a, b) => edgeCost[a]! - edgeCost[b]! || a - b);
  entryAt.set(entryStart.subarray(0, classes));

  const assigned = new Int32Array(m).fill(-1); // the edge a child is assigned along
  // the children of class c are member[memberStart[c] … memberStart[c] + load[c] − 1]
  const memberStart = new Int32Array(classes + 1);
  for (let c = 0; c < classes; c++) memberStart[c + 1] = memberStart[c]! + cap[c]!;
  const member = new Int32Array(memberStart[classes]!);
  const memberAt = new Int32Array(m);
  const load = new Int32Array(classes);
  // potentials: π = stored + shift for classes, matched children and the sink (stored 0); 0 for unmatched children
  const piClass = new Float64Array(classes);
  const piChild = new Float64Array(m);
  let shift = 0;

  const distClass = new Float64Array(classes);
  const distChild = new Float64Array(m);
  const reachedChild = new Int32Array(m); // the augmentation in which distChild was last set
  let augmentation = 0;
  const viaEdge = new Int32Array(classes); // the edge a class was reached by
  const doneClass = new Uint8Array(classes);
  const doneChild = new Uint8Array(m);
  const settled = new Int32Array(classes + m);
  const heap = new MinHeap(edges + classes + m);

  for (;;) {
    heap.clear();
    let nSettled = 0;
    augmentation++;
    doneClass.fill(0);
    let distSink = Infinity;
    let lastClass = -1;
    for (let c = 0; c < classes; c++) {
      let i = entryAt[c]!;
      const to = entryStart[c + 1]!;
      while (i < to && assigned[owner[entry[i]!]!]! >= 0) i++;
      entryAt[c] = i;
      distClass[c] = Infinity;
      if (i < to) {
        const e = entry[i]!;
        distClass[c] = edgeCost[e]! - (piClass[c]! + shift);
        viaEdge[c] = e;
        heap.push(distClass[c]!, c);
      }
    }
    // until no node left could be closer than the sink (on a tie, the sink: it ends the path)
    while (heap.size > 0 && heap.topKey() < distSink) {
      const d = heap.topKey();
      const node = heap.pop();
      if (node < classes) {
        const c = node;
        if (doneClass[c] || d > distClass[c]!) continue;
        doneClass[c] = 1;
        settled[nSettled++] = node;
        if (load[c]! < cap[c]! && d + piClass[c]! < distSink) {
          distSink = d + piClass[c]!;
          lastClass = c;
        }
        const pc = piClass[c]! + shift;
        for (let k = memberStart[c]!, to = k + load[c]!; k < to; k++) {
          const p = member[k]!;
          const nd = d - edgeCost[assigned[p]!]! + pc - (piChild[p]! + shift);
          if (reachedChild[p] !== augmentation || nd < distChild[p]!) {
            reachedChild[p] = augmentation;
            distChild[p] = nd;
            heap.push(nd, classes + p);
          }
        }
      } else {
        const p = node - classes;
        if (doneChild[p] || d > distChild[p]!) continue;
        doneChild[p] = 1;
        settled[nSettled++] = node;
        const pp = piChild[p]! + shift;
        const own = assigned[p]!;
        for (let e = edgeStart[p]!, to = edgeStart[p + 1]!; e < to; e++) {
          const c = edgeClass[e]!;
          if (e === own || doneClass[c]) continue;
          const nd = d + edgeCost[e]! + pp - (piClass[c]! + shift);
          if (nd < distClass[c]!) {
            distClass[c] = nd;
            viaEdge[c] = e;
            heap.push(nd, c);
          }
        }
      }
    }
    if (distSink === Infinity) return assigned;

    // potentials: + min(distance, the sink's distance), i.e. the shift for all, less for the settled
    shift += distSink;
    for (let k = 0; k < nSettled; k++) {
      const node = settled[k]!;
      if (node < classes) piClass[node]! += distClass[node]! - distSink;
      else {
        const p = node - classes;
        piChild[p]! += distChild[p]! - distSink;
        doneChild[p] = 0;
      }
    }
    // augment along the path, from its last class back to the unmatched child it starts at
    for (let c = lastClass; ;) {
      const e = viaEdge[c]!;
      const p = owner[e]!;
      const from = assigned[p]! < 0 ? -1 : edgeClass[assigned[p]!]!;
      if (from >= 0) {
        // p leaves its class: the class's last member takes its place in the list
        const last = member[memberStart[from]! + --load[from]!]!;
        member[memberStart[from]! + memberAt[p]!] = last;
        memberAt[last] = memberAt[p]!;
      } else piChild[p] = -shift; // π 0 as it is matched
      assigned[p] = e;
      memberAt[p] = load[c]!;
      member[memberStart[c]! + load[c]!++] = p;
      if (from < 0) break;
      c = from;
    }
  }
}

/** A binary min-heap of (key, value) pairs, at most `capacity` at once; stale pairs are skipped by the caller. */
class MinHeap {
  private keys: Float64Array;
  private values: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.values = new Int32Array(capacity);
  }
  clear() {
    this.size = 0;
  }
  topKey() {
    return this.keys[0]!;
  }
  push(key: number, value: number) {
    const { keys, values } = this;
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up]! <= key) break;
      keys[i] = keys[up]!;
      values[i] = values[up]!;
      i = up;
    }
    keys[i] = key;
    values[i] = value;
  }
  pop(): number {
    const { keys, values } = this;
    const top = values[0]!;
    const n = --this.size;
    const key = keys[n]!;
    const value = values[n]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keys[i] = key;
    values[i] = value;
    return top;
  }
}

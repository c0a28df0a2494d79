/**
 * `npm run bench:allocation [-- --children 3000 --clubs 40 --choices 5 --seats 16 --places 1,2 --runs 7]`:
 * ranked allocation (packages/domain/src/allocation.ts) on a generated school
 * (allocation-school.ts: clashing weekly sessions, short seats in popular clubs, advanced
 * classes refused without their prerequisite), for each number of places a child may hold,
 * beside the exact optimum of the same instance from an integer program solved by HiGHS
 * (allocation-exact.ts). It prints a table (children placed, places granted, the rank
 * histogram, the time: median of `runs` runs, each in this warm process, and the first) and,
 * as its last line, one JSON object for the last row: {children, choices, placesPerChild,
 * classes, seats, placed, optimumPlaced, gapPercent, granted, optimumGranted, rankSum,
 * optimumRankSum, ms, firstMs, cpuMs, exactMs, ranks}.
 * Targets: ms well under 1,000; gapPercent ≤ 1 (children placed short of the optimum).
 */
import { parseArgs } from 'node:util';
import { allocate, type Allocation } from '../src/allocation';
import { exactOptimum } from './allocation-exact';
import { generateSchool } from './allocation-school';

const { values: args } = parseArgs({
  options: {
    children: { type: 'string', default: '3000' },
    clubs: { type: 'string', default: '40' },
    choices: { type: 'string', default: '5' },
    seats: { type: 'string', default: '16' },
    places: { type: 'string', default: '1,2' },
    runs: { type: 'string', default: '7' },
    school: { type: 'string', default: '2026' },
    seed: { type: 'string', default: '29' },
  },
});
const num = (s: string) => Number(s);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ord = (r: number) => `${r}${['st', 'nd', 'rd'][r - 1] ?? 'th'}`;

const rows: string[][] = [];
let last: Record<string, unknown> = {};
for (const placesPerChild of args.places.split(',').map(num)) {
  const { input, refused } = generateSchool({
    children: num(args.children),
    clubs: num(args.clubs),
    choices: num(args.choices),
    seats: num(args.seats),
    placesPerChild,
    school: num(args.school),
    seed: num(args.seed),
  });
  const seats = input.classes.reduce((s, c) => s + c.seatsLeft, 0);
  const ranked = input.children.reduce((s, k) => s + k.choices.length, 0);
  if (rows.length === 0)
    console.log(
      `school: ${input.children.length} children, ${input.classes.length} classes of ${args.clubs} clubs, ${seats} seats; ` +
        `${ranked} choices ranked (${refused} advanced choices refused for their prerequisite and ranked again)\n`,
    );

  const times: number[] = [];
  const cpu: number[] = [];
  let result: Allocation | undefined;
  for (let run = 0; run < num(args.runs); run++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = allocate(input);
    times.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  const a = result!;
  const exact = await exactOptimum(input);
  const rankSum = a.grants.reduce((s, g) => s + g.rank, 0);
  const gapPercent = exact.placed ? (100 * (exact.placed - a.placed)) / exact.placed : 0;
  const ranks = Object.fromEntries([...a.ranks.map((x, i) => [String(i + 1), x]), ['none', a.unplaced]]);
  rows.push([
    `${placesPerChild}`,
    `${a.placed}`,
    `${exact.placed}`,
    gapPercent.toFixed(2),
    `${a.grants.length}`,
    `${exact.granted}`,
    ...a.ranks.map(String),
    `${a.unplaced}`,
    `${rankSum}`,
    `${exact.rankSum}`,
    median(times).toFixed(0),
    times[0]!.toFixed(0),
    median(cpu).toFixed(0),
    (exact.ms / 1000).toFixed(1),
  ]);
  last = {
    children: a.children,
    choices: num(args.choices),
    placesPerChild,
    classes: input.classes.length,
    seats,
    placed: a.placed,
    optimumPlaced: exact.placed,
    gapPercent: Number(gapPercent.toFixed(2)),
    granted: a.grants.length,
    optimumGranted: exact.granted,
    rankSum,
    optimumRankSum: exact.rankSum,
    ms: Number(median(times).toFixed(1)),
    firstMs: Number(times[0]!.toFixed(1)),
    cpuMs: Number(median(cpu).toFixed(1)),
    exactMs: Math.round(exact.ms),
    ranks,
  };
}

const head = [
  'places/child',
  'placed',
  'optimum',
  'gap %',
  'granted',
  'optimum',
  ...Array.from({ length: num(args.choices) }, (_, i) => ord(i + 1)),
  'none',
  'rank sum',
  'optimum',
  'ms (median)',
  'ms (1st run)',
  'CPU ms',
  'HiGHS s',
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(' | ')} |`;
console.log(line(head));
console.log(`|${widths.map((w) => '-'.repeat(w + 1) + ':').join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(
  '\nplaced: children holding a class; granted: places given; "optimum": the integer program\'s, lexicographic\n' +
    '(children placed, then places granted, then the least sum of ranks); rank sum: of the places granted.',
);
console.log(JSON.stringify(last));

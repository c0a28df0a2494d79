// npm run bench:timetable -- [--full] [--big] [--sizes 300,2000] [--seeds 1-5] [--flags default,with-students,fixed-staff,tight]
//                            [--generator own|shared|both] [--out table.md]
//
// Generates instances (the package's own generator, and ../shared/bench/gen.mjs when that
// folder exists), solves each in a child process (time measured inside it, peak memory =
// its max RSS), checks every answer with the package's checker and, when present, with
// ../shared/bench/check.mjs, and prints a markdown table, with the consecutiveDays of the
// timetable each generator planted beside the solver's (the instance is drawn around the
// planted timetable: a reference for the first soft goal) and `consecutiveDaysBound`, below
// which no timetable goes; the last column counts the timetables with pairs where the bound
// does not rule out a timetable without (the first soft goal's target: 0 pairs wherever the
// instance allows it; where the bound is 0 and the timetable has pairs, the bound gets a
// second, longer look). Exit 1 on any hard violation (a refusal of a generated, hence
// feasible, instance counts as one), any disagreement between the two checkers, or a bound
// above a timetable's consecutiveDays.
//
// Default: a representative set that runs in a few minutes. --full: seeds 1–30 × 300,
// 2,000 and 5,000 students × every combination of --with-students, --fixed-staff and
// --tight 0.9. --big adds the 20,000-student, 300-club schools (with and without students).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { check, consecutiveDaysBound, generateSchool, parseInstance, readAnswer, type Instance, type Session } from '../src/index';

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../../../shared/bench');
const hasShared = existsSync(join(shared, 'gen.mjs')) && existsSync(join(shared, 'check.mjs'));

type Flag = 'with-students' | 'fixed-staff' | 'tight';
interface Case {
  generator: 'own' | 'shared';
  students: number;
  clubs: number;
  flags: Flag[];
  seed: number;
}
interface Row extends Case {
  status: string;
  seconds: number;
  peakMB: number;
  hard: number;
  sharedHard: number | null;
  consecutiveDays: number;
  /** of the timetable the generator planted (the instance is drawn around it): a reference for the soft goal */
  plantedConsecutiveDays: number;
  /** no timetable of the instance has fewer (`consecutiveDaysBound`) */
  boundConsecutiveDays: number;
  teacherLoadSpread: number;
  disagreement: string;
}

function parseArgs(argv: string[]): { cases: Case[]; out?: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const full = argv.includes('--full');
  const big = argv.includes('--big');
  const range = (text: string): number[] => {
    const [a, b] = text.split('-').map(Number) as [number, number | undefined];
    return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
  };
  const generators = (get('--generator') ?? 'both') === 'both' ? (['own', 'shared'] as const) : [get('--generator') as 'own' | 'shared'];
  const usable = generators.filter((g) => g === 'own' || hasShared);
  const seeds = get('--seeds')?.split(',').flatMap(range);
  const sizes = get('--sizes')?.split(',').map(Number);
  const flagSets: Flag[][] = get('--flags')
    ? (get('--flags') as string).split(',').map((f) => (f === 'default' ? [] : (f.split('+') as Flag[])))
    : full
      ? [[], ['with-students'], ['fixed-staff'], ['tight'], ['with-students', 'fixed-staff'], ['with-students', 'tight'], ['fixed-staff', 'tight'], ['with-students', 'fixed-staff', 'tight']]
      : [[], ['with-students'], ['fixed-staff'], ['tight'], ['fixed-staff', 'tight']];
  const cases: Case[] = [];
  for (const generator of usable) {
    if (full || seeds || sizes) {
      for (const students of sizes ?? [300, 2000, 5000]) for (const flags of flagSets) for (const seed of seeds ?? (full ? range('1-30') : range('1-3'))) cases.push({ generator, students, clubs: 45, flags, seed });
    } else {
      for (const seed of range('1-5')) cases.push({ generator, students: 2000, clubs: 45, flags: [], seed });
      for (const students of [300, 2000, 5000]) for (const flags of flagSets) if (students !== 2000 || flags.length) cases.push({ generator, students, clubs: 45, flags, seed: 1 });
      cases.push({ generator, students: 20000, clubs: 300, flags: [], seed: 1 });
    }
    if (big) for (const seed of seeds ?? [1]) for (const flags of [[], ['with-students']] as Flag[][]) cases.push({ generator, students: 20000, clubs: 300, flags, seed });
  }
  const out = get('--out');
  return out === undefined ? { cases } : { cases, out };
}

/** Writes the case's instance to `path`; returns the timetable its generator planted. */
function makeInstance(c: Case, path: string): Session[] {
  if (c.generator === 'own') {
    const school = generateSchool({
      seed: c.seed,
      students: c.students,
      clubs: c.clubs,
      withStudents: c.flags.includes('with-students'),
      fixedStaff: c.flags.includes('fixed-staff'),
      tight: c.flags.includes('tight') ? 0.9 : 0.5,
    });
    writeFileSync(path, JSON.stringify(school.instance));
    return school.planted;
  }
  // --emit-planted: the same instance, with the planted timetable beside it
  const args = [join(shared, 'gen.mjs'), '--seed', String(c.seed), '--students', String(c.students), '--clubs', String(c.clubs), '--emit-planted'];
  if (c.flags.includes('with-students')) args.push('--with-students');
  if (c.flags.includes('fixed-staff')) args.push('--fixed-staff');
  if (c.flags.includes('tight')) args.push('--tight', '0.9');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`gen.mjs failed: ${r.stderr}`);
  const { instance, planted } = JSON.parse(r.stdout) as { instance: unknown; planted: { sessions: Session[] } };
  writeFileSync(path, JSON.stringify(instance));
  return planted.sessions;
}

/**
 * consecutiveDaysBound's conflicts for a school whose timetable has pairs where the default
 * budget (100,000) left 0: own 5,000 `tight` seed 1's proof that it cannot do without
 * pairs took 622,013 conflicts (115 s) of the second stage, which gets a quarter.
 */
const SECOND_LOOK = 4_000_000;

interface SharedChecker {
  compileInstance(inst: unknown): unknown;
  checkAnswer(model: unknown, answer: unknown): { hardViolations: number; consecutiveDays: number; teacherLoadSpread: number; codes: Record<string, number> };
}

async function main(): Promise<number> {
  const { cases, out } = parseArgs(process.argv.slice(2));
  const sharedChecker = hasShared ? ((await import(pathToFileURL(join(shared, 'check.mjs')).href)) as SharedChecker) : null;
  if (!hasShared) process.stderr.write('bench: ../shared/bench not found: own generator and checker only\n');
  const dir = mkdtempSync(join(tmpdir(), 'kehou-bench-'));
  const rows: Row[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const instPath = join(dir, 'instance.json');
      const answerPath = join(dir, 'answer.json');
      const planted = makeInstance(c, instPath);
      const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'worker.ts'), instPath, answerPath, '1'], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const label = `${c.generator} ${c.students}/${c.clubs} ${c.flags.join('+') || 'default'} seed ${c.seed}`;
      if (run.status !== 0) {
        rows.push({ ...c, status: `crash: ${run.stderr.trim().split('\n').pop() ?? ''}`, seconds: NaN, peakMB: NaN, hard: 1, sharedHard: null, consecutiveDays: NaN, plantedConsecutiveDays: NaN, boundConsecutiveDays: NaN, teacherLoadSpread: NaN, disagreement: '' });
        process.stderr.write(`[${i + 1}/${cases.length}] ${label}: CRASH\n${run.stderr}\n`);
        continue;
      }
      const measured = JSON.parse(run.stdout) as { seconds: number; peakMB: number; status: string };
      const instJson = JSON.parse(readFileSync(instPath, 'utf8')) as unknown;
      const answerJson = JSON.parse(readFileSync(answerPath, 'utf8')) as unknown;
      const inst = parseInstance(instJson) as Instance;
      const own = check(inst, readAnswer(answerJson));
      const plantedConsecutiveDays = check(inst, { sessions: planted }).consecutiveDays;
      let boundConsecutiveDays = consecutiveDaysBound(inst).total;
      // pairs where the bound's budget did not rule out a timetable without: a second, longer look
      if (boundConsecutiveDays === 0 && own.hardViolations === 0 && own.consecutiveDays > 0) boundConsecutiveDays = consecutiveDaysBound(inst, SECOND_LOOK).total;
      let sharedHard: number | null = null;
      let disagreement = '';
      if (sharedChecker) {
        const theirs = sharedChecker.checkAnswer(sharedChecker.compileInstance(instJson), answerJson);
        sharedHard = theirs.hardViolations;
        const mine = JSON.stringify(Object.entries(own.counts).sort());
        const them = JSON.stringify(Object.entries(theirs.codes).sort());
        if (theirs.hardViolations !== own.hardViolations || theirs.consecutiveDays !== own.consecutiveDays || theirs.teacherLoadSpread !== own.teacherLoadSpread || mine !== them) {
          disagreement = `own ${mine} cd ${own.consecutiveDays} spread ${own.teacherLoadSpread} / check.mjs ${them} cd ${theirs.consecutiveDays} spread ${theirs.teacherLoadSpread}`;
        }
      }
      // the planted timetable and the solver's (if it obeys every rule) are timetables: a bound above either is wrong
      const real = own.hardViolations === 0 && measured.status === 'ok' ? Math.min(plantedConsecutiveDays, own.consecutiveDays) : plantedConsecutiveDays;
      if (boundConsecutiveDays > real) disagreement += ` consecutiveDaysBound ${boundConsecutiveDays} above a timetable's ${real}`;
      const row: Row = { ...c, ...measured, hard: own.hardViolations, sharedHard, consecutiveDays: own.consecutiveDays, plantedConsecutiveDays, boundConsecutiveDays, teacherLoadSpread: own.teacherLoadSpread, disagreement };
      rows.push(row);
      process.stderr.write(`[${i + 1}/${cases.length}] ${label}: ${measured.status} ${measured.seconds.toFixed(3)} s, ${measured.peakMB.toFixed(0)} MB, hard ${own.hardViolations}${disagreement ? ' DISAGREEMENT' : ''}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table = render(rows);
  process.stdout.write(table);
  if (out) writeFileSync(out, table);
  const bad = rows.filter((r) => r.hard > 0 || r.disagreement).length;
  return bad ? 1 : 0;
}

function render(rows: Row[]): string {
  const lines = [
    `Node ${process.version}, one process per case (one core). seconds: JSON parse + validation + solve, measured inside the process; peak MB: the process's max RSS.`,
    '',
    '| generator | students | clubs | flags | seed | answer | seconds | peak MB | hard (own / check.mjs) | consecutiveDays (planted) | bound | teacherLoadSpread |',
    '|---|---:|---:|---|---:|---|---:|---:|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    const hard = `${r.hard} / ${r.sharedHard ?? '–'}${r.disagreement ? ` DISAGREE: ${r.disagreement}` : ''}`;
    lines.push(`| ${r.generator} | ${r.students} | ${r.clubs} | ${r.flags.join(' ') || '–'} | ${r.seed} | ${r.status} | ${r.seconds.toFixed(3)} | ${r.peakMB.toFixed(0)} | ${hard} | ${r.consecutiveDays} (${r.plantedConsecutiveDays}) | ${r.boundConsecutiveDays} | ${r.teacherLoadSpread} |`);
  }
  lines.push(
    '',
    '| generator | students | clubs | flags | cases | median s | max s | max MB | timetables | hard violations | disagreements | mean consecutiveDays (planted) | mean bound | at bound | pairs, 0 not ruled out |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.generator}|${r.students}|${r.clubs}|${r.flags.join(' ') || '–'}`;
    groups.get(key)?.push(r) ?? groups.set(key, [r]);
  }
  for (const [key, list] of groups) {
    const [g, s, c, f] = key.split('|');
    const times = list.map((r) => r.seconds).sort((a, b) => a - b);
    const median = times[Math.floor((times.length - 1) / 2)] ?? NaN;
    lines.push(
      `| ${g} | ${s} | ${c} | ${f} | ${list.length} | ${median.toFixed(3)} | ${Math.max(...times).toFixed(3)} | ${Math.max(...list.map((r) => r.peakMB)).toFixed(0)} | ${list.filter((r) => r.status === 'ok').length} | ${list.reduce((a, r) => a + r.hard, 0)} | ${list.filter((r) => r.disagreement).length} | ${mean(list.map((r) => r.consecutiveDays))} (${mean(list.map((r) => r.plantedConsecutiveDays))}) | ${mean(list.map((r) => r.boundConsecutiveDays))} | ${list.filter((r) => r.consecutiveDays === r.boundConsecutiveDays).length} | ${list.filter((r) => r.consecutiveDays > 0 && r.boundConsecutiveDays === 0).length} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function mean(xs: readonly number[]): string {
  return (xs.reduce((a, x) => a + x, 0) / xs.length).toFixed(1);
}

process.exitCode = await main();

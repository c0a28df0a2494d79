// npm run bench:cli -- [--runs 11] [--seed 1] [--students 2000] [--clubs 45]
//
// Whole runs of the command line, from process spawn to exit, on a school from the package's
// own generator (2,000 students, 45 clubs by default): `node_modules/.bin/kehou-timetable` (the
// built bin: the target is a median under 0.3 s), beside `npm run timetable` (the same bin
// behind npm's own start-up) and the TypeScript sources through tsx (how `npm run timetable`
// ran before the bin). The commands take turns, so that each sees the same load; one run of
// each comes first, unmeasured (it fills node's compile cache). Prints a markdown table:
// wall-clock seconds (median and fastest), CPU seconds of the process and its children
// (median; Linux), and the solver's own time as the command line reports it on stderr, so
// that what is start-up shows. Exit 1 if a run fails or its timetable breaks a hard rule.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { check, generateInstance } from '../src/index';

const TARGET_S = 0.3;
const root = resolve(import.meta.dirname, '../../..');
const bin = (name: string): string => join(root, 'node_modules/.bin', name);

function option(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${name} needs a positive whole number`);
  return value;
}

/** CPU seconds of this process's waited-for children so far (Linux), else undefined. */
function childrenCpu(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, in clock ticks of 1/100 s
}

interface Command {
  label: string;
  argv: string[];
}
interface Sample {
  wall: number;
  cpu: number | undefined;
  solveMs: number;
}

function runOnce(command: Command, instancePath: string): { sample: Sample; stdout: string } {
  const [file, ...args] = command.argv as [string, ...string[]];
  const cpuBefore = childrenCpu();
  const started = performance.now();
  const r = spawnSync(file, [...args, instancePath], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = childrenCpu();
  const solveMs = /sessions in (\d+) ms/.exec(r.stderr)?.[1];
  if (r.status !== 0 || solveMs === undefined) throw new Error(`${command.label}: exit ${r.status}\n${r.stderr}`);
  return {
    sample: {
      wall,
      cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      solveMs: Number(solveMs),
    },
    stdout: r.stdout,
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

function main(): number {
  const argv = process.argv.slice(2);
  const runs = option(argv, '--runs', 11);
  const seed = option(argv, '--seed', 1);
  const students = option(argv, '--students', 2000);
  const clubs = option(argv, '--clubs', 45);
  if (!existsSync(bin('kehou-timetable'))) {
    process.stderr.write('bench:cli: node_modules/.bin/kehou-timetable is missing: run npm ci\n');
    return 1;
  }
  const instance = generateInstance({ seed, students, clubs });
  const dir = mkdtempSync(join(tmpdir(), 'kehou-bench-cli-'));
  try {
    const instancePath = join(dir, 'school.json');
    writeFileSync(instancePath, JSON.stringify(instance));
    const commands: Command[] = [
      { label: '`node_modules/.bin/kehou-timetable`', argv: [bin('kehou-timetable')] },
      { label: '`npm run -s timetable --`', argv: ['npm', 'run', '-s', 'timetable', '--'] },
      { label: 'tsx `src/cli/timetable.ts` (before)', argv: [bin('tsx'), join(root, 'packages/scheduler/src/cli/timetable.ts')] },
    ];
    const samples = new Map<Command, Sample[]>(commands.map((c) => [c, []]));
    const loadBefore = loadavg()[0] as number;
    for (const command of commands) {
      const { stdout } = runOnce(command, instancePath); // warm-up, unmeasured: and its answer is checked
      const verdict = check(instance, JSON.parse(stdout) as { sessions: [] });
      if (!verdict.ok)
        throw new Error(`${command.label}: ${verdict.hardViolations} hard violations: ${verdict.violations[0]?.message ?? ''}`);
    }
    for (let i = 0; i < runs; i++)
      for (const command of commands) samples.get(command)?.push(runOnce(command, instancePath).sample);
    const loadAfter = loadavg()[0] as number;

    const s = (x: number): string => x.toFixed(3);
    const lines = [
      `Whole runs, spawn to exit, on the own generator's school (seed ${seed}, ${students} students, ${clubs} clubs, ${instance.classes.length} classes); ${runs} runs each, taking turns; node ${process.version}, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${availableParallelism()} cores.`,
      '',
      `| command | median s | fastest s | median CPU s | solve median s (its own report) | the rest (start-up, reading, writing), median s | target ≤ ${TARGET_S} s |`,
      '|---|---:|---:|---:|---:|---:|---|',
      ...commands.map((command, i) => {
        const xs = samples.get(command) ?? [];
        const wall = median(xs.map((x) => x.wall));
        const cpus = xs.map((x) => x.cpu).filter((x) => x !== undefined);
        const solve = median(xs.map((x) => x.solveMs)) / 1000;
        const rest = median(xs.map((x) => x.wall - x.solveMs / 1000));
        const verdict = i === 0 ? (wall <= TARGET_S ? 'met' : 'not met') : '–';
        return `| ${command.label} | ${s(wall)} | ${s(Math.min(...xs.map((x) => x.wall)))} | ${cpus.length ? s(median(cpus)) : '–'} | ${s(solve)} | ${s(rest)} | ${verdict} |`;
      }),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();

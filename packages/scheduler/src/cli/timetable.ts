// kehou-timetable <instance.json> [--seed N] [--previous answer.json] [--effort X] [--verbose]
// (npm run timetable -- …; bundled into dist/timetable.mjs by build.ts, run by bin/kehou-timetable.mjs)
//
// Prints the answer on stdout: {"sessions": [...], "stats": {...}} (exit 0), or
// {"infeasible": true, "reason": ..., "culprit": {...}} (exit 3). Malformed input: a
// message on stderr, exit 2. A one-line summary with the solve time goes to stderr.

import { performance } from 'node:perf_hooks';
import { InputError, parseInstance } from '../parse';
import { TimetableSchema } from '../schema';
import { solve, SolverBug, type SolveOptions } from '../solver/solve';
import { describeIssues, FileError, formatJson, readJson } from './io';

const USAGE = 'usage: kehou-timetable <instance.json> [--seed N] [--previous answer.json] [--effort X] [--verbose]';

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): { file: string; seed: number; previous?: string; effort: number; verbose: boolean } {
  let file: string | undefined;
  let seed = 1;
  let previous: string | undefined;
  let effort = 1;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) > 4294967295) throw new UsageError('--seed needs a whole number 0 … 4294967295');
      seed = Number(v);
    } else if (a === '--previous') previous = value();
    else if (a === '--effort') {
      effort = Number(value());
      if (!(effort > 0)) throw new UsageError('--effort needs a positive number');
    } else if (a === '--verbose') verbose = true;
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (file === undefined) file = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  if (file === undefined) throw new UsageError('no instance file given');
  return { file, seed, effort, verbose, ...(previous === undefined ? {} : { previous }) };
}

function main(): number {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`timetable: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  const started = performance.now();
  const options: SolveOptions = { seed: args.seed, effort: args.effort, clock: () => performance.now() };
  // --verbose: each phase of the solver on stderr, with the seconds since the start
  if (args.verbose) options.trace = (line) => process.stderr.write(`${((performance.now() - started) / 1000).toFixed(2)} s ${line}\n`);
  let instance;
  try {
    instance = parseInstance(readJson(args.file, 'instance'));
    if (args.previous !== undefined) {
      const parsed = TimetableSchema.safeParse(readJson(args.previous, 'previous answer'));
      if (!parsed.success) throw new FileError(`previous answer ${args.previous}: not a timetable ({"sessions": [...]} with well-formed sessions): ${parsed.error.issues[0]?.message ?? ''}`);
      options.previous = parsed.data.sessions;
    }
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`timetable: malformed ${e.message.split(':')[0]} ${args.file}:\n${describeIssues(e)}\n`);
      return 2;
    }
    if (e instanceof FileError) {
      process.stderr.write(`timetable: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    const result = solve(instance, options);
    if (result.status === 'infeasible') {
      process.stdout.write(`${JSON.stringify({ infeasible: true, reason: result.reason, culprit: result.culprit })}\n`);
      process.stderr.write(`timetable: no timetable: ${result.reason}\n`);
      return 3;
    }
    const { ms, ...stats } = result.stats;
    process.stdout.write(formatJson({ sessions: result.sessions, stats }));
    process.stderr.write(`timetable: ${stats.sessions} sessions in ${(ms ?? 0).toFixed(0)} ms; consecutive days ${stats.consecutiveDays}, teacher load spread ${stats.teacherLoadSpread}${options.previous ? `, moved ${stats.moved}` : ''}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SolverBug) {
      process.stderr.write(`timetable: internal error, no timetable printed: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

process.exitCode = main();

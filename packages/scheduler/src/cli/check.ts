// kehou-timetable-check [--expect-infeasible] <instance.json> <answer.json>
// (npm run timetable:check -- …; bundled into dist/check.mjs by build.ts, run by bin/kehou-timetable-check.mjs)
//
// The package's own checker, with the same one-line verdict as ../shared/bench/check.mjs:
// {"ok","hardViolations","violations":[first 10],"sessions","consecutiveDays","teacherLoadSpread"}.
// Exit 0 ok, 1 violations, 2 malformed input (then {"ok":false,"error":…}).

import { check, readAnswer, verdict } from '../check/check';
import { InputError, parseInstance } from '../parse';
import { FileError, readJson } from './io';

function main(): number {
  const argv = process.argv.slice(2);
  const expectInfeasible = argv.includes('--expect-infeasible');
  const files = argv.filter((a) => a !== '--expect-infeasible');
  const bad = (message: string): number => {
    process.stderr.write(`timetable:check: ${message}\n`);
    process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
    return 2;
  };
  if (files.length !== 2 || files.some((f) => f.startsWith('--'))) return bad('usage: kehou-timetable-check [--expect-infeasible] <instance.json> <answer.json>');
  try {
    const instance = parseInstance(readJson(files[0] as string, 'instance'));
    const answer = readAnswer(readJson(files[1] as string, 'answer'));
    const result = check(instance, answer, { expectInfeasible });
    process.stdout.write(`${JSON.stringify(verdict(result))}\n`);
    return result.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError) return bad(`${e.message}`);
    if (e instanceof FileError) return bad(e.message);
    throw e;
  }
}

process.exitCode = main();

// One benchmark case in its own process, so that its peak memory is its own:
//   node --import tsx bench/worker.ts <instance.json> <answer.json> [seed]
// Reads the instance, solves it (timed inside the process: JSON parse, validation and
// solve), writes the answer, and prints {seconds, peakMB, status, reason?} on stdout.

import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseInstance, solve } from '../src/index';

const [instancePath, answerPath, seed] = process.argv.slice(2);
if (!instancePath || !answerPath) {
  process.stderr.write('usage: bench/worker.ts <instance.json> <answer.json> [seed]\n');
  process.exit(2);
}
const text = readFileSync(instancePath, 'utf8');
const started = performance.now();
const instance = parseInstance(JSON.parse(text));
const result = solve(instance, { seed: Number(seed ?? 1) });
const seconds = (performance.now() - started) / 1000;
const answer = result.status === 'ok' ? { sessions: result.sessions } : { infeasible: true, reason: result.reason };
writeFileSync(answerPath, JSON.stringify(answer));
const peakMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ seconds, peakMB, status: result.status, ...(result.status === 'infeasible' ? { reason: result.reason } : {}) })}\n`);

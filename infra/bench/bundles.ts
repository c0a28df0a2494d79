// npm run bench:bundles -- [--runs 21] [--sdk runtime]
//
// Bundles every function of the registry as CDK deploys it (infra/lib/bundling.ts), and a naive
// reference handler (zod, middy and the DynamoDB document client: infra/bench/naive-handler.ts)
// the way functions were bundled before (`import { z } from 'zod'`, the AWS SDK left to the
// runtime, source maps with their sources). Then imports each bundle in fresh `node` processes,
// taking turns so that a busy machine slows all alike, with the environment Lambda gives a
// function (NODE_OPTIONS=--enable-source-maps, TABLE_NAME, CURSOR_KEY, AWS_REGION, credentials:
// dummies) and the SDK in node_modules as in Lambda's runtime. Prints per function the bundle's
// size, how much of it is the AWS SDK, the median import time (wall and CPU) and its ratio to the
// reference's, against the targets: own code within 300 KB (SIZE_BUDGET; the bundle test holds
// it too), 0.7× the reference. Exit 1 if a function misses either.
//
// --sdk runtime: the choice not taken, measured the same way: the functions with the whole
// AWS SDK left to the runtime's copy.

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTIONS } from '../../functions/index';
import { REPO_ROOT } from '../lib/api';
import { esbuildOptions, LAZY_SDK_MODULES, SIZE_BUDGET } from '../lib/bundling';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, sdk: { type: 'string', default: 'bundled' } },
});
const runs = Number(values.runs);
if (values.sdk !== 'bundled' && values.sdk !== 'runtime') throw new Error('--sdk is bundled or runtime');

// inside the repository, so that a bundle's external `@aws-sdk/*` resolves to node_modules
const out = join(REPO_ROOT, 'node_modules', '.cache', 'kehou-bench-bundles');
rmSync(out, { recursive: true, force: true });

const KB = 1024;
const TARGET_RATIO = 0.7;
const WITHOUT_SDK = [...LAZY_SDK_MODULES, '@aws-sdk/*'];

interface Subject {
  name: string;
  file: string;
  bytes: number;
  /** bytes of the AWS SDK bundled in it */
  sdkBytes: number;
}

/** Bundles, and answers the bytes of the bundle (its source map aside). */
async function bundle(options: BuildOptions): Promise<number> {
  const { metafile } = await build({ ...options, metafile: true });
  return Object.values(metafile!.outputs).find((o) => o.entryPoint)!.bytes;
}

const subjects: Subject[] = [];
for (const fn of FUNCTIONS) {
  const entry = join(REPO_ROOT, 'functions', fn.name, 'handler.ts');
  const file = join(out, fn.name, 'index.mjs');
  const bytes = await bundle(esbuildOptions(fn, entry, file, values.sdk === 'runtime' ? { external: WITHOUT_SDK } : {}));
  const own = await bundle(
    esbuildOptions(fn, entry, join(out, 'own', fn.name, 'index.mjs'), { external: WITHOUT_SDK, write: false }),
  );
  subjects.push({ name: fn.name, file, bytes, sdkBytes: bytes - own });
}
const referenceFile = join(out, 'naive', 'index.mjs');
const reference: Subject = {
  name: 'naive reference',
  file: referenceFile,
  sdkBytes: 0,
  bytes: await bundle({
    entryPoints: [join(REPO_ROOT, 'infra', 'bench', 'naive-handler.ts')],
    outfile: referenceFile,
    bundle: true,
    platform: 'node',
    minify: true,
    sourcemap: true,
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*'],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  }),
};

const env = {
  PATH: process.env.PATH,
  NODE_OPTIONS: '--enable-source-maps',
  LOG_LEVEL: 'info',
  TABLE_NAME: 'kehou-bench',
  CURSOR_KEY: 'k'.repeat(64),
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
};
const runner = join(REPO_ROOT, 'infra', 'bench', 'cold-import.mjs');
const all = [reference, ...subjects];
const times = new Map(all.map((s) => [s.name, { ms: [] as number[], cpuMs: [] as number[] }]));
process.stderr.write(`${runs} rounds of a cold import of each of ${all.length} bundles `);
for (let i = 0; i < runs; i++) {
  for (const s of all) {
    const r = JSON.parse(execFileSync(process.execPath, [runner, s.file], { env, cwd: out, encoding: 'utf8' }));
    times.get(s.name)!.ms.push(r.ms);
    times.get(s.name)!.cpuMs.push(r.cpuMs);
  }
  process.stderr.write('.');
}
process.stderr.write('\n\n');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ref = times.get(reference.name)!;
/** the median, over the rounds, of the ratio to the reference's import in the same round: a busy spell slows both */
const ratioTo = (xs: number[], refs: number[]) => median(xs.map((x, i) => x / refs[i]!));
const kb = (b: number) => (b / KB).toFixed(0);
const mark = (ok: boolean) => (ok ? '✓' : '✗');

console.log(
  `| function | bundle KB | of it AWS SDK | own KB | import ms (median) | × naive | CPU ms | × naive | own ≤ ${kb(SIZE_BUDGET.ownBytes)} KB | ≤ ${TARGET_RATIO}× |`,
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|:-:|:-:|');
let failed = false;
for (const s of all) {
  const t = times.get(s.name)!;
  const ratio = ratioTo(t.ms, ref.ms);
  const own = s.bytes - s.sdkBytes;
  const isRef = s === reference;
  const sized = own <= SIZE_BUDGET.ownBytes && s.sdkBytes <= SIZE_BUDGET.sdkBytes;
  if (!isRef && (!sized || ratio > TARGET_RATIO)) failed = true;
  console.log(
    `| ${s.name} | ${kb(s.bytes)} | ${s.sdkBytes ? kb(s.sdkBytes) : '–'} | ${isRef ? '' : kb(own)} | ${median(t.ms).toFixed(0)} | ${ratio.toFixed(2)} | ` +
      `${median(t.cpuMs).toFixed(0)} | ${ratioTo(t.cpuMs, ref.cpuMs).toFixed(2)} | ${isRef ? '' : mark(sized)} | ${isRef ? '' : mark(ratio <= TARGET_RATIO)} |`,
  );
}
console.log(
  `\nSDK ${values.sdk === 'bundled' ? 'bundled (as deployed)' : "left to the runtime's copy (--sdk runtime)"}. ` +
    `Import: median of ${runs} fresh processes each, from the start of the import to its end; CPU: user + system time of it; ` +
    `× naive: the median of the ratios to the reference's import in the same round. ` +
    `Size budget: own code (all but the bundled AWS SDK) ≤ ${kb(SIZE_BUDGET.ownBytes)} KB, the SDK ≤ ${kb(SIZE_BUDGET.sdkBytes)} KB.`,
);
process.exitCode = failed ? 1 : 0;

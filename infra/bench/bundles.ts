// npm run bench:bundles -- [--runs 21] [--sdk layer|bundled|runtime]
//
// Bundles every function of the registry as CDK deploys it (infra/lib/bundling.ts), the AWS SDK
// layer's module, and a naive reference handler (zod, middy and the DynamoDB document client:
// infra/bench/naive-handler.ts) the way functions were bundled before (`import { z } from 'zod'`,
// the AWS SDK left to the runtime, source maps with their sources). Then imports each bundle in
// fresh `node` processes, taking turns so that a busy machine slows all alike, with the
// environment Lambda gives a function (NODE_OPTIONS=--enable-source-maps, TABLE_NAME,
// CURSOR_KEY, the sign-in function's, AWS_REGION, credentials: dummies), the layer's module where the function imports
// it (a directory standing for /opt: the bundles run are built to import it from there) and the
// runtime's SDK in node_modules. Prints per function the bundle's size, the median import time
// (wall and CPU) and its ratio to the reference's, against the targets: the bundle within
// 300 KB (400 KB for the jobs function: SIZE_BUDGET; the bundle test holds it too), the import
// within 0.7× the reference's.
// Exit 1 if a function misses either.
//
// --sdk: the choices not taken, measured the same way: `bundled`, the SDK in every function's
// bundle; `runtime`, the SDK left to the runtime's copy.

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { FUNCTIONS } from '../../functions/index';
import { REPO_ROOT } from '../lib/api';
import { bundleBudget, esbuildOptions, LAZY_SDK_MODULES, sdkLayerOptions, sdkModulePath, SIZE_BUDGET } from '../lib/bundling';

const CHOICES = {
  layer: 'in the layer (as deployed)',
  bundled: 'bundled in each function',
  runtime: "left to the runtime's copy",
};
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, sdk: { type: 'string', default: 'layer' } },
});
const runs = Number(values.runs);
const sdk = values.sdk as keyof typeof CHOICES;
if (!(sdk in CHOICES)) throw new Error(`--sdk is one of ${Object.keys(CHOICES).join(', ')}`);

// inside the repository, so that a bundle's external `@aws-sdk/*` resolves to node_modules
const out = join(REPO_ROOT, 'node_modules', '.cache', 'kehou-bench-bundles');
rmSync(out, { recursive: true, force: true });
const layerRoot = join(out, 'opt');

const KB = 1024;
const TARGET_RATIO = 0.7;

interface Subject {
  name: string;
  file: string;
  /** bytes of the bundle as deployed; null: not a function */
  bytes: number | null;
  /** its budget (a function's) */
  budget?: number;
}

/** Bundles, and answers the bytes of the bundle (its source map aside). */
async function bundle(options: BuildOptions): Promise<number> {
  const { metafile } = await build({ ...options, metafile: true });
  return Object.values(metafile!.outputs).find((o) => o.entryPoint)!.bytes;
}

/** A function's bundle for the choice measured, importing the layer's module (if any) from `root`. */
function options(fn: (typeof FUNCTIONS)[number], outfile: string, root?: string): BuildOptions {
  const o = esbuildOptions(fn, join(REPO_ROOT, 'functions', fn.name, 'handler.ts'), outfile, { layerRoot: root });
  if (sdk === 'layer') return o;
  return { ...o, alias: {}, external: sdk === 'bundled' ? LAZY_SDK_MODULES : [...LAZY_SDK_MODULES, '@aws-sdk/*'] };
}

const layerFile = sdkModulePath(layerRoot);
const layerBytes = await bundle(sdkLayerOptions(layerRoot));
const subjects: Subject[] = [];
for (const fn of FUNCTIONS) {
  const file = join(out, fn.name, 'index.mjs');
  await bundle(options(fn, file, layerRoot));
  // its size as deployed, importing the layer's module from /opt
  subjects.push({ name: fn.name, file, bytes: await bundle({ ...options(fn, file), write: false }), budget: bundleBudget(fn) });
}
const referenceFile = join(out, 'naive', 'index.mjs');
const reference: Subject = { name: 'naive reference', file: referenceFile, bytes: null };
const referenceBytes = await bundle({
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
});
const layer: Subject = { name: 'the SDK layer’s module, alone', file: layerFile, bytes: null };

const env = {
  PATH: process.env.PATH,
  NODE_OPTIONS: '--enable-source-maps',
  LOG_LEVEL: 'info',
  TABLE_NAME: 'kehou-bench',
  CURSOR_KEY: 'k'.repeat(64),
  // the sign-in function's (its KMS client is imported when it first signs, not at start-up)
  SESSION_KMS_KEY_ID: 'arn:aws-cn:kms:cn-north-1:123456789012:key/bench',
  SESSION_ISSUER: 'https://bench.execute-api.cn-north-1.amazonaws.com.cn',
  SESSION_AUDIENCE: 'kehou-guardians',
  SIGNIN_KEY: 's'.repeat(64),
  AWS_REGION: 'cn-north-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
};
const runner = join(REPO_ROOT, 'infra', 'bench', 'cold-import.mjs');
const all = [reference, ...(sdk === 'layer' ? [layer] : []), ...subjects];
const times = new Map(all.map((s) => [s.name, { ms: [] as number[], cpuMs: [] as number[] }]));
process.stderr.write(`${runs} rounds of a cold import of each of ${all.length} modules `);
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
  `| function | bundle KB | ≤ ${kb(SIZE_BUDGET.functionBytes)} KB (jobs ${kb(SIZE_BUDGET.jobsBytes)}) | import ms (median) | × naive | CPU ms | × naive | ≤ ${TARGET_RATIO}× |`,
);
console.log('|---|--:|:-:|--:|--:|--:|--:|:-:|');
let failed = false;
for (const s of all) {
  const t = times.get(s.name)!;
  const ratio = ratioTo(t.ms, ref.ms);
  const size = s === reference ? referenceBytes : s === layer ? layerBytes : s.bytes!;
  const judged = s.bytes !== null;
  const sized = size <= (s.budget ?? SIZE_BUDGET.functionBytes);
  if (judged && (!sized || ratio > TARGET_RATIO)) failed = true;
  console.log(
    `| ${s.name} | ${kb(size)} | ${judged ? mark(sized) : ''} | ${median(t.ms).toFixed(0)} | ${ratio.toFixed(2)} | ` +
      `${median(t.cpuMs).toFixed(0)} | ${ratioTo(t.cpuMs, ref.cpuMs).toFixed(2)} | ${judged ? mark(ratio <= TARGET_RATIO) : ''} |`,
  );
}
const layerNote =
  sdk === 'layer'
    ? ` The layer's module: ${kb(layerBytes)} KB (budget ${kb(SIZE_BUDGET.layerBytes)} KB: ${mark(layerBytes <= SIZE_BUDGET.layerBytes)}), ` +
      'loaded by the functions that use the table, their import includes it.'
    : '';
if (sdk === 'layer' && layerBytes > SIZE_BUDGET.layerBytes) failed = true;
console.log(
  `\nAWS SDK ${CHOICES[sdk]}.${layerNote} ` +
    `Import: median of ${runs} fresh processes each, from the start of the import to its end; CPU: user + system time of it; ` +
    `× naive: the median of the ratios to the reference's import in the same round. Bundle: the function's index.mjs as deployed.`,
);
process.exitCode = failed ? 1 : 0;

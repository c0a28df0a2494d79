/** `npx cdk synth` works offline, bundling every function with esbuild and building the web app (no Docker). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FUNCTIONS } from '../functions/index';
import { REPO_ROOT } from '../infra/lib/api';
import { esbuildOptions } from '../infra/lib/bundling';

const out = mkdtempSync(join(tmpdir(), 'kehou-synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Resource = { Type: string; Properties: any; Metadata?: any };
let resources: Resource[];

beforeAll(async () => {
  await promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
    cwd: REPO_ROOT,
    timeout: 180_000,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  resources = Object.values(JSON.parse(readFileSync(join(out, 'Kehou.template.json'), 'utf8')).Resources);
}, 200_000);

it('synthesizes the stack with a bundled ESM handler per function', async () => {
  const fns = resources.filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x');
  expect(fns).toHaveLength(FUNCTIONS.length);
  for (const fn of fns) {
    const asset = join(out, fn.Metadata['aws:asset:path']);
    const bundle = join(asset, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // byte for byte the bundle that test/bundles.test.ts and `npm run bench:bundles` measure
    const name = /\/Fn-([^/]+)\//.exec(fn.Metadata['aws:cdk:path'])![1]!;
    const entry = join(REPO_ROOT, 'functions', name, 'handler.ts');
    const same = await build(esbuildOptions({ name }, entry, join(out, 'esbuild', name, 'index.mjs'), { write: false }));
    expect(readFileSync(bundle).equals(same.outputFiles!.find((f) => f.path.endsWith('index.mjs'))!.contents), name).toBe(true);
  }
}, 120_000);

it('builds the web app for its bucket: files and hashed assets, without the build manifest', () => {
  const deployments = resources.filter((r) => r.Type === 'Custom::CDKBucketDeployment');
  const keys = new Set(deployments.map((d) => d.Properties.SourceObjectKeys[0] as string));
  expect(keys.size).toBe(1); // one build, in both deployments
  const app = join(out, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`);
  expect(readFileSync(join(app, 'index.html'), 'utf8')).toMatch(/<title>/);
  expect(existsSync(join(app, '.vite'))).toBe(false);
  // a checkout without packages/web deploys a page saying so
  const hasApp = existsSync(join(REPO_ROOT, 'packages', 'web', 'package.json'));
  expect(existsSync(join(app, 'assets')) && readdirSync(join(app, 'assets')).some((f) => f.endsWith('.js'))).toBe(hasApp);
});

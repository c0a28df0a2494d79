/** `npx cdk synth` works offline, bundling every function with esbuild (no Docker). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { FUNCTIONS } from '../functions/index';
import { REPO_ROOT } from '../infra/lib/api';
import { esbuildOptions } from '../infra/lib/bundling';

const out = mkdtempSync(join(tmpdir(), 'kehou-synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('synthesizes the stack with a bundled ESM handler per function', async () => {
  await promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
    cwd: REPO_ROOT,
    timeout: 180_000,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  const template = JSON.parse(readFileSync(join(out, 'Kehou.template.json'), 'utf8'));
  const fns = Object.values(template.Resources as Record<string, { Type: string; Properties: any; Metadata?: any }>).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x',
  );
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
}, 200_000);

/**
 * `npx cdk synth` works offline, bundling every function and building the AWS SDK layer with
 * esbuild (no Docker), byte for byte what test/bundles.test.ts and `npm run bench:bundles` measure,
 * and building the web app for its bucket; its template holds the KMS key that signs guardians'
 * sessions and publishes its public keys (infra/test/stack.test.ts asserts the rest of the template).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FUNCTIONS } from '../functions/index';
import { REPO_ROOT } from '../infra/lib/api';
import { GUARDIAN_AUDIENCE } from '../infra/lib/guardians';
import { esbuildOptions, SDK_MODULE, sdkLayerOptions, usesSdkLayer } from '../infra/lib/bundling';

const out = mkdtempSync(join(tmpdir(), 'kehou-synth-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** what esbuild makes of `options`, at `outfile` */
async function contents(options: BuildOptions, outfile: string): Promise<Uint8Array> {
  const { outputFiles } = await build({ ...options, write: false });
  return outputFiles!.find((f) => f.path === outfile)!.contents;
}

type Resource = { Type: string; Properties: any; Metadata?: any };
let resources: Array<[string, Resource]>;

beforeAll(async () => {
  await promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--output', out], {
    cwd: REPO_ROOT,
    timeout: 180_000,
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
  });
  resources = Object.entries(JSON.parse(readFileSync(join(out, 'Kehou.template.json'), 'utf8')).Resources);
}, 200_000);

it('synthesizes the stack with a bundled ESM handler per function and the SDK layer’s module', async () => {
  const [[layerId, layer]] = resources.filter(([, r]) => r.Type === 'AWS::Lambda::LayerVersion') as [[string, Resource]];
  const layerModule = join(out, layer.Metadata['aws:asset:path'], SDK_MODULE);
  const sameLayer = await contents(sdkLayerOptions(join(out, 'esbuild', 'layer')), join(out, 'esbuild', 'layer', SDK_MODULE));
  expect(readFileSync(layerModule).equals(sameLayer)).toBe(true);

  const fns = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Runtime === 'nodejs22.x');
  expect(fns).toHaveLength(FUNCTIONS.length);
  for (const [, fn] of fns) {
    const asset = join(out, fn.Metadata['aws:asset:path']);
    const bundle = join(asset, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const name = /\/Fn-([^/]+)\//.exec(fn.Metadata['aws:cdk:path'])![1]!;
    const m = FUNCTIONS.find((f) => f.name === name)!;
    expect(fn.Properties.Layers, name).toEqual(usesSdkLayer(m) ? [{ Ref: layerId }] : undefined);
    const outfile = join(out, 'esbuild', name, 'index.mjs');
    const same = await contents(esbuildOptions(m, join(REPO_ROOT, 'functions', name, 'handler.ts'), outfile), outfile);
    expect(readFileSync(bundle).equals(same), name).toBe(true);
  }

  // guardians' sessions: signed by an RSA KMS key, verified by the guardians' API against the keys the sign-in function publishes
  const keys = resources.filter(([, r]) => r.Type === 'AWS::KMS::Key');
  expect(keys.map(([, k]) => k.Properties)).toMatchObject([{ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }]);
  const [, authorizer] = resources.find(
    ([, r]) => r.Type === 'AWS::ApiGatewayV2::Authorizer' && r.Properties.JwtConfiguration.Audience[0] === GUARDIAN_AUDIENCE,
  )!;
  const guardianApi = authorizer.Properties.ApiId.Ref as string;
  expect(authorizer.Properties.JwtConfiguration.Issuer).toEqual({ 'Fn::GetAtt': [guardianApi, 'ApiEndpoint'] });
  const signin = resources.find(
    ([, r]) => r.Type === 'AWS::Lambda::Function' && /\/Fn-signin\//.test(r.Metadata['aws:cdk:path']),
  )!;
  for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
    const [, route] = resources.find(
      ([, r]) =>
        r.Type === 'AWS::ApiGatewayV2::Route' &&
        r.Properties.ApiId.Ref === guardianApi &&
        r.Properties.RouteKey === `GET ${path}`,
    )!;
    expect(route.Properties.AuthorizerId, path).toBeUndefined(); // API Gateway fetches them without a token
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref as string;
    const integration = resources.find(([id]) => id === integrationId)![1].Properties;
    expect(integration.IntegrationUri['Fn::GetAtt'][0], path).toBe(signin[0]);
  }
  expect(signin[1].Properties.Environment.Variables.SESSION_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [keys[0]![0], 'Arn'] });
}, 200_000);

it('builds the web app for its bucket: files and hashed assets, without the build manifest', () => {
  const deployments = resources.map(([, r]) => r).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
  const keys = new Set(deployments.map((d) => d.Properties.SourceObjectKeys[0] as string));
  expect(keys.size).toBe(1); // one build, in both deployments
  const app = join(out, `asset.${[...keys][0]!.replace(/\.zip$/, '')}`);
  expect(readFileSync(join(app, 'index.html'), 'utf8')).toMatch(/<title>/);
  expect(existsSync(join(app, '.vite'))).toBe(false);
  expect(readdirSync(join(app, 'assets')).some((f) => f.endsWith('.js'))).toBe(true);
});

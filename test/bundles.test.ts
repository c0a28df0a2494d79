/**
 * Every function bundled as CDK deploys it (infra/lib/bundling.ts): each within its size
 * budget, loading nothing from node_modules at a cold start, and the bundles themselves
 * serving the API on DynamoDB Local. Sizes only: timing lives in `npm run bench:bundles`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevKey, ensureTable, Gateway, gatewayClient, jwtAuthorizer, signToken, type DevKey } from '@kehou/local';
import { FUNCTIONS } from '../functions/index';
import { generateDocument } from '../functions/openapi/build';
import { REPO_ROOT } from '../infra/lib/api';
import { esbuildOptions, LAZY_SDK_MODULES, SIZE_BUDGET } from '../infra/lib/bundling';
import { localEndpoint, TEST_CURSOR_KEY } from './support/db';

const out = mkdtempSync(join(tmpdir(), 'kehou-bundles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Built {
  name: string;
  bytes: number;
  /** the same bundle with the AWS SDK left out */
  ownBytes: number;
  output: Metafile['outputs'][string];
}
const built: Built[] = [];

beforeAll(async () => {
  for (const fn of FUNCTIONS) {
    const entry = join(REPO_ROOT, 'functions', fn.name, 'handler.ts');
    const bundle = await build(esbuildOptions(fn, entry, join(out, fn.name, 'index.mjs'), { metafile: true }));
    const own = await build(
      esbuildOptions(fn, entry, join(out, `${fn.name}-own`, 'index.mjs'), {
        metafile: true,
        write: false,
        external: [...LAZY_SDK_MODULES, '@aws-sdk/*'],
      }),
    );
    const output = (m: Metafile) => Object.values(m.outputs).find((o) => o.entryPoint)!;
    built.push({
      name: fn.name,
      bytes: output(bundle.metafile!).bytes,
      ownBytes: output(own.metafile!).bytes,
      output: output(bundle.metafile!),
    });
  }
});

describe('every function, bundled', () => {
  it('keeps its own code within 300 KB and the bundled AWS SDK within 200 KB', () => {
    const over = built
      .filter((b) => b.ownBytes > SIZE_BUDGET.ownBytes || b.bytes - b.ownBytes > SIZE_BUDGET.sdkBytes)
      .map((b) => `${b.name}: ${b.ownBytes} bytes own + ${b.bytes - b.ownBytes} bytes of SDK`);
    expect(over).toEqual([]);
    // the health check carries no AWS SDK at all
    expect(built.find((b) => b.name === 'health')!.bytes).toBe(built.find((b) => b.name === 'health')!.ownBytes);
  });

  it('loads nothing from node_modules at a cold start: the only external modules are Node’s and, lazily, the runtime SDK’s', () => {
    const node = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const b of built) {
      const external = b.output.imports.filter((i) => i.external && !node.has(i.path));
      expect(
        external.filter((i) => i.kind !== 'dynamic-import'),
        b.name,
      ).toEqual([]);
      for (const i of external) expect(LAZY_SDK_MODULES, `${b.name} imports ${i.path}`).toContain(i.path);
    }
  });

  it('carries the solver in the jobs function alone: the timetable function has the checker, not `solve`', () => {
    const from = (b: Built, dir: string) =>
      Object.entries(b.output.inputs)
        .filter(([p, i]) => i.bytesInOutput > 0 && p.startsWith(`packages/scheduler/src/${dir}/`))
        .map(([p]) => p);
    for (const b of built) if (b.name !== 'jobs') expect(from(b, 'solver'), b.name).toEqual([]);
    expect(
      from(
        built.find((b) => b.name === 'jobs')!,
        'solver',
      ),
    ).toContain('packages/scheduler/src/solver/solve.ts');
    expect(
      from(
        built.find((b) => b.name === 'timetable')!,
        'check',
      ),
    ).toContain('packages/scheduler/src/check/check.ts');
  });

  it('builds the OpenAPI document into the openapi function instead of every route schema', () => {
    const openapi = built.find((b) => b.name === 'openapi')!;
    const bundled = Object.entries(openapi.output.inputs).filter(([, i]) => i.bytesInOutput > 0);
    expect(bundled.map(([p]) => p).filter((p) => p.endsWith('/api.ts'))).toEqual(['functions/openapi/api.ts']);
  });
});

describe('the bundles serve the API', () => {
  let gateway: Gateway;
  let key: DevKey;

  beforeAll(async () => {
    const endpoint = localEndpoint();
    const tableName = `t-${randomUUID()}`;
    await ensureTable(endpoint, tableName);
    // what Lambda's environment gives them, read once as each bundle loads
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: 'local',
      CURSOR_KEY: TEST_CURSOR_KEY,
    });
    key = await createDevKey();
    gateway = new Gateway(FUNCTIONS, jwtAuthorizer(key));
    await gateway.load(out, 'index.mjs');
  });

  it('answers /health and serves the document made at build time, equal to the registry’s', async () => {
    const anonymous = gatewayClient(gateway, null);
    expect((await anonymous('GET', '/health')).body).toMatchObject({ status: 'ok', service: 'kehou' });
    const doc = await anonymous('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toEqual(JSON.parse(JSON.stringify(generateDocument())));
  });

  it('writes and reads DynamoDB through the bundled SDK', async () => {
    const bureau = gatewayClient(gateway, await signToken(key, { role: 'district', userId: 'bureau-1', district: 'd-1' }));
    const school = await bureau('POST', '/schools', { name: '实验小学', districtId: 'd-1' });
    expect(school.status).toBe(201);
    const admin = gatewayClient(gateway, await signToken(key, { role: 'admin', userId: 'admin-1', schools: [school.body.id] }));
    expect((await admin('POST', `/schools/${school.body.id}/rooms`, { name: '音乐教室', capacity: 45 })).status).toBe(201);
    const rooms = await admin('GET', `/schools/${school.body.id}/rooms`);
    expect(rooms.body.items.map((r: { name: string }) => r.name)).toEqual(['音乐教室']);
  });
});

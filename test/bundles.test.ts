/**
 * Every function bundled as CDK deploys it (infra/lib/bundling.ts), and the AWS SDK layer's
 * module: each within its size budget, a function loading nothing at a cold start but Node's
 * modules and, if it uses the table, the layer's module, which holds exactly what the functions
 * import from it; and the bundles themselves serving the API on DynamoDB Local, importing the
 * layer's module from a directory standing for /opt. Sizes only: timing lives in
 * `npm run bench:bundles`.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDevKey,
  DEV_AUDIENCE,
  DEV_ISSUER,
  ensureTable,
  Gateway,
  gatewayClient,
  jwtAuthorizer,
  signToken,
  type DevKey,
} from '@kehou/local';
import { FUNCTIONS, type FunctionManifest } from '../functions/index';
import { generateDocument } from '../functions/openapi/build';
import { REPO_ROOT } from '../infra/lib/api';
import {
  bundleBudget,
  esbuildOptions,
  LAZY_SDK_MODULES,
  SIZE_BUDGET,
  sdkLayerOptions,
  sdkModulePath,
  usesSdkLayer,
} from '../infra/lib/bundling';
import { localEndpoint, TEST_CURSOR_KEY } from './support/db';

const out = mkdtempSync(join(tmpdir(), 'kehou-bundles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
/** where the bundles run here find the layer, as Lambda's /opt */
const layerRoot = join(out, 'opt');
const functionsDir = join(out, 'functions');

type Output = Metafile['outputs'][string];
const entryOutput = (m: Metafile) => Object.values(m.outputs).find((o) => o.entryPoint)!;

interface Built {
  fn: FunctionManifest;
  /** the bundle as deployed (importing the layer's module from /opt) */
  output: Output;
  text: string;
}
const built: Built[] = [];
let layer: Output;

beforeAll(async () => {
  layer = entryOutput((await build(sdkLayerOptions(layerRoot, { metafile: true }))).metafile!);
  for (const fn of FUNCTIONS) {
    const entry = join(REPO_ROOT, 'functions', fn.name, 'handler.ts');
    const outfile = join(functionsDir, fn.name, 'index.mjs');
    await build(esbuildOptions(fn, entry, outfile, { layerRoot }));
    const deployed = await build(esbuildOptions(fn, entry, outfile, { metafile: true, write: false }));
    built.push({
      fn,
      output: entryOutput(deployed.metafile!),
      text: deployed.outputFiles!.find((f) => f.path === outfile)!.text,
    });
  }
});

const node = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
/** what a module imports from outside itself and Node: at start-up, and lazily */
const externals = (o: Output) => {
  const external = o.imports.filter((i) => i.external && !node.has(i.path));
  return {
    static: [...new Set(external.filter((i) => i.kind !== 'dynamic-import').map((i) => i.path))],
    lazy: external.filter((i) => i.kind === 'dynamic-import').map((i) => i.path),
  };
};

describe('every function, bundled', () => {
  it('keeps each function’s bundle within 300 KB (the jobs function’s 400 KB) and the layer’s SDK module within 200 KB', () => {
    const over = built.filter((b) => b.output.bytes > bundleBudget(b.fn)).map((b) => `${b.fn.name}: ${b.output.bytes} bytes`);
    expect(over).toEqual([]);
    expect(layer.bytes).toBeLessThanOrEqual(SIZE_BUDGET.layerBytes);
  });

  it('leaves the AWS SDK to the layer: at a cold start a function loads Node’s modules and, if it uses the table, the layer’s', () => {
    for (const b of built) {
      const { static: atStart, lazy } = externals(b.output);
      expect(atStart, b.fn.name).toEqual(usesSdkLayer(b.fn) ? [sdkModulePath()] : []);
      for (const path of lazy) expect(LAZY_SDK_MODULES, `${b.fn.name} imports ${path}`).toContain(path);
      const sdkCode = Object.keys(b.output.inputs).filter((p) => /node_modules\/(@aws-sdk|@smithy)\//.test(p));
      expect(sdkCode, b.fn.name).toEqual([]);
    }
    expect(usesSdkLayer(built.find((b) => b.fn.name === 'health')!.fn)).toBe(false);
    const { static: atStart, lazy } = externals(layer);
    expect(atStart).toEqual([]);
    for (const path of lazy) expect(LAZY_SDK_MODULES, `the layer imports ${path}`).toContain(path);
  });

  it('puts in the layer’s module exactly what the functions import from it (infra/sdk-layer/entry.ts)', () => {
    const path = JSON.stringify(sdkModulePath());
    const imported = new Set<string>();
    for (const b of built) {
      const statements = b.text.split(`from${path}`).length - 1;
      const named = [...b.text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*${path.replaceAll('/', '\\/')}`, 'g'))];
      // named imports only: a namespace import would need the module's every export
      expect(named, b.fn.name).toHaveLength(statements);
      for (const [, names] of named) for (const n of names!.split(',')) imported.add(n.trim().split(/\s+as\s+/)[0]!);
    }
    expect([...imported].sort()).toEqual([...layer.exports].sort());
  });

  it('carries the solver in the jobs function alone: the timetable function has the checker, not `solve`', () => {
    const from = (b: Built, dir: string) =>
      Object.entries(b.output.inputs)
        .filter(([p, i]) => i.bytesInOutput > 0 && p.startsWith(`packages/scheduler/src/${dir}/`))
        .map(([p]) => p);
    const named = (name: string) => built.find((b) => b.fn.name === name)!;
    for (const b of built) if (b.fn.name !== 'jobs') expect(from(b, 'solver'), b.fn.name).toEqual([]);
    expect(from(named('jobs'), 'solver')).toContain('packages/scheduler/src/solver/solve.ts');
    expect(from(named('timetable'), 'check')).toContain('packages/scheduler/src/check/check.ts');
  });

  it('builds the OpenAPI document into the openapi function instead of every route schema', () => {
    const openapi = built.find((b) => b.fn.name === 'openapi')!;
    const bundled = Object.entries(openapi.output.inputs).filter(([, i]) => i.bytesInOutput > 0);
    expect(bundled.map(([p]) => p).filter((p) => p.endsWith('/api.ts'))).toEqual(['functions/openapi/api.ts']);
  });
});

describe('the bundles serve the API, with the SDK from the layer', () => {
  let gateway: Gateway;
  let key: DevKey;

  beforeAll(async () => {
    const endpoint = localEndpoint();
    const tableName = `t-${randomUUID()}`;
    await ensureTable(endpoint, tableName);
    // what Lambda's environment gives them, read once as each bundle loads
    key = await createDevKey();
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: endpoint,
      AWS_REGION: 'local',
      CURSOR_KEY: TEST_CURSOR_KEY,
      // the sign-in function's: the local key signs guardians' sessions (on AWS a KMS key)
      SESSION_SIGNING_KEY: JSON.stringify({ kid: key.kid, privateJwk: key.privateJwk }),
      SESSION_ISSUER: DEV_ISSUER,
      SESSION_AUDIENCE: DEV_AUDIENCE,
      SIGNIN_KEY: TEST_CURSOR_KEY,
    });
    gateway = new Gateway(FUNCTIONS, jwtAuthorizer(key));
    await gateway.load(functionsDir, 'index.mjs');
  });

  it('links every bundle, the jobs function’s too, against the layer’s module, in a plain Node process as on Lambda', async () => {
    // not in this process: vitest's module runner would hand a missing export over as undefined
    const runner = join(REPO_ROOT, 'infra', 'bench', 'cold-import.mjs');
    for (const fn of FUNCTIONS) {
      const run = promisify(execFile)(process.execPath, [runner, join(functionsDir, fn.name, 'index.mjs')], { env: process.env });
      await expect(run, fn.name).resolves.toMatchObject({ stdout: expect.stringContaining('"ms"') });
    }
  });

  it('answers /health and serves the document made at build time, equal to the registry’s', async () => {
    const anonymous = gatewayClient(gateway, null);
    expect((await anonymous('GET', '/health')).body).toMatchObject({ status: 'ok', service: 'kehou' });
    const doc = await anonymous('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toEqual(JSON.parse(JSON.stringify(generateDocument())));
  });

  it('writes and reads DynamoDB through the layer’s SDK', async () => {
    const bureau = gatewayClient(gateway, await signToken(key, { role: 'district', userId: 'bureau-1', district: 'd-1' }));
    const school = await bureau('POST', '/schools', { name: '实验小学', districtId: 'd-1' });
    expect(school.status).toBe(201);
    const admin = gatewayClient(gateway, await signToken(key, { role: 'admin', userId: 'admin-1', schools: [school.body.id] }));
    expect((await admin('POST', `/schools/${school.body.id}/rooms`, { name: '音乐教室', capacity: 45 })).status).toBe(201);
    const rooms = await admin('GET', `/schools/${school.body.id}/rooms`);
    expect(rooms.body.items.map((r: { name: string }) => r.name)).toEqual(['音乐教室']);
  });

  it("signs a guardian's session that the gateway's authorizer accepts", async () => {
    const bureau = gatewayClient(gateway, await signToken(key, { role: 'district', userId: 'bureau-1', district: 'd-1' }));
    const schoolId = (await bureau('POST', '/schools', { name: '家校小学', districtId: 'd-1' })).body.id;
    const admin = gatewayClient(gateway, await signToken(key, { role: 'admin', userId: 'admin-1', schools: [schoolId] }));
    await admin('POST', `/schools/${schoolId}/grades`, { level: 1, name: '一年级', dismissal: { MON: '15:30' } });
    await admin('POST', `/schools/${schoolId}/students`, { studentNo: '1001', name: '王小明', gradeLevel: 1, homeroom: '1' });
    const g = await admin('POST', `/schools/${schoolId}/guardians`, { name: '王明妈', phone: '13800000001', children: ['1001'] });
    const invited = await admin('POST', `/schools/${schoolId}/invitations`, { scope: 'guardian', guardianId: g.body.id });
    const session = await gatewayClient(gateway, null)(
      'POST',
      `${invited.body.items[0].path.replace('/invite/', '/invitations/')}/redeem`,
      {
        code: '0001',
      },
    );
    expect(session.status).toBe(200);
    const me = await gatewayClient(gateway, session.body.accessToken)('GET', '/me');
    expect(me.body.children.map((c: { name: string }) => c.name)).toEqual(['王小明']);
  });
});

/**
 * How every function is bundled: one definition that CDK (infra/lib/api.ts), the bundle test
 * (test/bundles.test.ts) and `npm run bench:bundles` all use, so what is measured is what is
 * deployed.
 *
 * The AWS SDK is neither in each function's bundle nor left to the Lambda runtime's copy: it is
 * one pre-bundled ES module in a Lambda layer, shared by every function that uses the table.
 * Importing the runtime's `@aws-sdk/client-dynamodb` loads about 900 KB of un-tree-shaken
 * CommonJS across dozens of files at every cold start; the layer's module is the ~190 KB of it
 * the functions use (infra/sdk-layer/entry.ts lists what), minified: it loads about as fast as
 * when it was bundled into each function, and each function's bundle is its own code alone
 * (figures in the README). A function imports the module by its absolute path,
 * `/opt/kehou-sdk/dynamodb.mjs` (the DynamoDB packages are aliased to it and left external):
 * Lambda extracts a function's layers under /opt, and importing a path involves no package
 * lookup. A bare `@aws-sdk/...` would: Node's ES modules do not search NODE_PATH, where a
 * layer's `nodejs/node_modules` is listed; Lambda's Node.js runtimes since 18 add that search,
 * but a path depends on nothing but the layer. A function that does not use the table has no
 * layer and aliases nothing.
 *
 * Left external too, in the functions and the layer, are the modules the SDK reaches through a
 * dynamic `import()` on paths a Lambda function never takes: the default credential chain's
 * fallbacks after the environment variables Lambda always sets (SSO, ini files, processes, web
 * identity, container and instance metadata) and event streams, which DynamoDB does not use.
 * Should one of those paths run, the module loads from the runtime's SDK then (through that
 * NODE_PATH search); it costs nothing at start-up. The Lambda and KMS clients are external as
 * well: a function imports the one when it hands a job to the jobs function
 * (packages/store/src/job-port.ts), the other when it signs a guardian's session token
 * (packages/store/src/signer.ts), never at start-up.
 */
import { join, posix } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { buildSync, type BuildOptions } from 'esbuild';
import type { FunctionManifest } from '../../functions/index';
import { documentDefine } from '../../functions/openapi/build';

export const LAZY_SDK_MODULES = [
  '@aws-sdk/credential-provider-http',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-web-identity',
  '@smithy/credential-provider-imds',
  '@smithy/core/event-streams',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-kms',
];

/** The packages the layer's module stands in for. */
const SDK_PACKAGES = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'];

/** Where Lambda extracts a function's layers. */
const LAYER_ROOT = '/opt';

/** The layer's module, relative to the layer's root. */
export const SDK_MODULE = 'kehou-sdk/dynamodb.mjs';

/** The layer's module where a function finds it: under /opt on Lambda; tests and the bench put the layer elsewhere. */
export const sdkModulePath = (layerRoot = LAYER_ROOT) => posix.join(layerRoot, SDK_MODULE);

/** A function that uses the table gets the SDK layer (infra/lib/api.ts); the others import no SDK. */
export const usesSdkLayer = (fn: Pick<FunctionManifest, 'table'>) => fn.table !== 'none';

/** Some bundled CommonJS modules `require` Node's built-ins; an ES module has no `require`. */
const REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/**
 * Constants fixed at bundle time, per function: the openapi function gets its document, made
 * from the registry at build time rather than at each cold start (functions/openapi/document.ts).
 */
function defines(fn: Pick<FunctionManifest, 'name'>): Record<string, string> {
  return fn.name === 'openapi' ? documentDefine() : {};
}

/**
 * What bundling must hold to: every function's bundle within 300 KB, and the layer's module
 * within 200 KB (the runtime's copy it replaces is ~900 KB). The jobs function, invoked
 * asynchronously (nobody waits for its cold start) and carrying the solver and every job's
 * runner, within 400 KB. Import zod as `import * as z from 'zod'`: a single
 * `import { z } from 'zod'` anywhere in a function brings in all of zod with every locale
 * (443 KB instead of ~95).
 */
export const SIZE_BUDGET = { functionBytes: 300 * 1024, jobsBytes: 400 * 1024, layerBytes: 200 * 1024 };

/** A function's bundle budget (SIZE_BUDGET). */
export const bundleBudget = (fn: Pick<FunctionManifest, 'jobs'>) =>
  fn.jobs === 'run' ? SIZE_BUDGET.jobsBytes : SIZE_BUDGET.functionBytes;

type Bundled = Pick<FunctionManifest, 'name' | 'table'>;

/** The DynamoDB packages, as the layer's module at `layerRoot`. */
function sdkAlias(fn: Bundled, layerRoot: string): Record<string, string> {
  return usesSdkLayer(fn) ? Object.fromEntries(SDK_PACKAGES.map((p) => [p, sdkModulePath(layerRoot)])) : {};
}

/** The `bundling` of a `NodejsFunction`, its layer's module at `layerRoot`. */
export function cdkBundling(fn: Bundled, layerRoot = LAYER_ROOT): BundlingOptions {
  const alias = Object.entries(sdkAlias(fn, layerRoot));
  return {
    minify: true,
    sourceMap: true,
    // stack traces still name the source file, line and column; the map stays small to load
    sourcesContent: false,
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    externalModules: [...LAZY_SDK_MODULES, ...new Set(alias.map(([, path]) => path))],
    ...(alias.length ? { esbuildArgs: { '--alias': alias.map(([p, path]) => `${p}=${path}`) } } : {}),
    banner: REQUIRE_BANNER,
    define: defines(fn),
  };
}

/**
 * The same bundle, with esbuild's API: `entry` to `outfile` (written unless `write: false`),
 * importing the layer's module from `layerRoot`.
 */
export function esbuildOptions(
  fn: Bundled,
  entry: string,
  outfile: string,
  { layerRoot = LAYER_ROOT, ...extra }: Pick<BuildOptions, 'metafile' | 'write'> & { layerRoot?: string } = {},
): BuildOptions {
  const b = cdkBundling(fn, layerRoot);
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    minify: b.minify,
    sourcemap: b.sourceMap,
    sourcesContent: b.sourcesContent,
    format: b.format === OutputFormat.ESM ? 'esm' : 'cjs',
    target: b.target,
    mainFields: b.mainFields,
    alias: sdkAlias(fn, layerRoot),
    external: b.externalModules,
    banner: { js: b.banner! },
    define: b.define,
    logLevel: 'warning',
    ...extra,
  };
}

/**
 * The layer's module, built into `layerDir` (the layer's root). No source map: under
 * `--enable-source-maps` Node reads and indexes a module's map as it loads it, and the SDK's
 * own stack frames are not what a stack trace is read for.
 */
export function sdkLayerOptions(layerDir: string, extra: Pick<BuildOptions, 'metafile' | 'write'> = {}): BuildOptions {
  return {
    entryPoints: [join(import.meta.dirname, '..', 'sdk-layer', 'entry.ts')],
    outfile: join(layerDir, SDK_MODULE),
    bundle: true,
    platform: 'node',
    minify: true,
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: LAZY_SDK_MODULES,
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
    ...extra,
  };
}

/**
 * The layer's code for CDK: built with esbuild at synthesis, locally (no Docker), and fingerprinted
 * by what was built, so that a new SDK version in the lockfile makes a new layer version.
 */
export function sdkLayerCode(): Code {
  return Code.fromAsset(join(import.meta.dirname, '..', 'sdk-layer'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // never pulled: the local build below always succeeds or throws
      image: DockerImage.fromRegistry('dummy'),
      local: {
        tryBundle(outputDir) {
          buildSync(sdkLayerOptions(outputDir));
          return true;
        },
      },
    },
  });
}

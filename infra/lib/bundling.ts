/**
 * How every function is bundled: one definition that CDK's `NodejsFunction` (infra/lib/api.ts),
 * the bundle test (test/bundles.test.ts) and `npm run bench:bundles` all use, so what is
 * measured is what is deployed.
 *
 * The AWS SDK is bundled, not left to the Lambda runtime's copy: importing the runtime's
 * `@aws-sdk/client-dynamodb` loads about 900 KB of un-tree-shaken CommonJS at every cold start,
 * about twice the time of the ~190 KB of it a function uses, bundled (figures in the README).
 * Left external are only the modules the SDK reaches through a dynamic `import()` on paths a
 * Lambda function never takes: the default credential chain's fallbacks after the environment
 * variables Lambda always sets (SSO, ini files, processes, web identity, container and instance
 * metadata) and event streams, which DynamoDB does not use. Should one of those paths run, the
 * module loads from the runtime's SDK then; it costs nothing at start-up. The Lambda client is
 * external too: a function imports it only when it hands a job to the jobs function
 * (packages/store/src/job-port.ts), never at start-up.
 */
import type { BuildOptions } from 'esbuild';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
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
];

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
 * What bundling must hold to: every function's own code (everything but the bundled AWS SDK)
 * within 300 KB, and the SDK part within 200 KB — the runtime's copy it replaces is ~900 KB.
 * Import zod as `import * as z from 'zod'`: a single `import { z } from 'zod'` anywhere in a
 * function brings in all of zod with every locale (443 KB instead of ~95).
 */
export const SIZE_BUDGET = { ownBytes: 300 * 1024, sdkBytes: 200 * 1024 };

/** The `bundling` of a `NodejsFunction`. */
export function cdkBundling(fn: Pick<FunctionManifest, 'name'>): BundlingOptions {
  return {
    minify: true,
    sourceMap: true,
    // stack traces still name the source file, line and column; the map stays small to load
    sourcesContent: false,
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    externalModules: LAZY_SDK_MODULES,
    banner: REQUIRE_BANNER,
    define: defines(fn),
  };
}

/**
 * The same bundle, with esbuild's API: `entry` to `outfile` (written unless `write: false`).
 * `external` replaces the external modules (the bench measures the SDK left to the runtime).
 */
export function esbuildOptions(
  fn: Pick<FunctionManifest, 'name'>,
  entry: string,
  outfile: string,
  extra: Pick<BuildOptions, 'external' | 'metafile' | 'write'> = {},
): BuildOptions {
  const b = cdkBundling(fn);
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
    external: b.externalModules,
    banner: { js: b.banner! },
    define: b.define,
    logLevel: 'warning',
    ...extra,
  };
}

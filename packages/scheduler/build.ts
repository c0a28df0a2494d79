// Bundles the two command lines (src/cli/timetable.ts, src/cli/check.ts) with the solver and
// zod into dist/timetable.mjs and dist/check.mjs: plain JavaScript that node runs with no
// TypeScript loader and nothing from node_modules. bin/kehou-timetable.mjs and
// bin/kehou-timetable-check.mjs load them.
//
//   node packages/scheduler/build.ts          (npm run build -w @kehou/scheduler)
//
// Runs on `npm ci` and `npm install` (this package's `prepare`) and before `npm test`;
// dist/ is git-ignored, and test/cli.test.ts fails when it is not what these sources make.

import { build, type BuildOptions } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const bundleOptions = {
  absWorkingDir: here, // the same bytes whatever folder the build runs from
  entryPoints: { timetable: 'src/cli/timetable.ts', check: 'src/cli/check.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // Whitespace and syntax only: names stay, so a stack trace reads without the map.
  minifyWhitespace: true,
  minifySyntax: true,
  // For line numbers in src/: NODE_OPTIONS=--enable-source-maps (off by default: it costs
  // about 20 ms of start-up).
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
} satisfies BuildOptions;

if (process.argv[1] === fileURLToPath(import.meta.url)) await build(bundleOptions);

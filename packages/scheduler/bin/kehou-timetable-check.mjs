#!/usr/bin/env node
// kehou-timetable-check: the package's checker (src/cli/check.ts), bundled into
// dist/check.mjs by build.ts on `npm ci`.
import { enableCompileCache } from 'node:module';

enableCompileCache(); // V8 keeps the bundle's compiled code (in the OS temp folder): faster from the second run
await import('../dist/check.mjs');

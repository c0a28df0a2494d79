#!/usr/bin/env node
// kehou-timetable: the solver's command line (src/cli/timetable.ts), bundled into
// dist/timetable.mjs by build.ts on `npm ci`.
import { enableCompileCache } from 'node:module';

enableCompileCache(); // V8 keeps the bundle's compiled code (in the OS temp folder): faster from the second run
await import('../dist/timetable.mjs');

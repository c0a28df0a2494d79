// One cold import, in a fresh process: `node cold-import.mjs <bundle>` prints, as JSON, the
// milliseconds the import took and the CPU milliseconds it used.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const url = pathToFileURL(resolve(process.argv[2])).href;
const cpu = process.cpuUsage();
const start = performance.now();
await import(url);
const ms = performance.now() - start;
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000 }));

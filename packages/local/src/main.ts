/**
 * `npm start [-- --port 3000] [--in-memory] [--seed demo] [--data-dir .data]`
 * Runs the product locally: DynamoDB Local, the table, the API on http://localhost:3000.
 * Ctrl-C (or SIGTERM) stops everything, the Java child included.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, startLocal } from './app';
import { seedDemo } from './seed';

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      'in-memory': { type: 'boolean', default: false },
      seed: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port} is not a port number`);
  if (values.seed !== undefined && values.seed !== 'demo') throw new Error('--seed takes "demo"');

  const started = Date.now();
  const app = await startLocal({ port, host: values.host, dataDir: values['data-dir'], inMemory: values['in-memory'] });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the API and DynamoDB Local…\n`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let seeded = '';
  if (values.seed === 'demo') {
    process.stdout.write('Loading the demo school through the API (about half a minute)…\n');
    const demo = await seedDemo(app);
    seeded = [
      '',
      `Demo data: ${demo.summary}`,
      `  school id: ${demo.schoolId}`,
      `  admin token:      npm run -s token -- --role admin --school ${demo.schoolId}`,
      `  parent token:     npm run -s token -- --role parent --user ${demo.parentUserId} --school ${demo.schoolId}`,
      `  volunteer token:  npm run -s token -- --role volunteer --user ${demo.volunteerUserId} --school ${demo.schoolId}   (GET /me/roster)`,
      `  bureau token:     npm run -s token -- --role district --district ${demo.districtId}`,
      '',
    ].join('\n');
  }
  process.stdout.write(
    [
      '',
      `Kehou 课后 API on ${app.url}   (started in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  data:     ${values['in-memory'] ? 'in memory (gone when stopped)' : values['data-dir']}`,
      `  health:   curl ${app.url}/health`,
      `  openapi:  ${app.url}/openapi.json`,
      `  a token:  TOKEN=$(npm run -s token -- --role district --district d1)`,
      `            curl -H "authorization: Bearer $TOKEN" ${app.url}/schools`,
      seeded,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`npm start: ${(e as Error).message}\n`);
  process.exit(1);
});

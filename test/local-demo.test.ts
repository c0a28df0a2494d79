/**
 * `npm start -- --seed demo`: /health says ready only once the demo school is loaded (until
 * then every request gets 503), so a script that waits on it finds the demo complete; the
 * printed token commands work as printed with a `--data-dir` of one's own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { DEMO_DISTRICT, demoSchool, freePort, httpClient, loadOrCreateDevKey, signToken, type ApiResponse } from '@kehou/local';
import { allStopped, killLeftovers, launch, printed, sh, started, until } from './support/start';

const dataDir = mkdtempSync(join(tmpdir(), 'kehou-demo-'));
afterAll(() => {
  killLeftovers();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers 503 until the demo school is loaded, then serves it whole', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const npm = launch(['--port', String(port), '--in-memory', '--seed', 'demo', '--data-dir', dataDir]);
  const anonymous = httpClient(url, null);
  const early: ApiResponse[] = [];
  await until(
    '/health says ready',
    async () => {
      if (npm.exited()) throw new Error(`npm start exited:\n${npm.output()}`);
      const health = await anonymous('GET', '/health').catch(() => null); // not listening yet
      if (health?.status === 200) return true;
      if (health) early.push(health);
      return false;
    },
    300,
  );
  for (const r of early) {
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('5');
    expect(r.body).toMatchObject({ status: 503, detail: 'npm start is loading the demo school; try again shortly' });
  }

  // the moment it is ready, everything is there: the school, its term, the published timetable
  const key = await loadOrCreateDevKey(join(dataDir, 'dev-key.json'));
  const bureau = httpClient(url, await signToken(key, { role: 'district', district: DEMO_DISTRICT }));
  const school = (await bureau('GET', '/schools')).body.items.find((s: { name: string }) => s.name === demoSchool.name);
  expect(school).toBeDefined();
  const admin = httpClient(url, await signToken(key, { role: 'admin', schools: [school.id] }));
  const [term] = (await admin('GET', `/schools/${school.id}/terms`)).body.items;
  const timetable = await admin('GET', `/schools/${school.id}/terms/${term.id}/timetable`);
  expect(timetable.body.published).toMatchObject({ status: 'published' });

  // the admin token command, as printed, is trusted by this server
  const s = await started(npm);
  const command = printed(s.output(), 'admin token');
  expect(command).toContain(`--school ${school.id} --data-dir ${dataDir}`);
  const printedAdmin = httpClient(url, (await sh(command!)).trim());
  expect((await printedAdmin('GET', `/schools/${school.id}/grades`)).body.items).toHaveLength(6);

  process.kill(s.npm.pid!, 'SIGTERM');
  expect(await s.exit).toEqual({ code: 0, signal: null });
  await allStopped(s, port);
}, 420_000);

/**
 * `npm start` as a user runs it: the product answers, keeps its data across a restart,
 * and on SIGTERM/SIGINT stops everything — no Java left running, no port left bound.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, httpClient, loadOrCreateDevKey, signToken } from '@kehou/local';
import { REPO_ROOT } from '../infra/lib/api';

const dataDir = mkdtempSync(join(tmpdir(), 'kehou-start-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
    ['packages/local/src/main.ts', '--port', String(port), '--data-dir', dataDir],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`npm start did not come up:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      if (out.includes('Ctrl-C stops it.')) {
        clearTimeout(timer);
        res({ child, output: () => out });
      }
    });
    child.once('exit', () => rej(new Error(`npm start exited:\n${out}`)));
  });
}

const javaFor = (dir: string) =>
  execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((l) => l.includes('DynamoDBLocal') && l.includes(dir));
const portFree = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer().once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
const stopped = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<number | null>((res) => {
    child.once('exit', (code) => res(code));
    child.kill(signal);
  });

describe('npm start', () => {
  it('serves the API, keeps data across a restart, and leaves nothing running when stopped', async () => {
    const port = await freePort();
    const first = await start(port);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    expect(first.output()).toContain('npm run -s token');
    const health = await httpClient(`http://127.0.0.1:${port}`, null)('GET', '/health');
    expect(health.status).toBe(200);
    expect(javaFor(dataDir)).toHaveLength(1);

    const key = await loadOrCreateDevKey(join(dataDir, 'dev-key.json'));
    const bureau = httpClient(`http://127.0.0.1:${port}`, await signToken(key, { role: 'district', district: 'd-9' }));
    expect((await bureau('POST', '/schools', { name: '重启小学', districtId: 'd-9' })).status).toBe(201);

    expect(await stopped(first.child, 'SIGTERM')).toBe(0);
    expect(javaFor(dataDir)).toEqual([]);
    expect(await portFree(port)).toBe(true);

    const second = await start(port);
    const list = await bureau('GET', '/schools');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['重启小学']);
    expect(await stopped(second.child, 'SIGINT')).toBe(0);
    expect(javaFor(dataDir)).toEqual([]);
    expect(await portFree(port)).toBe(true);
  }, 150_000);
});

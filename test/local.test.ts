/**
 * `npm start` as a user runs it: the product answers, keeps its data across a restart, its
 * printed token command works as printed, and SIGINT, SIGTERM or SIGHUP to any process of
 * its tree (npm → node → watchdog → java), or the death of one by SIGKILL, stops all of it:
 * no process left, no port left bound.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, httpClient, localClient, REPO_ROOT } from '@kehou/local';
import { allStopped, alive, killLeftovers, npmStart, sh } from './support/start';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kehou start '));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  killLeftovers();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

// each test starts its own npm start; they run side by side (two starting at a time) to keep the file short
describe.concurrent('npm start', () => {
  it('serves the API, keeps data across a restart, prints a token command that works, and stops on SIGTERM or SIGINT to npm', async () => {
    const dataDir = tempDir(); // not the default, and with a space: the token command must name it, quoted
    const [port, dynamoPort] = [await freePort(), await freePort()];
    const first = await npmStart(['--port', String(port), '--data-dir', dataDir, '--dynamo-port', String(dynamoPort)]);
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    const java = first.tree.find((p) => p.args.includes('DynamoDBLocal.jar'));
    expect(java?.args).toContain(`-dbPath ${join(dataDir, 'dynamodb')} -port ${dynamoPort}`);
    const dynamo = localClient(`http://127.0.0.1:${dynamoPort}`);
    expect((await dynamo.send(new ListTablesCommand({}))).TableNames).toEqual(['kehou']);
    dynamo.destroy();
    expect((await httpClient(`http://127.0.0.1:${port}`, null)('GET', '/health')).status).toBe(200);

    // the two lines of the start log, run as printed
    const lines = /a token: +(TOKEN=.*)\n +(curl .*)\n/.exec(first.output());
    expect(lines).not.toBeNull();
    const token = await sh(`${lines![1]}; printf %s "$TOKEN"`);
    expect(JSON.parse(await sh(`${lines![1]}; ${lines![2]}`))).toEqual({ items: [], next: null });
    const bureau = httpClient(`http://127.0.0.1:${port}`, token);
    expect((await bureau('POST', '/schools', { name: '重启小学', districtId: 'd1' })).status).toBe(201);

    process.kill(first.npm.pid!, 'SIGTERM');
    expect(await first.exit).toEqual({ code: 0, signal: null });
    await allStopped(first, port);

    const second = await npmStart(['--port', String(port), '--data-dir', dataDir]);
    const list = await bureau('GET', '/schools');
    expect(list.body.items.map((s: { name: string }) => s.name)).toEqual(['重启小学']);
    process.kill(second.npm.pid!, 'SIGINT');
    expect(await second.exit).toEqual({ code: 0, signal: null });
    await allStopped(second, port);
  }, 600_000);

  it('refuses to make a token for a data folder no server uses', () => {
    const dir = tempDir();
    const run = spawnSync('npm', ['run', '-s', 'token', '--', '--role', 'district', '--district', 'd1', '--data-dir', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `there is no development key ${join(dir, 'dev-key.json')}: start the API first, and give both the same --data-dir`,
    );
  });

  // what is signalled, and how npm ends then
  type Case = [string, NodeJS.Signals, 'npm' | 'node' | 'watchdog' | 'java', 'by the signal' | 'with 0' | 'with an error'];
  const cases: Case[] = [
    ['npm dies of SIGHUP (it does not forward it): node, orphaned, stops', 'SIGHUP', 'npm', 'by the signal'],
    ['npm is killed: node, orphaned, stops', 'SIGKILL', 'npm', 'by the signal'],
    ['node gets SIGHUP', 'SIGHUP', 'node', 'with 0'],
    // npm ends as its child did
    ['node is killed (as by the out-of-memory killer): the watchdog stops Java', 'SIGKILL', 'node', 'by the signal'],
    ['the watchdog gets SIGTERM: it stops Java, and the API stops', 'SIGTERM', 'watchdog', 'with an error'],
    ['the watchdog is killed: node kills Java and stops', 'SIGKILL', 'watchdog', 'with an error'],
    ['Java stops on SIGINT: the API stops rather than answer 500s', 'SIGINT', 'java', 'with an error'],
  ];
  describe('stops all of it when', () => {
    it.each(cases)(
      '%s',
      async (_what, signal, target, npmEnds) => {
        const port = await freePort();
        const s = await npmStart(['--port', String(port), '--in-memory', '--data-dir', tempDir()]);
        const proc = {
          npm: s.tree[0]!,
          node: s.tree.find((p) => p.args.includes('packages/local/src/main.ts'))!,
          watchdog: s.tree.find((p) => p.args.includes('dynamodb-watchdog'))!,
          java: s.tree.find((p) => p.args.includes('DynamoDBLocal.jar'))!,
        };
        expect(Object.values(proc).every((p) => p && alive(p))).toBe(true);

        process.kill(proc[target].pid, signal);
        const exit = await s.exit;
        await allStopped(s, port);
        if (npmEnds === 'by the signal') expect(exit.signal).toBe(signal);
        else if (npmEnds === 'with 0') expect(exit).toEqual({ code: 0, signal: null });
        else expect(exit.code).toBeGreaterThan(0);
        if (target === 'watchdog' || target === 'java') expect(s.output()).toContain('npm start: DynamoDB Local stopped');
      },
      600_000,
    );
  });
});

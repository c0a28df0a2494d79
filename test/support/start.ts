/**
 * `npm start` as a user runs it, for the tests of its life cycle: the process tree it makes
 * (found in /proc by parent pid, not by name), and polling with generous deadlines, never
 * fixed sleeps.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { REPO_ROOT } from '@kehou/local';

export interface Proc {
  pid: number;
  /** start time in clock ticks since boot: with the pid, one process, even if the pid is reused */
  start: string;
  args: string;
}

function stat(pid: number): { ppid: number; state: string; start: string } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
    return { state: f[0]!, ppid: Number(f[1]), start: f[19]! };
  } catch {
    return null;
  }
}

/** The process and all its descendants. */
export function processTree(pid: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => ({ pid: Number(d), s: stat(Number(d)) }))
    .filter((p) => p.s && p.s.state !== 'Z');
  const tree: Proc[] = [];
  const add = (p: number) => {
    const s = stat(p);
    if (!s) return;
    let args = '';
    try {
      args = readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      return;
    }
    tree.push({ pid: p, start: s.start, args });
    for (const c of all) if (c.s!.ppid === p) add(c.pid);
  };
  add(pid);
  return tree;
}

/** Still running (a zombie is not). */
export const alive = (p: Proc) => {
  const s = stat(p.pid);
  return s !== null && s.state !== 'Z' && s.start === p.start;
};

/** Polls `check` until it is true; fails after `seconds` (generous: the machine may be busy). */
export async function until(what: string, check: () => boolean | Promise<boolean>, seconds = 90): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${seconds} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Nothing listens on `port`, on any interface. */
export const portFree = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer().once('error', () => res(false));
    s.listen(port, () => s.close(() => res(true)));
  });

export interface Launched {
  npm: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  /** npm's exit: code, or the signal that ended it */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited(): boolean;
}

export interface Started extends Launched {
  /** npm and everything under it once the start log is out */
  tree: Proc[];
  dynamoPort: number;
}

const seen: Proc[] = [];
const launched: ChildProcess[] = [];

/** For afterAll: kills whatever a failing test left running (a passing one leaves nothing). */
export function killLeftovers() {
  for (const p of [...seen, ...launched.flatMap((npm) => processTree(npm.pid!))]) if (alive(p)) process.kill(p.pid, 'SIGKILL');
}

/** `npm start -- ...args`, from the repo root. */
export function launch(args: string[]): Launched {
  const npm = spawn('npm', ['start', '--', ...args], { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'warn' } });
  launched.push(npm);
  let out = '';
  npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr.on('data', (d: Buffer) => (out += d.toString()));
  let ended = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    npm.once('exit', (code, signal) => {
      ended = true;
      r({ code, signal });
    }),
  );
  return { npm, output: () => out, exit, exited: () => ended };
}

/** Waits for the end of the start log ("Ctrl-C stops it."). */
export async function started(l: Launched, seconds = 180): Promise<Started> {
  await until(
    'npm start is up',
    () => {
      if (l.exited()) throw new Error(`npm start exited:\n${l.output()}`);
      return l.output().includes('Ctrl-C stops it.');
    },
    seconds,
  );
  const dynamoPort = Number(/dynamodb: http:\/\/127\.0\.0\.1:(\d+)/.exec(l.output())?.[1]);
  const tree = processTree(l.npm.pid!);
  seen.push(...tree);
  return { ...l, tree, dynamoPort };
}

// starting is the costly part (JIT, tsx, Java's start): at most two at once, so that tests
// running side by side do not starve the rest of the suite
let starting = 0;
const waiting: Array<() => void> = [];

/** `npm start -- ...args`, once up. */
export async function npmStart(args: string[]): Promise<Started> {
  while (starting >= 2) await new Promise<void>((r) => waiting.push(r));
  starting++;
  try {
    return await started(launch(args));
  } finally {
    starting--;
    waiting.shift()?.();
  }
}

/** Runs a shell command line at the repo root, as a user would paste it; its stdout. */
export const sh = (line: string) =>
  new Promise<string>((res, rej) =>
    execFile('sh', ['-c', line], { cwd: REPO_ROOT, encoding: 'utf8' }, (e, out) => (e ? rej(e) : res(out))),
  );

/** The start log's lines for a token, e.g. `TOKEN=$(npm run -s token -- …)`, as printed. */
export const printed = (output: string, label: string) => new RegExp(`${label}: +(.*)\n`).exec(output)?.[1];

/** Every process of the tree has ended and both ports are free. */
export async function allStopped(s: Started, apiPort: number): Promise<void> {
  await until('every process of npm start has ended', () => s.tree.every((p) => !alive(p)));
  await until('its ports are free', async () => (await portFree(apiPort)) && (await portFree(s.dynamoPort)));
}

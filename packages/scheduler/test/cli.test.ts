import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions } from '../build';
import { check, generateInstance } from '../src/index';
import { tinySchool, tinyWith, validAnswer } from './fixtures';

// The two commands as a user runs them, as `npm ci` installed them: exit codes, stdout, stderr.

const pkg = join(import.meta.dirname, '..');
const bins = { timetable: 'kehou-timetable', check: 'kehou-timetable-check' } as const;
const linked = (cli: keyof typeof bins): string => join(pkg, '../../node_modules/.bin', bins[cli]);

const dir = mkdtempSync(join(tmpdir(), 'kehou-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
// what build.ts makes of today's sources, in memory
const fresh = build({ ...bundleOptions, write: false });
const run = (cli: keyof typeof bins, ...args: string[]) => {
  const r = spawnSync(linked(cli), args, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('the built command lines', () => {
  it('are declared as bins, and npm linked them into node_modules/.bin as executable node scripts', () => {
    const declared = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;
    expect(declared).toEqual({ 'kehou-timetable': 'bin/kehou-timetable.mjs', 'kehou-timetable-check': 'bin/kehou-timetable-check.mjs' });
    for (const [name, target] of Object.entries(declared)) {
      const path = linked(name === bins.timetable ? 'timetable' : 'check');
      expect(existsSync(path), `${path} is missing: run npm ci (or npm install)`).toBe(true);
      expect(realpathSync(path)).toBe(realpathSync(join(pkg, target)));
      expect(readFileSync(path, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(statSync(path).mode & 0o111).toBe(0o111);
    }
  });

  it('are what the sources make today (dist/ is not stale)', async () => {
    for (const out of (await fresh).outputFiles) {
      const stale = `${out.path} is missing or stale: npm run build -w @kehou/scheduler (npm ci and npm test run it)`;
      expect(existsSync(out.path), stale).toBe(true);
      expect(readFileSync(out.path, 'utf8') === out.text, stale).toBe(true);
    }
  });

  it('need nothing but node at run time: no TypeScript, no node_modules', async () => {
    const { metafile } = await fresh;
    const imports = Object.entries(metafile.outputs).flatMap(([out, o]) => o.imports.map((i) => `${out} ${i.path}${i.external ? '' : ' (bundled chunk)'}`));
    expect(imports.filter((i) => !/ node:[a-z_/]+$/.test(i))).toEqual([]);
    // the bundle alone, in a folder with nothing else, solves and checks
    const alone = join(dir, 'alone');
    mkdirSync(alone);
    for (const cli of ['timetable', 'check']) copyFileSync(join(pkg, `dist/${cli}.mjs`), join(alone, `${cli}.mjs`));
    const school = file('alone-school.json', tinySchool());
    const solved = spawnSync(process.execPath, [join(alone, 'timetable.mjs'), school], { encoding: 'utf8', cwd: alone });
    expect([solved.status, solved.stderr]).toEqual([0, expect.stringMatching(/^timetable: 3 sessions in \d+ ms/)]);
    const checked = spawnSync(process.execPath, [join(alone, 'check.mjs'), school, file('alone-answer.json', solved.stdout)], { encoding: 'utf8', cwd: alone });
    expect([checked.status, JSON.parse(checked.stdout).ok]).toEqual([0, true]);
  });
});

describe('kehou-timetable (npm run timetable)', () => {
  it('prints a timetable that passes the checker (exit 0), and repairs with --previous', () => {
    const inst = generateInstance({ seed: 2, students: 300, clubs: 10 });
    const path = file('school.json', inst);
    const first = run('timetable', path, '--seed', '7');
    expect(first.code).toBe(0);
    const answer = JSON.parse(first.out) as { sessions: []; stats: { moved: number } };
    expect(check(inst, answer).ok).toBe(true);
    expect(first.err).toMatch(/sessions in \d+ ms/);
    const again = run('timetable', path, '--seed', '7', '--previous', file('answer.json', first.out));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual({ ...answer, stats: { ...answer.stats, moved: 0 } });
    expect(again.err).toContain('moved 0');
  });

  it('--verbose tells on stderr where the time went, and prints the same timetable', () => {
    const inst = generateInstance({ seed: 3, students: 300, clubs: 10, withStudents: true });
    const path = file('students.json', inst);
    const plain = run('timetable', path);
    const verbose = run('timetable', path, '--verbose');
    expect(verbose.code).toBe(0);
    expect(JSON.parse(verbose.out).sessions).toEqual(JSON.parse(plain.out).sessions);
    expect(verbose.err).toMatch(/^\d+\.\d\d s sat shifted\/few: \d+ variables, \d+ room and staff sets counted$/m);
    expect(verbose.err).toMatch(/^\d+\.\d\d s sat shifted\/few: sat, \d+ conflicts/m);
    expect(verbose.err).toMatch(/^\d+\.\d\d s search 0: /m);
    expect(verbose.err).toMatch(/^\d+\.\d\d s load balanced$/m);
    expect(plain.err).not.toContain('search 0');
  });

  it('explains an instance without a timetable (exit 3) and malformed input (exit 2)', () => {
    const none = run('timetable', file('erhu.json', tinyWith((i) => ((i.classes[0] as { skill: string }).skill = 'erhu'))));
    expect(none.code).toBe(3);
    expect(JSON.parse(none.out)).toEqual({ infeasible: true, reason: expect.stringContaining("'erhu'"), culprit: { kind: 'skill', id: 'erhu' } });

    const bad = run('timetable', file('bad.json', '{"name": '));
    expect([bad.code, bad.out]).toEqual([2, '']);
    expect(bad.err).toContain('not valid JSON');
    const late = run('timetable', file('late.json', tinyWith((i) => (i.dayEnd = '25:00'))));
    expect(late.code).toBe(2);
    expect(late.err).toContain('dayEnd: "25:00" is not a time');
    const dup = run('timetable', file('dup.json', tinyWith((i) => i.rooms.push({ id: 'room-1', capacity: 1, features: [] }))));
    expect(dup.code).toBe(2);
    expect(dup.err).toContain("duplicate id 'room-1'");
    expect(run('timetable', '--seed', 'x').code).toBe(2);
  });
});

describe('kehou-timetable-check (npm run timetable:check)', () => {
  it('prints the one-line verdict: exit 0 when ok, 1 with violations, 2 when malformed', () => {
    const inst = file('tiny.json', tinySchool());
    const good = run('check', inst, file('good.json', { sessions: validAnswer() }));
    expect(good.code).toBe(0);
    expect(JSON.parse(good.out)).toEqual({ ok: true, hardViolations: 0, violations: [], sessions: 3, consecutiveDays: 0, teacherLoadSpread: 0 });
    const late = validAnswer().map((s, i) => (i === 1 ? { ...s, start: '17:30', end: '18:30' } : s));
    const bad = run('check', inst, file('late.json', { sessions: late }));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, hardViolations: 2 }); // too late, and past t001's availability
    expect(JSON.parse(bad.out).violations).toContainEqual(expect.stringContaining('ends after dayEnd 18:00'));
    const malformed = run('check', inst, file('nothing.json', { answer: 42 }));
    expect(malformed.code).toBe(2);
    expect(JSON.parse(malformed.out)).toMatchObject({ ok: false, error: expect.stringContaining('sessions') });
  });
});

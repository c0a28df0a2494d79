import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, generateInstance } from '../src/index';
import { tinySchool, tinyWith, validAnswer } from './fixtures';

// The two commands as a user runs them: exit codes, stdout, stderr.

const dir = mkdtempSync(join(tmpdir(), 'kehou-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const run = (cli: 'timetable' | 'check', ...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, `../src/cli/${cli}.ts`), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('npm run timetable', () => {
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

describe('npm run timetable:check', () => {
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

import { describe, expect, it } from 'vitest';
import { RuleViolation } from '../src/errors';
import {
  assertEditKeepsRules,
  assertPublishable,
  checkTimetable,
  failedGeneration,
  GenerateJob,
  generatedDraft,
  generateSessions,
  queuedGeneration,
} from '../src/timetable-plan';
import type { TimetableVersion } from '../src/timetable';
import { club, data, staff } from './fixtures/timetable-data';

const options = { seed: 1, fresh: false };

/** The RuleViolation `fn` throws (fails the test when it throws nothing or something else). */
function refusal(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

describe('generateSessions', () => {
  it('schedules every class of the term within the rules, with stable ids, the club, and the preferred staff member', () => {
    const { sessions, generation } = generateSessions(data(), null, options);
    expect(sessions.map((s) => s.id).sort()).toEqual(['c1-a.0', 'c1-b.0', 'c1-b.1']);
    expect(sessions.every((s) => s.clubId === 'c1' && !s.locked)).toBe(true);
    expect(sessions.filter((s) => s.classId === 'c1-b').map((s) => s.staffId)).toEqual(['st1', 'st1']);
    expect(sessions.find((s) => s.classId === 'c1-a')?.staffId).toBe('st2');
    expect(checkTimetable(data(), sessions).ok).toBe(true);
    expect(generation).toMatchObject({ seed: 1, moved: null, consecutiveDays: 0 });
  });

  it('keeps a locked session of the basis exactly, and reports how many of the others moved', () => {
    const first = generateSessions(data(), null, options).sessions;
    const lockedOne = { ...first.find((s) => s.classId === 'c1-a')!, locked: true };
    const basis = first.map((s) => (s.id === lockedOne.id ? lockedOne : s));
    const again = generateSessions(data(), basis, { seed: 9, fresh: false });
    expect(again.sessions).toContainEqual(lockedOne);
    expect(again.generation.moved).toBe(0);
    expect(generateSessions(data(), basis, { seed: 9, fresh: true }).generation.moved).toBeNull();
  });

  it('refuses a term without classes', () => {
    expect(refusal(() => generateSessions(data({ clubs: [] }), null, options)).rule).toBe('no-classes');
  });

  it('refuses when a fixed staff member cannot be scheduled, naming them', () => {
    const e = refusal(() =>
      generateSessions(data({ staff: [staff('st1'), staff('st2', { status: 'archived' })] }), null, options),
    );
    expect(e.rule).toBe('fixed-staff-unavailable');
    expect(e.details).toEqual({ culprit: { kind: 'staff', id: 'st2' } });
  });

  it("passes on the solver's reason and culprit when no timetable exists", () => {
    const e = refusal(() => generateSessions(data({ clubs: [club('c1', { skill: 'unicycling' })] }), null, options));
    expect(e.rule).toBe('timetable-infeasible');
    expect(e.message).toContain('unicycling');
    expect(e.details).toEqual({ culprit: { kind: 'skill', id: 'unicycling' } });
  });
});

describe('assertEditKeepsRules and assertPublishable', () => {
  const sessions = generateSessions(data(), null, options).sessions;
  const advanced = sessions.find((s) => s.classId === 'c1-a')!;

  it('refuses a move past the day end, naming the rule', () => {
    const late = sessions.map((s) => (s.id === advanced.id ? { ...s, start: '17:30', end: '18:15' } : s));
    const e = refusal(() => assertEditKeepsRules(data(), sessions, late, [advanced.id]));
    expect(e.rule).toBe('too-late');
    expect(() => assertPublishable(data(), late)).toThrow(RuleViolation);
  });

  it('lets an edit through when it breaks nothing', () => {
    const same = sessions.map((s) => ({ ...s }));
    expect(() => assertEditKeepsRules(data(), sessions, same, [advanced.id])).not.toThrow();
    expect(() => assertPublishable(data(), same)).not.toThrow();
  });

  it('does not blame an edit for what the set-up change broke elsewhere, but refuses to publish it', () => {
    // st1 can no longer take street dance: the basic sessions break a rule the edit did not touch
    const changed = data({ staff: [staff('st1', { skills: ['chess'] }), staff('st2')] });
    expect(checkTimetable(changed, sessions).ok).toBe(false);
    const locked = sessions.map((s) => (s.id === advanced.id ? { ...s, locked: true } : s));
    expect(() => assertEditKeepsRules(changed, sessions, locked, [])).not.toThrow();
    expect(refusal(() => assertPublishable(changed, locked)).message).toMatch(/breaks \d+ rule\(s\) since the set-up changed/);
  });
});

describe('a generation, as a job', () => {
  const stamp = { by: 'admin-1', now: new Date('2026-09-01T08:00:00Z') };
  const version: TimetableVersion = {
    id: 't1#V0002',
    termId: 't1',
    number: 2,
    status: 'draft',
    basedOn: 1,
    generation: { seed: 3, millis: 1234, moved: 4, consecutiveDays: 0, teacherLoadSpread: 1 },
    warnings: [],
    sessionCount: 2115,
    publishedAt: null,
    publishedBy: null,
    changeCounts: null,
    revision: { kind: 'generated', sessions: [] },
    sessionSet: 'set-1',
    changeSet: null,
    version: 3,
    createdAt: '2026-09-01T08:00:00.000Z',
    updatedAt: '2026-09-01T08:00:00.000Z',
    updatedBy: 'admin-1',
  };

  it('is accepted queued, with what was asked, and nothing done', () => {
    const job = queuedGeneration('j1', 't1', { seed: 3, fresh: true, withEnrolments: false }, stamp);
    expect(GenerateJob.parse(job)).toEqual(job);
    expect(job).toMatchObject({
      state: 'queued',
      seed: 3,
      fresh: true,
      withEnrolments: false,
      at: '2026-09-01T08:00:00.000Z',
      by: 'admin-1',
    });
    expect(job).toMatchObject({ progress: { done: 0, of: 1 }, draft: null, problem: null, startedAt: null });
  });

  it('records the draft it made without where its records are kept, and says what became of it', () => {
    const replaced = generatedDraft(version, false);
    expect(replaced.draft).not.toHaveProperty('sessionSet');
    expect(replaced.draft).toMatchObject({ number: 2, version: 3, changeCount: null });
    expect(replaced.message).toBe('The draft, version 2, replaced (revision 3): 2,115 sessions a week, solved in 1,234 ms');
    expect(generatedDraft({ ...version, version: 1 }, true).message).toMatch(/^A new draft, version 2: 2,115 sessions/);
  });

  it('records a failure as the problem the request would have answered, its detail the message', () => {
    const problem = { type: 'about:blank', title: 'Unprocessable Content', status: 422, detail: 'no room', rule: 'no-classes' };
    expect(failedGeneration(problem)).toEqual({ draft: null, message: 'no room', problem });
  });
});

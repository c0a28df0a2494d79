import { describe, expect, it } from 'vitest';
import { AnswerError, check, readAnswer, verdict, type Session } from '../src/index';
import { tinySchool, tinyWith, validAnswer } from './fixtures';

// The whole checker: it catches each kind of violation and counts as check.mjs does.

const with_ = (i: number, patch: Partial<Session>): Session[] => validAnswer().map((s, j) => (j === i ? { ...s, ...patch } : s));

describe('check', () => {
  it('accepts a valid timetable (touching sessions of one student and one teacher included)', () => {
    const r = check(tinySchool(), { sessions: validAnswer() });
    expect(r).toMatchObject({ ok: true, hardViolations: 0, sessions: 3, consecutiveDays: 0, teacherLoadSpread: 0 });
  });

  it.each([
    ['too-late', with_(0, { start: '17:30', end: '18:30' })],
    ['too-early', with_(0, { start: '15:30', end: '16:30' })],
    ['grid', with_(0, { start: '16:02', end: '17:02' })],
    ['duration', with_(0, { end: '16:50' })],
    ['bad-time', with_(0, { start: '25:00' })],
    ['bad-day', with_(0, { day: 'XYZ' as Session['day'] })],
    ['day-not-scheduled', with_(0, { day: 'SAT' })],
    ['unknown-class', with_(2, { class: 'origami-basic-9' })],
    ['unknown-room', with_(0, { room: 'attic' })],
    ['unknown-staff', with_(0, { staff: 'ghost' })],
    ['features', with_(2, { room: 'room-1', start: '17:00', end: '17:45' })],
    ['skill', with_(2, { staff: 'v001', day: 'TUE', start: '17:00', end: '17:45', room: 'dance-1' })],
    ['unavailable', with_(1, { day: 'THU', start: '16:00', end: '17:00' })],
    ['same-day', with_(1, { day: 'MON', start: '17:00', end: '18:00', staff: 'v001' })],
    ['room-overlap', with_(1, { day: 'MON', start: '16:30', end: '17:30', room: 'room-1', staff: 'v001' })],
    ['staff-overlap', with_(2, { start: '16:30', end: '17:15' })],
    ['student-overlap', with_(2, { start: '16:15', end: '17:00', staff: 't001' })],
  ] as const)('catches %s', (rule, sessions) => {
    const r = check(tinySchool(), { sessions });
    expect(r.ok).toBe(false);
    expect(r.counts[rule]).toBeGreaterThanOrEqual(1);
    expect(r.violations.some((v) => v.rule === rule && v.message.length > 0)).toBe(true);
  });

  it('catches a missing session and a fixed staff member replaced', () => {
    const inst = tinyWith((i) => ((i.classes[0] as { staff?: string }).staff = 'v001'));
    const r = check(inst, { sessions: validAnswer().slice(1) });
    expect(r.counts['session-count']).toBe(1);
    expect(r.counts['fixed-staff']).toBe(1);
  });

  it('catches a room too small and a staff member past the weekly maximum', () => {
    const inst = tinyWith((i) => {
      (i.rooms[0] as { capacity: number }).capacity = 10;
      (i.staff[0] as { maxMinutesPerWeek: number }).maxMinutesPerWeek = 100;
    });
    const r = check(inst, { sessions: validAnswer() });
    expect(r.counts).toEqual({ capacity: 2, 'weekly-max': 1 });
    expect(r.hardViolations).toBe(3);
  });

  it('counts one violation per overlapping pair and names the sessions involved', () => {
    const sessions: Session[] = ['16:00', '16:15', '16:30'].map((start, k) => ({
      class: 'chess-basic-1',
      day: (['MON', 'WED', 'FRI'] as const)[k] as Session['day'],
      start,
      end: `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:${start.slice(3)}`,
      room: 'room-1',
      staff: 't001',
    }));
    sessions[1] = { ...(sessions[1] as Session), day: 'MON' };
    sessions[2] = { ...(sessions[2] as Session), day: 'MON' };
    const r = check(tinySchool(), { sessions });
    expect(r.counts['room-overlap']).toBe(3);
    expect(r.counts['staff-overlap']).toBe(3);
    expect(r.violations.find((v) => v.rule === 'room-overlap')?.sessions).toHaveLength(2);
  });

  it('treats sessions that are not objects or lack fields as violations, not malformed input', () => {
    const r = check(tinySchool(), { sessions: [...validAnswer(), 42, { class: 7 }, { class: 'chess-basic-1', day: 'TUE', start: '17:00', end: '18:00' }] });
    expect(r.counts['session-shape']).toBe(4); // 42, no class string, no room, no staff
    expect(r.counts['same-day']).toBeUndefined();
  });

  it('measures consecutive days and the teacher load spread', () => {
    const sessions = with_(1, { day: 'TUE', start: '17:00', end: '18:00', staff: 'v001' });
    const r = check(tinySchool(), { sessions });
    expect(r.consecutiveDays).toBe(1); // MON + TUE
    expect(r.teacherLoadSpread).toBe(0); // one teacher taking sessions
    expect(r.counts).toEqual({});
  });

  it('refuses a refusal unless the instance is known to be infeasible', () => {
    const refusal = { infeasible: true as const, reason: 'no staff has erhu' };
    expect(check(tinySchool(), refusal)).toMatchObject({ ok: false, infeasible: true, hardViolations: 1 });
    expect(check(tinySchool(), refusal, { expectInfeasible: true })).toMatchObject({ ok: true, hardViolations: 0 });
    expect(check(tinySchool(), { infeasible: true, reason: ' ' }, { expectInfeasible: true }).ok).toBe(false);
    expect(check(tinySchool(), { sessions: validAnswer() }, { expectInfeasible: true }).counts['expected-refusal']).toBe(1);
  });

  it('prints the same verdict fields as check.mjs', () => {
    const v = verdict(check(tinySchool(), { sessions: with_(0, { start: '17:30', end: '18:30' }) }));
    expect(Object.keys(v)).toEqual(['ok', 'hardViolations', 'violations', 'sessions', 'consecutiveDays', 'teacherLoadSpread']);
    expect(v.violations).toContainEqual(expect.stringContaining('ends after dayEnd 18:00'));
  });

  it('reads an answer file: a timetable or a refusal, anything else is malformed', () => {
    expect(readAnswer({ sessions: [] })).toEqual({ sessions: [] });
    expect(readAnswer({ infeasible: true, reason: 'x' })).toEqual({ infeasible: true, reason: 'x' });
    expect(() => readAnswer({ session: [] })).toThrow(AnswerError);
    expect(() => readAnswer([1])).toThrow(AnswerError);
  });
});

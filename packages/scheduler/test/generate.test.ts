import { describe, expect, it } from 'vitest';
import { check, generateInstance, generateSchool, InstanceSchema, parseInstance } from '../src/index';

describe('generateSchool', () => {
  it('is deterministic for a seed and different for another', () => {
    expect(generateSchool({ seed: 4, students: 300 })).toEqual(generateSchool({ seed: 4, students: 300 }));
    expect(generateInstance({ seed: 5, students: 300 })).not.toEqual(generateInstance({ seed: 4, students: 300 }));
  });

  it.each([
    { students: 300 },
    { students: 1500, tight: 0.9 },
    { students: 900, fixedStaff: true },
    { students: 900, withStudents: true },
    { students: 600, school: 'junior' as const },
    { students: 500, days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const },
  ])('plants a timetable that obeys every rule: %j', (options) => {
    const { instance, planted } = generateSchool({ seed: 7, ...options, days: options.days ? [...options.days] : undefined });
    expect(() => parseInstance(instance)).not.toThrow();
    expect(check(instance, { sessions: planted }).violations).toEqual([]);
  });

  it('draws a Chinese primary school: grades g1–g6 starting clubs after homework help, 18:00 end, tiered clubs', () => {
    const inst = generateInstance({ seed: 1, students: 2000 });
    expect(InstanceSchema.parse(inst)).toEqual(inst);
    expect(inst.grades.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5', 'g6']);
    expect(inst.dayEnd).toBe('18:00');
    const starts = inst.grades.flatMap((g) => Object.values(g.earliestStart));
    expect(starts.every((t) => t >= '14:30' && t <= '17:10')).toBe(true);
    expect(new Set(inst.classes.map((c) => c.tier))).toEqual(new Set(['basic', 'advanced']));
    expect(new Set(inst.staff.map((s) => s.kind))).toEqual(new Set(['teacher', 'volunteer', 'external']));
    expect(inst.classes.length).toBeGreaterThan(100);
  });

  it('follows its options: fixed staff, students with 1–3 classes, clubs and tiers', () => {
    const inst = generateInstance({ seed: 3, students: 800, clubs: 10, tiers: 3, fixedStaff: true, withStudents: true });
    expect(inst.classes.every((c) => typeof c.staff === 'string')).toBe(true);
    expect(new Set(inst.classes.map((c) => c.club)).size).toBe(10);
    expect(inst.classes.some((c) => c.tier === 'team')).toBe(true);
    const students = inst.students ?? [];
    expect(students.length).toBeGreaterThan(600);
    expect(students.every((s) => s.classes.length >= 1 && s.classes.length <= 3)).toBe(true);
    const seats = new Map<string, number>();
    for (const s of students) for (const c of s.classes) seats.set(c, (seats.get(c) ?? 0) + 1);
    expect(inst.classes.every((c) => seats.get(c.id) === c.size)).toBe(true);
  });

  it('leaves fewer spare rooms and staff when tight', () => {
    const loose = generateInstance({ seed: 9, students: 2000, tight: 0 });
    const tight = generateInstance({ seed: 9, students: 2000, tight: 1 });
    expect(tight.rooms.length).toBeLessThan(loose.rooms.length);
    expect(tight.staff.length).toBeLessThan(loose.staff.length);
  });
});

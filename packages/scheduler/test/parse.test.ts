import { describe, expect, it } from 'vitest';
import { InstanceError, InstanceSchema, parseInstance, type Instance } from '../src/index';
import { tinySchool } from './fixtures';

function issuesOf(json: unknown): { path: (string | number)[]; message: string }[] {
  try {
    parseInstance(json);
  } catch (e) {
    if (e instanceof InstanceError) return [...e.issues];
    throw e;
  }
  throw new Error('expected an InstanceError');
}

const broken = (change: (i: Record<string, any>) => void): unknown => {
  const i = structuredClone(tinySchool()) as unknown as Record<string, any>;
  change(i);
  return i;
};

describe('parseInstance', () => {
  it('returns a valid instance unchanged', () => {
    const inst: Instance = parseInstance(tinySchool());
    expect(inst).toEqual(tinySchool());
    expect(InstanceSchema.safeParse(tinySchool()).success).toBe(true);
  });

  it('accepts 24:00 and refuses 25:00, 4:00 and 12:60 with their paths', () => {
    expect(() => parseInstance(broken((i) => (i.dayEnd = '24:00')))).not.toThrow();
    expect(issuesOf(broken((i) => (i.dayEnd = '25:00')))).toEqual([{ path: ['dayEnd'], message: expect.stringContaining('"25:00"') }]);
    expect(issuesOf(broken((i) => (i.grades[0].earliestStart.MON = '4:00')))[0]?.path).toEqual(['grades', 0, 'earliestStart', 'MON']);
    expect(issuesOf(broken((i) => (i.staff[0].available.MON = [['12:60', '18:00']])))[0]?.path).toEqual(['staff', 0, 'available', 'MON', 0, 0]);
  });

  it('refuses an availability interval that does not start before it ends', () => {
    const issues = issuesOf(broken((i) => (i.staff[1].available.TUE = [['17:00', '17:00']])));
    expect(issues[0]).toMatchObject({ path: ['staff', 1, 'available', 'TUE', 0], message: expect.stringContaining('does not start before it ends') });
  });

  it('refuses duplicate ids and days, listing them all', () => {
    const issues = issuesOf(
      broken((i) => {
        i.rooms.push({ ...i.rooms[0] });
        i.classes[1].id = 'chess-basic-1';
        i.days.push('MON');
      }),
    );
    expect(issues.map((x) => x.path)).toEqual([
      ['days', 5],
      ['rooms', 2, 'id'],
      ['classes', 1, 'id'],
      ['students', 0, 'classes', 1], // street-dance-basic-1 is gone with its renaming
    ]);
    expect(issues[1]?.message).toContain("duplicate id 'room-1'");
  });

  it('refuses references to unknown grades, staff and classes', () => {
    const issues = issuesOf(
      broken((i) => {
        i.classes[0].grades = ['g9'];
        i.classes[1].staff = 'nobody';
        i.students[0].classes.push('origami-1');
      }),
    );
    expect(issues.map((x) => x.message)).toEqual(["unknown grade 'g9'", "unknown staff 'nobody'", "unknown class 'origami-1'"]);
  });

  it('refuses wrong shapes: bad kinds, days, time zones, negative sizes, fractional sessions', () => {
    const issues = issuesOf(
      broken((i) => {
        i.staff[0].kind = 'parent';
        i.days = ['MON', 'FUN'];
        i.timezone = 'Mars/Olympus';
        i.classes[0].size = -1;
        i.classes[0].sessions = 1.5;
      }),
    );
    expect(issues.map((x) => x.path.join('.'))).toEqual(expect.arrayContaining(['staff.0.kind', 'days.1', 'timezone', 'classes.0.size', 'classes.0.sessions']));
  });

  it('refuses what is not an object at all', () => {
    expect(issuesOf('hello')[0]?.path).toEqual([]);
    expect(() => parseInstance(null)).toThrow(InstanceError);
  });
});

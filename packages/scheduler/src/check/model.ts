import type { Instance, StaffKind } from '../schema';
import { parseHHMM } from '../time';

// Lookup tables the checker's rules read: everything keyed by id, times in minutes.

export interface ClassModel {
  id: string;
  grades: readonly string[];
  size: number;
  skill: string;
  features: readonly string[];
  sessions: number;
  minutes: number;
  staff: string | null;
}
export interface RoomModel {
  capacity: number;
  features: ReadonlySet<string>;
}
export interface StaffModel {
  kind: StaffKind;
  skills: ReadonlySet<string>;
  available: ReadonlyMap<string, readonly (readonly [number, number])[]>;
  max: number;
}
export interface CheckModel {
  days: ReadonlySet<string>;
  dayEnd: number;
  granularity: number;
  /** grade id → day → earliest start (minutes) */
  grades: ReadonlyMap<string, ReadonlyMap<string, number>>;
  rooms: ReadonlyMap<string, RoomModel>;
  staff: ReadonlyMap<string, StaffModel>;
  classes: ReadonlyMap<string, ClassModel>;
  students: readonly { id: string; classes: readonly string[] }[] | null;
}

const minutes = (t: string): number => parseHHMM(t) ?? Number.NaN; // a parsed Instance has valid times

export function compileCheckModel(inst: Instance): CheckModel {
  return {
    days: new Set(inst.days),
    dayEnd: minutes(inst.dayEnd),
    granularity: inst.granularity,
    grades: new Map(inst.grades.map((g) => [g.id, new Map(Object.entries(g.earliestStart).map(([d, t]) => [d, minutes(t)]))])),
    rooms: new Map(inst.rooms.map((r) => [r.id, { capacity: r.capacity, features: new Set(r.features) }])),
    staff: new Map(
      inst.staff.map((s) => [
        s.id,
        {
          kind: s.kind,
          skills: new Set(s.skills),
          available: new Map(Object.entries(s.available).map(([d, list]) => [d, list.map(([a, b]) => [minutes(a), minutes(b)] as const)])),
          max: s.maxMinutesPerWeek,
        },
      ]),
    ),
    classes: new Map(
      inst.classes.map((c) => [
        c.id,
        {
          id: c.id,
          grades: [...new Set(c.grades)],
          size: c.size,
          skill: c.skill,
          features: [...new Set(c.roomFeatures)],
          sessions: c.sessions,
          minutes: c.minutes,
          staff: c.staff ?? null,
        },
      ]),
    ),
    students: inst.students ? inst.students.map((s) => ({ id: s.id, classes: [...new Set(s.classes)] })) : null,
  };
}

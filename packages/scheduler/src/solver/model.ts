import type { Day, Instance, StaffKind } from '../schema';
import { dayNumber, parseHHMM } from '../time';

// The solver's view of an instance: everything indexed by small integers, times in
// "slots" of `unit` minutes counted from `base` (unit divides the grid and every class's
// length, so every valid session starts and ends on a slot boundary).

export const KIND: Readonly<Record<StaffKind, number>> = { teacher: 0, volunteer: 1, external: 2 };

export interface SolverModel {
  inst: Instance;
  days: readonly Day[];
  /** week number (MON 0 … SUN 6) of each day index */
  weekNo: Int32Array;
  unit: number;
  base: number;
  /** slots per day: [base, base + slots·unit] ends at or before dayEnd */
  slots: number;
  gridSlots: number;

  roomIds: readonly string[];
  roomCapacity: Float64Array;

  staffIds: readonly string[];
  staffKind: Int32Array;
  staffMax: Float64Array;
  /** [staff·days·slots + d·slots + t] → latest end (minutes) of an availability interval holding a start at slot t, or -1 */
  availEnd: Int32Array;

  classIds: readonly string[];
  sessionsOf: Int32Array;
  minutes: Int32Array;
  /** length in slots */
  length: Int32Array;
  /** [class·days + d] → first allowed start slot (grade earliest starts, grid), or -1 when the class cannot meet that day */
  firstStart: Int32Array;
  /** compatible rooms of each class, best fit first */
  roomsOf: readonly Int32Array[];
  /** staff who may take each class: the fixed member, or everyone with the skill */
  staffOf: readonly Int32Array[];
  /** classes sharing a student with each class */
  neighbours: readonly Int32Array[];

  /** start candidates of each class, encoded d·slots + t: on the grid, after its grades' earliest
   * starts, ending by dayEnd, with at least one of its staff available for the whole session */
  candidates: readonly Int32Array[];

  dayIndex: ReadonlyMap<string, number>;
  roomIndex: ReadonlyMap<string, number>;
  staffIndex: ReadonlyMap<string, number>;
  classIndex: ReadonlyMap<string, number>;

  /** session variables: class c owns sessions firstSession[c] … firstSession[c] + sessionsOf[c] - 1 */
  firstSession: Int32Array;
  classOf: Int32Array;
  nSessions: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const minutesOf = (t: string): number => parseHHMM(t) ?? Number.NaN;

export function compileSolverModel(inst: Instance): SolverModel {
  const days = [...inst.days].sort((a, b) => (dayNumber(a) ?? 0) - (dayNumber(b) ?? 0));
  const D = days.length;
  const dayEnd = minutesOf(inst.dayEnd);
  const gradeIndex = new Map(inst.grades.map((g, i) => [g.id, i]));
  const earliest = inst.grades.map((g) => days.map((d) => (g.earliestStart[d] === undefined ? -1 : minutesOf(g.earliestStart[d]))));

  let unit = inst.granularity;
  for (const c of inst.classes) unit = gcd(unit, c.minutes);
  let lowest = dayEnd;
  for (const g of earliest) for (const e of g) if (e >= 0) lowest = Math.min(lowest, e);
  const base = Math.floor(lowest / unit) * unit;
  const slots = Math.max(0, Math.floor((dayEnd - base) / unit));
  const gridSlots = inst.granularity / unit;

  const roomIndex = new Map(inst.rooms.map((r, i) => [r.id, i]));
  const staffIndex = new Map(inst.staff.map((s, i) => [s.id, i]));

  const availEnd = new Int32Array(inst.staff.length * D * slots).fill(-1);
  inst.staff.forEach((s, p) => {
    days.forEach((d, di) => {
      for (const [a, b] of s.available[d] ?? []) {
        const from = minutesOf(a);
        const to = minutesOf(b);
        for (let t = 0; t < slots; t++) {
          const at = base + t * unit;
          const k = (p * D + di) * slots + t;
          if (from <= at && at < to && to > (availEnd[k] as number)) availEnd[k] = to;
        }
      }
    });
  });

  const C = inst.classes.length;
  const firstStart = new Int32Array(C * D).fill(-1);
  const length = new Int32Array(C);
  inst.classes.forEach((c, ci) => {
    length[ci] = c.minutes / unit;
    days.forEach((_, di) => {
      let from = base;
      for (const g of new Set(c.grades)) {
        const e = earliest[gradeIndex.get(g) ?? -1]?.[di] ?? -1;
        if (e < 0) return;
        from = Math.max(from, e);
      }
      const start = Math.ceil(from / inst.granularity) * inst.granularity;
      if (start + c.minutes <= dayEnd) firstStart[ci * D + di] = (start - base) / unit;
    });
  });

  const roomsOf = inst.classes.map((c) => {
    const fit = inst.rooms
      .map((r, ri) => ({ r, ri }))
      .filter(({ r }) => r.capacity >= c.size && c.roomFeatures.every((f) => r.features.includes(f)));
    // best fit: fewest features the class does not need, then the smallest room
    fit.sort((x, y) => x.r.features.length - y.r.features.length || x.r.capacity - y.r.capacity || x.ri - y.ri);
    return Int32Array.from(fit.map((x) => x.ri));
  });
  const staffOf = inst.classes.map((c) => {
    if (c.staff != null) return Int32Array.of(staffIndex.get(c.staff) ?? -1).filter((p) => p >= 0);
    const list: number[] = [];
    inst.staff.forEach((s, p) => {
      if (s.skills.includes(c.skill)) list.push(p);
    });
    return Int32Array.from(list);
  });

  const classIndex = new Map(inst.classes.map((c, i) => [c.id, i]));
  const adjacent: Set<number>[] = inst.classes.map(() => new Set());
  for (const st of inst.students ?? []) {
    const cs = [...new Set(st.classes.map((id) => classIndex.get(id) ?? -1))].filter((i) => i >= 0);
    for (const a of cs) for (const b of cs) if (a !== b) adjacent[a]?.add(b);
  }

  const candidates = inst.classes.map((c, ci) => {
    const list: number[] = [];
    const len = length[ci] as number;
    const staff = staffOf[ci] as Int32Array;
    for (let di = 0; di < D; di++) {
      const first = firstStart[ci * D + di] as number;
      if (first < 0) continue;
      for (let t = first; t + len <= slots; t += gridSlots) {
        const end = base + (t + len) * unit;
        let someone = false;
        for (const p of staff) if ((availEnd[(p * D + di) * slots + t] as number) >= end) someone = true;
        if (someone) list.push(di * slots + t);
      }
    }
    return Int32Array.from(list);
  });

  const sessionsOf = Int32Array.from(inst.classes.map((c) => c.sessions));
  const firstSession = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) firstSession[c + 1] = (firstSession[c] as number) + (sessionsOf[c] as number);
  const nSessions = firstSession[C] as number;
  const classOf = new Int32Array(nSessions);
  for (let c = 0; c < C; c++) classOf.fill(c, firstSession[c], firstSession[c + 1]);

  return {
    inst,
    days,
    weekNo: Int32Array.from(days.map((d) => dayNumber(d) ?? 0)),
    unit,
    base,
    slots,
    gridSlots,
    roomIds: inst.rooms.map((r) => r.id),
    roomCapacity: Float64Array.from(inst.rooms.map((r) => r.capacity)),
    staffIds: inst.staff.map((s) => s.id),
    staffKind: Int32Array.from(inst.staff.map((s) => KIND[s.kind])),
    staffMax: Float64Array.from(inst.staff.map((s) => s.maxMinutesPerWeek)),
    availEnd,
    classIds: inst.classes.map((c) => c.id),
    sessionsOf,
    minutes: Int32Array.from(inst.classes.map((c) => c.minutes)),
    length,
    firstStart,
    roomsOf,
    staffOf,
    neighbours: adjacent.map((s) => Int32Array.from([...s].sort((a, b) => a - b))),
    candidates,
    dayIndex: new Map(days.map((d, i) => [d, i])),
    roomIndex,
    staffIndex,
    classIndex,
    firstSession,
    classOf,
    nSessions,
  };
}

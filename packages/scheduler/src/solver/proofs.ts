import type { ClassSpec } from '../schema';
import { parseHHMM } from '../time';
import type { SolverModel } from './model';

// Necessary conditions: each one, when it fails, proves that no timetable exists and
// names the culprit. They run before the search, in this order, and are cheap.

export type CulpritKind = 'class' | 'skill' | 'room' | 'staff' | 'grade' | 'student' | 'locked';
export interface Culprit {
  kind: CulpritKind;
  id: string;
}
export interface Infeasible {
  reason: string;
  culprit: Culprit;
}

type Proof = (m: SolverModel) => Infeasible | null;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const list = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');

/** A class needs its skill: somebody on the staff must have it. */
export const skillExists: Proof = (m) => {
  const skills = new Set(m.inst.staff.flatMap((s) => s.skills));
  const c = m.inst.classes.find((x) => x.staff == null && !skills.has(x.skill));
  return c ? { reason: `class ${c.id} needs skill '${c.skill}' that no staff member has`, culprit: { kind: 'skill', id: c.skill } } : null;
};

/** A class's fixed staff member must have the class's skill. */
export const fixedStaffHasSkill: Proof = (m) => {
  for (const c of m.inst.classes) {
    if (c.staff == null) continue;
    const st = m.inst.staff[m.staffIndex.get(c.staff) ?? -1];
    if (st && !st.skills.includes(c.skill)) {
      return { reason: `class ${c.id} must be taken by ${st.id}, who lacks skill '${c.skill}'`, culprit: { kind: 'staff', id: st.id } };
    }
  }
  return null;
};

/** Some room must have every feature a class needs. */
export const roomWithFeaturesExists: Proof = (m) => {
  const c = m.inst.classes.find((x) => !m.inst.rooms.some((r) => x.roomFeatures.every((f) => r.features.includes(f))));
  return c ? { reason: `class ${c.id} needs a room with ${list(c.roomFeatures)} and no room has all of them`, culprit: { kind: 'class', id: c.id } } : null;
};

/** Some room with those features must hold the whole class. */
export const roomBigEnough: Proof = (m) => {
  for (const c of m.inst.classes) {
    const fitting = m.inst.rooms.filter((r) => c.roomFeatures.every((f) => r.features.includes(f)));
    if (!fitting.length || fitting.some((r) => r.capacity >= c.size)) continue;
    const largest = fitting.reduce((a, b) => (b.capacity > a.capacity ? b : a));
    const what = c.roomFeatures.length ? `with ${list(c.roomFeatures)}` : '';
    return {
      reason: `class ${c.id} has ${c.size} students but the largest room ${what}${what ? ' ' : ''}(${largest.id}) holds ${largest.capacity}`,
      culprit: { kind: 'room', id: largest.id },
    };
  }
  return null;
};

/** A class meeting k times needs k days on which its grades' earliest start leaves its minutes before dayEnd. */
export const enoughDays: Proof = (m) => {
  const D = m.days.length;
  for (let c = 0; c < m.classIds.length; c++) {
    const cls = m.inst.classes[c] as ClassSpec;
    let open = 0;
    for (let d = 0; d < D; d++) if ((m.firstStart[c * D + d] as number) >= 0) open++;
    if (open >= cls.sessions) continue;
    const needs = `class ${cls.id} meets ${plural(cls.sessions, 'time')} a week for ${cls.minutes} min`;
    for (const g of new Set(cls.grades)) {
      const n = daysForGrade(m, g, cls.minutes);
      if (n < cls.sessions) {
        return { reason: `${needs}, but grade ${g}'s earliest starts leave that long before ${m.inst.dayEnd} on only ${plural(n, 'day')}`, culprit: { kind: 'grade', id: g } };
      }
    }
    return { reason: `${needs}, but its grades' earliest starts together leave that long before ${m.inst.dayEnd} on only ${plural(open, 'day')}`, culprit: { kind: 'class', id: cls.id } };
  }
  return null;
};

/** Days on which grade g alone leaves `minutes` between its earliest start (on the grid) and dayEnd. */
function daysForGrade(m: SolverModel, gradeId: string, minutes: number): number {
  const g = m.inst.grades.find((x) => x.id === gradeId);
  const grid = m.inst.granularity;
  const dayEnd = parseHHMM(m.inst.dayEnd) ?? 0;
  return m.days.filter((d) => {
    const e = parseHHMM(g?.earliestStart[d]);
    return e !== null && Math.ceil(e / grid) * grid + minutes <= dayEnd;
  }).length;
}

/** A class meeting k times needs k days on which one of its possible staff is available for a whole session. */
export const enoughStaffedDays: Proof = (m) => {
  for (let c = 0; c < m.classIds.length; c++) {
    const cls = m.inst.classes[c] as ClassSpec;
    const days = new Set<number>();
    for (const cand of m.candidates[c] as Int32Array) days.add((cand / m.slots) | 0);
    if (days.size >= cls.sessions) continue;
    const when = `for ${cls.minutes} min between its earliest start and ${m.inst.dayEnd}`;
    if (cls.staff != null) {
      return {
        reason: `class ${cls.id} meets ${plural(cls.sessions, 'time')} a week but its staff member ${cls.staff} is available ${when} on only ${plural(days.size, 'day')}`,
        culprit: { kind: 'staff', id: cls.staff },
      };
    }
    return {
      reason: `class ${cls.id} meets ${plural(cls.sessions, 'time')} a week but staff with skill '${cls.skill}' are available ${when} on only ${plural(days.size, 'day')}`,
      culprit: { kind: 'skill', id: cls.skill },
    };
  }
  return null;
};

/** Minutes each staff member could work: inside their availability, after the earliest club start, before dayEnd. */
function usableMinutes(m: SolverModel): Float64Array {
  const D = m.days.length;
  const S = m.slots;
  const out = new Float64Array(m.staffIds.length);
  for (let p = 0; p < m.staffIds.length; p++) {
    let total = 0;
    for (let d = 0; d < D; d++) for (let t = 0; t < S; t++) if ((m.availEnd[(p * D + d) * S + t] as number) >= m.base + (t + 1) * m.unit) total += m.unit;
    out[p] = Math.min(total, m.staffMax[p] as number);
  }
  return out;
}

/** The classes fixed to one staff member must fit in that member's weekly maximum and available time. */
export const fixedStaffHasTime: Proof = (m) => {
  const need = new Float64Array(m.staffIds.length);
  for (const c of m.inst.classes) {
    const p = c.staff == null ? undefined : m.staffIndex.get(c.staff);
    if (p !== undefined) need[p] = (need[p] as number) + c.sessions * c.minutes;
  }
  const usable = usableMinutes(m);
  for (let p = 0; p < m.staffIds.length; p++) {
    const n = need[p] as number;
    if (n === 0 || n <= (usable[p] as number)) continue;
    const id = m.staffIds[p] as string;
    const max = m.staffMax[p] as number;
    const why = n > max ? `maxMinutesPerWeek is ${max}` : `they are available for only ${usable[p]} min before ${m.inst.dayEnd}`;
    return { reason: `staff ${id} must take ${n} min a week of fixed classes but ${why}`, culprit: { kind: 'staff', id } };
  }
  return null;
};

/** The minutes of all classes needing a skill must fit in the time of the staff who have it. */
export const skillHasTime: Proof = (m) => {
  const usable = usableMinutes(m);
  const need = new Map<string, number>();
  for (const c of m.inst.classes) need.set(c.skill, (need.get(c.skill) ?? 0) + c.sessions * c.minutes);
  for (const [skill, n] of need) {
    let supply = 0;
    m.inst.staff.forEach((s, p) => {
      if (s.skills.includes(skill)) supply += usable[p] as number;
    });
    if (n > supply) {
      return {
        reason: `classes needing skill '${skill}' take ${n} min a week but the staff who have it can work only ${supply} min (weekly maxima and availability before ${m.inst.dayEnd})`,
        culprit: { kind: 'skill', id: skill },
      };
    }
  }
  return null;
};

/** The minutes of the classes that only fit a set of rooms must fit in those rooms' week before dayEnd. */
export const roomsHaveTime: Proof = (m) => {
  const D = m.days.length;
  const groups = new Map<string, number[]>();
  m.roomsOf.forEach((rooms, c) => {
    const key = rooms.join(',');
    groups.get(key)?.push(c) ?? groups.set(key, [c]);
  });
  for (const [key, owners] of groups) {
    const rooms = key ? key.split(',').map(Number) : [];
    if (!rooms.length) continue;
    const inside = new Set(rooms);
    // every class whose rooms all lie in this set competes for it
    const users: number[] = [];
    m.roomsOf.forEach((rs, c) => {
      if (rs.length && rs.every((r) => inside.has(r))) users.push(c);
    });
    let need = 0;
    const earliest = new Int32Array(D).fill(m.slots);
    for (const c of users) {
      need += (m.sessionsOf[c] as number) * (m.minutes[c] as number);
      for (let d = 0; d < D; d++) {
        const f = m.firstStart[c * D + d] as number;
        if (f >= 0 && f < (earliest[d] as number)) earliest[d] = f;
      }
    }
    let perRoom = 0;
    for (let d = 0; d < D; d++) perRoom += (m.slots - (earliest[d] as number)) * m.unit;
    const supply = perRoom * rooms.length;
    if (need > supply) {
      const ids = rooms.map((r) => m.roomIds[r] as string);
      const cls = m.inst.classes[owners[0] as number] as ClassSpec;
      return {
        reason: `classes that fit only in ${ids.length > 3 ? `${ids.slice(0, 3).join(', ')} … (${ids.length} rooms)` : ids.join(', ')} (like ${cls.id}) need ${need} min a week, but those rooms offer only ${supply} min before ${m.inst.dayEnd}`,
        culprit: { kind: 'room', id: ids[0] as string },
      };
    }
  }
  return null;
};

/** Each student's classes must fit into the week without overlapping (searched exactly, with a small budget). */
export const studentsFit: Proof = (m) => {
  const seen = new Set<string>();
  for (const st of m.inst.students ?? []) {
    const cs = [...new Set(st.classes.map((id) => m.classIndex.get(id) ?? -1))].filter((c) => c >= 0).sort((a, b) => a - b);
    if (cs.length < 2) continue;
    const key = cs.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    if (packStudent(m, cs) === false) {
      const names = cs.map((c) => m.classIds[c] as string).join(', ');
      return { reason: `student ${st.id} takes ${names}, which cannot all meet without overlapping before ${m.inst.dayEnd}`, culprit: { kind: 'student', id: st.id } };
    }
  }
  return null;
};

/** true: the classes fit; false: proved they do not; null: budget exhausted. */
function packStudent(m: SolverModel, classes: readonly number[]): boolean | null {
  const S = m.slots;
  const sessions: number[] = [];
  for (const c of [...classes].sort((a, b) => (m.candidates[a] as Int32Array).length - (m.candidates[b] as Int32Array).length)) {
    for (let j = 0; j < (m.sessionsOf[c] as number); j++) sessions.push(c);
  }
  const placed: { c: number; d: number; t: number }[] = [];
  let budget = 20_000;
  const go = (i: number): boolean | null => {
    if (i === sessions.length) return true;
    if (--budget < 0) return null;
    const c = sessions[i] as number;
    const len = m.length[c] as number;
    // sessions of one class take increasing candidates, so they are not tried in every order
    const after = i > 0 && sessions[i - 1] === c ? (placed[i - 1] as { t: number; d: number }).d * S + (placed[i - 1] as { t: number }).t : -1;
    for (const cand of m.candidates[c] as Int32Array) {
      if (cand <= after) continue;
      const d = (cand / S) | 0;
      const t = cand - d * S;
      let ok = true;
      for (const q of placed) {
        if (q.d !== d) continue;
        if (q.c === c || (q.t < t + len && t < q.t + (m.length[q.c] as number))) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      placed.push({ c, d, t });
      const r = go(i + 1);
      placed.pop();
      if (r !== false) return r;
    }
    return false;
  };
  return go(0);
}

export const PROOFS: readonly Proof[] = [
  skillExists,
  fixedStaffHasSkill,
  roomWithFeaturesExists,
  roomBigEnough,
  enoughDays,
  enoughStaffedDays,
  fixedStaffHasTime,
  skillHasTime,
  roomsHaveTime,
  studentsFit,
];

/** The first necessary condition that fails, or null. */
export function proveInfeasible(m: SolverModel): Infeasible | null {
  for (const proof of PROOFS) {
    const found = proof(m);
    if (found) return found;
  }
  return null;
}

import { KIND } from './model';
import { State } from './state';

// Soft goals 2–4, with every session's day and start fixed (goal 1, no class on two
// consecutive days, is settled before): balanced teacher load, one room and one staff member
// per class all week, teachers before volunteers and externals. Only rooms and staff change,
// and a change is kept only when it is better in that order of priority.

interface Score {
  spread: number;
  /** teachers at the highest or the lowest load (fewer: closer to a smaller spread) */
  extremes: number;
  /** per class, rooms and staff members beyond the first */
  changes: number;
  /** sessions taken by volunteers or externals where a teacher has the skill */
  notTeacher: number;
}

const better = (a: Score, b: Score): boolean =>
  a.spread !== b.spread
    ? a.spread < b.spread
    : a.extremes !== b.extremes
      ? a.extremes < b.extremes
      : a.changes !== b.changes
        ? a.changes < b.changes
        : a.notTeacher < b.notTeacher;

export class Balancer {
  private readonly s: State;
  private readonly pinned: Uint8Array;
  /** teacher load → how many teachers who take sessions have it */
  private readonly loads = new Map<number, number>();
  private readonly teacherCan: Uint8Array;
  private changes = 0;
  private notTeacher = 0;

  constructor(state: State, pinned: Uint8Array) {
    this.s = state;
    this.pinned = pinned;
    const m = state.m;
    this.teacherCan = Uint8Array.from(m.staffOf, (list) => (list.some((p) => m.staffKind[p] === KIND.teacher) ? 1 : 0));
    for (let p = 0; p < m.staffIds.length; p++) if (this.isTeacher(p) && (state.load[p] as number) > 0) this.count(state.load[p] as number, 1);
    for (let c = 0; c < m.classIds.length; c++) this.changes += this.classChanges(c);
    for (let x = 0; x < m.nSessions; x++) if (this.countsAsNotTeacher(x, state.staff[x] as number)) this.notTeacher++;
  }

  run(rounds = 20): void {
    for (let i = 0; i < rounds; i++) {
      const moved = this.balanceLoad() + this.oneStaffPerClass() + this.oneRoomPerClass();
      if (!moved) break;
    }
  }

  score(): Score {
    const [hi, lo] = this.extremeLoads();
    if (hi === -Infinity) return { spread: 0, extremes: 0, changes: this.changes, notTeacher: this.notTeacher };
    const extremes = (this.loads.get(hi) ?? 0) + (hi === lo ? 0 : (this.loads.get(lo) ?? 0));
    return { spread: hi - lo, extremes, changes: this.changes, notTeacher: this.notTeacher };
  }

  private extremeLoads(): [number, number] {
    let hi = -Infinity;
    let lo = Infinity;
    for (const load of this.loads.keys()) {
      hi = Math.max(hi, load);
      lo = Math.min(lo, load);
    }
    return [hi, lo];
  }

  private isTeacher(p: number): boolean {
    return this.s.m.staffKind[p] === KIND.teacher;
  }

  private count(load: number, delta: number): void {
    const n = (this.loads.get(load) ?? 0) + delta;
    if (n === 0) this.loads.delete(load);
    else this.loads.set(load, n);
  }

  private countsAsNotTeacher(x: number, p: number): boolean {
    return !this.isTeacher(p) && this.teacherCan[this.s.m.classOf[x] as number] === 1;
  }

  private classChanges(c: number): number {
    const s = this.s;
    const m = s.m;
    const rooms = new Set<number>();
    const staff = new Set<number>();
    for (let x = m.firstSession[c] as number; x < (m.firstSession[c + 1] as number); x++) {
      rooms.add(s.room[x] as number);
      staff.add(s.staff[x] as number);
    }
    return rooms.size - 1 + (staff.size - 1);
  }

  /** true when q may take session x where it stands: skill, availability, free (and, with checkLoad, within the week's maximum). */
  private canTake(x: number, q: number, checkLoad = true): boolean {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const d = s.day[x] as number;
    const t = s.start[x] as number;
    const len = m.length[c] as number;
    if (!(m.staffOf[c] as Int32Array).includes(q)) return false;
    if ((m.availEnd[(q * D + d) * S + t] as number) < m.base + (t + len) * m.unit) return false;
    if (checkLoad && s.staff[x] !== q && (s.load[q] as number) + (m.minutes[c] as number) > (m.staffMax[q] as number)) return false;
    const at = (q * D + d) * S + t;
    for (let k = at; k < at + len; k++) {
      const y = s.staffAt[k] as number;
      if (y >= 0 && y !== x) return false;
    }
    return true;
  }

  /** Gives session x to staff member q, keeping the score's counters up to date. */
  private setStaff(x: number, q: number): void {
    const s = this.s;
    const c = s.m.classOf[x] as number;
    const p = s.staff[x] as number;
    if (p === q) return;
    const minutes = s.m.minutes[c] as number;
    this.changes -= this.classChanges(c);
    if (this.countsAsNotTeacher(x, p)) this.notTeacher--;
    if (this.isTeacher(p)) {
      this.count(s.load[p] as number, -1);
      if ((s.load[p] as number) - minutes > 0) this.count((s.load[p] as number) - minutes, 1);
    }
    if (this.isTeacher(q)) {
      if ((s.load[q] as number) > 0) this.count(s.load[q] as number, -1);
      this.count((s.load[q] as number) + minutes, 1);
    }
    const { day, start, room } = s;
    const d = day[x] as number;
    const t = start[x] as number;
    const r = room[x] as number;
    s.unassign(x);
    s.assign(x, d, t, r, q);
    this.changes += this.classChanges(c);
    if (this.countsAsNotTeacher(x, q)) this.notTeacher++;
  }

  /** Tries giving x to q; keeps it when the score improves. */
  private tryStaff(x: number, q: number): boolean {
    const p = this.s.staff[x] as number;
    if (q === p || !this.canTake(x, q)) return false;
    const before = this.score();
    this.setStaff(x, q);
    if (better(this.score(), before)) return true;
    this.setStaff(x, p);
    return false;
  }

  /** Goal 2: single sessions change hands when that narrows the teachers' load spread. */
  private balanceLoad(): number {
    const s = this.s;
    const m = s.m;
    let moved = 0;
    for (let x = 0; x < m.nSessions; x++) {
      if (this.pinned[x] || s.frozen[x]) continue;
      const { spread } = this.score();
      if (spread === 0) break;
      const [hi, lo] = this.extremeLoads();
      const extreme = (p: number): boolean => this.isTeacher(p) && ((s.load[p] as number) === hi || (s.load[p] as number) === lo);
      const staff = m.staffOf[m.classOf[x] as number] as Int32Array;
      if (!extreme(s.staff[x] as number) && !staff.some(extreme)) continue;
      for (const q of staff) {
        if (this.tryStaff(x, q)) {
          moved++;
          break;
        }
      }
    }
    return moved;
  }

  /** Goal 3: a class's sessions all go to one staff member when that does not hurt the load balance. */
  private oneStaffPerClass(): number {
    const s = this.s;
    const m = s.m;
    let moved = 0;
    for (let c = 0; c < m.classIds.length; c++) {
      const first = m.firstSession[c] as number;
      const last = m.firstSession[c + 1] as number;
      if (last - first < 2) continue;
      const own = new Set<number>();
      for (let x = first; x < last; x++) own.add(s.staff[x] as number);
      if (own.size < 2 && (this.teacherCan[c] === 0 || this.isTeacher([...own][0] as number))) continue;
      for (const q of [...own, ...(m.staffOf[c] as Int32Array)]) {
        const extra = this.minutesNotWith(first, last, q);
        if ((s.load[q] as number) + extra > (m.staffMax[q] as number)) continue;
        if (this.moveClass(c, first, last, (x) => this.canTake(x, q, false), (x) => this.setStaff(x, q))) {
          moved++;
          break;
        }
      }
    }
    return moved;
  }

  /** Minutes of sessions first … last - 1 that q does not take yet. */
  private minutesNotWith(first: number, last: number, q: number): number {
    const s = this.s;
    let n = 0;
    for (let x = first; x < last; x++) if (s.staff[x] !== q) n += s.m.minutes[s.m.classOf[x] as number] as number;
    return n;
  }

  /** Goal 3: a class's sessions all go to one room where that room is free at all their times. */
  private oneRoomPerClass(): number {
    const s = this.s;
    const m = s.m;
    const D = m.days.length;
    const S = m.slots;
    let moved = 0;
    for (let c = 0; c < m.classIds.length; c++) {
      const first = m.firstSession[c] as number;
      const last = m.firstSession[c + 1] as number;
      const own = new Set<number>();
      for (let x = first; x < last; x++) own.add(s.room[x] as number);
      if (own.size < 2) continue;
      const len = m.length[c] as number;
      const freeFor = (x: number, r: number): boolean => {
        const at = (r * D + (s.day[x] as number)) * S + (s.start[x] as number);
        for (let k = at; k < at + len; k++) {
          const y = s.roomAt[k] as number;
          if (y >= 0 && y !== x) return false;
        }
        return true;
      };
      const setRoom = (x: number, r: number): void => {
        const [d, t, p] = [s.day[x] as number, s.start[x] as number, s.staff[x] as number];
        this.changes -= this.classChanges(c);
        s.unassign(x);
        s.assign(x, d, t, r, p);
        this.changes += this.classChanges(c);
      };
      for (const r of [...own, ...(m.roomsOf[c] as Int32Array)]) {
        if (this.moveClass(c, first, last, (x) => freeFor(x, r), (x) => setRoom(x, r))) {
          moved++;
          break;
        }
      }
    }
    return moved;
  }

  /** Applies `set` to every unpinned session of the class when `ok` holds for each; keeps it if the score improves. */
  private moveClass(c: number, first: number, last: number, ok: (x: number) => boolean, set: (x: number) => void): boolean {
    const s = this.s;
    for (let x = first; x < last; x++) if (this.pinned[x] || s.frozen[x] || !ok(x)) return false;
    const before = this.score();
    const undo: (readonly [number, number, number])[] = [];
    for (let x = first; x < last; x++) {
      undo.push([x, s.room[x] as number, s.staff[x] as number]);
      set(x);
    }
    if (better(this.score(), before)) return true;
    for (const [x, r, p] of undo.reverse()) {
      if (s.staff[x] !== p) this.setStaff(x, p);
      if (s.room[x] !== r) {
        const [d, t, q] = [s.day[x] as number, s.start[x] as number, s.staff[x] as number];
        this.changes -= this.classChanges(c);
        s.unassign(x);
        s.assign(x, d, t, r, q);
        this.changes += this.classChanges(c);
      }
    }
    return false;
  }
}


import type { SolverModel } from './model';

/**
 * A partial timetable with occupancy grids, kept consistent: no two assigned sessions
 * share a room, a staff member or a student at once, a class meets at most once a day,
 * and nobody works past their weekly maximum. Each grid cell holds the session there or -1.
 */
export class State {
  readonly m: SolverModel;
  readonly day: Int32Array;
  readonly start: Int32Array;
  readonly room: Int32Array;
  readonly staff: Int32Array;
  /** locked sessions: never moved, never ejected */
  readonly frozen: Uint8Array;
  /** [(room·days + d)·slots + t] → session or -1 */
  readonly roomAt: Int32Array;
  /** [(staff·days + d)·slots + t] → session or -1 */
  readonly staffAt: Int32Array;
  /** [(class·days + d)·slots + t] → sessions of classes sharing a student with the class, running then */
  readonly blocked: Uint16Array | null;
  /** [class·days + d] → the class's session that day, or -1 */
  readonly classDay: Int32Array;
  /** weekly minutes of each staff member */
  readonly load: Float64Array;
  assigned = 0;

  constructor(m: SolverModel) {
    this.m = m;
    const D = m.days.length;
    const S = m.slots;
    this.day = new Int32Array(m.nSessions).fill(-1);
    this.start = new Int32Array(m.nSessions).fill(-1);
    this.room = new Int32Array(m.nSessions).fill(-1);
    this.staff = new Int32Array(m.nSessions).fill(-1);
    this.frozen = new Uint8Array(m.nSessions);
    this.roomAt = new Int32Array(m.roomIds.length * D * S).fill(-1);
    this.staffAt = new Int32Array(m.staffIds.length * D * S).fill(-1);
    this.blocked = m.neighbours.some((n) => n.length > 0) ? new Uint16Array(m.classIds.length * D * S) : null;
    this.classDay = new Int32Array(m.classIds.length * D).fill(-1);
    this.load = new Float64Array(m.staffIds.length);
  }

  isAssigned(x: number): boolean {
    return (this.day[x] as number) >= 0;
  }

  assign(x: number, d: number, t: number, r: number, p: number): void {
    const m = this.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const len = m.length[c] as number;
    this.day[x] = d;
    this.start[x] = t;
    this.room[x] = r;
    this.staff[x] = p;
    this.roomAt.fill(x, (r * D + d) * S + t, (r * D + d) * S + t + len);
    this.staffAt.fill(x, (p * D + d) * S + t, (p * D + d) * S + t + len);
    this.classDay[c * D + d] = x;
    this.load[p] = (this.load[p] as number) + (m.minutes[c] as number);
    if (this.blocked) this.block(c, d, t, len, 1);
    this.assigned++;
  }

  unassign(x: number): void {
    const m = this.m;
    const D = m.days.length;
    const S = m.slots;
    const c = m.classOf[x] as number;
    const len = m.length[c] as number;
    const d = this.day[x] as number;
    const t = this.start[x] as number;
    const r = this.room[x] as number;
    const p = this.staff[x] as number;
    this.roomAt.fill(-1, (r * D + d) * S + t, (r * D + d) * S + t + len);
    this.staffAt.fill(-1, (p * D + d) * S + t, (p * D + d) * S + t + len);
    this.classDay[c * D + d] = -1;
    this.load[p] = (this.load[p] as number) - (m.minutes[c] as number);
    if (this.blocked) this.block(c, d, t, len, -1);
    this.day[x] = -1;
    this.start[x] = -1;
    this.room[x] = -1;
    this.staff[x] = -1;
    this.assigned--;
  }

  private block(c: number, d: number, t: number, len: number, delta: number): void {
    const blocked = this.blocked as Uint16Array;
    const D = this.m.days.length;
    const S = this.m.slots;
    for (const n of this.m.neighbours[c] as Int32Array) {
      const at = (n * D + d) * S + t;
      for (let k = at; k < at + len; k++) blocked[k] = (blocked[k] as number) + delta;
    }
  }

  /** true when cells [at, at + len) of a grid are all free */
  static free(grid: Int32Array, at: number, len: number): boolean {
    for (let k = at; k < at + len; k++) if ((grid[k] as number) >= 0) return false;
    return true;
  }

  /** true when no session of a class sharing a student with c runs in slots [t, t + len) of day d */
  studentsFree(c: number, d: number, t: number, len: number): boolean {
    const blocked = this.blocked;
    if (!blocked) return true;
    const at = (c * this.m.days.length + d) * this.m.slots + t;
    for (let k = at; k < at + len; k++) if ((blocked[k] as number) > 0) return false;
    return true;
  }

  /** the sessions of classes sharing a student with c that overlap slots [t, t + len) of day d */
  studentClashes(c: number, d: number, t: number, len: number, out: number[]): void {
    const m = this.m;
    for (const n of m.neighbours[c] as Int32Array) {
      const x = this.classDay[n * m.days.length + d] as number;
      if (x < 0) continue;
      const s = this.start[x] as number;
      if (s < t + len && t < s + (m.length[n] as number)) out.push(x);
    }
  }
}

import { Random } from '../random';
import type { ClassSpec, Day, Instance, Session, StaffKind } from '../schema';
import { formatHHMM, WEEK } from '../time';
import { CLUBS, ROOMS, TIERS, roomKindFor, type ClubKind, type RoomKind } from './catalog';

// A school's week, generated: grades with their dismissal and homework-help times, clubs
// split into tiered classes, rooms, teachers, volunteers and externals, and optionally the
// students with their 1–3 classes. Feasible by construction: a timetable is planted first
// (rooms and outside staff are added as the planting needs them), students join classes
// that do not clash in it, and only then are availability, weekly maxima, skills and spare
// rooms drawn around it — more loosely the lower `tight` is. The planted timetable is
// returned too, so tests can check the checker on a known-good answer.

export interface GenerateOptions {
  seed?: number;
  /** students in the school; sets the number of classes, teachers and rooms */
  students?: number;
  /** clubs on the menu (beyond the catalogue's, kinds repeat as "choir-2" …) */
  clubs?: number;
  /** tiers per club, 1 … 5 (basic, advanced, team …) */
  tiers?: number;
  /** every class gets `staff`: the member who teaches it in the planted timetable */
  fixedStaff?: boolean;
  /** list students, each in 1–3 classes of their grade that do not clash in the plant */
  withStudents?: boolean;
  /** 0 … 1: near 1 few spare rooms, staff, hours and minutes (hard); near 0 plenty */
  tight?: number;
  days?: readonly Day[];
  /** primary (grades 1–6, clubs from about 16:00) or junior (grades 7–9, clubs from 17:00) */
  school?: 'primary' | 'junior';
}

export interface GeneratedSchool {
  instance: Instance;
  planted: Session[];
}

const DAY_END = 18 * 60;
const GRID = 5;
const WEEKDAYS: readonly Day[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
const LOAD_CAP: Readonly<Record<StaffKind, number>> = { teacher: 240, volunteer: 240, external: 360 };
const PER_DAY = 2; // planted sessions per staff member and day
const LENGTHS = [45, 60, 90] as const;

interface Grade {
  id: string;
  band: number;
  earliest: Map<Day, number>;
}
interface Klass {
  id: string;
  club: ClubKind;
  clubId: string;
  tier: string;
  grades: string[];
  band: number;
  size: number;
  sessions: number;
  minutes: number;
  roomKind: RoomKind;
  /** earliest start per day the class can meet (all its grades have clubs, and it ends by 18:00) */
  from: Map<Day, number>;
}
interface Room {
  kind: RoomKind;
  capacity: number;
  busy: Map<Day, [number, number][]>;
}
interface Person {
  kind: StaffKind;
  skills: Set<string>;
  windows: Map<Day, [number, number][]>;
  busy: Map<Day, [number, number][]>;
  load: number;
  taught: Set<string>;
}
interface Planted {
  klass: Klass;
  day: Day;
  start: number;
  room: Room;
  staff: Person;
}

const ceilGrid = (x: number): number => Math.ceil(x / GRID) * GRID;
const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
const free = (list: readonly [number, number][] | undefined, s: number, e: number): boolean => !list?.some(([a, b]) => a < e && s < b);
const inside = (list: readonly [number, number][] | undefined, s: number, e: number): boolean => !!list?.some(([a, b]) => a <= s && e <= b);
const book = (map: Map<Day, [number, number][]>, d: Day, s: number, e: number): void => {
  const list = map.get(d);
  if (list) list.push([s, e]);
  else map.set(d, [[s, e]]);
};

function weighted(rng: Random, weights: readonly number[]): number {
  let sum = 0;
  for (const w of weights) sum += w;
  let x = rng.next() * sum;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

export function generateInstance(options: GenerateOptions = {}): Instance {
  return generateSchool(options).instance;
}

export function generateSchool(options: GenerateOptions = {}): GeneratedSchool {
  const o = {
    seed: options.seed ?? 1,
    students: Math.max(1, Math.round(options.students ?? 2000)),
    clubs: Math.max(1, Math.round(options.clubs ?? 45)),
    tiers: clamp(Math.round(options.tiers ?? 2), 1, TIERS.length),
    fixedStaff: options.fixedStaff ?? false,
    withStudents: options.withStudents ?? false,
    tight: clamp(options.tight ?? 0.5, 0, 1),
    days: [...new Set(options.days ?? WEEKDAYS)].sort((a, b) => WEEK.indexOf(a) - WEEK.indexOf(b)),
    school: options.school ?? 'primary',
  };
  const root = new Random(o.seed);
  const grades = buildGrades(root.fork('grades'), o.days, o.school);
  const population = buildPopulation(root.fork('population'), grades, o.students);
  const classes = buildClasses(root.fork('classes'), grades, population, o.clubs, o.tiers, o.days);
  const teachers = buildTeachers(root.fork('teachers'), grades, classes, o.students, o.days, o.school);
  const plant = new Planter(root.fork('plant'), grades, o.days, o.tight, teachers);
  for (const k of hardestFirst(classes)) plant.place(k);
  let sessions = plant.sessions;
  let kept = classes;
  let students: { id: string; classes: string[] }[] | undefined;
  if (o.withStudents) {
    const joined = joinClasses(root.fork('students'), grades, population, classes, sessions);
    kept = classes.filter((k) => (joined.count.get(k) ?? 0) > 0);
    for (const k of kept) k.size = joined.count.get(k) ?? 0;
    sessions = sessions.filter((s) => kept.includes(s.klass));
    students = joined.students;
  }
  return describe(root.fork('derive'), o, grades, kept, sessions, plant, students);
}

// ---------------------------------------------------------------- grades

function buildGrades(rng: Random, days: readonly Day[], school: 'primary' | 'junior'): Grade[] {
  const grades: Grade[] = [];
  if (school === 'junior') {
    const longerNine = rng.chance(0.5); // grade 9 (exam year) has one more period MON–THU
    ['g7', 'g8', 'g9'].forEach((id, band) => {
      const earliest = new Map<Day, number>();
      for (const d of days) {
        if (!WEEKDAYS.includes(d)) earliest.set(d, 14 * 60);
        else earliest.set(d, id === 'g9' && longerNine && d !== 'FRI' ? 17 * 60 + 10 : 17 * 60);
      }
      grades.push({ id, band, earliest });
    });
    return grades;
  }
  const shift = rng.pick([-10, 0, 0, 10]);
  const homework = rng.pick([30, 35, 40]); // 作业辅导 after the last lesson
  const research = rng.chance(0.5) ? rng.pick(WEEKDAYS.filter((d) => days.includes(d))) : undefined; // 教研 afternoon: lessons end early
  const dismissal = [15 * 60 + 30, 15 * 60 + 50, 16 * 60 + 10];
  ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'].forEach((id, i) => {
    const band = Math.floor(i / 2);
    const earliest = new Map<Day, number>();
    for (const d of days) {
      if (!WEEKDAYS.includes(d)) earliest.set(d, 14 * 60);
      else earliest.set(d, (dismissal[band] as number) + shift + homework - (d === research ? 60 : 0));
    }
    grades.push({ id, band, earliest });
  });
  for (const g of grades) {
    if (!rng.chance(0.15)) continue; // one more lesson on one day
    const d = rng.pick(days);
    const e = g.earliest.get(d);
    if (e !== undefined && e + 10 + 45 <= DAY_END) g.earliest.set(d, e + 10);
  }
  if (rng.chance(0.25)) {
    const g = rng.pick(grades.filter((x) => x.band === 2)); // class meeting: no clubs that day
    if (g.earliest.size >= 3) g.earliest.delete(rng.pick([...g.earliest.keys()]));
  }
  return grades;
}

// ---------------------------------------------------------------- students and classes

interface Pupil {
  grade: number;
  wants: number;
}

function buildPopulation(rng: Random, grades: readonly Grade[], students: number): Pupil[] {
  const weights = grades.map(() => 0.9 + 0.2 * rng.next());
  const total = weights.reduce((a, b) => a + b, 0);
  const pupils: Pupil[] = [];
  grades.forEach((_, gi) => {
    const n = Math.round((students * (weights[gi] as number)) / total);
    for (let i = 0; i < n; i++) {
      if (!rng.chance(0.95)) continue; // opt-out: about 5 % go home at dismissal
      pupils.push({ grade: gi, wants: 1 + weighted(rng, [0.3, 0.45, 0.25]) });
    }
  });
  return pupils;
}

function buildClasses(
  rng: Random,
  grades: readonly Grade[],
  pupils: readonly Pupil[],
  clubs: number,
  tiers: number,
  days: readonly Day[],
): Klass[] {
  const bands = Math.max(...grades.map((g) => g.band)) + 1;
  const demand = new Array<number>(bands).fill(0);
  for (const p of pupils) demand[(grades[p.grade] as Grade).band] = (demand[(grades[p.grade] as Grade).band] as number) + p.wants;
  const totalDemand = Math.max(1, demand.reduce((a, b) => a + b, 0));
  const count = Math.max(clubs, Math.round(totalDemand / 26));
  const kinds = rng.shuffle([...CLUBS]);
  const menu = Array.from({ length: clubs }, (_, i) => {
    const kind = kinds[i % kinds.length] as ClubKind;
    const copy = Math.floor(i / kinds.length);
    return { kind, id: copy ? `${kind.key}-${copy + 1}` : kind.key, tiers: 1 };
  });
  // every club its basic class, then more tiers, then parallel sections of popular ones
  const slots: { club: (typeof menu)[number]; tier: number }[] = menu.map((club) => ({ club, tier: 0 }));
  for (let t = 1; t < tiers; t++) {
    for (const club of menu) {
      if (slots.length >= count) break;
      club.tiers = t + 1;
      slots.push({ club, tier: t });
    }
  }
  while (slots.length < count) {
    const club = menu[weighted(rng, menu.map((c) => c.kind.maxSize))] as (typeof menu)[number];
    slots.push({ club, tier: weighted(rng, [0.6, 0.3, 0.1, 0.05, 0.05].slice(0, club.tiers)) });
  }

  const perBand = demand.map((d) => (slots.length * d) / totalDemand);
  const given = new Array<number>(bands).fill(0);
  const sections = new Map<string, number>();
  const classes: Klass[] = [];
  for (const { club, tier } of slots) {
    const lean = tier === 0 ? [1.3, 1, 0.7] : [0.7, 1, 1.3]; // basic classes lean young, higher tiers old
    const band = weighted(
      rng,
      perBand.map((q, b) => (lean[Math.min(b, 2)] as number) * (club.kind.bands[Math.min(b, 2)] as number) * Math.max(0.05, q - (given[b] as number))),
    );
    given[band] = (given[band] as number) + 1;
    const inBand = grades.filter((g) => g.band === band);
    const chosen = inBand.length > 1 && rng.chance(0.25) ? [rng.pick(inBand)] : inBand;
    const from = new Map<Day, number>();
    for (const d of days) {
      const starts = chosen.map((g) => g.earliest.get(d));
      if (starts.some((e) => e === undefined)) continue;
      from.set(d, ceilGrid(Math.max(...(starts as number[]))));
    }
    let sessions = rng.chance(0.6) ? 2 : 1;
    const fits = (m: number): number => [...from.values()].filter((f) => f + m <= DAY_END).length;
    let weights = LENGTHS.map((m, i) => (fits(m) >= sessions ? (club.kind.lengths[i] as number) : 0));
    if (weights.every((w) => w === 0)) {
      sessions = 1;
      weights = LENGTHS.map((m, i) => (fits(m) >= 1 ? (club.kind.lengths[i] as number) : 0));
    }
    if (weights.every((w) => w === 0)) continue; // no day is long enough for this band
    const minutes = LENGTHS[weighted(rng, weights)] as number;
    const average = clamp((1.15 * (demand[band] as number)) / Math.max(1, perBand[band] as number), 12, 45);
    const cap = Math.min(45, club.kind.maxSize);
    const key = `${club.id}-${TIERS[tier]}`;
    const section = (sections.get(key) ?? 0) + 1;
    sections.set(key, section);
    classes.push({
      id: `${key}-${section}`,
      club: club.kind,
      clubId: club.id,
      tier: TIERS[tier] as string,
      grades: chosen.map((g) => g.id),
      band,
      size: clamp(Math.round(average * (0.7 + 0.6 * rng.next())), Math.min(12, cap), cap),
      sessions,
      minutes,
      roomKind: roomKindFor(club.kind.features),
      from: new Map([...from].filter(([, f]) => f + minutes <= DAY_END)),
    });
  }
  return classes;
}

function hardestFirst(classes: readonly Klass[]): Klass[] {
  const slack = (k: Klass): number => [...k.from.values()].reduce((a, f) => a + DAY_END - f - k.minutes, 0);
  return [...classes].sort(
    (a, b) =>
      b.sessions - a.sessions ||
      b.minutes - a.minutes ||
      b.club.features.length - a.club.features.length ||
      slack(a) - slack(b) ||
      (a.id < b.id ? -1 : 1),
  );
}

// ---------------------------------------------------------------- staff

function teacherWindows(rng: Random, grades: readonly Grade[], days: readonly Day[]): Map<Day, [number, number][]> {
  const windows = new Map<Day, [number, number][]>();
  const meeting = rng.chance(0.3) ? rng.pick(days) : undefined; // 教研 or a staff meeting that afternoon
  for (const d of days) {
    if (d === meeting) continue;
    const earliest = Math.min(...grades.map((g) => g.earliest.get(d) ?? DAY_END));
    const from = Math.floor((earliest - rng.pick([0, 10, 20, 30])) / GRID) * GRID;
    const to = rng.chance(0.8) ? DAY_END : rng.pick([17 * 60, 17 * 60 + 30]);
    if (to - from < 45) continue;
    if (to - from >= 150 && rng.chance(0.1)) {
      const duty = from + 45 + Math.floor((rng.next() * (to - from - 120)) / GRID) * GRID; // gate duty in the middle
      windows.set(d, [
        [from, duty],
        [duty + 20, to],
      ]);
    } else windows.set(d, [[from, to]]);
  }
  return windows;
}

function outsideWindows(rng: Random, days: readonly Day[], kind: StaffKind): Map<Day, [number, number][]> {
  const windows = new Map<Day, [number, number][]>();
  const n = Math.min(days.length, kind === 'external' ? 2 + rng.below(3) : 2 + rng.below(2));
  for (const d of rng.shuffle([...days]).slice(0, n)) {
    const from = rng.pick([15 * 60 + 30, 16 * 60, 16 * 60 + 30]);
    const to = kind === 'volunteer' && rng.chance(0.4) ? 17 * 60 + 30 : DAY_END;
    windows.set(d, [[from, to]]);
  }
  return windows;
}

const person = (kind: StaffKind, skills: Iterable<string>, windows: Map<Day, [number, number][]>): Person => ({
  kind,
  skills: new Set(skills),
  windows,
  busy: new Map(),
  load: 0,
  taught: new Set(),
});

function buildTeachers(
  rng: Random,
  grades: readonly Grade[],
  classes: readonly Klass[],
  students: number,
  days: readonly Day[],
  school: 'primary' | 'junior',
): Person[] {
  const n = Math.max(3, Math.round((students / (school === 'junior' ? 13 : 18)) * (0.85 + 0.15 * rng.next())));
  const skills = [...new Set(classes.map((k) => k.club.key))];
  if (!skills.length) skills.push('chess');
  const want = skills.map((s) => classes.filter((k) => k.club.key === s).reduce((a, k) => a + k.club.teacherShare * k.sessions * k.minutes, 0) + 1);
  return Array.from({ length: n }, () => {
    const own = new Set([skills[weighted(rng, want)] as string]);
    for (let j = weighted(rng, [0.5, 0.35, 0.15]); j > 0; j--) own.add(skills[weighted(rng, want)] as string);
    return person('teacher', own, teacherWindows(rng, grades, days));
  });
}

// ---------------------------------------------------------------- the planted timetable

class Planter {
  readonly rooms: Room[] = [];
  readonly staff: Person[] = [];
  readonly sessions: Planted[] = [];
  private readonly pack: number;

  constructor(
    private readonly rng: Random,
    private readonly grades: readonly Grade[],
    private readonly days: readonly Day[],
    tight: number,
    teachers: readonly Person[],
  ) {
    this.staff.push(...teachers);
    this.pack = 0.3 + 0.7 * tight; // tight schools use their rooms and staff back to back
  }

  place(k: Klass): void {
    const rng = this.rng;
    const wantTeacher = rng.chance(k.club.teacherShare);
    const able = this.staff.filter((p) => p.skills.has(k.club.key) && p.load + k.sessions * k.minutes <= LOAD_CAP[p.kind]);
    const byLoad = (list: Person[]): Person[] =>
      list
        .map((p) => ({ p, key: p.load + rng.next() * 30 }))
        .sort((a, b) => a.key - b.key)
        .slice(0, 8)
        .map((x) => x.p);
    const first = byLoad(able.filter((p) => (p.kind === 'teacher') === wantTeacher));
    const second = byLoad(able.filter((p) => (p.kind === 'teacher') !== wantTeacher));
    for (const allowNewRoom of [false, true]) for (const p of [...first, ...second]) if (this.tryWith(k, p, allowNewRoom)) return;
    for (let attempt = 0; attempt < 6; attempt++) {
      const kind: StaffKind = attempt < 3 ? rng.pick(['volunteer', 'external']) : 'external';
      const windows = attempt < 5 ? outsideWindows(rng, this.days, kind) : this.fullWindows();
      const p = person(kind, [k.club.key], windows);
      if (this.tryWith(k, p, true)) {
        this.staff.push(p);
        return;
      }
    }
    throw new Error(`generator: could not plant class ${k.id}`);
  }

  private fullWindows(): Map<Day, [number, number][]> {
    const windows = new Map<Day, [number, number][]>();
    for (const d of this.days) windows.set(d, [[Math.min(...this.grades.map((g) => g.earliest.get(d) ?? DAY_END), 15 * 60), DAY_END]]);
    return windows;
  }

  /** Plants all of k's sessions with staff member p (on distinct days), or nothing. */
  private tryWith(k: Klass, p: Person, allowNewRoom: boolean): boolean {
    const rng = this.rng;
    const pack = rng.chance(this.pack);
    const options: { day: Day; start: number; room: Room | null }[] = [];
    for (const day of rng.shuffle([...k.from.keys()])) {
      if ((p.busy.get(day)?.length ?? 0) >= PER_DAY) continue;
      const from = k.from.get(day) as number;
      const starts: number[] = [];
      for (let s = from; s + k.minutes <= DAY_END; s += GRID) if (inside(p.windows.get(day), s, s + k.minutes) && free(p.busy.get(day), s, s + k.minutes)) starts.push(s);
      if (!pack) rng.shuffle(starts);
      let found: { day: Day; start: number; room: Room | null } | null = null;
      for (const s of starts) {
        const room = this.freeRoom(k, day, s, pack);
        if (room) {
          found = { day, start: s, room };
          break;
        }
      }
      if (!found && allowNewRoom && starts.length) found = { day, start: starts[0] as number, room: null };
      if (found) options.push(found);
    }
    if (options.length < k.sessions) return false;
    const chosen: typeof options = [];
    const apart = (a: Day, b: Day): boolean => Math.abs(WEEK.indexOf(a) - WEEK.indexOf(b)) > 1;
    for (const spread of rng.chance(0.85) ? [true, false] : [false]) {
      for (const op of options) {
        if (chosen.length === k.sessions) break;
        if (chosen.includes(op) || (spread && chosen.some((c) => !apart(c.day, op.day)))) continue;
        chosen.push(op);
      }
    }
    let fresh: Room | null = null;
    for (const op of chosen) {
      let room = op.room;
      if (!room) {
        fresh ??= this.newRoom(k);
        room = fresh;
      }
      const end = op.start + k.minutes;
      book(room.busy, op.day, op.start, end);
      book(p.busy, op.day, op.start, end);
      p.load += k.minutes;
      p.taught.add(k.club.key);
      this.sessions.push({ klass: k, day: op.day, start: op.start, room, staff: p });
    }
    return true;
  }

  private freeRoom(k: Klass, day: Day, start: number, pack: boolean): Room | null {
    const fitting = this.rooms.filter((r) => r.kind === k.roomKind && r.capacity >= k.size);
    const offset = pack || !fitting.length ? 0 : this.rng.below(fitting.length);
    for (let i = 0; i < fitting.length; i++) {
      const r = fitting[(offset + i) % fitting.length] as Room;
      if (free(r.busy.get(day), start, start + k.minutes)) return r;
    }
    return null;
  }

  private newRoom(k: Klass): Room {
    const [lo, hi] = k.roomKind.capacity;
    const capacity = Math.max(k.size, k.roomKind.prefix === 'room' ? this.rng.pick([40, 42, 45, 45, 48, 50]) : lo + this.rng.below(hi - lo + 1));
    const room: Room = { kind: k.roomKind, capacity, busy: new Map() };
    this.rooms.push(room);
    return room;
  }
}

// ---------------------------------------------------------------- students join classes

function joinClasses(
  rng: Random,
  grades: readonly Grade[],
  pupils: readonly Pupil[],
  classes: readonly Klass[],
  sessions: readonly Planted[],
): { count: Map<Klass, number>; students: { id: string; classes: string[] }[] } {
  const times = new Map<Klass, Planted[]>();
  for (const s of sessions) times.get(s.klass)?.push(s) ?? times.set(s.klass, [s]);
  const clash = (a: Klass, b: Klass): boolean =>
    (times.get(a) ?? []).some((x) => (times.get(b) ?? []).some((y) => x.day === y.day && x.start < y.start + b.minutes && y.start < x.start + a.minutes));
  const open = grades.map((g) => classes.filter((k) => k.grades.includes(g.id)));
  const count = new Map<Klass, number>();
  const chosen = pupils.map(() => [] as Klass[]);
  const minimum = 12;
  for (let round = 1; round <= 3; round++) {
    for (const i of rng.shuffle(pupils.map((_, j) => j))) {
      const pupil = pupils[i] as Pupil;
      if (pupil.wants < round) continue;
      const mine = chosen[i] as Klass[];
      let best: Klass | null = null;
      let bestScore = -Infinity;
      for (const k of open[pupil.grade] as Klass[]) {
        const n = count.get(k) ?? 0;
        if (n >= k.size || mine.includes(k) || mine.some((m) => clash(m, k))) continue;
        const score = (n < minimum ? 2 + (minimum - n) / minimum : (k.size - n) / k.size) + rng.next() * 0.1;
        if (score > bestScore) {
          bestScore = score;
          best = k;
        }
      }
      if (best) {
        mine.push(best);
        count.set(best, (count.get(best) ?? 0) + 1);
      }
    }
  }
  const students = chosen
    .map((list, i) => ({ i, list }))
    .filter((x) => x.list.length > 0)
    .map((x, j) => ({ id: `s${String(j + 1).padStart(5, '0')}`, classes: x.list.map((k) => k.id) }));
  return { count, students };
}

// ---------------------------------------------------------------- the instance around the plant

function describe(
  rng: Random,
  o: { seed: number; students: number; clubs: number; tiers: number; fixedStaff: boolean; withStudents: boolean; tight: number; days: Day[]; school: string },
  grades: readonly Grade[],
  classes: readonly Klass[],
  sessions: readonly Planted[],
  plant: Planter,
  students: { id: string; classes: string[] }[] | undefined,
): GeneratedSchool {
  const t = o.tight;
  const used = new Set(sessions.map((s) => s.room));
  const rooms = plant.rooms.filter((r) => used.has(r) || rng.chance(1 - t));
  for (const kind of ROOMS) {
    const have = rooms.filter((r) => r.kind === kind).length;
    let spare = have ? Math.floor((1 - t) * (0.4 * have + 1.5 * rng.next())) : rng.chance((1 - t) * 0.3) ? 1 : 0;
    if (kind.prefix === 'room') spare += Math.floor((1 - t) * (o.students / 60) * rng.next());
    for (let i = 0; i < spare; i++) {
      const [lo, hi] = kind.capacity;
      rooms.push({ kind, capacity: lo + rng.below(hi - lo + 1), busy: new Map() });
    }
  }

  const teaching = new Set(sessions.map((s) => s.staff));
  const staff = plant.staff.filter((p) => teaching.has(p) || rng.chance(clamp(1.05 - t, 0, 1)));
  for (const skill of new Set(classes.map((k) => k.club.key))) {
    if (!rng.chance((1 - t) * 0.35)) continue;
    const kind: StaffKind = rng.pick(['volunteer', 'external']);
    staff.push(person(kind, [skill], outsideWindows(rng, o.days, kind)));
  }
  const round15 = (x: number): number => Math.ceil(x / 15) * 15;
  const described = staff.map((p) => {
    const mine = sessions.filter((s) => s.staff === p);
    const available: Partial<Record<Day, [string, string][]>> = {};
    for (const [day, windows] of p.windows) {
      const today = mine.filter((s) => s.day === day).map((s) => [s.start, s.start + s.klass.minutes] as const);
      const kept: [number, number][] = [];
      for (const [a, b] of windows) {
        const within = today.filter(([s, e]) => a <= s && e <= b);
        if (within.length) {
          const lo = Math.min(...within.map((x) => x[0]));
          const hi = Math.max(...within.map((x) => x[1]));
          const f = Math.min(1, (1 - t) * (0.5 + rng.next()));
          kept.push([Math.max(a, Math.floor((lo - (lo - a) * f) / 15) * 15), Math.min(b, Math.ceil((hi + (b - hi) * f) / 15) * 15)]);
        } else if (!mine.length || rng.chance((1 - t) * 0.9)) kept.push([a, b]);
      }
      if (kept.length) available[day] = kept.map(([a, b]) => [formatHHMM(a), formatHHMM(b)]);
    }
    const load = mine.reduce((a, s) => a + s.klass.minutes, 0);
    const max = mine.length ? load + round15((1 - t) * Math.max(load, 120) * (0.5 + rng.next())) : Math.max(45, round15((120 + 240 * rng.next()) * (1 - 0.7 * t)));
    const skills = new Set(mine.length ? p.taught : p.skills);
    for (const s of p.skills) if (rng.chance(clamp(1.1 - t, 0, 1))) skills.add(s);
    return { p, kind: p.kind, skills: [...skills].sort(), available, max };
  });

  // ids: shuffled, then numbered, so that their order says nothing about the plant
  const roomId = new Map<Room, string>();
  const perKind = new Map<string, number>();
  for (const r of rng.shuffle([...rooms])) {
    const n = (perKind.get(r.kind.prefix) ?? 0) + 1;
    perKind.set(r.kind.prefix, n);
    roomId.set(r, `${r.kind.prefix}-${String(n).padStart(2, '0')}`);
  }
  const staffId = new Map<Person, string>();
  const perStaffKind = new Map<string, number>();
  for (const s of rng.shuffle([...described])) {
    const n = (perStaffKind.get(s.kind) ?? 0) + 1;
    perStaffKind.set(s.kind, n);
    staffId.set(s.p, `${s.kind[0]}${String(n).padStart(3, '0')}`);
  }

  const teacherOf = new Map<Klass, Person>();
  for (const s of sessions) teacherOf.set(s.klass, s.staff);
  const instance: Instance = {
    name: `Kehou demo school (generated: seed ${o.seed}, ${o.students} students, ${o.clubs} clubs, tight ${o.tight}${o.fixedStaff ? ', fixed staff' : ''}${o.withStudents ? ', with students' : ''})`,
    timezone: 'Asia/Shanghai',
    days: [...o.days],
    dayEnd: formatHHMM(DAY_END),
    granularity: GRID,
    grades: grades.map((g) => ({
      id: g.id,
      earliestStart: Object.fromEntries(o.days.filter((d) => g.earliest.has(d)).map((d) => [d, formatHHMM(g.earliest.get(d) as number)])),
    })),
    rooms: rooms
      .map((r) => ({ id: roomId.get(r) as string, capacity: r.capacity, features: [...r.kind.features] }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    staff: described
      .map((s) => ({ id: staffId.get(s.p) as string, kind: s.kind, skills: s.skills, available: s.available, maxMinutesPerWeek: s.max }))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    classes: classes.map((k) => {
      const spec: ClassSpec = {
        id: k.id,
        club: k.clubId,
        tier: k.tier,
        grades: [...k.grades],
        size: k.size,
        skill: k.club.key,
        roomFeatures: [...k.club.features],
        sessions: k.sessions,
        minutes: k.minutes,
      };
      const who = teacherOf.get(k);
      if (o.fixedStaff && who) spec.staff = staffId.get(who) as string;
      return spec;
    }),
  };
  if (students) instance.students = students;
  const order = (d: Day): number => WEEK.indexOf(d);
  const planted: Session[] = sessions
    .map((s) => ({
      class: s.klass.id,
      day: s.day,
      start: formatHHMM(s.start),
      end: formatHHMM(s.start + s.klass.minutes),
      room: roomId.get(s.room) as string,
      staff: staffId.get(s.staff) as string,
    }))
    .sort((a, b) => order(a.day) - order(b.day) || a.start.localeCompare(b.start) || a.room.localeCompare(b.room));
  return { instance, planted };
}

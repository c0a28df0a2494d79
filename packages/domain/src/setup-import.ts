/**
 * Bulk set-up of a school: rooms, staff and clubs with their tiered classes, from JSON rows
 * or a CSV file with Chinese or English headers (one row a room, a staff member, or a class
 * of a club). Pure: the columns (headers, how a cell reads, the template's example), a
 * file read into rows, and the plan against what the school has. Every row is checked with
 * the create routes' schemas (RoomInput, StaffInput, ClubInput), each problem reported at
 * its row; records are matched by natural key (a room's name; a staff member's id, or name
 * and phone; a club's name in the term) and written only where they change, so the same
 * file twice writes nothing. The store writes the plan, all or nothing.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { toCsv } from './calendar';
import {
  ClubCategory,
  ClubClassInput,
  ClubInput,
  clubIssuesAgainstSchool,
  clubNameKey,
  type Club,
  type ClubClass,
} from './clubs';
import { Id, nameKey } from './common';
import { cellBoolean, cellDate, cellList, cellNumber, cellText, headerKey, parseCsvRecords } from './csv-import';
import { created, type Stamp } from './entity';
import { InvalidInput, type Issue, type IssuePath } from './errors';
import { Phone, StaffInput, type Staff } from './people';
import { MAX_IMPORT_ERRORS, studentTemplate, type ImportChange } from './roster-import';
import { RoomInput, roomNameKey, type Room } from './school';
import { WEEKDAY_ZH, WEEKDAYS, type Weekday } from './time';

export const SETUP_IMPORT_KINDS = ['rooms', 'staff', 'clubs'] as const;
export type SetupImportKind = (typeof SETUP_IMPORT_KINDS)[number];

/**
 * Rows in one set-up import: a school's rooms, staff or classes are tens to hundreds; the
 * cap keeps the writes (two records a new room) well within one request (see README).
 */
export const MAX_SETUP_IMPORT_ROWS = 1000;

// ---------------------------------------------------------------- columns
/** A cell that cannot be read as its column's kind of value, in words. */
class CellProblem extends Error {}

/** A column of a set-up file: where its cells go in a row, its headers, how a cell reads. */
export interface Column {
  /** the row's field (availability: by day) */
  path: readonly [string] | readonly ['availability', Weekday];
  zh: string;
  en: string;
  /** other headers understood */
  aliases?: readonly string[];
  /** a file must have this column */
  required?: boolean;
  /** a non-empty cell as the value the schema checks */
  read: (cell: string) => unknown;
  /** the template's example cell ('' leaves it empty), and in English if it differs */
  example: string;
  exampleEn?: string;
  /** a second example row (a club's second class), and in English if it differs */
  example2?: string;
  example2En?: string;
  /** left out of the template (accepted in a file) */
  hidden?: boolean;
}

const mapped =
  (words: Record<string, string>) =>
  (cell: string): string => {
    const t = cellText(cell);
    return words[t] ?? t.toLowerCase();
  };
const slugs = (cell: string) => cellList(cell).map((s) => s.toLowerCase());

/** "3; 4", "3-5" (3, 4 and 5), "3年级" as grade levels. */
function grades(cell: string): unknown[] {
  return cellList(cell).flatMap((item) => {
    const range = /^(\d{1,2})\s*[-~至到]\s*(\d{1,2})$/.exec(item);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from || to - from > 11) throw new CellProblem(`"${item}" is not a range of grades`);
      return Array.from({ length: to - from + 1 }, (_, k) => from + k);
    }
    return [cellNumber(item.replace(/年级$/, ''))];
  });
}

/** "15:30-18:00; 19:00-20:00" as windows. */
function windows(cell: string): Array<{ start: string; end: string }> {
  return cellList(cell).map((item) => {
    const m = /^(\d{1,2}:\d{2})\s*[-–—~至到]\s*(\d{1,2}:\d{2})$/.exec(item);
    if (!m) throw new CellProblem(`"${item}" is not a time window: write it as 15:30-18:00, several separated by ";"`);
    const pad = (t: string) => t.padStart(5, '0');
    return { start: pad(m[1]!), end: pad(m[2]!) };
  });
}

const DAY_ALIASES: Record<Weekday, string[]> = {
  MON: ['星期一', 'monday'],
  TUE: ['星期二', 'tuesday'],
  WED: ['星期三', 'wednesday'],
  THU: ['星期四', 'thursday'],
  FRI: ['星期五', 'friday'],
  SAT: ['星期六', 'saturday'],
  SUN: ['星期日', '星期天', '周天', 'sunday'],
};

const CATEGORY_WORDS: Record<string, string> = {
  舞蹈: 'dance',
  音乐: 'music',
  美术: 'arts',
  艺术: 'arts',
  手工: 'crafts',
  体育: 'sport',
  运动: 'sport',
  益智: 'mind',
  棋类: 'mind',
  科学: 'science',
  科技: 'science',
  语言: 'language',
  其他: 'other',
};
const TIER_WORDS: Record<string, string> = {
  基础: 'basic',
  基础班: 'basic',
  提升: 'advanced',
  提升班: 'advanced',
  进阶: 'advanced',
};
const KIND_WORDS: Record<string, string> = {
  教师: 'teacher',
  老师: 'teacher',
  志愿者: 'volunteer',
  外聘: 'external',
  校外: 'external',
};

export const COLUMNS: Record<SetupImportKind, readonly Column[]> = {
  rooms: [
    {
      path: ['name'],
      zh: '名称',
      en: 'name',
      aliases: ['教室', '教室名称'],
      required: true,
      read: cellText,
      example: '舞蹈室 1',
      exampleEn: 'Dance room 1',
    },
    { path: ['capacity'], zh: '容量', en: 'capacity', aliases: ['人数'], required: true, read: cellNumber, example: '40' },
    { path: ['features'], zh: '设施', en: 'features', read: slugs, example: 'dance; piano' },
    {
      path: ['building'],
      zh: '楼栋',
      en: 'building',
      aliases: ['楼'],
      read: cellText,
      example: '艺术楼',
      exampleEn: 'Arts building',
    },
  ],
  staff: [
    { path: ['id'], zh: '编号', en: 'id', read: cellText, example: '' },
    { path: ['name'], zh: '姓名', en: 'name', required: true, read: cellText, example: '王芳', exampleEn: 'Wang Fang' },
    {
      path: ['kind'],
      zh: '类型',
      en: 'kind',
      required: true,
      read: mapped(KIND_WORDS),
      example: '教师',
      exampleEn: 'teacher',
    },
    { path: ['skills'], zh: '技能', en: 'skills', read: slugs, example: 'street-dance; choir' },
    { path: ['maxMinutesPerWeek'], zh: '每周最多分钟', en: 'maxMinutesPerWeek', read: cellNumber, example: '240' },
    { path: ['qualificationExpiresOn'], zh: '资格到期', en: 'qualificationExpiresOn', read: cellDate, example: '2029-08-31' },
    {
      path: ['backgroundCheckExpiresOn'],
      zh: '无犯罪记录到期',
      en: 'backgroundCheckExpiresOn',
      read: cellDate,
      example: '2027-12-31',
    },
    {
      path: ['noPaidTutoringCommitmentOn'],
      zh: '承诺日期',
      en: 'noPaidTutoringCommitmentOn',
      read: cellDate,
      example: '2026-09-01',
    },
    { path: ['phone'], zh: '手机', en: 'phone', aliases: ['电话'], read: cellText, example: '13800138000' },
    ...WEEKDAYS.map((day): Column => ({
      path: ['availability', day],
      zh: WEEKDAY_ZH[day],
      en: day,
      aliases: DAY_ALIASES[day],
      read: windows,
      example: day === 'WED' ? '14:30-18:00' : '15:30-18:00',
      hidden: day === 'SAT' || day === 'SUN',
    })),
  ],
  clubs: [
    {
      path: ['club'],
      zh: '社团',
      en: 'club',
      aliases: ['社团名称'],
      required: true,
      read: cellText,
      example: '街舞',
      example2: '街舞',
    },
    { path: ['nameEn'], zh: '英文名', en: 'nameEn', read: cellText, example: 'Street dance' },
    { path: ['category'], zh: '类别', en: 'category', read: mapped(CATEGORY_WORDS), example: '舞蹈', exampleEn: 'dance' },
    { path: ['descriptionZh'], zh: '简介', en: 'descriptionZh', read: cellText, example: '从基本律动学起' },
    {
      path: ['descriptionEn'],
      zh: '英文简介',
      en: 'descriptionEn',
      read: cellText,
      example: 'Grooves and moves from the basics',
    },
    { path: ['skill'], zh: '技能', en: 'skill', read: (c) => cellText(c).toLowerCase(), example: 'street-dance' },
    { path: ['roomFeatures'], zh: '教室设施', en: 'roomFeatures', read: slugs, example: 'dance' },
    {
      path: ['class'],
      zh: '班级',
      en: 'class',
      required: true,
      read: cellText,
      example: '基础班',
      exampleEn: 'Basic',
      example2: '提升班',
      example2En: 'Advanced',
    },
    { path: ['tier'], zh: '层级', en: 'tier', required: true, read: mapped(TIER_WORDS), example: 'basic', example2: 'advanced' },
    { path: ['grades'], zh: '年级', en: 'grades', required: true, read: grades, example: '3-4', example2: '4; 5' },
    { path: ['capacity'], zh: '容量', en: 'capacity', required: true, read: cellNumber, example: '25', example2: '20' },
    {
      path: ['sessionsPerWeek'],
      zh: '每周次数',
      en: 'sessionsPerWeek',
      required: true,
      read: cellNumber,
      example: '2',
      example2: '1',
    },
    {
      path: ['minutesPerSession'],
      zh: '每次分钟',
      en: 'minutesPerSession',
      required: true,
      read: cellNumber,
      example: '60',
      example2: '90',
    },
    { path: ['fixedStaff'], zh: '固定老师', en: 'fixedStaff', read: cellText, example: '' },
    { path: ['preferredStaff'], zh: '优先老师', en: 'preferredStaff', read: cellText, example: '' },
    {
      path: ['prerequisiteTier'],
      zh: '先修层级',
      en: 'prerequisiteTier',
      read: mapped(TIER_WORDS),
      example: '',
      example2: 'basic',
    },
    {
      path: ['prerequisiteOrTeacherApproval'],
      zh: '老师批准可免先修',
      en: 'prerequisiteOrTeacherApproval',
      read: cellBoolean,
      example: '',
      example2: '是',
      example2En: 'yes',
    },
  ],
};

/** The columns of a kind, in words: for the OpenAPI document. */
export const columnsInWords = (kind: SetupImportKind) =>
  COLUMNS[kind]
    .filter((c) => !c.hidden)
    .map((c) => `${c.zh} (${c.en})`)
    .join(', ');

// ---------------------------------------------------------------- the rows of a request
/** The JSON shape of a club's row: one class, with its club's fields (those may be left out after its first row). */
export const ClubRow = z.object({
  club: ClubInput.shape.name,
  nameEn: ClubInput.shape.nameEn.optional(),
  category: ClubCategory.optional(),
  descriptionZh: ClubInput.shape.descriptionZh.optional(),
  descriptionEn: ClubInput.shape.descriptionEn.optional(),
  skill: ClubInput.shape.skill.optional(),
  roomFeatures: ClubInput.shape.roomFeatures,
  class: ClubClassInput.shape.name,
  tier: ClubClassInput.shape.tier,
  grades: ClubClassInput.shape.grades,
  capacity: ClubClassInput.shape.capacity,
  sessionsPerWeek: ClubClassInput.shape.sessionsPerWeek,
  minutesPerSession: ClubClassInput.shape.minutesPerSession,
  fixedStaff: z
    .string()
    .nullable()
    .optional()
    .meta({ description: 'who must take it: a staff member of the school, by id or name' }),
  preferredStaff: z.string().nullable().optional().meta({ description: 'who should take it if they can: by id or name' }),
  prerequisiteTier: ClubClassInput.shape.tier
    .nullable()
    .optional()
    .meta({ description: 'the tier of this club a student must have taken last term' }),
  prerequisiteOrTeacherApproval: z
    .boolean()
    .optional()
    .meta({ description: "a teacher's approval admits a student without it (default yes)" }),
});
export const StaffRow = StaffInput.extend({
  id: Id.optional().meta({ description: 'the staff member to update; without it, the one of this name (and phone)' }),
});

const ROW_SCHEMAS: Record<SetupImportKind, z.ZodType> = { rooms: RoomInput, staff: StaffRow, clubs: ClubRow };

const TOO_MANY_ROWS = `must have at most ${MAX_SETUP_IMPORT_ROWS.toLocaleString('en')} rows; split the file and import each part`;
const requestOf = (kind: SetupImportKind) => {
  const { $schema: _, ...items } = z.toJSONSchema(ROW_SCHEMAS[kind], { io: 'input', target: 'draft-2020-12' });
  return z.object({
    // every row is checked by the plan, so that each problem is reported with its row; the document shows a row's shape
    rows: z
      .array(z.unknown())
      .min(1, 'must have at least one row')
      .max(MAX_SETUP_IMPORT_ROWS, TOO_MANY_ROWS)
      .meta({
        items,
        description:
          kind === 'clubs' ? 'one class a row, with its club' : `one ${kind === 'rooms' ? 'room' : 'staff member'} a row`,
      }),
  });
};
export const SetupImportRequest: Record<SetupImportKind, ReturnType<typeof requestOf>> = {
  rooms: requestOf('rooms'),
  staff: requestOf('staff'),
  clubs: requestOf('clubs'),
};
export type SetupImportRequest = z.infer<(typeof SetupImportRequest)['rooms']>;

export const SetupImportResult = z.object({
  rows: z.number().int().meta({ description: 'rows in the file' }),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  records: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        action: z.enum(['created', 'updated', 'unchanged']),
        rows: z
          .array(z.number().int())
          .meta({ description: 'the rows it comes from, from 0 (the first row after a CSV header)' }),
      }),
    )
    .meta({ description: 'every record the file names, in the order of the file' }),
});
export type SetupImportResult = z.infer<typeof SetupImportResult>;

/**
 * A set-up file's rows, read, and how a message names them: a row as a person finds it
 * (in a CSV file the row number Excel shows, the header being row 1; in JSON rows[i] is
 * row i + 1), and for a CSV file the column a problem's path points at, as the file heads it.
 */
export interface SetupRows {
  rows: Array<Record<string, unknown>>;
  /** "row 14": the row of rows[i] */
  label: (i: number) => string;
  column: (path: IssuePath) => string | undefined;
}

/** The rows of a request: JSON rows (objects) or CSV text. Throws InvalidInput for a file that cannot be read. */
export function readSetupImport(kind: SetupImportKind, body: string | SetupImportRequest): SetupRows {
  if (typeof body === 'string') return setupRowsFromCsv(kind, body);
  const issues: Issue[] = [];
  body.rows.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) issues.push({ path: ['rows', i], message: 'must be an object' });
  });
  if (issues.length) throw new InvalidInput(issues);
  return { rows: body.rows as Array<Record<string, unknown>>, label: (i) => `row ${i + 1}`, column: () => undefined };
}

/**
 * CSV text as rows: a column the file has sets its field in every row (an empty cell to
 * undefined: the field's default, or "is required"); a column it does not have leaves the
 * field of a record that exists as it is.
 */
export function setupRowsFromCsv(kind: SetupImportKind, text: string): SetupRows {
  const records = parseCsvRecords(text);
  const table = records.map((r) => r.cells);
  const header = table[0];
  if (!header) throw InvalidInput.at(['csv'], 'the file is empty');
  const label = (i: number) => `row ${records[i + 1]!.row}`;
  const known = COLUMNS[kind];
  const byHeader = new Map<string, Column>();
  for (const c of known) for (const h of [c.zh, c.en, ...(c.aliases ?? [])]) byHeader.set(headerKey(h), c);
  const issues: Issue[] = [];
  const columns = header.map((h, i) => {
    const c = byHeader.get(headerKey(h));
    if (!c) {
      if (h.trim() !== '' || table.slice(1).some((cells) => (cells[i] ?? '').trim() !== ''))
        issues.push({ path: ['csv', 'header', i], message: `unknown column "${h}"; the columns are ${columnsInWords(kind)}` });
      return null;
    }
    const twice = header.findIndex((o, k) => k < i && byHeader.get(headerKey(o)) === c);
    if (twice >= 0)
      issues.push({ path: ['csv', 'header', i], message: `column "${h}" is there twice (also column ${twice + 1})` });
    return c;
  });
  for (const c of known)
    if (c.required && !columns.includes(c)) issues.push({ path: ['csv', 'header'], message: `missing column ${c.zh} (${c.en})` });
  if (issues.length) throw new InvalidInput(issues, 'The CSV file cannot be read; nothing was imported');
  const data = table.slice(1);
  if (data.length === 0) throw InvalidInput.at(['rows'], 'must have at least one row');
  if (data.length > MAX_SETUP_IMPORT_ROWS) throw InvalidInput.at(['rows'], TOO_MANY_ROWS);
  const rows = data.map((cells, r) => {
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      if (!c) return;
      const cell = cells[i] ?? '';
      const [field, day] = c.path;
      let value: unknown;
      try {
        value = cellText(cell) === '' ? undefined : c.read(cell);
      } catch (e) {
        if (!(e instanceof CellProblem)) throw e;
        issues.push({ path: ['rows', r, ...c.path], message: e.message });
        return;
      }
      if (day === undefined) row[field] = value;
      else {
        const week = (row[field] ??= {}) as Record<string, unknown>;
        if (value !== undefined) week[day] = value;
      }
    });
    return row;
  });
  const headOf = new Map(columns.flatMap((c, i) => (c ? [[c.path.join('.'), header[i]!.trim()] as const] : [])));
  const column = (path: IssuePath) => {
    const [, , field, day] = path;
    return headOf.get(`${String(field)}.${String(day)}`) ?? headOf.get(String(field));
  };
  const file = { rows, label, column };
  if (issues.length) throw rejected(issues, file);
  return file;
}

/**
 * Every problem, each at its row (in file order), its message led by the row as a person
 * finds it and, in a CSV file, the column as the file heads it ("row 14, 容量: …"):
 * nothing is imported.
 */
function rejected(issues: Issue[], file: SetupRows): InvalidInput {
  const rowOf = (i: Issue) => (typeof i.path[1] === 'number' ? i.path[1] : -1);
  const sorted = [...issues].sort((a, b) => rowOf(a) - rowOf(b));
  return new InvalidInput(
    sorted.slice(0, MAX_IMPORT_ERRORS).map((i) => {
      const row = rowOf(i);
      if (row < 0) return i;
      const col = file.column(i.path);
      return { path: i.path, message: `${file.label(row)}${col ? `, ${col}` : ''}: ${i.message}` };
    }),
    `${issues.length.toLocaleString('en')} problem(s) in ${file.rows.length.toLocaleString('en')} rows; nothing was imported`,
  );
}

// ---------------------------------------------------------------- plans
export interface SetupPlan<T> {
  /** records to write: new (prev null) or changed */
  changes: ImportChange<T>[];
  /** every record the file names, in file order */
  records: Array<{ record: T; rows: number[]; action: 'created' | 'updated' | 'unchanged' }>;
}

export interface PlanContext {
  schoolId: string;
  stamp: Stamp;
  newId: () => string;
}

/** JSON with keys in order, undefined left out: equal data prints equal. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

const pick = (o: object, fields: readonly string[]) =>
  Object.fromEntries(fields.filter((f) => f in o).map((f) => [f, (o as Record<string, unknown>)[f]]));

const valueAt = (o: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), o);

/** zod's problems with a candidate, at `at(path)`; a missing value "is required". */
function problems(error: z.ZodError, candidate: unknown, at: (path: Array<string | number>) => IssuePath): Issue[] {
  return error.issues.map((e) => {
    const path = e.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const missing = e.code === 'invalid_type' && valueAt(candidate, path) === undefined;
    return { path: at(path), message: missing ? 'is required' : e.message };
  });
}

interface Versioned {
  id: string;
  status: 'active' | 'archived';
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/**
 * The record a checked input makes: new (with the fields `fresh` gives a new record, its
 * id a new one unless they name it), or the next version of prev (active again), or prev
 * itself if nothing changes.
 */
function settle<T extends Versioned, I extends object>(
  plan: SetupPlan<T>,
  input: I,
  prev: T | undefined,
  fields: readonly string[],
  rows: number[],
  ctx: PlanContext,
  fresh: () => { id?: string; lineageId?: string } = () => ({}),
): void {
  if (!prev) {
    const { id = ctx.newId(), ...more } = fresh();
    const next = created({ ...input, ...more, id, schoolId: ctx.schoolId, status: 'active' }, ctx.stamp);
    plan.changes.push({ prev: null, next: next as unknown as T, rows });
    plan.records.push({ record: next as unknown as T, rows, action: 'created' });
    return;
  }
  if (prev.status === 'active' && same(pick(prev, fields), input)) {
    plan.records.push({ record: prev, rows, action: 'unchanged' });
    return;
  }
  const next = {
    ...prev,
    ...input,
    status: 'active' as const,
    version: prev.version + 1,
    updatedAt: ctx.stamp.now.toISOString(),
    updatedBy: ctx.stamp.by,
  };
  plan.changes.push({ prev, next, rows });
  plan.records.push({ record: next, rows, action: 'updated' });
}

const emptyPlan = <T>(): SetupPlan<T> => ({ changes: [], records: [] });

function finished<T>(plan: SetupPlan<T>, issues: Issue[], file: SetupRows): SetupPlan<T> {
  if (issues.length) throw rejected(issues, file);
  return plan;
}

const ROOM_FIELDS = Object.keys(RoomInput.shape);

/** Rooms by name: a room the school has (by its name, case and spacing aside) is updated, any other created. */
export function planRooms(file: SetupRows, existing: readonly Room[], ctx: PlanContext): SetupPlan<Room> {
  const byName = new Map(existing.map((r) => [roomNameKey(r.name), r]));
  const firstRow = new Map<string, number>();
  const issues: Issue[] = [];
  const plan = emptyPlan<Room>();
  file.rows.forEach((raw, i) => {
    const name = RoomInput.shape.name.safeParse(raw.name);
    const key = name.success ? roomNameKey(name.data) : null;
    const seen = key === null ? undefined : firstRow.get(key);
    if (seen !== undefined) {
      issues.push({ path: ['rows', i, 'name'], message: `room "${name.data}" is also in ${file.label(seen)}` });
      return;
    }
    if (key !== null) firstRow.set(key, i);
    const prev = key === null ? undefined : byName.get(key);
    const candidate = prev ? { ...pick(prev, ROOM_FIELDS), ...raw } : raw;
    const r = RoomInput.safeParse(candidate);
    if (!r.success) issues.push(...problems(r.error, candidate, (p) => ['rows', i, ...p]));
    else settle(plan, r.data, prev, ROOM_FIELDS, [i], ctx);
  });
  return finished(plan, issues, file);
}

const STAFF_FIELDS = Object.keys(StaffInput.shape);

/**
 * The id an import gives a new staff member: a digest of the school, the name (as compared)
 * and the phone, so that two imports of one file racing each other create the staff member
 * once (the second's create finds the id taken). A digest: no name or phone in a key or log.
 */
export function staffIdFor(schoolId: string, name: string, phone: string | null): string {
  return `st-${createHash('sha256')
    .update(`${schoolId}\u0000${nameKey(name)}\u0000${phone ?? ''}`)
    .digest('hex')
    .slice(0, 20)}`;
}

/**
 * Staff by id, or else by name and phone: a row without a phone updates the one staff
 * member of that name; a row with one updates the one with that phone, or else the one of
 * that name without a phone (which gets it). An import never removes a phone number.
 */
export function planStaff(file: SetupRows, existing: readonly Staff[], ctx: PlanContext): SetupPlan<Staff> {
  const byId = new Map(existing.map((s) => [s.id, s]));
  const byName = new Map<string, Staff[]>();
  for (const s of existing) byName.set(nameKey(s.name), [...(byName.get(nameKey(s.name)) ?? []), s]);
  const rowOf = new Map<string, number>(); // a staff member's id, or a new one's name and phone → its first row
  const issues: Issue[] = [];
  const plan = emptyPlan<Staff>();
  file.rows.forEach((raw, i) => {
    const at = (field: string, message: string) => issues.push({ path: ['rows', i, field], message });
    let prev: Staff | undefined;
    let key: string | null = null;
    if (raw.id !== undefined && raw.id !== null) {
      prev = byId.get(String(raw.id));
      if (!prev) return at('id', 'the school has no staff member with this id');
      key = prev.id;
    } else {
      const name = StaffInput.shape.name.safeParse(raw.name);
      const phone = Phone.nullable().safeParse(raw.phone ?? null);
      if (name.success && phone.success) {
        const namesakes = byName.get(nameKey(name.data)) ?? [];
        const withPhone = namesakes.filter((s) => s.phone === phone.data);
        const found = withPhone.length ? withPhone : phone.data === null ? namesakes : namesakes.filter((s) => s.phone === null);
        if (found.length > 1)
          return at(
            phone.data === null ? 'phone' : 'id',
            `${found.length} staff members are named ${name.data}${phone.data ? ' with this phone' : ''}: give the id of the one to update (${found.map((s) => s.id).join(', ')})`,
          );
        prev = found[0];
        key = prev?.id ?? `${nameKey(name.data)}\u0000${phone.data ?? ''}`;
      }
    }
    const seen = key === null ? undefined : rowOf.get(key);
    if (seen !== undefined) return at('name', `${String(raw.name ?? prev?.name)} is also in ${file.label(seen)}`);
    if (key !== null) rowOf.set(key, i);
    const given = { ...raw };
    if (prev && (given.phone === undefined || given.phone === null)) delete given.phone; // a phone identifies: kept
    const candidate = prev ? { ...pick(prev, STAFF_FIELDS), ...given } : given;
    const r = StaffInput.safeParse(candidate);
    if (!r.success) return void issues.push(...problems(r.error, candidate, (p) => ['rows', i, ...p]));
    const owner = r.data.userId === null ? undefined : existing.find((s) => s.userId === r.data.userId);
    if (owner && owner.id !== prev?.id)
      return at('userId', `this account is linked to another staff member of the school (${owner.name})`);
    settle(plan, r.data, prev, STAFF_FIELDS, [i], ctx, () => {
      // a new staff member's id is their name and phone's, so that the same file imported twice at once makes one
      const id = staffIdFor(ctx.schoolId, r.data.name, r.data.phone);
      return byId.has(id) ? {} : { id };
    });
  });
  const accounts = new Map<string, number>();
  plan.records.forEach(({ record, rows }) => {
    if (record.userId === null) return;
    const seen = accounts.get(record.userId);
    if (seen !== undefined)
      issues.push({ path: ['rows', rows[0]!, 'userId'], message: `${file.label(seen)} links this account too` });
    else accounts.set(record.userId, rows[0]!);
  });
  return finished(plan, issues, file);
}

const CLUB_FIELDS = ['nameEn', 'category', 'descriptionZh', 'descriptionEn', 'skill', 'roomFeatures'] as const;
const CLUB_INPUT_FIELDS = Object.keys(ClubInput.shape);
const CLASS_INPUT_FIELDS = Object.keys(ClubClassInput.shape).filter((f) => f !== 'id');
/** a row's class fields → the class's */
const CLASS_OF_ROW: Record<string, string> = {
  class: 'name',
  tier: 'tier',
  grades: 'grades',
  capacity: 'capacity',
  sessionsPerWeek: 'sessionsPerWeek',
  minutesPerSession: 'minutesPerSession',
};
/** a path in a class → the row's field it comes from */
function rowPathOfClass(path: Array<string | number>): Array<string | number> {
  const [field, ...rest] = path;
  if (field === 'name') return ['class', ...rest];
  if (field === 'fixedStaffId') return ['fixedStaff'];
  if (field === 'preferredStaffId') return ['preferredStaff'];
  if (field === 'prerequisite') return [rest[0] === 'orTeacherApproval' ? 'prerequisiteOrTeacherApproval' : 'prerequisiteTier'];
  return path;
}

export interface ClubPlanContext extends PlanContext {
  termId: string;
  /** the term's clubs */
  existing: readonly Club[];
  /** the school's staff (whom a row names, by id or name) and grade levels */
  staff: readonly Staff[];
  gradeLevels: ReadonlySet<number>;
}

/**
 * Clubs of a term, one row a class: the rows of a club (by its name) make it, with its
 * club fields on its first row (later rows may leave them empty, or repeat them). A club
 * the term has is updated: its classes are those of the file (a class of the same name
 * keeps its id; one the file leaves out is removed). Staff are named by id or name.
 */
export function planClubs(file: SetupRows, ctx: ClubPlanContext): SetupPlan<Club> {
  const issues: Issue[] = [];
  const byName = new Map(ctx.existing.map((c) => [clubNameKey(ctx.termId, c.name), c]));
  const staffById = new Map(ctx.staff.map((s) => [s.id, s]));
  const staffByName = new Map<string, Staff[]>();
  for (const s of ctx.staff) staffByName.set(nameKey(s.name), [...(staffByName.get(nameKey(s.name)) ?? []), s]);
  const staffRef = (v: unknown): { id: string | null } | { problem: string } => {
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return { id: null };
    if (typeof v !== 'string') return { problem: "must be a staff member's name or id" };
    const t = v.trim();
    if (staffById.has(t)) return { id: t };
    const found = staffByName.get(nameKey(t)) ?? [];
    if (found.length === 1) return { id: found[0]!.id };
    if (found.length === 0) return { problem: `the school has no staff member named ${t} (import the staff first)` };
    return {
      problem: `${found.length} staff members are named ${t}: give the id of the one you mean (${found.map((s) => s.id).join(', ')})`,
    };
  };

  const groups = new Map<string, { name: string; rows: number[] }>();
  file.rows.forEach((raw, i) => {
    const name = ClubInput.shape.name.safeParse(raw.club);
    if (!name.success) return void issues.push(...problems(name.error, raw.club, (p) => ['rows', i, 'club', ...p]));
    const key = clubNameKey(ctx.termId, name.data);
    const g = groups.get(key);
    if (g) g.rows.push(i);
    else groups.set(key, { name: name.data, rows: [i] });
  });

  const plan = emptyPlan<Club>();
  for (const [key, group] of groups) {
    const prev = byName.get(key);
    const before = issues.length;
    const club: Record<string, unknown> = prev ? pick(prev, CLUB_FIELDS) : {};
    const givenAt: Record<string, number> = {};
    for (const f of CLUB_FIELDS) {
      for (const r of group.rows) {
        const v = file.rows[r]![f];
        if (v === undefined || v === null) continue;
        if (givenAt[f] === undefined) {
          club[f] = v;
          givenAt[f] = r;
        } else if (!same(v, club[f]))
          issues.push({
            path: ['rows', r, f],
            message: `differs from ${file.label(givenAt[f])}: a club's ${f} is the same on each of its rows (or left empty)`,
          });
      }
    }
    const classRows: number[] = [];
    const rowOfClass = new Map<string, number>();
    for (const r of group.rows) {
      const name = file.rows[r]!.class;
      const seen = typeof name === 'string' ? rowOfClass.get(name.trim()) : undefined;
      if (seen !== undefined)
        issues.push({ path: ['rows', r, 'class'], message: `class ${String(name).trim()} is also in ${file.label(seen)}` });
      else {
        if (typeof name === 'string') rowOfClass.set(name.trim(), r);
        classRows.push(r);
      }
    }
    const classes = classRows.map((r) => {
      const row = file.rows[r]!;
      const mine = prev?.classes.find((k) => typeof row.class === 'string' && k.name === row.class.trim());
      const { id: _id, ...k }: Record<string, unknown> = mine ? { ...mine } : {};
      for (const [from, to] of Object.entries(CLASS_OF_ROW)) if (from in row) k[to] = row[from];
      for (const [from, to] of [
        ['fixedStaff', 'fixedStaffId'],
        ['preferredStaff', 'preferredStaffId'],
      ] as const) {
        if (!(from in row)) continue;
        const ref = staffRef(row[from]);
        if ('problem' in ref) issues.push({ path: ['rows', r, from], message: ref.problem });
        else k[to] = ref.id;
      }
      const approval = row.prerequisiteOrTeacherApproval;
      if ('prerequisiteTier' in row) {
        const tier = row.prerequisiteTier;
        const kept = mine?.prerequisite?.orTeacherApproval;
        k.prerequisite = tier === undefined || tier === null ? null : { tier, orTeacherApproval: approval ?? kept };
      } else if (approval !== undefined && k.prerequisite)
        k.prerequisite = { ...(k.prerequisite as object), orTeacherApproval: approval };
      return { k, id: mine?.id };
    });
    const candidate = { termId: ctx.termId, name: group.name, ...club, classes: classes.map((c) => c.k) };
    const at = ([field, ...rest]: Array<string | number>): IssuePath => {
      if (field !== 'classes') return ['rows', givenAt[field!] ?? group.rows[0]!, field === 'name' ? 'club' : field!, ...rest];
      const [k, ...inner] = rest;
      return typeof k === 'number' ? ['rows', classRows[k]!, ...rowPathOfClass(inner)] : ['rows', group.rows[0]!, 'class'];
    };
    const r = ClubInput.safeParse(candidate);
    if (!r.success) issues.push(...problems(r.error, candidate, at));
    // against the school too, the classes that are well formed, so that every problem shows at once
    const skill = ClubInput.shape.skill.safeParse(club.skill);
    if (skill.success) {
      const wellFormed = candidate.classes.map(
        (k) => ClubClassInput.safeParse(k).data ?? { grades: [], fixedStaffId: null, preferredStaffId: null },
      );
      const school = clubIssuesAgainstSchool(
        { skill: skill.data, classes: wellFormed },
        { gradeLevels: ctx.gradeLevels, staff: staffById },
      );
      issues.push(...school.map((s) => ({ path: at([...s.path]), message: s.message })));
    }
    if (!r.success || issues.length > before) continue;
    const withIds: ClubClass[] = r.data.classes.map(
      (k, i) => ({ ...pick(k, CLASS_INPUT_FIELDS), id: classes[i]!.id ?? ctx.newId() }) as ClubClass,
    );
    const input = { ...pick(r.data, CLUB_INPUT_FIELDS), classes: withIds };
    const lineage = () => ({ lineageId: ctx.newId() });
    settle(plan, input, prev, CLUB_INPUT_FIELDS, group.rows, ctx, lineage);
  }
  return finished(plan, issues, file);
}

/** What an import reports: counts and every record the file names. */
export function setupImportResult(plan: SetupPlan<{ id: string; name: string }>, rows: number): SetupImportResult {
  const count = (a: 'created' | 'updated' | 'unchanged') => plan.records.filter((r) => r.action === a).length;
  return {
    rows,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    records: plan.records.map((r) => ({ id: r.record.id, name: r.record.name, action: r.action, rows: r.rows })),
  };
}

// ---------------------------------------------------------------- templates
/** The kinds of import a template is served for: students and the set-up kinds. */
export const IMPORT_TEMPLATES = ['students', ...SETUP_IMPORT_KINDS] as const;
export type ImportTemplate = (typeof IMPORT_TEMPLATES)[number];

/**
 * A template to fill in: the columns with Chinese or English headers and an example row
 * (for clubs two: a club's two tiers, the second needing the first), as CSV with a UTF-8
 * BOM, so that Excel opens it right.
 */
export function importTemplate(kind: ImportTemplate, lang: 'zh' | 'en'): string {
  if (kind === 'students') return studentTemplate(lang);
  const columns = COLUMNS[kind].filter((c) => !c.hidden);
  const example = (c: Column, second: boolean) =>
    second
      ? ((lang === 'en' ? c.example2En : undefined) ?? c.example2 ?? '')
      : ((lang === 'en' ? c.exampleEn : undefined) ?? c.example);
  const rows = kind === 'clubs' ? [false, true] : [false];
  return toCsv(
    columns.map((c) => (lang === 'en' ? c.en : c.zh)),
    rows.map((second) => columns.map((c) => example(c, second))),
  );
}

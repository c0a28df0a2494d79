/**
 * Bulk import of students and their guardians, from JSON rows or a CSV file (as exported
 * from Excel or the school's records system). Pure: reading and checking the file,
 * planning, the difference against what the school has, the steps a worker writes in, and
 * the import's status record; the store writes.
 */
import * as z from 'zod';
import { toCsv } from './calendar';
import { headerKey, parseCsv } from './csv-import';
import { InvalidInput, type Issue, type IssuePath } from './errors';
import { created, type Stamp } from './entity';
import { JobStatus } from './jobs';
import { GuardianContact, Relation, StudentInput, guardianIdFor, type Guardian, type Student } from './people';

/** Rows in one import, CSV or JSON; a school's whole roster fits. */
export const MAX_IMPORT_ROWS = 50_000;
const TOO_MANY_ROWS = `must have at most ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split the file and import each part`;
/** Per-row problems kept and shown (the count says how many there were). */
export const MAX_IMPORT_ERRORS = 1000;

/** A guardian in an import; without a relation, an existing guardian keeps theirs. */
const ImportGuardian = GuardianContact.extend({ relation: Relation.optional() });
export const ImportRow = StudentInput.extend({
  guardians: z.array(ImportGuardian).max(4).default([]),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportMode = z.enum(['create', 'upsert']).meta({
  description: 'create: a student number that exists already is an error; upsert: it updates that student',
});
export type ImportMode = z.infer<typeof ImportMode>;

const { $schema: _, ...rowSchema } = z.toJSONSchema(ImportRow, { io: 'input', target: 'draft-2020-12' });
export const ImportRequest = z.object({
  mode: ImportMode.default('upsert'),
  // every row is checked by validateImportRows, so that each problem is reported with its row
  // number; the document shows the shape a row must have
  rows: z
    .array(z.unknown())
    .min(1, 'must have at least one row')
    .max(MAX_IMPORT_ROWS, TOO_MANY_ROWS)
    .meta({ items: rowSchema, description: 'one student a row, with up to 4 guardians' }),
});
export type ImportRequest = z.infer<typeof ImportRequest>;

export const ImportError = z.object({
  row: z.number().int().meta({ description: 'the row of the file, from 0 (the first row after a CSV header)' }),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});
export type ImportError = z.infer<typeof ImportError>;

/** An import's status resource: a job (see jobs.ts) whose progress counts rows. */
export const ImportJob = JobStatus.extend({
  importId: z.string(),
  mode: ImportMode,
  rows: z.number().int().meta({ description: 'rows in the file' }),
  studentsWritten: z.number().int(),
  guardiansWritten: z.number().int(),
  errors: z.array(ImportError).meta({ description: `per-row problems, the first ${MAX_IMPORT_ERRORS}` }),
  errorCount: z.number().int(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** The record of an import just accepted: queued, nothing done. */
export function queuedImport(importId: string, mode: ImportMode, rows: number, stamp: Stamp): ImportJob {
  return {
    importId,
    state: 'queued',
    mode,
    rows,
    progress: { done: 0, of: rows },
    studentsWritten: 0,
    guardiansWritten: 0,
    errors: [],
    errorCount: 0,
    message: null,
    at: stamp.now.toISOString(),
    by: stamp.by,
    startedAt: null,
    finishedAt: null,
  };
}

/**
 * The rows of an import request (JSON rows or CSV text), every one checked; any problem
 * rejects the whole file (InvalidInput with every problem's path, as the file numbers it).
 */
export function readImport(
  body: string | ImportRequest,
  modeParam: ImportMode | undefined,
  gradeLevels: ReadonlySet<number>,
): { mode: ImportMode; rows: ImportRow[] } {
  let raw: unknown[];
  let filePath = (path: IssuePath) => path;
  let mode = modeParam;
  if (typeof body === 'string') {
    const csv = rowsFromCsv(body);
    if (csv.issues.length) throw new InvalidInput(csv.issues, 'The CSV file cannot be read; nothing was imported');
    if (csv.rows.length === 0) throw InvalidInput.at(['rows'], 'must have at least one row');
    if (csv.rows.length > MAX_IMPORT_ROWS) throw InvalidInput.at(['rows'], TOO_MANY_ROWS);
    raw = csv.rows;
    filePath = csv.filePath;
  } else {
    raw = body.rows;
    mode ??= body.mode;
  }
  const checked = validateImportRows(raw, gradeLevels);
  if (checked.issues.length) {
    throw new InvalidInput(
      checked.issues.slice(0, MAX_IMPORT_ERRORS).map((i) => ({ ...i, path: filePath(i.path) })),
      `${checked.issues.length} problem(s) in ${raw.length} rows; nothing was imported`,
    );
  }
  return { mode: mode ?? 'upsert', rows: checked.rows };
}

/** Validates every row (not just the first bad one) and the rows against each other and the school. */
export function validateImportRows(
  rows: readonly unknown[],
  gradeLevels: ReadonlySet<number>,
): { rows: ImportRow[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const ok: ImportRow[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((raw, i) => {
    const r = ImportRow.safeParse(raw);
    if (!r.success) {
      for (const e of r.error.issues) issues.push({ path: ['rows', i, ...(e.path as (string | number)[])], message: e.message });
      return;
    }
    const row = r.data;
    const seen = firstRowOf.get(row.studentNo);
    if (seen !== undefined) {
      issues.push({ path: ['rows', i, 'studentNo'], message: `student ${row.studentNo} is also in row ${seen}` });
      return;
    }
    firstRowOf.set(row.studentNo, i);
    if (!gradeLevels.has(row.gradeLevel)) {
      issues.push({ path: ['rows', i, 'gradeLevel'], message: `the school has no grade ${row.gradeLevel}` });
      return;
    }
    ok.push(row);
  });
  return { rows: ok, issues };
}

export interface ImportPlan {
  students: Array<StudentInput & { row: number; guardianIds: string[] }>;
  guardians: Array<{ id: string; name: string; phone: string; relation: Guardian['relation'] | undefined; children: string[] }>;
}

/** One guardian per phone number, linked to every child of theirs in the file. */
export function planImport(schoolId: string, rows: readonly ImportRow[]): ImportPlan {
  const guardians = new Map<string, ImportPlan['guardians'][number]>();
  const students = rows.map((row, i) => {
    const guardianIds: string[] = [];
    for (const g of row.guardians) {
      const id = guardianIdFor(schoolId, g.phone);
      const existing = guardians.get(id);
      if (existing) {
        if (!existing.children.includes(row.studentNo)) existing.children.push(row.studentNo);
      } else guardians.set(id, { id, name: g.name, phone: g.phone, relation: g.relation, children: [row.studentNo] });
      if (!guardianIds.includes(id)) guardianIds.push(id);
    }
    const { guardians: _contacts, ...student } = row;
    return { ...student, row: i, guardianIds };
  });
  return { students, guardians: [...guardians.values()] };
}

export interface ImportChange<T> {
  prev: T | null;
  next: T;
  /** the file rows this change comes from */
  rows: number[];
}
export interface ImportDiff {
  students: ImportChange<Student>[];
  guardians: ImportChange<Guardian>[];
  issues: Issue[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const union = (a: readonly string[], b: readonly string[]) => [...a, ...b.filter((x) => !a.includes(x))];

/**
 * What an import changes, against what the school has now: new students and guardians,
 * changed ones (next version), and nothing for rows that change nothing, so importing
 * the same file twice writes nothing the second time. Links are only ever added: a child
 * keeps guardians the file does not mention, a guardian keeps children in other files.
 */
export function diffImport(
  schoolId: string,
  plan: ImportPlan,
  mode: 'create' | 'upsert',
  existing: { students: ReadonlyMap<string, Student>; guardians: ReadonlyMap<string, Guardian> },
  stamp: Stamp,
): ImportDiff {
  const at = stamp.now.toISOString();
  const issues: Issue[] = [];
  const students: ImportChange<Student>[] = [];
  const rowsOfGuardian = new Map<string, number[]>();
  for (const s of plan.students) {
    for (const g of s.guardianIds) rowsOfGuardian.set(g, [...(rowsOfGuardian.get(g) ?? []), s.row]);
    const prev = existing.students.get(s.studentNo) ?? null;
    const fields = { studentNo: s.studentNo, name: s.name, gradeLevel: s.gradeLevel, homeroom: s.homeroom };
    if (!prev) {
      students.push({
        prev: null,
        rows: [s.row],
        next: {
          ...created({ ...fields, id: s.studentNo, schoolId, status: 'active' as const, guardianIds: s.guardianIds }, stamp),
        },
      });
      continue;
    }
    if (mode === 'create') {
      issues.push({
        path: ['rows', s.row, 'studentNo'],
        message: `student ${s.studentNo} exists already (use mode "upsert" to update)`,
      });
      continue;
    }
    const guardianIds = union(prev.guardianIds, s.guardianIds);
    const same =
      prev.name === s.name &&
      prev.gradeLevel === s.gradeLevel &&
      prev.homeroom === s.homeroom &&
      prev.status === 'active' &&
      sameList(prev.guardianIds, guardianIds);
    if (same) continue;
    students.push({
      prev,
      rows: [s.row],
      next: { ...prev, ...fields, status: 'active', guardianIds, version: prev.version + 1, updatedAt: at, updatedBy: stamp.by },
    });
  }
  const refusedRows = new Set(issues.map((i) => i.path[1]));
  const refusedStudents = new Set(plan.students.filter((s) => refusedRows.has(s.row)).map((s) => s.studentNo));
  const guardians: ImportChange<Guardian>[] = [];
  for (const g of plan.guardians) {
    const rows = (rowsOfGuardian.get(g.id) ?? []).filter((r) => !refusedRows.has(r));
    const children = g.children.filter((c) => !refusedStudents.has(c));
    if (children.length === 0) continue;
    const prev = existing.guardians.get(g.id) ?? null;
    if (!prev) {
      const relation = g.relation ?? 'guardian';
      guardians.push({
        prev: null,
        rows,
        next: created({ id: g.id, schoolId, name: g.name, phone: g.phone, relation, children, userId: null }, stamp),
      });
      continue;
    }
    const relation = g.relation ?? prev.relation;
    const merged = union(prev.children, children);
    if (prev.name === g.name && prev.relation === relation && sameList(prev.children, merged)) continue;
    guardians.push({
      prev,
      rows,
      next: { ...prev, name: g.name, relation, children: merged, version: prev.version + 1, updatedAt: at, updatedBy: stamp.by },
    });
  }
  return { students, guardians, issues };
}

// ---------------------------------------------------------------- the worker's steps
export interface ImportStep {
  students: ImportChange<Student>[];
  guardians: ImportChange<Guardian>[];
  /** rows of the file done once this step is written */
  done: number;
}

/**
 * The changes of a diff in steps of `size` rows of the file, in file order, so that a
 * worker can write one step at a time and report progress. A guardian is written with the
 * last of its rows, once its children are. Steps that write nothing are left out.
 */
export function importSteps(diff: ImportDiff, rows: number, size: number): ImportStep[] {
  const steps = new Map<number, ImportStep>();
  const stepOf = (row: number) => {
    const n = Math.floor(row / size);
    let step = steps.get(n);
    if (!step) steps.set(n, (step = { students: [], guardians: [], done: Math.min(rows, (n + 1) * size) }));
    return step;
  };
  for (const c of diff.students) stepOf(c.rows[0] ?? 0).students.push(c);
  for (const c of diff.guardians) stepOf(Math.max(0, ...c.rows)).guardians.push(c);
  return [...steps.entries()].sort(([a], [b]) => a - b).map(([, step]) => step);
}

/** Problems at rows of the file (paths ["rows", i, …]) as an import's errors, the first MAX_IMPORT_ERRORS. */
export function importErrors(issues: readonly Issue[]): ImportError[] {
  return issues
    .slice(0, MAX_IMPORT_ERRORS)
    .map((i) => ({ row: typeof i.path[1] === 'number' ? i.path[1] : 0, path: [...i.path], message: i.message }));
}

/** What an import the school refused as a whole (create mode, students that exist) records. */
export function refusedImport(issues: readonly Issue[]): Pick<ImportJob, 'errors' | 'errorCount' | 'message'> {
  return {
    errors: importErrors(issues),
    errorCount: issues.length,
    message: `${issues.length.toLocaleString('en')} row(s) name students who exist already (use mode "upsert" to update them); nothing was imported`,
  };
}

/** What a finished import says, in words. */
export function finishedImport(job: Pick<ImportJob, 'rows' | 'studentsWritten' | 'guardiansWritten' | 'errorCount'>): string {
  const n = (x: number) => x.toLocaleString('en');
  const written =
    job.studentsWritten + job.guardiansWritten === 0
      ? 'nothing changed'
      : `${n(job.studentsWritten)} student(s) and ${n(job.guardiansWritten)} guardian(s) written`;
  const left = job.errorCount ? `; ${n(job.errorCount)} row(s) not applied (see errors): import them again` : '';
  return `${n(job.rows)} row(s) imported: ${written}${left}`;
}

// ---------------------------------------------------------------- CSV
/** Column headers understood, in English and Chinese. */
const HEADERS: Record<string, string> = {
  studentno: 'studentNo',
  学号: 'studentNo',
  学籍号: 'studentNo',
  name: 'name',
  姓名: 'name',
  学生姓名: 'name',
  grade: 'gradeLevel',
  gradelevel: 'gradeLevel',
  年级: 'gradeLevel',
  homeroom: 'homeroom',
  class: 'homeroom',
  班级: 'homeroom',
};
const GUARDIAN_HEADERS: Record<string, 'name' | 'phone' | 'relation'> = {
  name: 'name',
  姓名: 'name',
  phone: 'phone',
  电话: 'phone',
  手机: 'phone',
  relation: 'relation',
  关系: 'relation',
};
const GUARDIAN_RE = /^(?:guardian|家长)([1-9])(.+)$/; // numbered from 1: a "guardian0" column is unknown, not dropped

/**
 * Turns CSV text into rows for `validateImportRows`. Columns: studentNo, name, grade,
 * homeroom, then guardian1Name, guardian1Phone, guardian1Relation, guardian2Name …
 * (or 学号, 姓名, 年级, 班级, 家长1姓名, 家长1电话, 家长1关系 …).
 */
export function rowsFromCsv(text: string): {
  rows: unknown[];
  issues: Issue[];
  /** a validation path of the rows, with guardians numbered as in the file (家长2 stays guardians[1] when 家长1 is empty) */
  filePath: (path: IssuePath) => IssuePath;
} {
  const table = parseCsv(text);
  const header = table[0];
  const slots: number[][] = []; // per row: guardian in the row → its number in the file, from 0
  const filePath = (path: IssuePath): IssuePath => {
    const [rows, i, guardians, k, ...rest] = path;
    if (rows !== 'rows' || typeof i !== 'number' || guardians !== 'guardians' || typeof k !== 'number') return path;
    return ['rows', i, 'guardians', slots[i]?.[k] ?? k, ...rest];
  };
  if (!header) return { rows: [], issues: [{ path: ['csv'], message: 'the file is empty' }], filePath };
  const columns = header.map((h) => {
    const key = headerKey(h);
    if (HEADERS[key]) return { field: HEADERS[key] };
    const m = GUARDIAN_RE.exec(key);
    const sub = m ? GUARDIAN_HEADERS[m[2]!] : undefined;
    if (m && sub) return { guardian: Number(m[1]) - 1, field: sub };
    return null;
  });
  const issues: Issue[] = [];
  header.forEach((h, i) => {
    if (columns[i] === null) issues.push({ path: ['csv', 'header', i], message: `unknown column "${h}"` });
  });
  for (const need of ['studentNo', 'name', 'gradeLevel', 'homeroom']) {
    if (!columns.some((c) => c && !('guardian' in c) && c.field === need))
      issues.push({ path: ['csv', 'header'], message: `missing column ${need}` });
  }
  if (issues.length) return { rows: [], issues, filePath };
  const rows = table.slice(1).map((cells) => {
    const row: Record<string, unknown> = {};
    const guardians: Record<string, string>[] = [];
    columns.forEach((c, i) => {
      const v = (cells[i] ?? '').trim();
      if (!c) return;
      if ('guardian' in c && c.guardian !== undefined) {
        if (v === '') return;
        (guardians[c.guardian] ??= {})[c.field] = v;
      } else row[c.field] = c.field === 'gradeLevel' && /^\d+$/.test(v) ? Number(v) : v;
    });
    slots.push(guardians.flatMap((g, k) => (g ? [k] : [])));
    row.guardians = guardians.filter(Boolean);
    return row;
  });
  return { rows, issues, filePath };
}

/** The students template: the columns with one guardian, Chinese or English headers, and an example row. */
export function studentTemplate(lang: 'zh' | 'en'): string {
  const header =
    lang === 'en'
      ? ['studentNo', 'name', 'grade', 'homeroom', 'guardian1Name', 'guardian1Phone', 'guardian1Relation']
      : ['学号', '姓名', '年级', '班级', '家长1姓名', '家长1电话', '家长1关系'];
  const example = lang === 'en' ? ['20260301', 'Li Xiaoming', 3, '2', 'Li Qiang', '13800138000', 'father'] : ['20260301', '李小明', 3, '2', '李强', '13800138000', 'father'];
  return toCsv(header, [example]);
}

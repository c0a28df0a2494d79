/**
 * Bulk import of students and their guardians, from JSON rows or a CSV file (as exported
 * from Excel or the school's records system). Pure: validation and planning only; the
 * store writes the plan.
 */
import * as z from 'zod';
import type { Issue, IssuePath } from './errors';
import { created, type Stamp } from './entity';
import { GuardianContact, Relation, StudentInput, guardianIdFor, type Guardian, type Student } from './people';

export const MAX_IMPORT_ROWS = 10_000;

/** A guardian in an import; without a relation, an existing guardian keeps theirs. */
const ImportGuardian = GuardianContact.extend({ relation: Relation.optional() });
export const ImportRow = StudentInput.extend({
  guardians: z.array(ImportGuardian).max(4).default([]),
});
export type ImportRow = z.infer<typeof ImportRow>;

export const ImportMode = z.enum(['create', 'upsert']).meta({
  description: 'create: a student number that exists already is an error; upsert: it updates that student',
});
export const ImportRequest = z.object({
  mode: ImportMode.default('upsert'),
  rows: z.array(z.unknown()).min(1, 'must have at least one row').max(MAX_IMPORT_ROWS),
});

export const ImportResult = z.object({
  importId: z.string(),
  status: z.enum(['complete', 'partial']),
  mode: ImportMode,
  rows: z.number().int(),
  studentsWritten: z.number().int(),
  guardiansWritten: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), path: z.array(z.union([z.string(), z.number()])), message: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResult>;

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

// ---------------------------------------------------------------- CSV
/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM from Excel. */
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) out.push(row);
      row = [];
      if (c === '\r' && s[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  row.push(field);
  if (row.some((f) => f !== '')) out.push(row);
  return out;
}

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
    const key = h.trim().replace(/[\s_]/g, '').toLowerCase();
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

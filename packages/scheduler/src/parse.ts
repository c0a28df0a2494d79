import type { z } from 'zod';
import { InstanceSchema, type Instance } from './schema';

export interface Issue {
  path: (string | number)[];
  message: string;
}

/** Input that is not what the formats allow; `issues` carry field paths for a 400 answer. */
export class InputError extends Error {
  readonly issues: readonly Issue[];
  constructor(what: string, issues: readonly Issue[]) {
    super(`${what}: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
    this.name = new.target.name;
    this.issues = issues;
  }
}

/** A malformed instance (bad shape, bad time, duplicate id, unknown reference). */
export class InstanceError extends InputError {
  constructor(issues: readonly Issue[]) {
    super('instance', issues);
  }
}

/** Something that is neither a timetable ({sessions: [...]}) nor a refusal ({infeasible: true}). */
export class AnswerError extends InputError {
  constructor(issues: readonly Issue[]) {
    super('answer', issues);
  }
}

export function formatPath(path: readonly (string | number)[]): string {
  if (!path.length) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Validates shapes (zod) and then references; throws InstanceError listing every problem found. */
export function parseInstance(json: unknown): Instance {
  const shaped = InstanceSchema.safeParse(json);
  if (!shaped.success) throw new InstanceError(zodIssues(shaped.error));
  const issues = referenceIssues(shaped.data);
  if (issues.length) throw new InstanceError(issues);
  return shaped.data;
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
    message: i.message,
  }));
}

/** Duplicate ids and days, and references to grades, staff and classes that do not exist. */
function referenceIssues(inst: Instance): Issue[] {
  const issues: Issue[] = [];
  const unique = (ids: readonly string[], path: string): Set<string> => {
    const first = new Map<string, number>();
    ids.forEach((id, i) => {
      const j = first.get(id);
      if (j === undefined) first.set(id, i);
      else issues.push({ path: [path, i, 'id'], message: `duplicate id '${id}' (also ${path}[${j}])` });
    });
    return new Set(first.keys());
  };
  const seenDays = new Set<string>();
  inst.days.forEach((d, i) => {
    if (seenDays.has(d)) issues.push({ path: ['days', i], message: `${d} is listed twice` });
    seenDays.add(d);
  });
  const grades = unique(
    inst.grades.map((g) => g.id),
    'grades',
  );
  unique(
    inst.rooms.map((r) => r.id),
    'rooms',
  );
  const staff = unique(
    inst.staff.map((s) => s.id),
    'staff',
  );
  const classes = unique(
    inst.classes.map((c) => c.id),
    'classes',
  );
  inst.classes.forEach((c, i) => {
    c.grades.forEach((g, j) => {
      if (!grades.has(g)) issues.push({ path: ['classes', i, 'grades', j], message: `unknown grade '${g}'` });
    });
    if (c.staff != null && !staff.has(c.staff)) issues.push({ path: ['classes', i, 'staff'], message: `unknown staff '${c.staff}'` });
  });
  if (inst.students) {
    unique(
      inst.students.map((s) => s.id),
      'students',
    );
    inst.students.forEach((s, i) =>
      s.classes.forEach((c, j) => {
        if (!classes.has(c)) issues.push({ path: ['students', i, 'classes', j], message: `unknown class '${c}'` });
      }),
    );
  }
  return issues;
}

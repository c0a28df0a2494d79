/**
 * What the server said of an import, put beside the rows of the file: a refused file's
 * problems (a 400's errors at ["rows", row, …field]), a finished job's rows not applied, or
 * what a set-up import did with each row. Rows are numbered as the server numbers them: from
 * 0, the first row after the header.
 */

export interface RowNotes {
  /** per row: what was said of it */
  rows: Map<number, string[]>;
  /** what was said of the file as a whole (its header, its encoding, its size) */
  file: string[];
}

/**
 * Names the field of a row a message is about ("guardians.1.phone" → "家长2电话"); "" when the
 * messages name it themselves; undefined for the path as it is.
 */
export type FieldLabel = (field: string[]) => string | undefined;

/**
 * A problem's messages by field path, the path joined with "." (as `readProblem` gives them:
 * "rows.3.guardians.0.phone"), sorted to their rows.
 */
export function notesOf(fields: Record<string, string>, label: FieldLabel = () => undefined): RowNotes {
  const notes: RowNotes = { rows: new Map(), file: [] };
  for (const [key, message] of Object.entries(fields)) {
    const [head, row, ...field] = key.split('.');
    const n = Number(row);
    if (head === 'rows' && row !== undefined && Number.isInteger(n) && n >= 0) {
      const name = field.length ? (label(field) ?? field.join('.')) : '';
      notes.rows.set(n, [...(notes.rows.get(n) ?? []), name ? `${name}: ${message}` : message]);
    } else notes.file.push(key === '' || head === 'csv' ? message : `${key}: ${message}`);
  }
  return notes;
}

/** The path of each problem joined with ".", several at one path joined with "; " (a job's errors, as a 400's). */
export function fieldsOf(
  errors: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const e of errors) {
    const key = e.path.join('.');
    fields[key] = fields[key] ? `${fields[key]}; ${e.message}` : e.message;
  }
  return fields;
}

/** Most rows a table shows: a school's whole roster is 20,000. */
export const MAX_SHOWN_ROWS = 200;

/**
 * Which rows to show: all of a small file; of a large one, the rows something was said of
 * (else its first rows). `of` is how many were left out.
 */
export function rowsToShow(count: number, noted: ReadonlySet<number>, max = MAX_SHOWN_ROWS): { rows: number[]; of: number } {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= max) return { rows: all, of: 0 };
  const rows = noted.size ? [...noted].filter((r) => r < count).sort((a, b) => a - b) : all.slice(0, max);
  return { rows, of: count - rows.length };
}

/** What a set-up import (rooms, staff, clubs) did, record by record, each with the rows it comes from. */
export interface SetupOutcome {
  records: ReadonlyArray<{ name: string; action: 'created' | 'updated' | 'unchanged'; rows: readonly number[] }>;
}

/** Beside each row: what became of the record it names ("created: 舞蹈室 1"). */
export function outcomeNotes(
  result: SetupOutcome,
  word: (action: SetupOutcome['records'][number]['action']) => string,
): RowNotes {
  const notes: RowNotes = { rows: new Map(), file: [] };
  for (const r of result.records)
    for (const row of r.rows) notes.rows.set(row, [...(notes.rows.get(row) ?? []), `${word(r.action)}: ${r.name}`]);
  return notes;
}

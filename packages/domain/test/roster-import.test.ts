import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { guardianIdFor, type Guardian, type Student } from '../src/people';
import * as z from 'zod';
import { InvalidInput } from '../src/errors';
import { parseCsv } from '../src/csv-import';
import {
  diffImport,
  finishedImport,
  importErrors,
  importSteps,
  ImportRequest,
  MAX_IMPORT_ERRORS,
  MAX_IMPORT_ROWS,
  planImport,
  queuedImport,
  readImport,
  refusedImport,
  rowsFromCsv,
  validateImportRows,
  type ImportDiff,
  type ImportRow,
} from '../src/roster-import';

const SCHOOL = 's-1';
const GRADES = new Set([1, 2, 3, 4, 5, 6]);
const T0 = new Date('2026-09-01T08:00:00.000Z');
const T1 = new Date('2026-09-15T10:00:00.000Z');
const stamp0 = { by: 'u-admin', now: T0 };
const stamp1 = { by: 'u-admin-2', now: T1 };

const MOM = { name: '李华', phone: '13800138000', relation: 'mother' };
const DAD = { name: '李强', phone: '13900139000', relation: 'father' };
const row = (studentNo: string, over: Record<string, unknown> = {}) => ({
  studentNo,
  name: `学生${studentNo}`,
  gradeLevel: 3,
  homeroom: '2',
  guardians: [MOM],
  ...over,
});

/** Valid rows, as validateImportRows gives them (guardian phones normalised, defaults set). */
const valid = (rows: unknown[]): ImportRow[] => {
  const r = validateImportRows(rows, GRADES);
  expect(r.issues).toEqual([]);
  return r.rows;
};

type Existing = { students: Map<string, Student>; guardians: Map<string, Guardian> };
const none = (): Existing => ({ students: new Map(), guardians: new Map() });
/** What the store would hold after writing a diff. */
const apply = (before: Existing, diff: ImportDiff): Existing => {
  const after = { students: new Map(before.students), guardians: new Map(before.guardians) };
  for (const c of diff.students) after.students.set(c.next.id, c.next);
  for (const c of diff.guardians) after.guardians.set(c.next.id, c.next);
  return after;
};
const importRows = (rows: unknown[], existing = none(), mode: 'create' | 'upsert' = 'upsert', stamp = stamp0) =>
  diffImport(SCHOOL, planImport(SCHOOL, valid(rows)), mode, existing, stamp);

// ---------------------------------------------------------------- CSV
describe('parseCsv', () => {
  it('splits rows and fields', () => {
    expect(parseCsv('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads quoted fields, with doubled quotes, commas and line breaks inside', () => {
    const csv = '"Li, Ming","say ""你好""","line 1\nline 2",plain\n"a\r\nb",""';
    expect(parseCsv(csv)).toEqual([
      ['Li, Ming', 'say "你好"', 'line 1\nline 2', 'plain'],
      ['a\r\nb', ''],
    ]);
  });

  it('takes CRLF, LF and lone CR line ends, without leaving \\r in fields', () => {
    expect(parseCsv('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseCsv('a\rb\r')).toEqual([['a'], ['b']]);
  });

  it('drops the UTF-8 byte order mark Excel writes, and only at the very start', () => {
    expect(parseCsv('\uFEFF学号,姓名\n1,李明')).toEqual([
      ['学号', '姓名'],
      ['1', '李明'],
    ]);
    expect(parseCsv('a,\uFEFFb')[0]![1]).toBe('\uFEFFb');
  });

  it('skips blank lines and rows of empty fields, but keeps empty fields in other rows', () => {
    expect(parseCsv('\n\na,,c\n\n,,\n"",""\r\n\r\nx,\n\n')).toEqual([
      ['a', '', 'c'],
      ['x', ''],
    ]);
  });

  it('reads nothing from an empty text', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('\uFEFF')).toEqual([]);
    expect(parseCsv('\r\n\n')).toEqual([]);
  });

  it('reads back any table written the RFC 4180 way', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '中', '"', ',', '\n', '\r', '\r\n', 'é'), maxLength: 8 });
    const table = fc
      .array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 6 })
      .map((rows) => rows.filter((r) => r.some((f) => f !== '')));
    const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.boolean(), (rows, eol, bom) => {
        const text = (bom ? '\uFEFF' : '') + rows.map((r) => r.map(quote).join(',')).join(eol) + eol;
        expect(parseCsv(text)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });
});

describe('rowsFromCsv', () => {
  it('reads English headers into import rows, guardians numbered from 1', () => {
    const csv = [
      'studentNo,name,grade,homeroom,guardian1Name,guardian1Phone,guardian1Relation,guardian2Name,guardian2Phone,guardian2Relation',
      '20260301,李明,3,2,李华,13800138000,mother,李强,13900139000,father',
      '20260302,王芳,4,1,王伟,13700137000,,,,',
    ].join('\n');
    const r = rowsFromCsv(csv);
    expect(r.issues).toEqual([]);
    expect(r.rows).toEqual([
      {
        studentNo: '20260301',
        name: '李明',
        gradeLevel: 3,
        homeroom: '2',
        guardians: [
          { name: '李华', phone: '13800138000', relation: 'mother' },
          { name: '李强', phone: '13900139000', relation: 'father' },
        ],
      },
      { studentNo: '20260302', name: '王芳', gradeLevel: 4, homeroom: '1', guardians: [{ name: '王伟', phone: '13700137000' }] },
    ]);
  });

  it('reads the Chinese headers of school records systems, with the BOM and CRLF of Excel', () => {
    const csv =
      '\uFEFF学号,姓名,年级,班级,家长1姓名,家长1电话,家长1关系,家长2姓名,家长2手机\r\n20260301,李明,3,2,李华,13800138000,mother,李强,139 0013 9000\r\n';
    const r = rowsFromCsv(csv);
    expect(r.issues).toEqual([]);
    expect(r.rows).toEqual([
      {
        studentNo: '20260301',
        name: '李明',
        gradeLevel: 3,
        homeroom: '2',
        guardians: [
          { name: '李华', phone: '13800138000', relation: 'mother' },
          { name: '李强', phone: '139 0013 9000' },
        ],
      },
    ]);
  });

  it('takes header spellings with spaces, underscores and capitals, and the other Chinese names', () => {
    expect(rowsFromCsv('Student No,NAME,Grade_Level,Class\n1,a,3,1').issues).toEqual([]);
    expect(
      rowsFromCsv('student_no,name,gradelevel,homeroom,Guardian 1 Phone,guardian1 name\n1,a,3,1,13800138000,x').rows,
    ).toEqual([{ studentNo: '1', name: 'a', gradeLevel: 3, homeroom: '1', guardians: [{ phone: '13800138000', name: 'x' }] }]);
    expect(rowsFromCsv('学籍号,学生姓名,年级,班级\n1,a,3,1').issues).toEqual([]);
  });

  it('trims cells, and keeps a grade that is not a number as text for validation to refuse', () => {
    const r = rowsFromCsv('学号,姓名,年级,班级\n 1 , 李明 ,三年级, 2 \n2,王芳, 03 ,1');
    expect(r.rows[0]).toMatchObject({ studentNo: '1', name: '李明', gradeLevel: '三年级', homeroom: '2' });
    expect(r.rows[1]).toMatchObject({ gradeLevel: 3 });
    const checked = validateImportRows(r.rows, GRADES);
    expect(checked.issues.map((i) => i.path)).toEqual([['rows', 0, 'gradeLevel']]);
  });

  it('reports a problem of guardian 2 at guardians[1] when guardian 1 is left empty', () => {
    const r = rowsFromCsv(
      '学号,姓名,年级,班级,家长1姓名,家长1电话,家长2姓名,家长2电话\n1,a,3,1,,,李强,12345\n2,b,3,1,李华,13800138000,王芳,12345',
    );
    const checked = validateImportRows(r.rows, GRADES);
    expect(checked.issues.map((i) => i.path)).toEqual([
      ['rows', 0, 'guardians', 0, 'phone'],
      ['rows', 1, 'guardians', 1, 'phone'],
    ]);
    expect(checked.issues.map((i) => r.filePath(i.path))).toEqual([
      ['rows', 0, 'guardians', 1, 'phone'],
      ['rows', 1, 'guardians', 1, 'phone'],
    ]);
    expect(r.filePath(['rows', 0, 'name'])).toEqual(['rows', 0, 'name']);
  });

  it('reports an unknown column by its position and name, and reads no rows', () => {
    const r = rowsFromCsv('学号,姓名,年级,班级,备注\n1,a,3,1,x');
    expect(r.rows).toEqual([]);
    expect(r.issues).toEqual([{ path: ['csv', 'header', 4], message: 'unknown column "备注"' }]);
  });

  it('reports a guardian column numbered 0 as unknown rather than dropping what it holds', () => {
    const r = rowsFromCsv('学号,姓名,年级,班级,家长0姓名,家长0电话\n1,a,3,1,李华,13800138000');
    expect(r.rows).toEqual([]);
    expect(r.issues.map((i) => i.path)).toEqual([
      ['csv', 'header', 4],
      ['csv', 'header', 5],
    ]);
  });

  it('reports every missing required column', () => {
    const r = rowsFromCsv('studentNo,name\n1,a');
    expect(r.rows).toEqual([]);
    expect(r.issues).toEqual([
      { path: ['csv', 'header'], message: 'missing column gradeLevel' },
      { path: ['csv', 'header'], message: 'missing column homeroom' },
    ]);
  });

  it('does not count a guardian name column as the student name', () => {
    const r = rowsFromCsv('studentNo,guardian1Name,grade,homeroom\n1,a,3,1');
    expect(r.issues).toEqual([{ path: ['csv', 'header'], message: 'missing column name' }]);
  });

  it('reports an empty file', () => {
    for (const text of ['', '\uFEFF', '\r\n\r\n']) {
      expect(rowsFromCsv(text)).toMatchObject({ rows: [], issues: [{ path: ['csv'], message: 'the file is empty' }] });
    }
  });

  it('reads a header alone as no rows, and short rows as empty cells', () => {
    expect(rowsFromCsv('studentNo,name,grade,homeroom\n')).toMatchObject({ rows: [], issues: [] });
    expect(rowsFromCsv('studentNo,name,grade,homeroom\n1,a').rows).toEqual([
      { studentNo: '1', name: 'a', gradeLevel: '', homeroom: '', guardians: [] },
    ]);
  });
});

// ---------------------------------------------------------------- validation
describe('validateImportRows', () => {
  it('passes good rows through, normalising phones and leaving a missing relation unset', () => {
    const r = validateImportRows([row('1', { guardians: [{ name: '李华', phone: '138 0013 8000' }] })], GRADES);
    expect(r.issues).toEqual([]);
    expect(r.rows[0]!.guardians).toEqual([{ name: '李华', phone: '13800138000' }]);
  });

  it('reports every bad row, with paths under rows and the row number', () => {
    const r = validateImportRows(
      [
        row('1'),
        row('2', { name: '' }),
        row('3', { guardians: [MOM, { name: '王伟', phone: 'call me' }] }),
        row('4', { homeroom: undefined, gradeLevel: 'three' }),
        null,
        row('6'),
      ],
      GRADES,
    );
    expect(r.issues.map((i) => i.path)).toEqual([
      ['rows', 1, 'name'],
      ['rows', 2, 'guardians', 1, 'phone'],
      ['rows', 3, 'gradeLevel'],
      ['rows', 3, 'homeroom'],
      ['rows', 4],
    ]);
    expect(r.rows.map((x) => x.studentNo)).toEqual(['1', '6']);
  });

  it('reports a student number used twice in one file, at the later row, naming the first', () => {
    const r = validateImportRows([row('1'), row('2'), row(' 1 ')], GRADES);
    expect(r.issues).toEqual([{ path: ['rows', 2, 'studentNo'], message: 'student 1 is also in row 0' }]);
    expect(r.rows.map((x) => x.studentNo)).toEqual(['1', '2']);
  });

  it('reports a grade the school does not have', () => {
    const r = validateImportRows([row('1', { gradeLevel: 7 })], GRADES);
    expect(r.issues).toEqual([{ path: ['rows', 0, 'gradeLevel'], message: 'the school has no grade 7' }]);
    expect(r.rows).toEqual([]);
  });

  it('still catches a duplicate of a row whose grade was refused', () => {
    const r = validateImportRows([row('1', { gradeLevel: 9 }), row('1')], GRADES);
    expect(r.issues.map((i) => i.path)).toEqual([
      ['rows', 0, 'gradeLevel'],
      ['rows', 1, 'studentNo'],
    ]);
  });

  it('takes at most 4 guardians a student', () => {
    const five = [1, 2, 3, 4, 5].map((i) => ({ name: `g${i}`, phone: `1380013800${i}` }));
    expect(validateImportRows([row('1', { guardians: five })], GRADES).issues.map((i) => i.path)).toEqual([
      ['rows', 0, 'guardians'],
    ]);
    expect(validateImportRows([row('1', { guardians: five.slice(0, 4) })], GRADES).issues).toEqual([]);
  });
});

describe('ImportRequest', () => {
  it('defaults to upsert and needs at least one row', () => {
    expect(ImportRequest.parse({ rows: [{}] }).mode).toBe('upsert');
    expect(ImportRequest.safeParse({ rows: [] }).success).toBe(false);
    expect(ImportRequest.safeParse({ mode: 'merge', rows: [{}] }).success).toBe(false);
  });

  it(`takes at most ${MAX_IMPORT_ROWS} rows, saying how to go on`, () => {
    const r = ImportRequest.safeParse({ rows: Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ({})) });
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([[['rows'], expect.stringContaining('split the file')]]);
  });

  it('documents the shape of a row, though every row is checked apart (to report each with its number)', () => {
    const doc = z.toJSONSchema(ImportRequest, { io: 'input' }) as any;
    const row = doc.properties.rows.items;
    expect(row.required).toEqual(['studentNo', 'name', 'gradeLevel', 'homeroom']);
    expect(row.properties.guardians.items.required).toEqual(['name', 'phone']);
    expect(row.$schema).toBeUndefined();
    expect(ImportRequest.safeParse({ rows: [{ not: 'a row' }] }).success).toBe(true);
  });
});

describe('readImport', () => {
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInput);
      return e as InvalidInput;
    }
    throw new Error('not refused');
  };

  it('reads JSON rows, with the mode of the query before that of the body', () => {
    const body = ImportRequest.parse({ mode: 'create', rows: [row('1')] });
    expect(readImport(body, undefined, GRADES)).toEqual({ mode: 'create', rows: valid([row('1')]) });
    expect(readImport(body, 'upsert', GRADES).mode).toBe('upsert');
  });

  it('reads a CSV file, upsert unless the query says otherwise', () => {
    const csv = 'studentNo,name,grade,homeroom\n1,李明,3,2\n';
    expect(readImport(csv, undefined, GRADES)).toEqual({
      mode: 'upsert',
      rows: valid([{ studentNo: '1', name: '李明', gradeLevel: 3, homeroom: '2' }]),
    });
    expect(readImport(csv, 'create', GRADES).mode).toBe('create');
  });

  it(`refuses a CSV of more than ${MAX_IMPORT_ROWS} rows, as JSON, or of none`, () => {
    const big = `studentNo,name,grade,homeroom\n${Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `${i},a,3,1`).join('\n')}`;
    expect(refused(() => readImport(big, undefined, GRADES)).issues).toEqual([
      { path: ['rows'], message: expect.stringContaining('split the file') },
    ]);
    expect(refused(() => readImport('studentNo,name,grade,homeroom\n', undefined, GRADES)).issues).toEqual([
      { path: ['rows'], message: 'must have at least one row' },
    ]);
    expect(refused(() => readImport('', undefined, GRADES)).issues).toEqual([{ path: ['csv'], message: 'the file is empty' }]);
  });

  it('reports every bad row as the file numbers it (guardian 2 of the CSV when guardian 1 is empty), the first 1,000', () => {
    const csv =
      'studentNo,name,grade,homeroom,guardian1Name,guardian1Phone,guardian2Name,guardian2Phone\n1,a,3,1,,,李华,12\n2,b,9,1\n';
    const e = refused(() => readImport(csv, undefined, GRADES));
    expect(e.issues.map((i) => i.path)).toEqual([
      ['rows', 0, 'guardians', 1, 'phone'],
      ['rows', 1, 'gradeLevel'],
    ]);
    expect(e.message).toBe('2 problem(s) in 2 rows; nothing was imported');
    const many = ImportRequest.parse({ rows: Array.from({ length: 1500 }, (_, i) => row(String(i), { gradeLevel: 9 })) });
    const m = refused(() => readImport(many, undefined, GRADES));
    expect(m.issues).toHaveLength(MAX_IMPORT_ERRORS);
    expect(m.message).toBe('1500 problem(s) in 1500 rows; nothing was imported');
  });
});

describe('the import job record', () => {
  it('starts queued, nothing done, stamped', () => {
    expect(queuedImport('i1', 'create', 3, stamp0)).toEqual({
      importId: 'i1',
      state: 'queued',
      mode: 'create',
      rows: 3,
      progress: { done: 0, of: 3 },
      studentsWritten: 0,
      guardiansWritten: 0,
      errors: [],
      errorCount: 0,
      message: null,
      at: T0.toISOString(),
      by: 'u-admin',
      startedAt: null,
      finishedAt: null,
    });
  });

  it('lists the rows of a file refused whole, the first 1,000, and counts them all', () => {
    const issues = Array.from({ length: 1200 }, (_, i) => ({ path: ['rows', i, 'studentNo'], message: 'exists' }));
    const r = refusedImport(issues);
    expect(r.errorCount).toBe(1200);
    expect(r.errors).toHaveLength(MAX_IMPORT_ERRORS);
    expect(r.errors[7]).toEqual({ row: 7, path: ['rows', 7, 'studentNo'], message: 'exists' });
    expect(r.message).toBe(
      '1,200 row(s) name students who exist already (use mode "upsert" to update them); nothing was imported',
    );
    expect(importErrors([{ path: ['rows', 3], message: 'x' }])).toEqual([{ row: 3, path: ['rows', 3], message: 'x' }]);
  });

  it('says in words what a finished import did', () => {
    const base = { rows: 1000, studentsWritten: 0, guardiansWritten: 0, errorCount: 0 };
    expect(finishedImport(base)).toBe('1,000 row(s) imported: nothing changed');
    expect(finishedImport({ ...base, studentsWritten: 998, guardiansWritten: 1200, errorCount: 2 })).toBe(
      '1,000 row(s) imported: 998 student(s) and 1,200 guardian(s) written; 2 row(s) not applied (see errors): import them again',
    );
  });
});

describe('importSteps', () => {
  const SIB = { name: '王芳', phone: '13700137000', relation: 'mother' };
  const rows = Array.from({ length: 10 }, (_, i) => row(String(i), { guardians: i === 1 || i === 7 ? [SIB] : [] }));

  it('writes each change once, in steps of rows in file order, a guardian with the last of its children', () => {
    const diff = importRows(rows);
    const steps = importSteps(diff, 10, 4);
    expect(steps.map((s) => s.done)).toEqual([4, 8, 10]);
    expect(steps.map((s) => s.students.map((c) => c.next.id))).toEqual([
      ['0', '1', '2', '3'],
      ['4', '5', '6', '7'],
      ['8', '9'],
    ]);
    expect(steps.map((s) => s.guardians.map((c) => c.rows))).toEqual([[], [[1, 7]], []]);
  });

  it('leaves out steps with nothing to write', () => {
    const state = apply(none(), importRows(rows));
    const changed = rows.map((r, i) => (i === 9 ? { ...r, name: '改名' } : r));
    const steps = importSteps(importRows(changed, state), 10, 4);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ done: 10, guardians: [] });
    expect(steps[0]!.students.map((c) => c.next.name)).toEqual(['改名']);
    expect(importSteps(importRows(rows, state), 10, 4)).toEqual([]);
  });
});

// ---------------------------------------------------------------- planning
describe('planImport', () => {
  it('makes one guardian for siblings who share a phone number, linked to both', () => {
    const plan = planImport(SCHOOL, valid([row('1'), row('2', { guardians: [{ ...MOM, phone: '138-0013-8000' }] })]));
    const id = guardianIdFor(SCHOOL, '13800138000');
    expect(plan.guardians).toEqual([{ id, name: '李华', phone: '13800138000', relation: 'mother', children: ['1', '2'] }]);
    expect(plan.students.map((s) => s.guardianIds)).toEqual([[id], [id]]);
  });

  it('makes a guardian per phone number, and numbers students by row', () => {
    const plan = planImport(SCHOOL, valid([row('1', { guardians: [MOM, DAD] }), row('2', { guardians: [] })]));
    expect(plan.guardians.map((g) => g.id)).toEqual([guardianIdFor(SCHOOL, MOM.phone), guardianIdFor(SCHOOL, DAD.phone)]);
    expect(plan.students).toEqual([
      { studentNo: '1', name: '学生1', gradeLevel: 3, homeroom: '2', row: 0, guardianIds: plan.guardians.map((g) => g.id) },
      { studentNo: '2', name: '学生2', gradeLevel: 3, homeroom: '2', row: 1, guardianIds: [] },
    ]);
  });

  it('links a guardian listed twice for one child once', () => {
    const plan = planImport(SCHOOL, valid([row('1', { guardians: [MOM, { ...MOM, name: '李华 (妈妈)' }] })]));
    expect(plan.guardians).toHaveLength(1);
    expect(plan.guardians[0]!.children).toEqual(['1']);
    expect(plan.students[0]!.guardianIds).toHaveLength(1);
  });

  it('keeps the name of a shared guardian as first written', () => {
    const plan = planImport(SCHOOL, valid([row('1'), row('2', { guardians: [{ ...MOM, name: '李 华' }] })]));
    expect(plan.guardians[0]!.name).toBe('李华');
  });

  it('gives the same guardian different ids in different schools', () => {
    const a = planImport('s-1', valid([row('1')]));
    const b = planImport('s-2', valid([row('1')]));
    expect(a.guardians[0]!.id).not.toBe(b.guardians[0]!.id);
  });
});

// ---------------------------------------------------------------- diff
describe('diffImport', () => {
  it("gives a new guardian without a relation 'guardian', and keeps an existing guardian's relation", () => {
    const first = importRows([row('1', { guardians: [MOM] })]);
    const mom = first.guardians[0]!.next;
    expect(mom.relation).toBe('mother');
    const existing = { students: new Map(first.students.map((c) => [c.next.id, c.next])), guardians: new Map([[mom.id, mom]]) };
    const again = importRows([row('1', { guardians: [{ name: MOM.name, phone: MOM.phone }] })], existing);
    expect(again.guardians).toEqual([]);
    const fresh = importRows([row('2', { guardians: [{ name: '王芳', phone: '13700137000' }] })]);
    expect(fresh.guardians[0]!.next.relation).toBe('guardian');
  });

  it('creates new students and guardians at version 1, stamped, linked both ways', () => {
    const d = importRows([row('1', { guardians: [MOM, DAD] }), row('2')]);
    expect(d.issues).toEqual([]);
    const mom = guardianIdFor(SCHOOL, MOM.phone);
    const dad = guardianIdFor(SCHOOL, DAD.phone);
    expect(d.students.map((c) => [c.prev, c.rows, c.next])).toEqual([
      [
        null,
        [0],
        {
          studentNo: '1',
          name: '学生1',
          gradeLevel: 3,
          homeroom: '2',
          id: '1',
          schoolId: SCHOOL,
          status: 'active',
          guardianIds: [mom, dad],
          version: 1,
          createdAt: T0.toISOString(),
          updatedAt: T0.toISOString(),
          updatedBy: 'u-admin',
        },
      ],
      [null, [1], expect.objectContaining({ id: '2', guardianIds: [mom], version: 1 })],
    ]);
    expect(d.guardians.map((c) => [c.prev, c.rows, c.next])).toEqual([
      [
        null,
        [0, 1],
        {
          id: mom,
          schoolId: SCHOOL,
          name: '李华',
          phone: '13800138000',
          relation: 'mother',
          children: ['1', '2'],
          userId: null,
          version: 1,
          createdAt: T0.toISOString(),
          updatedAt: T0.toISOString(),
          updatedBy: 'u-admin',
        },
      ],
      [null, [0], expect.objectContaining({ id: dad, children: ['1'] })],
    ]);
  });

  it('changes nothing when the same rows are imported twice', () => {
    const rows = [row('1', { guardians: [MOM, DAD] }), row('2'), row('3', { guardians: [] })];
    const first = importRows(rows);
    const second = importRows(rows, apply(none(), first), 'upsert', stamp1);
    expect(second).toEqual({ students: [], guardians: [], issues: [] });
  });

  it('updates only what changed, by one version, keeping creation and guardian links', () => {
    const before = apply(none(), importRows([row('1'), row('2')]));
    const d = importRows([row('1', { homeroom: '5' }), row('2')], before, 'upsert', stamp1);
    expect(d.guardians).toEqual([]);
    expect(d.students).toHaveLength(1);
    const [c] = d.students;
    expect(c!.prev).toBe(before.students.get('1'));
    expect(c!.rows).toEqual([0]);
    expect(c!.next).toEqual({
      ...before.students.get('1'),
      homeroom: '5',
      version: 2,
      updatedAt: T1.toISOString(),
      updatedBy: 'u-admin-2',
    });
    expect(c!.next.createdAt).toBe(T0.toISOString());
  });

  it('renames a guardian when the file spells the name differently, by one version', () => {
    const before = apply(none(), importRows([row('1')]));
    const d = importRows([row('1', { guardians: [{ ...MOM, name: '李华华' }] })], before, 'upsert', stamp1);
    expect(d.students).toEqual([]);
    expect(d.guardians.map((c) => [c.next.name, c.next.version, c.next.children])).toEqual([['李华华', 2, ['1']]]);
  });

  it('makes an archived student active again when it is imported', () => {
    const before = apply(none(), importRows([row('1')]));
    before.students.set('1', { ...before.students.get('1')!, status: 'archived', version: 2 });
    const d = importRows([row('1')], before, 'upsert', stamp1);
    expect(d.students.map((c) => [c.next.status, c.next.version])).toEqual([['active', 3]]);
  });

  it('only adds links: a child keeps guardians the file does not name, a guardian keeps other children', () => {
    const before = apply(none(), importRows([row('1', { guardians: [DAD] }), row('9')]));
    const mom = guardianIdFor(SCHOOL, MOM.phone);
    const dad = guardianIdFor(SCHOOL, DAD.phone);
    // a second file: student 1 with mom only; student 2 (new) with mom
    const d = importRows([row('1', { guardians: [MOM] }), row('2')], before, 'upsert', stamp1);
    const s1 = d.students.find((c) => c.next.id === '1')!;
    expect(s1.next.guardianIds).toEqual([dad, mom]);
    expect(s1.next.version).toBe(2);
    const m = d.guardians.find((c) => c.next.id === mom)!;
    expect(m.next.children).toEqual(['9', '1', '2']);
    expect(m.next.version).toBe(2);
    expect(d.guardians.find((c) => c.next.id === dad)).toBeUndefined();

    // and a file that names no guardian for student 1 drops none
    const after = apply(before, d);
    expect(importRows([row('1', { guardians: [] })], after, 'upsert', stamp1).students).toEqual([]);
  });

  it('in create mode, reports students that exist at their row and writes nothing for them', () => {
    const before = apply(none(), importRows([row('1')]));
    const d = importRows([row('2'), row('1', { name: '改名' })], before, 'create', stamp1);
    expect(d.issues).toEqual([
      { path: ['rows', 1, 'studentNo'], message: 'student 1 exists already (use mode "upsert" to update)' },
    ]);
    expect(d.students.map((c) => c.next.id)).toEqual(['2']);
  });

  it('does not link guardians through refused rows', () => {
    const before = apply(none(), importRows([row('1', { guardians: [] })]));
    const mom = guardianIdFor(SCHOOL, MOM.phone);
    // row 0 (student 1) is refused; row 1 (student 2) is new; both name mom; dad only in the refused row
    const d = importRows([row('1', { guardians: [MOM, DAD] }), row('2')], before, 'create', stamp1);
    expect(d.issues.map((i) => i.path)).toEqual([['rows', 0, 'studentNo']]);
    expect(d.guardians.map((c) => [c.next.id, c.next.children, c.rows])).toEqual([[mom, ['2'], [1]]]);
  });

  it('keeps links consistent both ways after any sequence of imports', () => {
    const phones = ['13800000001', '13800000002', '13800000003', '13800000004'];
    const file = fc.uniqueArray(
      fc.record({
        no: fc.integer({ min: 1, max: 12 }),
        gs: fc.uniqueArray(fc.constantFrom(...phones), { maxLength: 3 }),
        room: fc.constantFrom('1', '2'),
      }),
      { selector: (r) => r.no, minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(fc.array(file, { minLength: 1, maxLength: 4 }), (files) => {
        let state = none();
        for (const f of files) {
          const rows = f.map((r) =>
            row(String(r.no), { homeroom: r.room, guardians: r.gs.map((p) => ({ name: `g${p}`, phone: p })) }),
          );
          const d = importRows(rows, state, 'upsert', stamp1);
          expect(d.issues).toEqual([]);
          for (const c of [...d.students, ...d.guardians]) expect(c.next.version).toBe((c.prev?.version ?? 0) + 1);
          state = apply(state, d);
          // importing the same file again is a no-op
          const again = importRows(rows, state, 'upsert', stamp1);
          expect(again.students.length + again.guardians.length).toBe(0);
        }
        for (const g of state.guardians.values())
          for (const c of g.children) expect(state.students.get(c)!.guardianIds).toContain(g.id);
        for (const s of state.students.values())
          for (const id of s.guardianIds) expect(state.guardians.get(id)!.children).toContain(s.id);
      }),
      { numRuns: 200 },
    );
  });
});

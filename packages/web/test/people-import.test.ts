import { describe, expect, it } from 'vitest';
import { readProblem } from '../src/api/problem';
import { parseCsv, readCsv } from '../src/pages/people/csv';
import { importIdOf } from '../src/pages/people/query';
import { fieldsOf, notesOf, outcomeNotes, rowsToShow } from '../src/pages/people/rowNotes';

// a student file as Excel saves it: CRLF, a blank line, quotes doubled inside a quoted cell
const FILE =
  '学号,姓名,年级,班级,家长1姓名,家长1电话,家长2姓名,家长2电话\r\n' +
  '2026001,王小明,3,2,王强,13800000001,,\r\n' +
  '\r\n' +
  '2026002,"李""小""红",3,2,,,李华,12345\r\n' +
  '2026003,赵小刚,9,1,赵大,13800000003,,\r\n';

// what the API answered for FILE (readImport in packages/domain, the school having grades 1–3)
const REFUSED = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: '2 problem(s) in 3 rows; nothing was imported',
  errors: [
    { path: ['rows', 1, 'guardians', 1, 'phone'], message: 'must be a phone number' },
    { path: ['rows', 2, 'gradeLevel'], message: 'the school has no grade 9' },
  ],
};

const studentColumns = ([field, k, sub]: string[]) =>
  field === 'guardians' ? `家长${Number(k) + 1}${sub === 'phone' ? '电话' : sub}` : field === 'gradeLevel' ? '年级' : undefined;

describe("a refused file's problems beside its rows", () => {
  it('numbers rows as the server does: after the header, blank lines skipped; each keeps its row in the spreadsheet', () => {
    const bytes = new TextEncoder().encode(`\uFEFF${FILE}`);
    const file = readCsv(bytes);
    expect(file.encoding).toBe('utf-8');
    expect(file.header[0]).toBe('学号'); // the BOM is not part of the first header
    expect(file.rows.map((r) => [r.cells[0], r.sheetRow])).toEqual([
      ['2026001', 2],
      ['2026002', 4],
      ['2026003', 5],
    ]);
    expect(file.rows[1]!.cells[1]).toBe('李"小"红');
  });

  it("puts each error of a 400 in its row, naming the file's column, and nothing in the rows without one", () => {
    const file = readCsv(new TextEncoder().encode(FILE));
    const notes = notesOf(readProblem(400, REFUSED).fields, studentColumns);
    expect(file.rows.map((_, i) => notes.rows.get(i))).toEqual([
      undefined,
      ['家长2电话: must be a phone number'],
      ['年级: the school has no grade 9'],
    ]);
    expect(notes.file).toEqual([]);
  });

  it('keeps several problems of one row, and what is about the file as a whole apart', () => {
    const notes = notesOf(
      readProblem(400, {
        status: 400,
        errors: [
          { path: ['rows', 0, 'name'], message: 'must not be empty' },
          { path: ['rows', 0, 'studentNo'], message: 'must be the school’s student number' },
          { path: ['csv', 'header', 4], message: 'unknown column "备注"' },
          { path: [], message: 'the file is neither UTF-8 nor GB18030/GBK text' },
          { path: ['query', 'mode'], message: 'Invalid option' },
        ],
      }).fields,
    );
    expect(notes.rows.get(0)).toEqual(['name: must not be empty', 'studentNo: must be the school’s student number']);
    expect(notes.file).toEqual([
      'unknown column "备注"',
      'the file is neither UTF-8 nor GB18030/GBK text',
      'query.mode: Invalid option',
    ]);
  });

  it("reads a finished job's rows not applied the same way", () => {
    const notes = notesOf(
      fieldsOf([{ path: ['rows', 7, 'studentNo'], message: 'student 2026008 exists already (use mode "upsert" to update)' }]),
    );
    expect([...notes.rows]).toEqual([[7, ['studentNo: student 2026008 exists already (use mode "upsert" to update)']]]);
  });
});

describe("a set-up import's answer beside its rows", () => {
  it('leaves a message that names its row and column as it is', () => {
    const notes = notesOf({ 'rows.1.capacity': 'row 3, 容量: Too big: expected number to be <=500' }, () => '');
    expect(notes.rows.get(1)).toEqual(['row 3, 容量: Too big: expected number to be <=500']);
  });

  it('says beside each row what became of its record (a club on several rows, one a class)', () => {
    const notes = outcomeNotes(
      {
        records: [
          { name: '街舞', action: 'created', rows: [0, 1] },
          { name: '合唱', action: 'unchanged', rows: [2] },
        ],
      },
      (a) => ({ created: '新建', updated: '更新', unchanged: '没有变化' })[a],
    );
    expect([...notes.rows]).toEqual([
      [0, ['新建: 街舞']],
      [1, ['新建: 街舞']],
      [2, ['没有变化: 合唱']],
    ]);
  });
});

describe('reading the file for the screen', () => {
  it('reads a GBK file (as Chinese Excel saves "CSV") as GB18030 when it is not UTF-8', () => {
    // 学号,姓名\r\n1,王 in GBK
    const gbk = new Uint8Array([0xd1, 0xa7, 0xba, 0xc5, 0x2c, 0xd0, 0xd5, 0xc3, 0xfb, 0x0d, 0x0a, 0x31, 0x2c, 0xcd, 0xf5]);
    const file = readCsv(gbk);
    expect(file.encoding).toBe('gb18030');
    expect(file.header).toEqual(['学号', '姓名']);
    expect(file.rows[0]!.cells).toEqual(['1', '王']);
  });

  it('keeps a line break inside quotes in its cell, one spreadsheet row', () => {
    expect(parseCsv('a,b\n"x\ny",2\nz,3')).toEqual([
      { cells: ['a', 'b'], sheetRow: 1 },
      { cells: ['x\ny', '2'], sheetRow: 2 },
      { cells: ['z', '3'], sheetRow: 3 },
    ]);
  });
});

describe('which rows a long file shows', () => {
  it('shows a small file whole, and of a large one the rows something was said of', () => {
    expect(rowsToShow(3, new Set([1]))).toEqual({ rows: [0, 1, 2], of: 0 });
    expect(rowsToShow(20_000, new Set([19_999, 5]))).toEqual({ rows: [5, 19_999], of: 19_998 });
    expect(rowsToShow(1000, new Set(), 200)).toEqual({ rows: Array.from({ length: 200 }, (_, i) => i), of: 800 });
  });
});

it("polls the import a 202's Location names", () => {
  expect(importIdOf('/schools/s1/imports/imp-42', 'x')).toBe('imp-42');
  expect(importIdOf(null, 'imp-7')).toBe('imp-7');
});

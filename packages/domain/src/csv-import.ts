/**
 * CSV files as schools have them, for every import: the bytes decoded (UTF-8 with or
 * without a BOM, or GB18030/GBK, which is what Chinese Excel writes when it saves "CSV"),
 * RFC 4180 parsing, and the cells of a column read as the values a schema expects (lists,
 * numbers, dates as Excel writes them, yes/no). Pure.
 */
import { InvalidInput } from './errors';

const SAVE_AS = 'save it from Excel as "CSV UTF-8 (逗号分隔)" or "CSV (逗号分隔)"';

function strict(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch (e) {
    if (e instanceof RangeError) throw e; // the label is unknown: the caller says so
    return null;
  }
}

/**
 * The text of a CSV file. A `charset` (from the request's Content-Type) is honoured;
 * without one, a file that is valid UTF-8 (with or without a BOM) is UTF-8, and any other
 * is read as GB18030 (a superset of GBK and GB2312). A file that is neither, or that holds
 * replacement characters (it was garbled before it got here), is refused (400): guessing
 * would import mangled names.
 */
export function decodeCsv(bytes: Uint8Array, charset?: string | null): string {
  let text: string | null;
  if (charset) {
    try {
      text = strict(charset, bytes);
    } catch {
      throw InvalidInput.at(['headers', 'content-type'], `charset "${charset}" is not one we can read: send UTF-8 or GB18030`);
    }
    if (text === null) throw InvalidInput.at([], `the file is not valid ${charset} text, as its Content-Type says: ${SAVE_AS}`);
  } else {
    text = strict('utf-8', bytes) ?? strict('gb18030', bytes);
    if (text === null) throw InvalidInput.at([], `the file is neither UTF-8 nor GB18030/GBK text: ${SAVE_AS}`);
  }
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length;
    throw InvalidInput.at(
      [],
      `line ${line} of the file has characters that were lost before it arrived (shown as �): ${SAVE_AS}`,
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A record of a CSV file: its cells, and its row number as Excel shows it (the first record is row 1). */
export interface CsvRecord {
  cells: string[];
  row: number;
}

/**
 * RFC 4180 CSV: quoted fields (newlines in them too), doubled quotes, CRLF or LF, a UTF-8
 * BOM from Excel. Blank records are skipped but counted, so each record keeps the row
 * number a person sees in Excel.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let row: string[] = [];
  let n = 1;
  let field = '';
  let quoted = false;
  let i = 0;
  const end = () => {
    row.push(field);
    field = '';
    if (row.some((f) => f !== '')) out.push({ cells: row, row: n });
    row = [];
    n++;
  };
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
      end();
      if (c === '\r' && s[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  end();
  return out;
}

/** The records of a CSV file as rows of cells (see parseCsvRecords). */
export const parseCsv = (text: string): string[][] => parseCsvRecords(text).map((r) => r.cells);

/** A column header as written, made comparable: full-width forms folded, spaces and "_" dropped, lower case. */
export const headerKey = (h: string) => h.normalize('NFKC').trim().replace(/[\s_]/g, '').toLowerCase();

// ---------------------------------------------------------------- cells
/** A cell as typed: full-width characters folded (Chinese input methods type "：" and "；"), trimmed. */
export const cellText = (v: string) => v.normalize('NFKC').trim();

/** Items of a list cell: "dance; music", "dance、music" or "dance,music" (inside quotes). */
export const cellList = (v: string): string[] =>
  cellText(v)
    .split(/[;,、\n]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A whole number as a number; anything else as written, for the schema to refuse in words. */
export const cellNumber = (v: string): number | string => {
  const t = cellText(v);
  return /^-?\d+$/.test(t) ? Number(t) : t;
};

/** A date as Excel may write it ("2027/6/30", "2027-6-30", "2027.6.30", "2027年6月30日") as ISO; others as written. */
export function cellDate(v: string): string {
  const t = cellText(v);
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(t);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : t;
}

const YES = new Set(['yes', 'y', 'true', '1', '是', '可', '可以']);
const NO = new Set(['no', 'n', 'false', '0', '否', '不', '不可', '不可以']);
/** yes/no, 是/否, true/false, 1/0 as a boolean; anything else as written. */
export function cellBoolean(v: string): boolean | string {
  const t = cellText(v).toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return t;
}

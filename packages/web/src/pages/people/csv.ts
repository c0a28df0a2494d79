/**
 * A CSV file as the person chose it, read for showing its rows beside what the server said
 * of them. The server reads the file itself from its bytes (they are sent as they are): this
 * reading is for the screen only, and it counts rows the way the server does (blank lines
 * skipped, the first row the header, row 0 the one after it), so the server's row numbers
 * point at the right rows.
 */

/** The text of the file: UTF-8 (with or without a BOM) if it is valid UTF-8, else GB18030 (GBK), as Chinese Excel saves "CSV". */
export function decodeForDisplay(bytes: ArrayBuffer | Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

export interface CsvRecord {
  cells: string[];
  /** its row in a spreadsheet (from 1; a blank row counts there, a line break inside quotes does not) */
  sheetRow: number;
}

/** RFC 4180: quoted fields, doubled quotes, CRLF or LF, a BOM; blank records are skipped (and counted in sheetRow). */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let sheetRow = 1;
  const end = () => {
    cells.push(field);
    if (cells.some((f) => f !== '')) out.push({ cells, sheetRow });
    cells = [];
    field = '';
    sheetRow++;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (s[i + 1] === '"') field += s[++i];
      else quoted = false;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      cells.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      end();
    } else field += c;
  }
  if (field !== '' || cells.length) end();
  return out;
}

/** A file's header and rows, as the server numbers them. */
export interface CsvTable {
  header: string[];
  rows: CsvRecord[];
}

export function readCsv(bytes: ArrayBuffer | Uint8Array): CsvTable & { encoding: 'utf-8' | 'gb18030' } {
  const { text, encoding } = decodeForDisplay(bytes);
  const [header, ...rows] = parseCsv(text);
  return { header: header?.cells ?? [], rows, encoding };
}

import { readFileSync } from 'node:fs';
import { formatPath, type InputError } from '../parse';

/** A file that cannot be read or is not JSON. */
export class FileError extends Error {}

export function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new FileError(`${what} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FileError(`${what} ${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** One line per problem, with its field path. */
export function describeIssues(e: InputError): string {
  return e.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`).join('\n');
}

/** JSON with one object per line inside top-level arrays (diff-friendly answers). */
export function formatJson(value: Record<string, unknown>): string {
  const lines = Object.entries(value).map(([k, v]) => {
    if (Array.isArray(v) && v.length && typeof v[0] === 'object') return `  ${JSON.stringify(k)}: [\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
    return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}

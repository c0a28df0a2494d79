/**
 * The JavaScript of the first page a phone loads, weighed from the run's build of the app (the
 * one npm start serves; test/setup/web.ts): the sign-in page is the entry chunk and what it
 * imports statically; a signed-in teacher's first page adds the sessions page's chunk and what
 * that imports statically. What is imported only when asked (the QR code, other pages) does
 * not count. Bytes gzipped, never time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';

/** The bar (#27): the first page's JavaScript, gzipped. */
const BUDGET = 150 * 1024;

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

const dist = inject('webDist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;

/** The manifest's keys of `from` and of every chunk it imports statically, however deep. */
function loadedWith(...from: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest has no chunk ${key}`);
    seen.add(key);
    chunk.imports?.forEach(visit);
  };
  from.forEach(visit);
  return seen;
}

const gzipped = (key: string) => gzipSync(readFileSync(join(dist, manifest[key]!.file))).length;

function weigh(keys: Set<string>) {
  const sizes = [...keys].map((k) => ({ file: manifest[k]!.file, gzipped: gzipped(k) }));
  return { total: sizes.reduce((n, s) => n + s.gzipped, 0), sizes };
}

const ENTRY = 'index.html';
const SESSIONS = 'src/pages/Sessions.tsx';

describe("the first page's JavaScript", () => {
  it('is the entry that index.html loads, and every page is a lazy chunk outside it', () => {
    expect(manifest[ENTRY]?.isEntry).toBe(true);
    expect(readFileSync(join(dist, 'index.html'), 'utf8')).toContain(`src="/${manifest[ENTRY]!.file}"`);
    const pages = Object.keys(manifest).filter((k) => k.startsWith('src/pages/'));
    expect(pages).toContain(SESSIONS);
    const eager = loadedWith(ENTRY);
    expect(pages.filter((p) => eager.has(p))).toEqual([]);
    expect(manifest[ENTRY]!.dynamicImports).toContain(SESSIONS);
  });

  it.each([
    ['the sign-in page', [ENTRY]],
    ["a teacher's sessions page", [ENTRY, SESSIONS]],
  ])('%s loads at most 150 KB of it, gzipped', (_what, from) => {
    const { total, sizes } = weigh(loadedWith(...from));
    expect(total, `${total} bytes gzipped: ${JSON.stringify(sizes)}`).toBeLessThanOrEqual(BUDGET);
  });
});

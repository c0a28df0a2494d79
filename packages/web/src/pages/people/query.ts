/** URLs: the query as a page's state (links that change one thing of it, the way back through a list's pages), a Location. */

/** `path` with `query` changed: a value sets a parameter ("" keeps it without a value), null removes it. */
export function withQuery(path: string, query: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.delete(k);
    else next.set(k, v);
  }
  const s = next.toString().replace(/=(?=&|$)/g, '');
  return s ? `${path}?${s}` : path;
}

/**
 * The cursors of a list's pages as they were turned: a cursor moves forward only, so the
 * page before one is remembered when the one after it is shown (for as long as the app runs).
 */
const trails = new Map<string, Map<string, string | null>>();
export function pageTrail(list: string) {
  let before = trails.get(list);
  if (!before) trails.set(list, (before = new Map()));
  const known = before;
  return {
    /** the cursor of the page before the page at `cursor` (null: the first page), if it was seen */
    before: (cursor: string) => known.get(cursor),
    /** the page at `from` (null: the first) has `next` after it */
    step: (from: string | null, next: string) => void known.set(next, from),
  };
}

/** The id at the end of a 202's Location (`/schools/{schoolId}/imports/{importId}`), else the answer's own. */
export const importIdOf = (location: string | null, fallback: string) => location?.split('/').filter(Boolean).pop() ?? fallback;

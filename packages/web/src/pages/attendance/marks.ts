/**
 * Marks taken on the phone and not yet saved: one tap per child moves to the next status;
 * each change gets a new Idempotency-Key (a different request), while a failed save is sent
 * again with the same key and the same marks. Kept in the tab's sessionStorage, so a reload
 * while offline keeps them. Pure but for `store`/`load`.
 */
export const STATUSES = ['present', 'absent', 'late', 'excused'] as const;
export type Status = (typeof STATUSES)[number];

export interface Pending {
  /** the Idempotency-Key of these marks */
  key: string;
  marks: Record<string, { status: Status; markedAt: string }>;
}

export const nothingPending = (key: string): Pending => ({ key, marks: {} });

/** The status after one more tap: unmarked → present → absent → late → excused → present… */
export const nextStatus = (s: Status | null): Status => (s === null ? 'present' : STATUSES[(STATUSES.indexOf(s) + 1) % 4]!);

/** The marks with these children set (a new key: a new request). */
export function withMarks(p: Pending, set: ReadonlyArray<[string, Status]>, now: Date, key: string): Pending {
  const marks = { ...p.marks };
  for (const [no, status] of set) marks[no] = { status, markedAt: now.toISOString() };
  return { key, marks };
}

/** What the save posts. */
export const saveBody = (p: Pending) => ({
  marks: Object.entries(p.marks).map(([studentNo, m]) => ({ studentNo, status: m.status, markedAt: m.markedAt })),
});

const storageKey = (where: string) => `kehou.attendance.${where}`;
export function load(where: string, fresh: () => string): Pending {
  try {
    const raw = sessionStorage.getItem(storageKey(where));
    if (raw) return JSON.parse(raw) as Pending;
  } catch {
    // unreadable: start again
  }
  return nothingPending(fresh());
}
export function store(where: string, p: Pending) {
  if (Object.keys(p.marks).length) sessionStorage.setItem(storageKey(where), JSON.stringify(p));
  else sessionStorage.removeItem(storageKey(where));
}

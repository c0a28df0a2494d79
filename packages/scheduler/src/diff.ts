import type { Session } from './schema';

// Which sessions changed between two versions of a timetable (what #4 shows an admin and
// what repair mode counts). Sessions are matched per class: identical ones first, then the
// remaining ones pairwise in their order (preferring the same day), extras are added or removed.

export type Change = 'day' | 'time' | 'room' | 'staff';

export interface SessionDiff {
  /** identical in both: indexes into before and after */
  kept: { class: string; before: number; after: number }[];
  /** the same class's session, changed: what changed */
  moved: { class: string; before: number; after: number; changes: Change[] }[];
  added: { class: string; after: number }[];
  removed: { class: string; before: number }[];
}

const same = (a: Session, b: Session): boolean =>
  a.day === b.day && a.start === b.start && a.end === b.end && a.room === b.room && a.staff === b.staff;

export function diffSessions(before: readonly Session[], after: readonly Session[]): SessionDiff {
  const out: SessionDiff = { kept: [], moved: [], added: [], removed: [] };
  const byClass = (list: readonly Session[]): Map<string, number[]> => {
    const map = new Map<string, number[]>();
    list.forEach((x, i) => map.get(x.class)?.push(i) ?? map.set(x.class, [i]));
    return map;
  };
  const was = byClass(before);
  const now = byClass(after);
  for (const cls of new Set([...was.keys(), ...now.keys()])) {
    const left = [...(was.get(cls) ?? [])];
    const right = [...(now.get(cls) ?? [])];
    for (let i = 0; i < left.length; ) {
      const a = left[i] as number;
      const j = right.findIndex((b) => same(before[a] as Session, after[b] as Session));
      if (j < 0) {
        i++;
        continue;
      }
      out.kept.push({ class: cls, before: a, after: right[j] as number });
      left.splice(i, 1);
      right.splice(j, 1);
    }
    for (const a of left) {
      if (!right.length) {
        out.removed.push({ class: cls, before: a });
        continue;
      }
      const sameDay = right.findIndex((b) => after[b]?.day === before[a]?.day);
      const [b] = right.splice(sameDay >= 0 ? sameDay : 0, 1) as [number];
      out.moved.push({ class: cls, before: a, after: b, changes: changesBetween(before[a] as Session, after[b] as Session) });
    }
    for (const b of right) out.added.push({ class: cls, after: b });
  }
  return out;
}

function changesBetween(a: Session, b: Session): Change[] {
  const changes: Change[] = [];
  if (a.day !== b.day) changes.push('day');
  if (a.start !== b.start || a.end !== b.end) changes.push('time');
  if (a.room !== b.room) changes.push('room');
  if (a.staff !== b.staff) changes.push('staff');
  return changes;
}

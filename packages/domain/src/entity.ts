/** Version and audit fields of stored entities, stamped from an injected clock. */
import { Conflict } from './errors';

/**
 * Every kind of versioned record the product keeps, each with its history ("who changed
 * this?"). A new kind is declared here; the store's registry (type-checked against this
 * list) then asks for its place in the table, and the history route serves it.
 */
export const RECORD_KINDS = [
  'school',
  'grade',
  'room',
  'term',
  'staff',
  'student',
  'guardian',
  'club',
  'timetable',
  'notice',
  'optout',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export interface Stamp {
  /** who writes: the user id from the token */
  by: string;
  now: Date;
}

export interface Stamped {
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export function created<T extends object>(data: T, stamp: Stamp): T & Stamped {
  const at = stamp.now.toISOString();
  return { ...data, version: 1, createdAt: at, updatedAt: at, updatedBy: stamp.by };
}

/** The next version of `prev` with `data`, refusing a stale `expectedVersion`. */
export function revised<T extends Stamped, D extends object>(
  prev: T,
  data: D,
  expectedVersion: number,
  stamp: Stamp,
  what: string,
): T & D {
  if (prev.version !== expectedVersion) {
    throw new Conflict(
      `${what} was changed by someone else (now version ${prev.version}, you sent ${expectedVersion}); reload and try again`,
      'version',
      { current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt } },
    );
  }
  return {
    ...prev,
    ...data,
    version: prev.version + 1,
    createdAt: prev.createdAt,
    updatedAt: stamp.now.toISOString(),
    updatedBy: stamp.by,
  };
}

/** Refuses a delete or archive of a version that is not the current one. */
export function expectVersion(prev: Stamped, expectedVersion: number, what: string): void {
  revised(prev, {}, expectedVersion, { by: '', now: new Date(0) }, what);
}

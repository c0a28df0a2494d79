/** Shapes shared by every stored entity and every list. */
import * as z from 'zod';
import { IsoDate } from './time';

/** Printable text: trimmed, no control characters, bounded. */
export const Text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { message: 'must not contain control characters' });

/** A name as compared (a room's, a club's, a person's): full-width forms folded, spaces collapsed, case ignored. */
export const nameKey = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/** A lower-case slug such as a skill or a room feature: "street-dance", "music". */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lower-case letters, digits and "-" (at most 40)')
  .meta({ example: 'dance' });

/** Server-made identifier (see ids.ts), or a school-chosen code where noted. */
export const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'must be letters, digits, "_" or "-" (at most 64)');

export const Version = z.number().int().min(1).meta({
  description: 'Optimistic-concurrency version: send the version you read; a stale one gets 409',
});

/** A moment as the server wrote it: ISO-8601 in UTC, e.g. "2026-09-01T08:30:00.000Z". */
export const Instant = z.string().meta({ format: 'date-time', description: 'ISO-8601 instant' });

/** The fields every stored entity carries. */
export const Meta = z.object({
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
  updatedBy: z.string().meta({ description: 'user id of the last writer' }),
});
export type Meta = z.infer<typeof Meta>;

/** Unique strings, e.g. features or skills. */
export const uniqueList = <T extends z.ZodType<string | number>>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .refine((a) => new Set(a).size === a.length, { message: 'must not list an item twice' });

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next: z.string().nullable().meta({ description: 'cursor for the next page, null on the last' }),
  });
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A version of a record, as its history lists it: who wrote it, when, and what it was. */
export const HistoryEntry = z.object({
  version: z.number().int(),
  action: z.enum(['create', 'update', 'delete']),
  at: Instant,
  by: z.string(),
  data: z.unknown(),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2048).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const VersionQuery = z.object({ version: z.coerce.number().int().min(1) });

export const Status = z.enum(['active', 'archived']);

/** An inclusive range of calendar dates. */
export const IsoDateRange = z
  .object({ start: IsoDate, end: IsoDate })
  .refine((r) => r.start <= r.end, { message: 'end must not be before start', path: ['end'] });

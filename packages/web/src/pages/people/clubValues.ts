/**
 * A club and its classes (tiers) as a form's values: one string a field, a class's fields
 * under "classes.<i>.<field>", the names the API's problems use for them (so the server's
 * message lands beside its field), and the body the API takes back.
 */
import type { Values } from '../../forms/useForm';
import type { Club, Term } from './types';
import { listOf, orNull, wholeOr } from './values';

export const CATEGORIES = ['dance', 'music', 'arts', 'crafts', 'sport', 'mind', 'science', 'language', 'other'] as const;

/** The club's own fields. */
export const CLUB_FIELDS = ['name', 'nameEn', 'category', 'descriptionZh', 'descriptionEn', 'skill', 'roomFeatures'] as const;
/** A class's fields, under "classes.<i>." */
export const CLASS_FIELDS = [
  'id',
  'tier',
  'name',
  'grades',
  'capacity',
  'sessionsPerWeek',
  'minutesPerSession',
  'fixedStaffId',
  'preferredStaffId',
  'prerequisite.tier',
  'prerequisite.orTeacherApproval',
] as const;
export type ClassField = (typeof CLASS_FIELDS)[number];

export const classKey = (i: number, field: ClassField) => `classes.${i}.${field}`;

/** How many classes the values hold. */
export const classCount = (v: Values) => Object.keys(v).filter((k) => /^classes\.\d+\.tier$/.test(k)).length;

/** A class's values: as the club has it, or a new one (the first a club's basic tier, a later one its advanced). */
function classValues(k: Club['classes'][number] | undefined, i: number): Values {
  const fields: Record<ClassField, string> = {
    id: k?.id ?? '',
    tier: k?.tier ?? (i === 0 ? 'basic' : i === 1 ? 'advanced' : ''),
    name: k?.name ?? '',
    grades: k ? k.grades.join(',') : '',
    capacity: k ? String(k.capacity) : '',
    sessionsPerWeek: k ? String(k.sessionsPerWeek) : '1',
    minutesPerSession: k ? String(k.minutesPerSession) : '60',
    fixedStaffId: k?.fixedStaffId ?? '',
    preferredStaffId: k?.preferredStaffId ?? '',
    'prerequisite.tier': k?.prerequisite?.tier ?? '',
    'prerequisite.orTeacherApproval': String(k?.prerequisite?.orTeacherApproval ?? true),
  };
  return Object.fromEntries(CLASS_FIELDS.map((f) => [classKey(i, f), fields[f]]));
}

/** A club's values (a new club: one class to fill in). */
export function clubValues(club?: Club): Values {
  const classes = club?.classes.length ? club.classes : [undefined];
  return {
    name: club?.name ?? '',
    nameEn: club?.nameEn ?? '',
    category: club?.category ?? 'other',
    descriptionZh: club?.descriptionZh ?? '',
    descriptionEn: club?.descriptionEn ?? '',
    skill: club?.skill ?? '',
    roomFeatures: club?.roomFeatures.join(', ') ?? '',
    ...Object.assign({}, ...classes.map((k, i) => classValues(k, i))),
  };
}

/** One more class, at the end, new. */
export const addedClass = (v: Values): Values => classValues(undefined, classCount(v));

/** The values without class `at`: the classes after it move up one. */
export function withoutClass(v: Values, at: number): Values {
  const out: Values = {};
  for (const [k, value] of Object.entries(v)) {
    const m = /^classes\.(\d+)\.(.+)$/.exec(k);
    if (!m) out[k] = value;
    else if (Number(m[1]) !== at) out[`classes.${Number(m[1]) > at ? Number(m[1]) - 1 : m[1]}.${m[2]}`] = value;
  }
  return out;
}

/** Grades as checked: "3,1" → [1, 3]. */
export const gradesOf = (v: string) =>
  listOf(v)
    .map(Number)
    .sort((a, b) => a - b);

/** A grade checked or not in the grades' value. */
export function toggledGrade(v: string, level: number, on: boolean): string {
  const set = new Set(gradesOf(v).filter((g) => g !== level));
  if (on) set.add(level);
  return [...set].sort((a, b) => a - b).join(',');
}

/** The body of a create (and, with a version, a replace) of the club in `termId`. */
export function clubBody(v: Values, termId: string) {
  const at = (i: number, f: ClassField) => v[classKey(i, f)] ?? '';
  return {
    termId,
    name: v.name!,
    nameEn: v.nameEn!,
    category: v.category as (typeof CATEGORIES)[number],
    descriptionZh: v.descriptionZh!,
    descriptionEn: v.descriptionEn!,
    skill: v.skill!.trim(),
    roomFeatures: listOf(v.roomFeatures ?? ''),
    classes: Array.from({ length: classCount(v) }, (_, i) => ({
      ...(at(i, 'id') ? { id: at(i, 'id') } : {}),
      tier: at(i, 'tier').trim(),
      name: at(i, 'name'),
      grades: gradesOf(at(i, 'grades')),
      capacity: wholeOr(at(i, 'capacity')) as number,
      sessionsPerWeek: wholeOr(at(i, 'sessionsPerWeek')) as number,
      minutesPerSession: wholeOr(at(i, 'minutesPerSession')) as number,
      fixedStaffId: orNull(at(i, 'fixedStaffId')),
      preferredStaffId: orNull(at(i, 'preferredStaffId')),
      prerequisite: at(i, 'prerequisite.tier')
        ? { tier: at(i, 'prerequisite.tier'), orTeacherApproval: at(i, 'prerequisite.orTeacherApproval') !== 'false' }
        : null,
    })),
  };
}

/**
 * A problem's paths inside a list a form shows as one field ("classes.0.grades.1",
 * "roomFeatures.2") put at that field ("classes.0.grades", "roomFeatures"), so the message
 * shows beside it; a prerequisite as a whole at its tier.
 */
export function atFormFields(error: unknown): unknown {
  const e = error as { errors?: Array<{ path?: unknown; message?: unknown }> } | undefined;
  if (!e || !Array.isArray(e.errors)) return error;
  const field = (path: unknown[]): unknown[] => {
    if (path[0] === 'roomFeatures') return ['roomFeatures'];
    if (path[0] === 'classes' && path[2] === 'grades') return path.slice(0, 3);
    if (path[0] === 'classes' && path[2] === 'prerequisite' && path.length === 3) return [...path, 'tier'];
    return path;
  };
  return { ...e, errors: e.errors.map((x) => (Array.isArray(x.path) ? { ...x, path: field(x.path) } : x)) };
}

/** The term whose clubs are shown when none is asked for: the one today is in, else the latest (terms latest first). */
export function defaultTerm<T extends Pick<Term, 'startDate' | 'endDate'>>(terms: readonly T[], today: string): T | undefined {
  return terms.find((t) => t.startDate <= today && today <= t.endDate) ?? terms[0];
}

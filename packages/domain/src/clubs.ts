/**
 * Clubs (社团) of a term and their tiered classes (基础班 basic, 提升班 advanced, …): what
 * the timetable schedules and families choose. Pure schemas and rules.
 */
import * as z from 'zod';
import { Id, Meta, nameKey, Slug, Status, Text, uniqueList } from './common';
import type { Issue } from './errors';
import type { Staff } from './people';

export const ClubCategory = z.enum(['dance', 'music', 'arts', 'crafts', 'sport', 'mind', 'science', 'language', 'other']);
export type ClubCategory = z.infer<typeof ClubCategory>;

export const Prerequisite = z
  .object({
    tier: Slug.meta({ description: 'the tier of this club a student must have taken last term, e.g. basic' }),
    orTeacherApproval: z.boolean().default(true).meta({ description: "a teacher's approval admits a student without it" }),
  })
  .meta({ description: "e.g. an advanced class needs the basic class last term, or a teacher's approval" });
export type Prerequisite = z.infer<typeof Prerequisite>;

export const ClubClassInput = z.object({
  id: Id.optional().meta({ description: 'the id of an existing class when replacing a club; left out for a new class' }),
  tier: Slug.meta({ example: 'basic' }),
  name: Text(40).meta({ example: '基础班' }),
  grades: uniqueList(z.number().int().min(1).max(12), 12).min(1, 'must name at least one grade'),
  capacity: z.number().int().min(1).max(200),
  sessionsPerWeek: z.number().int().min(1).max(5),
  minutesPerSession: z
    .number()
    .int()
    .min(15)
    .max(240)
    .refine((m) => m % 5 === 0, { message: 'must be a multiple of 5 minutes' }),
  preferredStaffId: Id.nullable().default(null).meta({ description: 'who should take it if they can (the solver prefers them)' }),
  fixedStaffId: Id.nullable().default(null).meta({ description: 'who must take it' }),
  prerequisite: Prerequisite.nullable().default(null),
});
export type ClubClassInput = z.infer<typeof ClubClassInput>;
export const ClubClass = ClubClassInput.required({ id: true });
export type ClubClass = z.infer<typeof ClubClass>;

/** A class's places, in the capacity primitive: who holds one is enrolled. */
export const classSeatsId = (classId: string) => `club-class:${classId}`;

const ClubFields = z.object({
  termId: Id,
  name: Text(40).meta({ example: '街舞' }),
  nameEn: Text(80).meta({ example: 'Street dance' }),
  category: ClubCategory,
  descriptionZh: Text(2000),
  descriptionEn: Text(2000),
  skill: Slug.meta({ description: 'what a staff member must be able to teach', example: 'street-dance' }),
  roomFeatures: uniqueList(Slug, 10)
    .default([])
    .meta({ description: 'what the room must have', example: ['dance'] }),
  classes: z.array(ClubClassInput).min(1, 'a club has at least one class').max(12),
});

/** Rules across a club's classes: unique names, prerequisites that exist and are not circular. */
function checkClasses(c: z.infer<typeof ClubFields>, ctx: z.RefinementCtx) {
  const names = new Map<string, number>();
  const ids = new Map<string, number>();
  const tiers = new Set(c.classes.map((k) => k.tier));
  c.classes.forEach((k, i) => {
    const seen = names.get(k.name);
    if (seen !== undefined)
      ctx.addIssue({ code: 'custom', path: ['classes', i, 'name'], message: `class ${seen} has this name too` });
    names.set(k.name, i);
    if (k.id) {
      if (ids.has(k.id))
        ctx.addIssue({ code: 'custom', path: ['classes', i, 'id'], message: `class ${ids.get(k.id)} has this id too` });
      ids.set(k.id, i);
    }
    if (k.prerequisite) {
      if (k.prerequisite.tier === k.tier)
        ctx.addIssue({
          code: 'custom',
          path: ['classes', i, 'prerequisite', 'tier'],
          message: 'a class cannot require its own tier',
        });
      else if (!tiers.has(k.prerequisite.tier)) {
        ctx.addIssue({
          code: 'custom',
          path: ['classes', i, 'prerequisite', 'tier'],
          message: `the club has no ${k.prerequisite.tier} tier`,
        });
      }
    }
    if (k.fixedStaffId && k.preferredStaffId && k.fixedStaffId !== k.preferredStaffId) {
      ctx.addIssue({
        code: 'custom',
        path: ['classes', i, 'preferredStaffId'],
        message: 'differs from the fixed staff member, who takes the class anyway',
      });
    }
  });
}

export const ClubInput = ClubFields.superRefine(checkClasses);
export type ClubInput = z.infer<typeof ClubInput>;
export const Club = ClubFields.extend({
  id: Id,
  schoolId: Id,
  status: Status,
  classes: z.array(ClubClass),
  lineageId: Id.meta({ description: 'the same club across terms (copies keep it), for prerequisites' }),
}).extend(Meta.shape);
export type Club = z.infer<typeof Club>;

/** Club names are unique within a term, regardless of case and spacing. */
export const clubNameKey = (termId: string, name: string) => `${termId}#${nameKey(name)}`;

/**
 * Gives new classes ids and checks that the classes a replacement names are the club's
 * own; returns the classes with ids, or the issues.
 */
export function assignClassIds(
  classes: readonly ClubClassInput[],
  existing: readonly { id: string }[],
  newId: () => string,
): { classes: ClubClass[]; issues: { path: (string | number)[]; message: string }[] } {
  const own = new Set(existing.map((k) => k.id));
  const issues: { path: (string | number)[]; message: string }[] = [];
  const out = classes.map((k, i) => {
    if (k.id !== undefined && !own.has(k.id))
      issues.push({ path: ['classes', i, 'id'], message: 'is not a class of this club (leave it out for a new class)' });
    return { ...k, id: k.id ?? newId() };
  });
  return { classes: out, issues };
}

/** A copy of a club for another term: new ids, the same lineage. */
export function copyClub(
  club: Club,
  termId: string,
  newId: () => string,
): ClubInput & { id: string; lineageId: string; classes: ClubClass[] } {
  const ids = new Map(club.classes.map((k) => [k.id, newId()]));
  return {
    id: newId(),
    lineageId: club.lineageId,
    termId,
    name: club.name,
    nameEn: club.nameEn,
    category: club.category,
    descriptionZh: club.descriptionZh,
    descriptionEn: club.descriptionEn,
    skill: club.skill,
    roomFeatures: [...club.roomFeatures],
    classes: club.classes.map((k) => ({
      ...k,
      id: ids.get(k.id)!,
      grades: [...k.grades],
      prerequisite: k.prerequisite ? { ...k.prerequisite } : null,
    })),
  };
}

/**
 * A club against its school: the grades its classes name exist, and their fixed and
 * preferred staff can teach it. Paths as in ClubInput.
 */
export function clubIssuesAgainstSchool(
  c: { skill: string; classes: ReadonlyArray<Pick<ClubClassInput, 'grades' | 'fixedStaffId' | 'preferredStaffId'>> },
  school: { gradeLevels: ReadonlySet<number>; staff: ReadonlyMap<string, Staff> },
): Issue[] {
  const issues: Issue[] = [];
  c.classes.forEach((k, i) => {
    k.grades.forEach((g, j) => {
      if (!school.gradeLevels.has(g)) issues.push({ path: ['classes', i, 'grades', j], message: `the school has no grade ${g}` });
    });
    for (const field of ['fixedStaffId', 'preferredStaffId'] as const) {
      const id = k[field];
      const why = id === null ? null : whyCannotTeach(school.staff.get(id), c.skill);
      if (why) issues.push({ path: ['classes', i, field], message: why });
    }
  });
  return issues;
}

/**
 * Why a staff member cannot take a club's classes, or null when they can: they must be an
 * active staff member of the school with the club's skill.
 */
export function whyCannotTeach(staff: Pick<Staff, 'name' | 'status' | 'skills'> | undefined, skill: string): string | null {
  if (!staff || staff.status !== 'active') return 'no active staff member has this id';
  if (!staff.skills.includes(skill)) return `${staff.name} does not have the skill ${skill}`;
  return null;
}

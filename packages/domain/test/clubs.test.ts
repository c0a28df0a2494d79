import { describe, expect, it } from 'vitest';
import {
  assignClassIds,
  Club,
  ClubInput,
  clubNameKey,
  copyClub,
  whyCannotTeach,
  type ClubClass,
  type ClubClassInput,
} from '../src/clubs';

type Issues = { path: PropertyKey[]; message: string }[];
const issuesOf = (r: { success: boolean; error?: { issues: Issues } }): Issues => (r.success ? [] : r.error!.issues);
const pathsOf = (r: { success: boolean; error?: { issues: Issues } }) => issuesOf(r).map((i) => i.path);

const basic = (over: Record<string, unknown> = {}) => ({
  tier: 'basic',
  name: '基础班',
  grades: [3, 4],
  capacity: 20,
  sessionsPerWeek: 2,
  minutesPerSession: 45,
  ...over,
});
const advanced = (over: Record<string, unknown> = {}) =>
  basic({ tier: 'advanced', name: '提升班', grades: [5, 6], prerequisite: { tier: 'basic' }, ...over });
const club = (classes: unknown[] = [basic()], over: Record<string, unknown> = {}) => ({
  termId: 't-2026a',
  name: '街舞',
  nameEn: 'Street dance',
  category: 'dance',
  descriptionZh: '街舞社团',
  descriptionEn: 'Street dance club',
  skill: 'street-dance',
  classes,
  ...over,
});

/** A generator of ids that counts: n-1, n-2, … */
const counter = (prefix = 'n') => {
  let i = 0;
  return () => `${prefix}-${++i}`;
};

// ---------------------------------------------------------------- ClubInput
describe('ClubInput', () => {
  it('takes a club with a basic and an advanced class, and fills in the defaults', () => {
    // Act
    const c = ClubInput.parse(club([basic(), advanced()]));
    // Assess
    expect(c.roomFeatures).toEqual([]);
    expect(c.classes[0]).toMatchObject({ preferredStaffId: null, fixedStaffId: null, prerequisite: null });
    expect(c.classes[1]!.prerequisite).toEqual({ tier: 'basic', orTeacherApproval: true });
    expect(c.classes[0]).not.toHaveProperty('id');
  });

  it('refuses two classes with one name, at the second; different names are fine', () => {
    const r = ClubInput.safeParse(club([basic(), advanced({ name: '基础班' })]));
    expect(pathsOf(r)).toEqual([['classes', 1, 'name']]);
    expect(issuesOf(r)[0]!.message).toContain('class 0');
    expect(ClubInput.safeParse(club([basic(), advanced({ name: '提升班' })])).success).toBe(true);
  });

  it('compares class names after trimming', () => {
    expect(pathsOf(ClubInput.safeParse(club([basic(), advanced({ name: ' 基础班 ' })])))).toEqual([['classes', 1, 'name']]);
  });

  it('refuses two classes with one id, at the second; distinct ids and no ids are fine', () => {
    const r = ClubInput.safeParse(
      club([basic({ id: 'k-1' }), advanced({ id: 'k-2' }), basic({ id: 'k-1', tier: 'extra', name: '拓展班' })]),
    );
    expect(pathsOf(r)).toEqual([['classes', 2, 'id']]);
    expect(issuesOf(r)[0]!.message).toContain('class 0');
    expect(ClubInput.safeParse(club([basic({ id: 'k-1' }), advanced({ id: 'k-2' })])).success).toBe(true);
    expect(ClubInput.safeParse(club([basic(), advanced()])).success).toBe(true);
  });

  it('refuses a prerequisite tier the club does not have, naming it', () => {
    const r = ClubInput.safeParse(club([basic(), advanced({ prerequisite: { tier: 'beginner' } })]));
    expect(pathsOf(r)).toEqual([['classes', 1, 'prerequisite', 'tier']]);
    expect(issuesOf(r)[0]!.message).toContain('beginner');
  });

  it("refuses a class that requires its own tier, with that reason and not 'no such tier'", () => {
    const r = ClubInput.safeParse(club([basic(), advanced({ prerequisite: { tier: 'advanced' } })]));
    expect(pathsOf(r)).toEqual([['classes', 1, 'prerequisite', 'tier']]);
    expect(issuesOf(r)[0]!.message).toContain('own tier');
  });

  it('takes a prerequisite that is another tier of the club, even one listed after it', () => {
    expect(ClubInput.safeParse(club([advanced(), basic()])).success).toBe(true);
    expect(
      ClubInput.safeParse(club([basic(), advanced({ prerequisite: { tier: 'basic', orTeacherApproval: false } })])).success,
    ).toBe(true);
  });

  it('refuses a preferred staff member who differs from the fixed one, at preferredStaffId', () => {
    const r = ClubInput.safeParse(club([basic({ fixedStaffId: 'st-1', preferredStaffId: 'st-2' })]));
    expect(pathsOf(r)).toEqual([['classes', 0, 'preferredStaffId']]);
  });

  it('takes a fixed staff member alone, a preferred one alone, or the same person as both', () => {
    expect(ClubInput.safeParse(club([basic({ fixedStaffId: 'st-1' })])).success).toBe(true);
    expect(ClubInput.safeParse(club([basic({ preferredStaffId: 'st-2' })])).success).toBe(true);
    expect(ClubInput.safeParse(club([basic({ fixedStaffId: 'st-1', preferredStaffId: 'st-1' })])).success).toBe(true);
  });

  it('refuses minutes that are not a multiple of 5, or out of 15..240', () => {
    for (const m of [47, 10, 245, 44.5]) {
      expect(pathsOf(ClubInput.safeParse(club([basic({ minutesPerSession: m })]))), String(m)).toEqual([
        ['classes', 0, 'minutesPerSession'],
      ]);
    }
    expect(issuesOf(ClubInput.safeParse(club([basic({ minutesPerSession: 47 })])))[0]!.message).toContain('multiple of 5');
    for (const m of [15, 45, 90, 240])
      expect(ClubInput.safeParse(club([basic({ minutesPerSession: m })])).success, String(m)).toBe(true);
  });

  it('refuses a grade listed twice, no grade at all, and a grade outside 1..12', () => {
    expect(pathsOf(ClubInput.safeParse(club([basic({ grades: [3, 4, 3] })])))).toEqual([['classes', 0, 'grades']]);
    const none = ClubInput.safeParse(club([basic({ grades: [] })]));
    expect(pathsOf(none)).toEqual([['classes', 0, 'grades']]);
    expect(issuesOf(none)[0]!.message).toContain('at least one grade');
    expect(pathsOf(ClubInput.safeParse(club([basic({ grades: [3, 13] })])))).toEqual([['classes', 0, 'grades', 1]]);
    expect(ClubInput.safeParse(club([basic({ grades: [1] })])).success).toBe(true);
  });

  it('refuses a club without classes, at classes', () => {
    const r = ClubInput.safeParse(club([]));
    expect(pathsOf(r)).toEqual([['classes']]);
    expect(issuesOf(r)[0]!.message).toContain('at least one class');
  });

  it('reports every broken rule of every class', () => {
    const r = ClubInput.safeParse(
      club([
        basic({ fixedStaffId: 'st-1', preferredStaffId: 'st-2' }),
        advanced({ name: '基础班', prerequisite: { tier: 'expert' } }),
      ]),
    );
    expect(pathsOf(r)).toEqual([
      ['classes', 0, 'preferredStaffId'],
      ['classes', 1, 'name'],
      ['classes', 1, 'prerequisite', 'tier'],
    ]);
  });
});

// ---------------------------------------------------------------- clubNameKey
describe('clubNameKey', () => {
  it('ignores case, surrounding and repeated spaces', () => {
    expect(clubNameKey('t-1', '  Street   Dance ')).toBe('t-1#street dance');
    expect(clubNameKey('t-1', 'STREET DANCE')).toBe(clubNameKey('t-1', 'street dance'));
  });

  it('folds full-width letters, digits and the ideographic space', () => {
    expect(clubNameKey('t-1', 'Ｈｉｐ　Ｈｏｐ　１')).toBe(clubNameKey('t-1', 'hip hop 1'));
    expect(clubNameKey('t-1', '街舞\t社团')).toBe('t-1#街舞 社团');
  });

  it('keeps apart other terms and names that differ in more than form', () => {
    expect(clubNameKey('t-1', '街舞')).not.toBe(clubNameKey('t-2', '街舞'));
    expect(clubNameKey('t-1', '街舞')).not.toBe(clubNameKey('t-1', '爵士舞'));
    expect(clubNameKey('t-1', 'Hip Hop')).not.toBe(clubNameKey('t-1', 'HipHop'));
  });
});

// ---------------------------------------------------------------- assignClassIds
describe('assignClassIds', () => {
  const classes = (ids: (string | undefined)[]): ClubClassInput[] =>
    ids.map((id, i) => ClubInput.parse(club([basic({ name: `班${i}`, ...(id ? { id } : {}) })])).classes[0]!);

  it('gives new classes ids from the generator, in order', () => {
    // Act
    const r = assignClassIds(classes([undefined, undefined]), [], counter());
    // Assess
    expect(r.issues).toEqual([]);
    expect(r.classes.map((k) => k.id)).toEqual(['n-1', 'n-2']);
    expect(r.classes.map((k) => k.name)).toEqual(['班0', '班1']);
  });

  it("keeps the ids of the club's own classes and asks the generator only for new ones", () => {
    // Prepare
    let calls = 0;
    const gen = () => `new-${++calls}`;
    // Act
    const r = assignClassIds(classes(['k-2', undefined, 'k-1']), [{ id: 'k-1' }, { id: 'k-2' }, { id: 'k-3' }], gen);
    // Assess
    expect(r.issues).toEqual([]);
    expect(r.classes.map((k) => k.id)).toEqual(['k-2', 'new-1', 'k-1']);
    expect(calls).toBe(1);
  });

  it('reports an id that is not a class of this club, at its index', () => {
    const r = assignClassIds(classes(['k-1', 'k-other', undefined]), [{ id: 'k-1' }], counter());
    expect(r.issues.map((i) => i.path)).toEqual([['classes', 1, 'id']]);
    expect(r.issues[0]!.message).toContain('not a class of this club');
  });

  it('reports any id when the club is new', () => {
    expect(assignClassIds(classes(['k-1']), [], counter()).issues.map((i) => i.path)).toEqual([['classes', 0, 'id']]);
  });

  it('does not change the classes it was given', () => {
    const input = classes([undefined, 'k-1']);
    const before = structuredClone(input);
    assignClassIds(input, [{ id: 'k-1' }], counter());
    expect(input).toEqual(before);
  });
});

// ---------------------------------------------------------------- copyClub
describe('copyClub', () => {
  const original = (): Club =>
    Club.parse({
      ...club([
        basic({ id: 'k-basic', preferredStaffId: 'st-1' }),
        advanced({ id: 'k-adv', fixedStaffId: 'st-2', prerequisite: { tier: 'basic', orTeacherApproval: false } }),
      ]),
      roomFeatures: ['dance', 'mirror'],
      id: 'c-1',
      schoolId: 's-1',
      status: 'active',
      lineageId: 'lin-1',
      version: 3,
      createdAt: '2026-02-01T00:00:00.000Z',
      updatedAt: '2026-02-02T00:00:00.000Z',
      updatedBy: 'u-1',
    });

  it('gives the club and every class a new id, keeps the lineage and moves it to the term', () => {
    // Prepare
    const c = original();
    // Act
    const copy = copyClub(c, 't-2026b', counter());
    // Assess
    expect(copy.lineageId).toBe('lin-1');
    expect(copy.termId).toBe('t-2026b');
    const classes: ClubClass[] = copy.classes;
    const ids = [copy.id, ...classes.map((k) => k.id)];
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(['c-1', 'k-basic', 'k-adv']).not.toContain(id);
    expect(ids.every((id) => /^n-\d$/.test(id))).toBe(true);
  });

  it('keeps everything else of the club and its classes', () => {
    const c = original();
    const copy = copyClub(c, 't-2026b', counter());
    expect(copy).toMatchObject({
      name: c.name,
      nameEn: c.nameEn,
      category: c.category,
      descriptionZh: c.descriptionZh,
      descriptionEn: c.descriptionEn,
      skill: c.skill,
      roomFeatures: ['dance', 'mirror'],
    });
    expect(copy.classes.map(({ id: _id, ...k }) => k)).toEqual(c.classes.map(({ id: _id, ...k }) => k));
  });

  it('leaves out the stored fields of the original, and is valid input for the new term', () => {
    const copy = copyClub(original(), 't-2026b', counter());
    for (const f of ['version', 'createdAt', 'updatedAt', 'updatedBy', 'schoolId', 'status']) expect(copy).not.toHaveProperty(f);
    expect(ClubInput.safeParse(copy).success).toBe(true);
  });

  it('is a deep copy: changing the copy does not change the original', () => {
    // Prepare
    const c = original();
    const before = structuredClone(c);
    const copy = copyClub(c, 't-2026b', counter());
    // Act
    copy.roomFeatures.push('outdoor');
    copy.classes[0]!.grades.push(9);
    copy.classes[0]!.name = '改名';
    copy.classes[1]!.prerequisite!.tier = 'changed';
    copy.classes[1]!.prerequisite!.orTeacherApproval = true;
    copy.classes.pop();
    // Assess
    expect(c).toEqual(before);
  });
});

describe('whyCannotTeach', () => {
  const wang = { name: '王老师', status: 'active' as const, skills: ['chess', 'go'] };

  it('lets an active staff member with the skill take the class', () => {
    expect(whyCannotTeach(wang, 'chess')).toBeNull();
  });

  it('names the staff member who lacks the skill', () => {
    expect(whyCannotTeach(wang, 'erhu')).toBe('王老师 does not have the skill erhu');
  });

  it('refuses an archived or unknown staff member', () => {
    expect(whyCannotTeach({ ...wang, status: 'archived' }, 'chess')).toBe('no active staff member has this id');
    expect(whyCannotTeach(undefined, 'chess')).toBe('no active staff member has this id');
  });
});

import { describe, expect, it } from 'vitest';
import {
  addedClass,
  atFormFields,
  classCount,
  clubBody,
  clubValues,
  defaultTerm,
  toggledGrade,
  withoutClass,
} from '../src/pages/people/clubValues';
import type { Club } from '../src/pages/people/types';
import { listOf, wholeOr } from '../src/pages/people/values';
import { pageTrail, withQuery } from '../src/pages/people/query';

const CLUB: Club = {
  id: 'c1',
  schoolId: 's1',
  termId: 't1',
  lineageId: 'l1',
  status: 'active',
  name: '街舞',
  nameEn: 'Street dance',
  category: 'dance',
  descriptionZh: '从基本律动学起',
  descriptionEn: 'From the basics',
  skill: 'street-dance',
  roomFeatures: ['dance'],
  classes: [
    {
      id: 'k1',
      tier: 'basic',
      name: '基础班',
      grades: [3, 4],
      capacity: 25,
      sessionsPerWeek: 2,
      minutesPerSession: 60,
      fixedStaffId: null,
      preferredStaffId: 'st1',
      prerequisite: null,
    },
    {
      id: 'k2',
      tier: 'advanced',
      name: '提升班',
      grades: [5],
      capacity: 20,
      sessionsPerWeek: 1,
      minutesPerSession: 90,
      fixedStaffId: 'st2',
      preferredStaffId: null,
      prerequisite: { tier: 'basic', orTeacherApproval: false },
    },
  ],
  version: 3,
  createdAt: '2026-09-01T00:00:00.000Z',
  updatedAt: '2026-09-02T00:00:00.000Z',
  updatedBy: 'demo-admin',
} as Club;

describe('a club as a form', () => {
  it('gives back the club it was filled from', () => {
    const {
      schoolId: _s,
      lineageId: _l,
      status: _st,
      id: _i,
      version: _v,
      createdAt: _c,
      updatedAt: _u,
      updatedBy: _b,
      ...input
    } = CLUB as Club & { createdAt: string };
    expect(clubBody(clubValues(CLUB), 't1')).toEqual(input);
  });

  it('starts a new club with one class of the basic tier; a class added is the advanced tier, new', () => {
    const v = clubValues();
    expect(classCount(v)).toBe(1);
    expect(v['classes.0.tier']).toBe('basic');
    const two = { ...v, ...addedClass(v) };
    expect(classCount(two)).toBe(2);
    expect(two['classes.1.tier']).toBe('advanced');
    expect(clubBody(two, 't1').classes[1]).not.toHaveProperty('id');
  });

  it('removes a class, the ones after it moving up', () => {
    const three = { ...clubValues(CLUB), ...addedClass(clubValues(CLUB)) };
    three['classes.2.name'] = '精英班';
    const v = withoutClass(three, 0);
    expect(classCount(v)).toBe(2);
    expect([v['classes.0.name'], v['classes.1.name']]).toEqual(['提升班', '精英班']);
    expect(v.name).toBe('街舞');
  });

  it('sends numbers as numbers and what is not a number as typed, for the server to name', () => {
    const v = {
      ...clubValues(CLUB),
      'classes.0.capacity': ' 30 ',
      'classes.1.capacity': '二十',
      'classes.1.sessionsPerWeek': '',
    };
    const [a, b] = clubBody(v, 't1').classes;
    expect(a!.capacity).toBe(30);
    expect(b!.capacity).toBe('二十');
    expect(b!.sessionsPerWeek).toBe('');
  });

  it('checks and unchecks grades, kept in order', () => {
    expect(toggledGrade('', 3, true)).toBe('3');
    expect(toggledGrade('3,5', 4, true)).toBe('3,4,5');
    expect(toggledGrade('3,4,5', 4, false)).toBe('3,5');
  });

  it("puts the server's messages inside a list at the list's field, so they show beside it", () => {
    const answer = {
      status: 400,
      errors: [
        { path: ['classes', 1, 'grades', 0], message: 'the school has no grade 9' },
        { path: ['roomFeatures', 1], message: 'must be lower-case letters' },
        { path: ['classes', 0, 'capacity'], message: 'Too big' },
        { path: ['classes', 1, 'prerequisite', 'tier'], message: 'the club has no expert tier' },
      ],
    };
    expect(atFormFields(answer)).toEqual({
      status: 400,
      errors: [
        { path: ['classes', 1, 'grades'], message: 'the school has no grade 9' },
        { path: ['roomFeatures'], message: 'must be lower-case letters' },
        { path: ['classes', 0, 'capacity'], message: 'Too big' },
        { path: ['classes', 1, 'prerequisite', 'tier'], message: 'the club has no expert tier' },
      ],
    });
    expect(atFormFields(undefined)).toBeUndefined();
  });
});

describe('values as typed', () => {
  it('reads lists separated by commas, semicolons or spaces, Chinese ones too', () => {
    expect(listOf('dance, piano；music、 stage')).toEqual(['dance', 'piano', 'music', 'stage']);
    expect(listOf('  ')).toEqual([]);
    expect(wholeOr('12')).toBe(12);
    expect(wholeOr('1.5')).toBe('1.5');
  });
});

describe("a page's state in the URL", () => {
  it('changes one parameter and keeps the others', () => {
    const q = new URLSearchParams('grade=3&homeroom=2&cursor=abc');
    expect(withQuery('/setup/students', q, { student: '2026001' })).toBe(
      '/setup/students?grade=3&homeroom=2&cursor=abc&student=2026001',
    );
    expect(withQuery('/setup/students', q, { cursor: null, homeroom: null })).toBe('/setup/students?grade=3');
    expect(withQuery('/setup/students', new URLSearchParams(), { new: '' })).toBe('/setup/students?new');
    expect(withQuery('/setup/students', new URLSearchParams('new'), { new: null })).toBe('/setup/students');
  });

  it('remembers the page before each page turned to, per list', () => {
    const trail = pageTrail('s1|3|');
    trail.step(null, 'c2');
    trail.step('c2', 'c3');
    expect(pageTrail('s1|3|').before('c3')).toBe('c2');
    expect(pageTrail('s1|3|').before('c2')).toBeNull();
    expect(pageTrail('s1|4|').before('c3')).toBeUndefined();
  });

  it('shows the term today is in, else the latest', () => {
    const autumn = { id: 'a', startDate: '2026-09-01', endDate: '2027-01-20' };
    const spring = { id: 's', startDate: '2027-02-20', endDate: '2027-07-01' };
    const terms = [spring, autumn];
    expect(defaultTerm(terms, '2026-10-14')?.id).toBe('a');
    expect(defaultTerm(terms, '2027-01-30')?.id).toBe('s');
    expect(defaultTerm([], '2027-01-30')).toBeUndefined();
  });
});

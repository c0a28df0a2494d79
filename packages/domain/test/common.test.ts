import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { Id, IsoDateRange, Page, PageQuery, Slug, Text, uniqueList, VersionQuery } from '../src/common';

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? [] : r.error!.issues.map((i) => i.message);

describe('Text', () => {
  it('trims, and counts the length after trimming', () => {
    expect(Text(3).parse('  abc  ')).toBe('abc');
    expect(Text(3).safeParse('abcd').success).toBe(false);
  });

  it('refuses empty text and control characters, saying why', () => {
    expect(messages(Text(10).safeParse('   '))).toEqual(['must not be empty']);
    expect(messages(Text(10).safeParse('a\u0007b'))).toEqual(['must not contain control characters']);
    expect(Text(10).safeParse('a\tb').success).toBe(false);
    expect(Text(10).parse('李明 · 三(2)班')).toBe('李明 · 三(2)班');
  });
});

describe('Slug and Id', () => {
  it('Slug takes lower-case words with dashes, up to 40', () => {
    for (const ok of ['dance', 'street-dance', '3d-printing', 'a'.repeat(40)]) expect(Slug.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['Dance', '-dance', 'street dance', 'a'.repeat(41), '', '舞蹈'])
      expect(Slug.safeParse(bad).success, bad).toBe(false);
  });

  it('Id takes letters, digits, "_" and "-", up to 64, not starting with a sign', () => {
    for (const ok of ['s-1', 'S_1', '01jz', 'a'.repeat(64)]) expect(Id.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['', '-s', '_s', 's 1', 's/1', 'a'.repeat(65), '学校']) expect(Id.safeParse(bad).success, bad).toBe(false);
  });
});

describe('uniqueList', () => {
  const list = uniqueList(z.string(), 3);
  it('refuses an item listed twice, and more than the maximum', () => {
    expect(list.safeParse(['a', 'b']).success).toBe(true);
    expect(messages(list.safeParse(['a', 'b', 'a']))).toEqual(['must not list an item twice']);
    expect(list.safeParse(['a', 'b', 'c', 'd']).success).toBe(false);
  });
});

describe('PageQuery and VersionQuery', () => {
  it('coerce query strings, with a default limit of 100 up to 500', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 100 });
    expect(PageQuery.parse({ limit: '25', cursor: 'abc' })).toEqual({ limit: 25, cursor: 'abc' });
    for (const limit of ['0', '501', '2.5', 'ten']) expect(PageQuery.safeParse({ limit }).success, limit).toBe(false);
    expect(VersionQuery.parse({ version: '3' })).toEqual({ version: 3 });
    expect(VersionQuery.safeParse({}).success).toBe(false);
    expect(VersionQuery.safeParse({ version: '0' }).success).toBe(false);
  });

  it('Page lists items with a cursor that is null on the last page', () => {
    const p = Page(z.object({ id: z.string() }));
    expect(p.safeParse({ items: [{ id: 'a' }], next: null }).success).toBe(true);
    expect(p.safeParse({ items: [{ id: 'a' }] }).success).toBe(false);
  });
});

describe('IsoDateRange', () => {
  it('takes a range of one day or more, refusing an end before the start at end', () => {
    expect(IsoDateRange.safeParse({ start: '2026-10-01', end: '2026-10-01' }).success).toBe(true);
    const r = IsoDateRange.safeParse({ start: '2026-10-07', end: '2026-10-01' });
    expect(r.error!.issues.map((i) => i.path)).toEqual([['end']]);
  });
});

/** Page cursors: a round trip for the list they came from; anything else refused as the same 400. */
import { InvalidInput } from '@kehou/domain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursorCodec, signCursor, type ListWhere } from '../src/cursor';

const SECRET = 'unit-test-cursor-key-0123456789abcdef';
const cursors = cursorCodec(SECRET);
const rooms: ListWhere = { pk: 'SCHOOL#s1', skPrefix: 'ROOM#' };
const grade3: ListWhere = { index: 'byCollection', pk: 'SCHOOL#s1#GRADE#3', skPrefix: 'HOMEROOM#' };
const roomKey = { pk: 'SCHOOL#s1', sk: 'ROOM#r9' };
const studentKey = { colPk: 'SCHOOL#s1#GRADE#3', colSk: 'HOMEROOM#2#n9', pk: 'SCHOOL#s1', sk: 'STUDENT#n9' };

const issuesOf = (list: ListWhere, cursor: string) => {
  try {
    cursors.decode(list, cursor);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInput);
    return (e as InvalidInput).issues;
  }
  return null;
};
const REFUSED = [{ path: ['query', 'cursor'], message: 'is not a cursor this list gave out' }];
const legacy = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('a cursor', () => {
  it('round-trips the last key of a page of the table or of an index, keeping only its key attributes', () => {
    expect(cursors.decode(rooms, cursors.encode(rooms, { ...roomKey, name: 'Dance' })!)).toEqual(roomKey);
    expect(cursors.decode(grade3, cursors.encode(grade3, studentKey)!)).toEqual(studentKey);
    expect(cursors.encode(rooms, undefined)).toBeNull();
    expect(cursors.decode(rooms, undefined)).toBeUndefined();
  });

  it('is opaque: base64url with a signature, no spaces, no JSON to edit', () => {
    expect(cursors.encode(rooms, roomKey)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it('is refused by every other list: another school, another kind, another prefix, the index', () => {
    const c = cursors.encode(rooms, roomKey)!;
    for (const other of [
      { pk: 'SCHOOL#s2', skPrefix: 'ROOM#' },
      { pk: 'SCHOOL#s1', skPrefix: 'GRADE#' },
      { pk: 'SCHOOL#s1', skPrefix: 'ROOM#r' },
      { index: 'byCollection' as const, pk: 'SCHOOL#s1', skPrefix: 'ROOM#' },
    ])
      expect(issuesOf(other, c), JSON.stringify(other)).toEqual(REFUSED);
  });

  it('is refused when signed with another key, unsigned, or not a cursor at all', () => {
    const c = cursors.encode(rooms, roomKey)!;
    const [payload] = c.split('.');
    for (const bad of [
      signCursor(`another-${SECRET}`, rooms, roomKey),
      legacy(roomKey),
      `${payload}.`,
      `${payload}.${c.split('.')[1]}.x`,
      `${c}=`,
      'not-a-cursor',
      '%%%.%%%',
      '',
      'A'.repeat(2048),
      `${'A'.repeat(2000)}.${c.split('.')[1]}`,
    ])
      expect(issuesOf(rooms, bad), bad.slice(0, 40)).toEqual(REFUSED);
  });

  it('is refused after any change of one character', () => {
    const c = cursors.encode(grade3, studentKey)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat(c.length - 1), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(c[i] !== ch);
        expect(issuesOf(grade3, c.slice(0, i) + ch + c.slice(i + 1))).toEqual(REFUSED);
      }),
    );
  });

  it('is refused, even signed with the right key, if its key has the wrong shape', () => {
    const signed = (key: unknown, list = rooms) => signCursor(SECRET, list, key as Record<string, unknown>);
    for (const bad of [
      signed({ pk: 'SCHOOL#s1' }),
      signed({ pk: 'SCHOOL#s1', sk: '' }),
      signed({ pk: 'SCHOOL#s1', sk: 'GRADE#g1' }),
      signed({ pk: 'SCHOOL#s2', sk: 'ROOM#r9' }),
      signed({ ...roomKey, name: 'Dance' }),
      signed({ pk: 'SCHOOL#s1', sk: { S: 'ROOM#r9' } }),
      signed({ pk: 'SCHOOL#s1', sk: 7 }),
      signed(['SCHOOL#s1', 'ROOM#r9']),
      signed(null),
      signed('ROOM#r9'),
    ])
      expect(issuesOf(rooms, bad)).toEqual(REFUSED);
    const { colSk: _, ...noIndexSk } = studentKey;
    expect(issuesOf(grade3, signed(noIndexSk, grade3))).toEqual(REFUSED);
    expect(issuesOf(grade3, signed({ ...studentKey, sk: '' }, grade3))).toEqual(REFUSED);
    expect(issuesOf(grade3, signed(roomKey, grade3))).toEqual(REFUSED);
  });

  it('needs a key of 32 characters or more', () => {
    expect(() => cursorCodec('short')).toThrow(/32\+ characters/);
  });
});

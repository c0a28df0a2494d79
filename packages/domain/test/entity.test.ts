import { describe, expect, it } from 'vitest';
import { created, expectVersion, revised } from '../src/entity';
import { Conflict } from '../src/errors';

const T0 = new Date('2026-09-01T08:00:00.000Z');
const T1 = new Date('2026-09-02T09:30:00.000Z');

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('created', () => {
  it('stamps version 1, the same creation and update time, and the author', () => {
    // Act
    const e = created({ id: 'r1', name: '舞蹈室' }, { by: 'u-1', now: T0 });
    // Assess
    expect(e).toEqual({
      id: 'r1',
      name: '舞蹈室',
      version: 1,
      createdAt: '2026-09-01T08:00:00.000Z',
      updatedAt: '2026-09-01T08:00:00.000Z',
      updatedBy: 'u-1',
    });
  });

  it('overrides stamp fields the data tries to bring', () => {
    const e = created({ id: 'r1', version: 7, createdAt: 'then', updatedBy: 'someone' }, { by: 'u-1', now: T0 });
    expect(e).toMatchObject({ version: 1, createdAt: T0.toISOString(), updatedBy: 'u-1' });
  });

  it('does not change the data it was given', () => {
    const data = { id: 'r1' };
    created(data, { by: 'u-1', now: T0 });
    expect(data).toEqual({ id: 'r1' });
  });
});

describe('revised', () => {
  const prev = created({ id: 'r1', name: 'a', capacity: 10 }, { by: 'u-1', now: T0 });

  it('makes the next version with the new data, time and author, keeping the creation time', () => {
    const next = revised(prev, { name: 'b' }, 1, { by: 'u-2', now: T1 }, 'room');
    expect(next).toEqual({
      id: 'r1',
      name: 'b',
      capacity: 10,
      version: 2,
      createdAt: T0.toISOString(),
      updatedAt: T1.toISOString(),
      updatedBy: 'u-2',
    });
    expect(prev.version).toBe(1);
  });

  it('does not let the data set the version or the creation time', () => {
    const next = revised(prev, { version: 99, createdAt: 'x' }, 1, { by: 'u-2', now: T1 }, 'room');
    expect(next.version).toBe(2);
    expect(next.createdAt).toBe(T0.toISOString());
  });

  it('refuses a stale version with a Conflict carrying the current version and who wrote it', () => {
    const v2 = revised(prev, { name: 'b' }, 1, { by: 'u-2', now: T1 }, 'room');
    const caught = thrown(() => revised(v2, { name: 'c' }, 1, { by: 'u-3', now: T1 }, 'room'));
    expect(caught).toBeInstanceOf(Conflict);
    const c = caught as Conflict;
    expect(c.reason).toBe('version');
    expect(c.current).toEqual({ version: 2, updatedBy: 'u-2', updatedAt: T1.toISOString() });
    expect(c.message).toContain('room');
    expect(c.message).toContain('version 2');
    expect(c.message).toContain('you sent 1');
  });

  it('refuses a version from the future too', () => {
    expect(() => revised(prev, {}, 2, { by: 'u-2', now: T1 }, 'room')).toThrow(Conflict);
  });
});

describe('expectVersion', () => {
  const prev = created({ id: 'r1' }, { by: 'u-1', now: T0 });

  it('passes for the current version', () => {
    expect(() => expectVersion(prev, 1, 'room')).not.toThrow();
  });

  it('throws the same Conflict as revised for a stale one', () => {
    const e = thrown(() => expectVersion(prev, 3, 'room'));
    expect(e).toBeInstanceOf(Conflict);
    expect((e as Conflict).reason).toBe('version');
    expect((e as Conflict).current).toEqual({ version: 1, updatedBy: 'u-1', updatedAt: T0.toISOString() });
  });
});

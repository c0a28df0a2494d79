import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Id } from '../src/common';
import { idGenerator } from '../src/ids';

const CROCKFORD = /^[0-9a-hjkmnp-tv-z]{26}$/;

/** A seeded generator of numbers in [0, 1). */
const seeded = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};

describe('idGenerator', () => {
  it('makes 26 characters of lower-case Crockford base 32, which are valid Ids', () => {
    const id = idGenerator(() => new Date('2026-09-01T08:00:00.000Z'), seeded(1))();
    expect(id).toHaveLength(26);
    expect(id).toMatch(CROCKFORD);
    expect(Id.safeParse(id).success).toBe(true);
  });

  it('is deterministic for a fixed clock and random source', () => {
    const clock = () => new Date('2026-09-01T08:00:00.000Z');
    const a = idGenerator(clock, seeded(42));
    const b = idGenerator(clock, seeded(42));
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });

  it('encodes the time in the first 10 characters, as ULIDs do', () => {
    // the epoch is all zeros; one millisecond later is ...01
    expect(
      idGenerator(
        () => new Date(0),
        () => 0,
      )(),
    ).toBe('0'.repeat(26));
    expect(
      idGenerator(
        () => new Date(1),
        () => 0,
      )().slice(0, 10),
    ).toBe('0000000001');
    expect(
      idGenerator(
        () => new Date(32),
        () => 0,
      )().slice(0, 10),
    ).toBe('0000000010');
    // the random part uses the whole alphabet, from 0 to z
    expect(
      idGenerator(
        () => new Date(0),
        () => 0.999999,
      )().slice(10),
    ).toBe('z'.repeat(16));
  });

  it('decodes back to the time it was made at', () => {
    const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
    const decode = (id: string) => [...id.slice(0, 10)].reduce((t, c) => t * 32 + ALPHABET.indexOf(c), 0);
    const at = Date.UTC(2026, 8, 1, 8, 0, 0, 123);
    expect(decode(idGenerator(() => new Date(at), seeded(3))())).toBe(at);
  });

  it('sorts as text in the order of time, whatever the random part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer(),
        fc.integer(),
        (t1, t2, s1, s2) => {
          fc.pre(t1 !== t2);
          const a = idGenerator(() => new Date(t1), seeded(s1))();
          const b = idGenerator(() => new Date(t2), seeded(s2))();
          expect(a < b).toBe(t1 < t2);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads the clock once per id', () => {
    let reads = 0;
    const next = idGenerator(() => {
      reads++;
      return new Date(0);
    }, seeded(1));
    next();
    next();
    expect(reads).toBe(2);
  });
});

/**
 * Identifiers: time-ordered, 26 characters of Crockford base 32 (the ULID layout), made
 * from an injected clock and random source so that domain code stays deterministic.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type Clock = () => Date;
export type Random = () => number; // [0, 1)
export type IdGenerator = () => string;

export function idGenerator(clock: Clock, random: Random): IdGenerator {
  return () => {
    let t = clock().getTime();
    let time = '';
    for (let i = 0; i < 10; i++) {
      time = ALPHABET[t % 32]! + time;
      t = Math.floor(t / 32);
    }
    let rand = '';
    for (let i = 0; i < 16; i++) rand += ALPHABET[Math.floor(random() * 32)]!;
    return (time + rand).toLowerCase();
  };
}

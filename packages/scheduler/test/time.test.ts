import { describe, expect, it } from 'vitest';
import { formatHHMM, parseHHMM } from '../src/index';

describe('parseHHMM', () => {
  it.each([
    ['00:00', 0],
    ['16:05', 965],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('reads %s', (text, minutes) => {
    expect(parseHHMM(text)).toBe(minutes);
  });
  it.each(['4:00', '25:00', '12:60', '24:01', '16.00', ' 16:00', '', 960, null])('refuses %j', (text) => {
    expect(parseHHMM(text)).toBeNull();
  });
});

describe('formatHHMM', () => {
  it('writes minutes after midnight as HH:MM, back and forth', () => {
    expect(formatHHMM(965)).toBe('16:05');
    expect(formatHHMM(1440)).toBe('24:00');
    for (let m = 0; m <= 1440; m += 7) expect(parseHHMM(formatHHMM(m))).toBe(m);
  });
  it('refuses what is not a time of day', () => {
    expect(() => formatHHMM(1441)).toThrow(RangeError);
    expect(() => formatHHMM(2.5)).toThrow(RangeError);
  });
});

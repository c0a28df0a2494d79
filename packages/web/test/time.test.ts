import { describe, expect, it } from 'vitest';
import { addDays, formatDay, formatInstant, mondayOf, todayIn } from '../src/time';

describe("the school's dates and times", () => {
  // 2026-12-07 20:30 in Los Angeles is already Tuesday 8 December in Shanghai
  const evening = new Date('2026-12-08T04:30:00Z');

  it("takes today from the school's zone, not the device's", () => {
    expect(todayIn('Asia/Shanghai', evening)).toBe('2026-12-08');
    expect(todayIn('America/Los_Angeles', evening)).toBe('2026-12-07');
  });

  it('counts weeks from Monday, across months and years', () => {
    expect(mondayOf('2026-12-08')).toBe('2026-12-07');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(addDays('2026-12-28', 6)).toBe('2027-01-03');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
  });

  it('names a calendar day as it is, whatever the zone of the machine', () => {
    expect(formatDay('2026-12-07', 'en')).toBe('Mon, Dec 7');
    expect(formatDay('2026-12-07', 'zh-CN')).toBe('12月7日周一');
  });

  it("shows an instant on the school's clock", () => {
    expect(formatInstant('2026-12-08T04:30:00Z', 'Asia/Shanghai', 'en')).toBe('Dec 8, 2026, 12:30 PM');
    expect(formatInstant('2026-12-08T12:30:00+08:00', 'Asia/Shanghai', 'zh-CN')).toBe('2026年12月8日 12:30');
  });
});

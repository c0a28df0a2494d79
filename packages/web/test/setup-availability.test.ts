import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coverage,
  gridRows,
  hhmm,
  minutes,
  paint,
  setSlot,
  SLOT_MINUTES,
  type Availability,
  type Window,
} from '../src/pages/setup/availability';

const w = (start: string, end: string): Window => ({ start, end });

describe('the week grid and the availability windows', () => {
  it('shows half-hour rows from 14:00 to 17:30, from earlier when a weekday window starts earlier', () => {
    expect(gridRows({}).map(hhmm)).toEqual(['14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00', '17:30']);
    expect(gridRows({ TUE: [w('12:50', '18:00')] })[0]).toBe(minutes('12:30'));
    // a Saturday window does not stretch the Monday–Friday grid
    expect(gridRows({ SAT: [w('09:00', '11:00')] })[0]).toBe(minutes('14:00'));
  });

  it('says how much of a slot the windows cover', () => {
    const day = [w('15:50', '17:00')];
    expect(coverage(day, minutes('15:30'), minutes('16:00'))).toBe('some');
    expect(coverage(day, minutes('16:00'), minutes('16:30'))).toBe('all');
    expect(coverage(day, minutes('17:00'), minutes('17:30'))).toBe('none');
    expect(coverage([w('16:00', '16:15'), w('16:15', '16:30')], minutes('16:00'), minutes('16:30'))).toBe('all');
    expect(coverage(undefined, 0, 30)).toBe('none');
  });

  it('joins slots painted next to each other into one window, and splits a window when one is cut out', () => {
    let a: Availability = {};
    for (const t of ['15:30', '16:00', '16:30']) a = setSlot(a, 'MON', minutes(t), true);
    expect(a).toEqual({ MON: [w('15:30', '17:00')] });
    a = setSlot(a, 'MON', minutes('16:00'), false);
    expect(a).toEqual({ MON: [w('15:30', '16:00'), w('16:30', '17:00')] });
    a = setSlot(a, 'MON', minutes('15:30'), false);
    a = setSlot(a, 'MON', minutes('16:30'), false);
    expect(a).toEqual({});
  });

  it('keeps the minutes of a window off the grid where the slot painted does not reach, and leaves other days alone', () => {
    const a: Availability = { WED: [w('15:50', '18:00')], SAT: [w('09:00', '11:00')] };
    expect(setSlot(a, 'WED', minutes('17:30'), false)).toEqual({ WED: [w('15:50', '17:30')], SAT: [w('09:00', '11:00')] });
    expect(setSlot(a, 'WED', minutes('15:30'), true)).toEqual({ WED: [w('15:30', '18:00')], SAT: [w('09:00', '11:00')] });
    // cutting the half hour 15:30–16:00 leaves nothing of 15:50–16:00
    expect(setSlot(a, 'WED', minutes('15:30'), false).WED).toEqual([w('16:00', '18:00')]);
  });

  it('always gives sorted windows that neither overlap nor touch, whatever is painted in whatever order', () => {
    const slot = fc.integer({ min: 0, max: 47 }).map((i) => i * SLOT_MINUTES);
    fc.assert(
      fc.property(fc.array(fc.tuple(slot, fc.boolean()), { maxLength: 40 }), (strokes) => {
        let windows: Window[] = [];
        const on = new Set<number>();
        for (const [from, paintOn] of strokes) {
          windows = paint(windows, from, from + SLOT_MINUTES, paintOn);
          if (paintOn) on.add(from);
          else on.delete(from);
        }
        const spans = windows.map((x) => [minutes(x.start), minutes(x.end)] as const);
        spans.forEach(([s, e], i) => {
          expect(s).toBeLessThan(e);
          if (i > 0) expect(s).toBeGreaterThan(spans[i - 1]![1]);
        });
        // the windows are exactly the slots left on
        for (let m = 0; m < 24 * 60; m += SLOT_MINUTES)
          expect(coverage(windows, m, m + SLOT_MINUTES)).toBe(on.has(m) ? 'all' : 'none');
      }),
    );
  });
});

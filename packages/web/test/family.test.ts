import { describe, expect, it } from 'vitest';
import type { OptOutForm } from '../src/pages/family/types';
import { bodyOf, idempotencyKeys, toggleDay, valuesOf } from '../src/pages/family/values';
import { extend, pathOf, toPad, type Point } from '../src/pages/family/signature';
import { percentText } from '../src/pages/participation/figures';

const signed = {
  wholeTerm: false,
  days: ['WED', 'FRI'] as Array<'WED' | 'FRI'>,
  homeworkHelp: true,
  reason: { category: 'other' as const, text: '奶奶接' },
  guardianSignature: { name: '王妈妈', signedAt: '2026-12-07T03:00:00.000Z', userId: 'mom', guardianId: 'g1' },
  childSignature: { kind: 'typed' as const, name: '王小明' },
};

describe('the opt-out form as typed and as sent', () => {
  it('toggles weekdays in the week’s order', () => {
    expect(toggleDay('', 'FRI')).toBe('FRI');
    expect(toggleDay('FRI', 'WED')).toBe('WED,FRI');
    expect(toggleDay('WED,FRI', 'FRI')).toBe('WED');
  });

  it('sends the days chosen, both signatures, and no request before closing', () => {
    const v = { ...valuesOf(null), days: 'WED,FRI', 'guardianSignature.name': '王妈妈', 'childSignature.image': 'M1 2 L3 4' };
    expect(bodyOf(v, { childSignature: true, closed: false })).toEqual({
      wholeTerm: false,
      days: ['WED', 'FRI'],
      homeworkHelp: false,
      reason: { category: 'family-care', text: null },
      guardianSignature: { name: '王妈妈' },
      childSignature: { kind: 'drawn', image: 'M1 2 L3 4' },
      asRequest: false,
      note: null,
    });
  });

  it('sends no child signature when nothing was drawn (the server names the field), none when the school asks for none', () => {
    const v = { ...valuesOf(null), days: 'MON' };
    expect(bodyOf(v, { childSignature: true, closed: false }).childSignature).toBeNull();
    expect(
      bodyOf({ ...v, childKind: 'typed', 'childSignature.name': '小明' }, { childSignature: true, closed: false }).childSignature,
    ).toEqual({
      kind: 'typed',
      name: '小明',
    });
    expect(
      bodyOf({ ...v, 'childSignature.image': 'M1 2 L3 4' }, { childSignature: false, closed: false }).childSignature,
    ).toBeNull();
  });

  it('sends the whole term without days, and a late change as a request with its note', () => {
    const body = bodyOf(
      { ...valuesOf(null), scope: 'term', days: 'WED', note: ' 搬家了 ' },
      { childSignature: false, closed: true },
    );
    expect(body).toMatchObject({ wholeTerm: true, days: [], asRequest: true, note: '搬家了' });
  });

  it('fills in what is in effect to amend, the signatures blank (every change is signed again)', () => {
    const form = { status: 'opted-out', optOut: signed, request: null } as unknown as OptOutForm;
    expect(valuesOf(form)).toMatchObject({
      scope: 'days',
      days: 'WED,FRI',
      homeworkHelp: 'yes',
      'reason.category': 'other',
      'reason.text': '奶奶接',
      'guardianSignature.name': '',
      'childSignature.image': '',
    });
  });

  it('sends one Idempotency-Key per request meant: the same again, the same key; a changed one, a new key', () => {
    let n = 0;
    const keyFor = idempotencyKeys(() => `key-${++n}`);
    expect(keyFor({ days: ['WED'] })).toBe('key-1');
    expect(keyFor({ days: ['WED'] })).toBe('key-1');
    expect(keyFor({ days: ['WED', 'FRI'] })).toBe('key-2');
  });
});

describe('the signature pad', () => {
  it('maps the element’s points into its 300 × 120 box, whole and clamped', () => {
    expect(toPad(150, 30, 600, 240)).toEqual([75, 15]);
    expect(toPad(-5, 500, 300, 120)).toEqual([0, 120]);
  });

  it('drops points next to the last one and writes strokes as an SVG path the API takes', () => {
    const stroke: Point[] = [[10, 20]];
    expect(extend(stroke, [11, 20])).toBe(false);
    expect(extend(stroke, [30, 40])).toBe(true);
    const path = pathOf([stroke, [[50, 50]]]);
    expect(path).toBe('M10 20 L30 40 M50 50 L50 50');
    expect(path).toMatch(/^[Mm][MmLlHhVvCcSsQqTtAaZz0-9eE\s,.+-]*$/);
  });
});

describe('participation as the reports quote it', () => {
  it('has two decimals and a percent sign, a dash for nobody', () => {
    expect(percentText(99.32)).toBe('99.32 %');
    expect(percentText(100)).toBe('100.00 %');
    expect(percentText(null)).toBe('—');
  });
});

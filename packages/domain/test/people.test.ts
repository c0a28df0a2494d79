import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Availability, GuardianInput, guardianIdFor, Phone, StaffInput, StudentInput, StudentNo, Window } from '../src/people';
import { hhmm } from '../src/time';

type Issues = { path: PropertyKey[]; message: string }[];
const pathsOf = (r: { success: boolean; error?: { issues: Issues } }) => (r.success ? [] : r.error!.issues.map((i) => i.path));

describe('Window', () => {
  it('takes a window that ends after it starts', () => {
    expect(Window.parse({ start: '16:00', end: '17:30' })).toEqual({ start: '16:00', end: '17:30' });
  });

  it('refuses a window that ends before, or when, it starts, at end', () => {
    expect(pathsOf(Window.safeParse({ start: '17:00', end: '16:00' }))).toEqual([['end']]);
    expect(pathsOf(Window.safeParse({ start: '17:00', end: '17:00' }))).toEqual([['end']]);
  });

  it('refuses times that are not "HH:MM", at that time', () => {
    expect(pathsOf(Window.safeParse({ start: '4:00', end: '17:00' }))).toEqual([['start']]);
  });
});

describe('Availability', () => {
  it('takes windows that touch: 16:00–17:00 and 17:00–18:00', () => {
    const a = {
      MON: [
        { start: '16:00', end: '17:00' },
        { start: '17:00', end: '18:00' },
      ],
    };
    expect(Availability.parse(a)).toEqual(a);
  });

  it('refuses overlapping windows, at the later one, whatever their order', () => {
    const r = Availability.safeParse({
      TUE: [
        { start: '17:00', end: '18:00' },
        { start: '16:00', end: '17:01' },
      ],
    });
    expect(pathsOf(r)).toEqual([['TUE', 0]]);
  });

  it('refuses a window inside another, and checks each day on its own', () => {
    const inside = Availability.safeParse({
      WED: [
        { start: '15:00', end: '18:00' },
        { start: '16:00', end: '16:30' },
      ],
      THU: [
        { start: '15:00', end: '16:00' },
        { start: '16:00', end: '16:30' },
      ],
    });
    expect(pathsOf(inside)).toEqual([['WED', 1]]);
  });

  it('takes the same window on different days, and weekends', () => {
    const w = [{ start: '09:00', end: '12:00' }];
    expect(Availability.safeParse({ MON: w, TUE: w, SAT: w, SUN: w }).success).toBe(true);
  });

  it('refuses unknown days and more than 8 windows a day', () => {
    expect(Availability.safeParse({ MONDAY: [] }).success).toBe(false);
    const nine = Array.from({ length: 9 }, (_, i) => ({ start: hhmm(8 * 60 + i * 60), end: hhmm(8 * 60 + i * 60 + 30) }));
    expect(pathsOf(Availability.safeParse({ MON: nine }))).toEqual([['MON']]);
    expect(Availability.safeParse({ MON: nine.slice(0, 8) }).success).toBe(true);
  });

  it('accepts a day exactly when no two of its windows overlap', () => {
    const window = fc
      .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 240 }))
      .map(([s, len]) => ({ s, e: Math.min(1440, s + len) }));
    fc.assert(
      fc.property(fc.array(window, { minLength: 0, maxLength: 8 }), (ws) => {
        const overlap = ws.some((a, i) => ws.some((b, j) => i !== j && a.s < b.e && b.s < a.e));
        const day = ws.map((w) => ({ start: hhmm(w.s), end: hhmm(w.e) }));
        expect(Availability.safeParse({ FRI: day }).success).toBe(!overlap);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Phone', () => {
  it("drops spaces and dashes, and China's country code on a mobile number, so one person has one number", () => {
    expect(Phone.parse('138 0013 8000')).toBe('13800138000');
    expect(Phone.parse('138-0013-8000')).toBe('13800138000');
    expect(Phone.parse(' +86 138 0013 8000 ')).toBe('13800138000');
    expect(Phone.parse('0086 13800138000')).toBe('13800138000');
    expect(Phone.parse('010-6552 9988')).toBe('01065529988');
  });

  it('keeps a leading + for numbers abroad, and the 86 of a landline', () => {
    expect(Phone.parse('+852 9123 4567')).toBe('+85291234567');
    expect(Phone.parse('+86 10 6552 9988')).toBe('+861065529988');
  });

  it('refuses what is not a phone number', () => {
    for (const p of [
      '',
      '12345',
      '138001380001234567890',
      'call me',
      '138 0013 800a',
      '+',
      '-13800138000',
      '13800138000-',
      '138.0013.8000',
    ]) {
      expect(Phone.safeParse(p).success, p).toBe(false);
    }
  });
});

describe('StaffInput', () => {
  it('defaults everything but the name and kind', () => {
    expect(StaffInput.parse({ name: '王老师', kind: 'teacher' })).toEqual({
      name: '王老师',
      kind: 'teacher',
      skills: [],
      availability: {},
      maxMinutesPerWeek: 240,
      qualificationExpiresOn: null,
      backgroundCheckExpiresOn: null,
      noPaidTutoringCommitmentOn: null,
      userId: null,
      phone: null,
    });
  });

  it('normalises the phone and checks dates, skills and kind', () => {
    expect(StaffInput.parse({ name: 'x', kind: 'external', phone: '139 1234 5678' }).phone).toBe('13912345678');
    const r = StaffInput.safeParse({
      name: 'x',
      kind: 'coach',
      skills: ['chess', 'chess'],
      backgroundCheckExpiresOn: '2026-02-29',
      maxMinutesPerWeek: -1,
    });
    expect(pathsOf(r).sort()).toEqual([['backgroundCheckExpiresOn'], ['kind'], ['maxMinutesPerWeek'], ['skills']]);
  });

  it('refuses overlapping availability, at the day and window', () => {
    const r = StaffInput.safeParse({
      name: 'x',
      kind: 'volunteer',
      availability: {
        MON: [
          { start: '16:00', end: '17:00' },
          { start: '16:30', end: '17:30' },
        ],
      },
    });
    expect(pathsOf(r)).toEqual([['availability', 'MON', 1]]);
  });
});

describe('StudentInput and StudentNo', () => {
  it('takes school student numbers, trimmed', () => {
    expect(StudentNo.parse(' 20260301 ')).toBe('20260301');
    expect(StudentNo.safeParse('G-2026_01').success).toBe(true);
  });

  it('refuses numbers that could not be keys', () => {
    for (const n of ['', '-1', '2026 0301', '学号1', 'a'.repeat(41), 'a/b'])
      expect(StudentNo.safeParse(n).success, n).toBe(false);
  });

  it('needs every field', () => {
    expect(
      pathsOf(StudentInput.safeParse({}))
        .map((p) => p[0])
        .sort(),
    ).toEqual(['gradeLevel', 'homeroom', 'name', 'studentNo']);
  });
});

describe('GuardianInput', () => {
  it('defaults the relation to guardian and the account to none', () => {
    expect(GuardianInput.parse({ name: '李华', phone: '13800138000', children: ['20260301'] })).toEqual({
      name: '李华',
      phone: '13800138000',
      relation: 'guardian',
      children: ['20260301'],
      userId: null,
    });
  });

  it('needs at least one child, each once', () => {
    expect(pathsOf(GuardianInput.safeParse({ name: 'x', phone: '13800138000', children: [] }))).toEqual([['children']]);
    expect(pathsOf(GuardianInput.safeParse({ name: 'x', phone: '13800138000', children: ['1', '1'] }))).toEqual([['children']]);
  });
});

describe('guardianIdFor', () => {
  const PHONE = '13800138000';

  it('is the same for the same school and phone', () => {
    expect(guardianIdFor('s-1', PHONE)).toBe(guardianIdFor('s-1', PHONE));
  });

  it('differs by school and by phone', () => {
    const ids = new Set([guardianIdFor('s-1', PHONE), guardianIdFor('s-2', PHONE), guardianIdFor('s-1', '13800138001')]);
    expect(ids.size).toBe(3);
  });

  it('cannot be confused by moving characters between school and phone', () => {
    expect(guardianIdFor('s-11', '3800138000')).not.toBe(guardianIdFor('s-1', '13800138000'));
  });

  it('does not contain the phone number, and is a valid Id', () => {
    const id = guardianIdFor('s-1', PHONE);
    expect(id).not.toContain(PHONE);
    expect(id).not.toContain(PHONE.slice(3));
    expect(id).toMatch(/^gd-[0-9a-f]{20}$/);
  });

  it('spreads phone numbers over distinct ids', () => {
    const phones = Array.from({ length: 2000 }, (_, i) => `1380013${String(i).padStart(4, '0')}`);
    expect(new Set(phones.map((p) => guardianIdFor('s-1', p))).size).toBe(phones.length);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatInTimeZone } from 'date-fns-tz';
import {
  amendForm,
  NewOptOut,
  OptOutSubmission,
  sameSubmission,
  submitForm,
  todayIn,
  withdrawForm,
  type FormContext,
} from '../src/optout';

describe('todayIn', () => {
  it('is the date in the school’s zone, turning at its midnight', () => {
    expect(todayIn('Asia/Shanghai', new Date('2026-10-13T15:59:59Z'))).toBe('2026-10-13');
    expect(todayIn('Asia/Shanghai', new Date('2026-10-13T16:00:00Z'))).toBe('2026-10-14');
    expect(todayIn('America/New_York', new Date('2026-10-14T03:59:59Z'))).toBe('2026-10-13');
  });

  it('agrees with date-fns-tz for any instant and zone', () => {
    const zones = ['Asia/Shanghai', 'Asia/Urumqi', 'Europe/London', 'America/New_York', 'Pacific/Kiritimati', 'UTC'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (now, zone) => todayIn(zone, now) === formatInTimeZone(now, zone, 'yyyy-MM-dd'),
      ),
    );
  });
});

const NOW = new Date('2026-09-10T02:00:00Z'); // 10:00 in Shanghai
const ctx = (o: { closesOn?: string; childSignature?: boolean; by?: string } = {}): FormContext => ({
  schoolId: 's-1',
  notice: { opensOn: '2026-09-01', closesOn: o.closesOn ?? '2026-09-20', childSignature: o.childSignature ?? true },
  today: todayIn('Asia/Shanghai', NOW),
  student: { id: '1001', name: '王小明', gradeLevel: 1, homeroom: '1' },
  guardian: { id: 'gd-1', name: '王妈妈' },
  stamp: { by: o.by ?? 'mom', now: NOW },
});
const submission = (o: Record<string, unknown> = {}) =>
  OptOutSubmission.parse({
    wholeTerm: false,
    days: ['FRI', 'WED'],
    homeworkHelp: false,
    reason: { category: 'family-care' },
    guardianSignature: { name: '王妈妈' },
    childSignature: { kind: 'typed', name: '王小明' },
    ...o,
  });

describe('the form', () => {
  it('refuses a weekday outside MON–FRI, a missing signature, and days with no choice, naming the field', () => {
    const issues = (body: Record<string, unknown>) =>
      NewOptOut.safeParse({ studentNo: '1001', ...submission(), ...body }).error?.issues.map((i) => i.path);
    expect(issues({ days: ['WED', 'SAT'] })).toEqual([['days', 1]]);
    expect(issues({ days: ['SUN'] })).toContainEqual(['days', 0]);
    expect(issues({ guardianSignature: undefined })).toEqual([['guardianSignature']]);
    expect(issues({ days: [] })).toEqual([['days']]);
    expect(issues({ wholeTerm: true, days: ['MON'] })).toEqual([['days']]);
  });

  it('is submitted in effect while the notice is open, the days in weekday order, signed by the account', () => {
    const f = submitForm(ctx(), 't-1', submission());
    expect(f).toMatchObject({
      id: 't-1#1001',
      status: 'opted-out',
      action: 'submitted',
      actor: { as: 'guardian', userId: 'mom', guardianId: 'gd-1', name: '王妈妈' },
      optOut: {
        days: ['WED', 'FRI'],
        guardianSignature: { name: '王妈妈', userId: 'mom', guardianId: 'gd-1', signedAt: NOW.toISOString() },
      },
      request: null,
      version: 1,
    });
  });

  it('needs the child’s signature unless the notice switches it off', () => {
    expect(() => submitForm(ctx(), 't-1', submission({ childSignature: null }))).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: ['childSignature'] })] }),
    );
    expect(submitForm(ctx({ childSignature: false }), 't-1', submission({ childSignature: null })).optOut).toMatchObject({
      childSignature: null,
    });
  });

  it('after closing is refused at asRequest, or made a request the school decides', () => {
    const late = ctx({ closesOn: '2026-09-09' });
    expect(() => submitForm(late, 't-1', submission())).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ path: ['asRequest'] })] }),
    );
    expect(submitForm(late, 't-1', submission({ asRequest: true }))).toMatchObject({
      status: 'requested',
      optOut: null,
      request: { action: 'submit', state: 'pending', optOut: { days: ['WED', 'FRI'] } },
    });
  });

  it('tells a retry or a second tap (same choice, same account) from another submission', () => {
    const held = submitForm(ctx(), 't-1', submission());
    const later = { ...ctx(), stamp: { by: 'mom', now: new Date(NOW.getTime() + 5000) } };
    expect(sameSubmission(held, submitForm(later, 't-1', submission()))).toBe(true);
    expect(sameSubmission(held, submitForm(later, 't-1', submission({ days: ['WED'] })))).toBe(false);
    expect(sameSubmission(held, submitForm(later, 't-1', submission({ homeworkHelp: true })))).toBe(false);
    expect(sameSubmission(held, submitForm(ctx({ by: 'dad' }), 't-1', submission()))).toBe(false);
    // withdrawn meanwhile: a late retry of the first submission does not opt the child out again
    const withdrawn = withdrawForm(ctx(), held, { version: 1, asRequest: false, note: null });
    expect(sameSubmission(withdrawn, submitForm(later, 't-1', submission()))).toBe(false);
  });

  it('is amended with the version read: a stale one is refused', () => {
    const held = submitForm(ctx(), 't-1', submission());
    const amended = amendForm(ctx({ by: 'dad' }), held, { ...submission({ days: ['MON'] }), version: 1 });
    expect(amended).toMatchObject({ version: 2, action: 'amended', actor: { userId: 'dad' }, optOut: { days: ['MON'] } });
    expect(() => amendForm(ctx(), amended, { ...submission(), version: 1 })).toThrow(
      expect.objectContaining({ reason: 'version' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { readProblem } from '../src/api/problem';
import { checkState } from '../src/pages/setup/checks';
import { foldErrors, into, itemOf, rowAt, rowsOf, splitList, toNumber, withRows } from '../src/pages/setup/fields';

const refused = (errors: Array<{ path: Array<string | number>; message: string }>) => ({
  error: { status: 400, detail: 'invalid', errors },
  response: new Response(null, { status: 400 }),
});

describe("the set-up forms' values", () => {
  it('reads a list typed with commas, Chinese commas or spaces', () => {
    expect(splitList(' chess, choir，street-dance、 go  ')).toEqual(['chess', 'choir', 'street-dance', 'go']);
    expect(splitList('   ')).toEqual([]);
  });

  it('sends a number typed as a number, anything else as NaN (null in JSON, which the server names)', () => {
    expect(toNumber('45')).toBe(45);
    expect(toNumber('')).toBeNaN();
    expect(toNumber('四十')).toBeNaN();
    expect(JSON.stringify({ capacity: toNumber('') })).toBe('{"capacity":null}');
  });

  it("keeps a list's rows flat under the server's paths, and replaces them", () => {
    const v = withRows<Record<string, string>>({ name: '秋季' }, 'holidays', [
      { name: '国庆', start: '2026-10-01', end: '2026-10-07' },
      { name: '中秋', start: '2026-09-25', end: '2026-09-25' },
    ]);
    expect(v['holidays.1.start']).toBe('2026-09-25');
    expect(rowsOf(v, 'holidays', ['name', 'start', 'end'])).toEqual([
      { name: '国庆', start: '2026-10-01', end: '2026-10-07' },
      { name: '中秋', start: '2026-09-25', end: '2026-09-25' },
    ]);
    const fewer = withRows(v, 'holidays', [{ name: '中秋', start: '2026-09-25', end: '2026-09-25' }]);
    expect(fewer).toEqual({
      name: '秋季',
      'holidays.0.name': '中秋',
      'holidays.0.start': '2026-09-25',
      'holidays.0.end': '2026-09-25',
    });
    expect(rowsOf(fewer, 'makeUpDays', ['date', 'runsAs'])).toEqual([]);
  });
});

describe("the server's messages, beside the control that shows what they are about", () => {
  it('puts a message about an item of a list beside the list, naming the item', () => {
    const out = foldErrors(
      refused([
        { path: ['features', 1], message: 'must be lower-case letters, digits and "-" (at most 40)' },
        { path: ['name'], message: 'must not be empty' },
      ]),
      itemOf('features', ['dance', 'Piano']),
    );
    expect(readProblem(400, out.error).fields).toEqual({
      features: '“Piano”: must be lower-case letters, digits and "-" (at most 40)',
      name: 'must not be empty',
    });
  });

  it('puts a message about a window of a day beside the week grid, naming the day', () => {
    const out = foldErrors(
      refused([{ path: ['availability', 'MON', 0, 'end'], message: 'must be after start' }]),
      into('availability', ([day]) => `周一 (${day})`),
    );
    expect(readProblem(400, out.error).fields).toEqual({ availability: '周一 (MON): must be after start' });
  });

  it('puts a message about a whole row beside its first day, and leaves the others as they are', () => {
    const out = foldErrors(
      refused([
        { path: ['holidays', 2], message: 'must lie inside the term' },
        { path: ['holidays', 0, 'end'], message: 'end must not be before start' },
      ]),
      rowAt('holidays', 'start'),
    );
    expect(readProblem(400, out.error).fields).toEqual({
      'holidays.2.start': 'must lie inside the term',
      'holidays.0.end': 'end must not be before start',
    });
  });

  it('leaves a success, and an answer without field messages, alone', () => {
    const ok = { data: { id: 'r1' }, response: new Response(null, { status: 200 }) };
    expect(foldErrors(ok, itemOf('features', []))).toBe(ok);
    const conflict = { error: { status: 409, reason: 'version' }, response: new Response(null, { status: 409 }) };
    expect(foldErrors(conflict, itemOf('features', []))).toBe(conflict);
  });
});

describe("a check's last valid day, on the school's today", () => {
  it('is expired from the day after, about to expire within 30 days, missing when not given', () => {
    const today = '2026-10-14';
    expect(checkState('2026-10-13', today)).toBe('expired');
    expect(checkState('2026-10-14', today)).toBe('soon');
    expect(checkState('2026-11-13', today)).toBe('soon');
    expect(checkState('2026-11-14', today)).toBe('valid');
    expect(checkState(null, today)).toBe('missing');
  });
});

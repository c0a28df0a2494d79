import { describe, expect, it } from 'vitest';
import { readProblem } from '../src/api/problem';

describe('reading an error answer for a form', () => {
  it('puts each field message under its path, several for one field joined', () => {
    const p = readProblem(400, {
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: '3 problems with the input (see errors)',
      errors: [
        { path: ['name'], message: 'Too small' },
        { path: ['dismissal', 'MON'], message: 'is not HH:MM' },
        { path: ['name'], message: 'must not be blank' },
      ],
    });
    expect(p).toEqual({
      status: 400,
      detail: '3 problems with the input (see errors)',
      fields: { name: 'Too small; must not be blank', 'dismissal.MON': 'is not HH:MM' },
    });
  });

  it("keeps a stale version's who and when", () => {
    const p = readProblem(409, {
      status: 409,
      detail: 'school was changed by someone else',
      reason: 'version',
      current: { version: 3, updatedBy: 'demo-admin', updatedAt: '2026-12-07T05:00:00.000Z' },
    });
    expect(p.reason).toBe('version');
    expect(p.current).toEqual({ version: 3, updatedBy: 'demo-admin', updatedAt: '2026-12-07T05:00:00.000Z' });
  });

  it("reads API Gateway's own answers and bodies that are not JSON objects", () => {
    expect(readProblem(401, { message: 'Unauthorized' })).toEqual({ status: 401, detail: 'Unauthorized', fields: {} });
    expect(readProblem(502, 'Bad Gateway')).toEqual({ status: 502, detail: 'Bad Gateway', fields: {} });
    expect(readProblem(500, undefined)).toEqual({ status: 500, detail: '', fields: {} });
  });
});

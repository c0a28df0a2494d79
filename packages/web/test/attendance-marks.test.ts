import { describe, expect, it } from 'vitest';
import { nextStatus, nothingPending, saveBody, withMarks } from '../src/pages/attendance/marks';

describe('marks taken on the phone', () => {
  it('moves one status a tap: present, absent, late, excused, and round again', () => {
    const seen = [nextStatus(null)];
    for (let i = 0; i < 4; i++) seen.push(nextStatus(seen[seen.length - 1]!));
    expect(seen).toEqual(['present', 'absent', 'late', 'excused', 'present']);
  });

  it('gives changed marks a new key, with when each was made, and posts them all', () => {
    const first = withMarks(nothingPending('k-0'), [['1001', 'present']], new Date('2026-09-16T08:31:00Z'), 'k-1');
    const second = withMarks(first, [['1002', 'absent']], new Date('2026-09-16T08:32:00Z'), 'k-2');
    expect(second.key).toBe('k-2');
    expect(saveBody(second)).toEqual({
      marks: [
        { studentNo: '1001', status: 'present', markedAt: '2026-09-16T08:31:00.000Z' },
        { studentNo: '1002', status: 'absent', markedAt: '2026-09-16T08:32:00.000Z' },
      ],
    });
    expect(first.marks['1002']).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { holdsLock, JOB_LEASE_MS, JOB_QUEUE_MS, leaseUntil, nextRun, type JobLease } from '../src/jobs';

const NOW = new Date('2026-09-01T08:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const queued = (at = ago(1000)): JobLease => ({ state: 'queued', at, runs: 0 });
const running = (lease: string, runner: string | null = 'r1'): JobLease => ({
  state: 'running',
  at: ago(60_000),
  runs: 1,
  ...(runner ? { runner } : {}),
  leaseUntil: lease,
});

describe('nextRun', () => {
  it('starts a queued job, does nothing for one that ended or is gone', () => {
    expect(nextRun(queued(), NOW)).toBe('start');
    expect(nextRun({ ...queued(), state: 'finished' }, NOW)).toBe('none');
    expect(nextRun({ ...queued(), state: 'failed' }, NOW)).toBe('none');
    expect(nextRun(null, NOW)).toBe('none');
  });

  it('resumes a running job whose runner stopped (released, or its lease ran out), waits while a lease is live', () => {
    expect(nextRun(running(leaseUntil(NOW)), NOW)).toBe('busy');
    expect(nextRun(running(ago(1)), NOW)).toBe('resume');
    expect(nextRun(running(leaseUntil(NOW), null), NOW)).toBe('resume');
  });
});

describe('holdsLock', () => {
  it('is held by a job queued a while ago, not by one never started in JOB_QUEUE_MS', () => {
    expect(holdsLock(queued(ago(JOB_QUEUE_MS - 1)), NOW)).toBe(true);
    expect(holdsLock(queued(ago(JOB_QUEUE_MS)), NOW)).toBe(false);
  });

  it('is held by a running job while its lease (or the grace for a retry) lasts', () => {
    expect(holdsLock(running(new Date(NOW.getTime() + JOB_LEASE_MS).toISOString()), NOW)).toBe(true);
    expect(holdsLock(running(NOW.toISOString(), null), NOW)).toBe(true);
    expect(holdsLock(running(ago(1)), NOW)).toBe(false);
  });

  it('is not held by a job that ended, or that is gone', () => {
    expect(holdsLock({ ...queued(), state: 'finished' }, NOW)).toBe(false);
    expect(holdsLock({ ...queued(), state: 'failed' }, NOW)).toBe(false);
    expect(holdsLock(null, NOW)).toBe(false);
  });
});

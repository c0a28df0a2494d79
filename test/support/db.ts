/** A fresh table on the run's DynamoDB Local, per test file; never a real AWS endpoint. */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { ensureTable } from '../../packages/local/src/dynamodb';
import { idGenerator, type Clock } from '@kehou/domain';
import { makeDb, makeStore, runtimeOf, type Db, type JobPort, type Runtime, type Store } from '@kehou/store';

export function localEndpoint(): string {
  const endpoint = inject('dynamoEndpoint');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(endpoint)) throw new Error(`refusing to test against ${endpoint}: not DynamoDB Local`);
  return endpoint;
}

/** The cursor key of every test store (a deployment has its own secret; see infra/lib/api.ts). */
export const TEST_CURSOR_KEY = 'test-cursor-key-0123456789abcdef0123456789';

export async function freshTable(): Promise<{ db: Db; store: Store; tableName: string; endpoint: string }> {
  const endpoint = localEndpoint();
  const tableName = `t-${randomUUID()}`;
  await ensureTable(endpoint, tableName);
  const db = makeDb({ tableName, endpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  return { db, store: makeStore(db), tableName, endpoint };
}

/** A runtime with a clock the test moves, ids that count up, and jobs handed to `jobs`. */
export function testRuntime(
  store: Store,
  start = new Date('2026-09-01T08:00:00Z'),
  jobs?: JobPort,
): Runtime & { clock: Clock; advance(ms: number): void } {
  let now = start.getTime();
  let seq = 0;
  const clock: Clock = () => new Date(now);
  const rt = runtimeOf(
    store,
    clock,
    idGenerator(clock, () => ((seq++ * 7919) % 1000) / 1000),
    jobs,
  );
  return { ...rt, advance: (ms: number) => void (now += ms) };
}

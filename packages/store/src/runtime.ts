/**
 * What a handler needs at run time, made once per process (per Lambda container) from the
 * environment: the store, a clock and an id source. Tests build their own with a frozen
 * clock and seeded ids.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { idGenerator, type Clock, type IdGenerator } from '@kehou/domain';
import { makeDb } from './client';
import { storeConfigFromEnv } from './config';
import { withCost } from './metrics';
import { makeStore, type Store } from './store';

export interface Runtime {
  store: Store;
  clock: Clock;
  newId: IdGenerator;
  /** an unguessable token (calendar feed URLs) */
  newSecret: () => string;
  idempotency: Store['idempotency'];
  /** counts the DynamoDB calls of a request (see metrics.ts) */
  measure: typeof withCost;
}

const secret = () => randomBytes(24).toString('base64url');

export function runtimeOf(store: Store, clock: Clock, newId: IdGenerator, newSecret: () => string = secret): Runtime {
  return { store, clock, newId, newSecret, idempotency: store.idempotency, measure: withCost };
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  const clock: Clock = () => new Date();
  return runtimeOf(
    makeStore(makeDb(storeConfigFromEnv(env))),
    clock,
    idGenerator(clock, () => randomInt(0, 2 ** 32) / 2 ** 32),
  );
}

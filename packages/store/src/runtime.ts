/**
 * What a handler needs at run time, made once per process (per Lambda container) from the
 * environment: the store, a clock, an id source and where jobs go. Tests build their own
 * with a frozen clock and seeded ids.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { idGenerator, type Clock, type IdGenerator } from '@kehou/domain';
import { makeDb } from './client';
import { storeConfigFromEnv } from './config';
import { withCost } from './metrics';
import { jobsHere, lambdaJobs } from './job-port';
import type { JobPort } from './jobs';
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
  /** hands a job to the worker; returns once it is queued, never waits for the job */
  jobs: JobPort;
}

const secret = () => randomBytes(24).toString('base64url');

export function runtimeOf(
  store: Store,
  clock: Clock,
  newId: IdGenerator,
  jobs: JobPort = jobsHere,
  newSecret: () => string = secret,
): Runtime {
  return { store, clock, newId, newSecret, idempotency: store.idempotency, jobs, measure: withCost };
}

export function runtimeFromEnv(env: NodeJS.ProcessEnv = process.env): Runtime {
  const clock: Clock = () => new Date();
  const config = storeConfigFromEnv(env);
  return runtimeOf(
    makeStore(makeDb(config)),
    clock,
    idGenerator(clock, () => randomInt(0, 2 ** 32) / 2 ** 32),
    env.JOBS_FUNCTION ? lambdaJobs(env.JOBS_FUNCTION, config.region) : jobsHere,
  );
}

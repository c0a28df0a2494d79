/**
 * A Lambda function serving a set of routes: the middy chain, then the route's
 * implementation, then the reply shaped as API Gateway expects. A handler module is two
 * lines: `export const handler = lambdaHandler(routes, runtime)`.
 */
import middy from '@middy/core';
import type { Clock } from '@kehou/domain';
import {
  authenticate,
  idempotency,
  parseInput,
  problemErrors,
  resolveRoute,
  type ApiContext,
  type Event,
  type IdempotencyPort,
  type Result,
  type Sleep,
} from './middleware';
import { Reply, type Bound } from './route';
import { log } from './log';
import { processObservers } from './observers';

/** Runs a request's work and says what it cost (the store's DynamoDB call counter). */
export type Measure = <T>(work: () => Promise<T>) => Promise<{ result: T; cost: unknown }>;

/** What a served request was, for whoever listens in the same process (the calls benchmark, its test). */
export interface RequestObservation {
  routeKey: string;
  status: number;
  cost: unknown;
  /** how long the handler took, in ms (what Lambda bills) */
  ms: number;
}
const requests = processObservers<RequestObservation>('requestObservers');

/** Calls `listener` after every request served in this process; returns the function that stops it. */
export const observeRequests = requests.observe;

export interface HandlerOptions {
  clock: Clock;
  measure?: Measure;
  idempotency?: IdempotencyPort;
  /** how a duplicate request waits for the first one's answer (tests pass one that does not wait) */
  sleep?: Sleep;
}

function shape(value: unknown, status: number, produces: string | undefined): Result {
  const reply = value instanceof Reply ? value : new Reply(status, value);
  if (reply.status === 204 || reply.body === undefined) return { statusCode: reply.status, headers: reply.headers };
  if (typeof reply.body === 'string' && produces && produces !== 'application/json') {
    return { statusCode: reply.status, headers: { 'content-type': produces, ...reply.headers }, body: reply.body };
  }
  return {
    statusCode: reply.status,
    headers: { 'content-type': 'application/json', ...reply.headers },
    body: JSON.stringify(reply.body),
  };
}

export function lambdaHandler<R>(routes: readonly Bound<R>[], runtime: (R & HandlerOptions) | (() => R & HandlerOptions)) {
  const rt = typeof runtime === 'function' ? (runtime as () => R & HandlerOptions)() : runtime;
  const chain = middy<Event, Result, Error, ApiContext>()
    .use(
      problemErrors((e, event) =>
        log('error', 'unexpected error', { route: event.routeKey, requestId: event.requestContext?.requestId, error: e }),
      ),
    )
    .use(resolveRoute(routes as readonly Bound<unknown>[]))
    .use(authenticate())
    .use(parseInput());
  if (rt.idempotency) chain.use(idempotency(rt.idempotency, rt.clock, rt.sleep ? { sleep: rt.sleep } : {}));
  const inner = chain.handler(async (_event, context) => {
    const route = context.route!;
    const out = await route.impl(context.input!, rt);
    return shape(out, route.spec.status ?? 200, route.spec.produces);
  });
  return async (event: Event, context: ApiContext): Promise<Result> => {
    const started = performance.now();
    const { result: res, cost } = rt.measure
      ? await rt.measure(() => inner(event, context))
      : { result: await inner(event, context), cost: undefined };
    const ms = performance.now() - started;
    log('info', 'request', {
      route: event.routeKey,
      status: res.statusCode,
      ms: Math.round(ms),
      requestId: event.requestContext?.requestId,
      ...(cost ? { db: cost } : {}),
    });
    requests.tell({ routeKey: event.routeKey, status: res.statusCode ?? 200, cost, ms });
    return res;
  };
}

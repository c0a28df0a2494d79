/**
 * What a request costs the database: DynamoDB calls by operation, round trips, items read
 * and capacity consumed. An SDK middleware counts every call into the counter of the
 * request it belongs to (an AsyncLocalStorage context the HTTP handler opens per request),
 * so that concurrent requests in one process (the local server) are told apart.
 *
 * A round trip is a wave of calls in flight together: calls started while another is in
 * flight (`Promise.all`) share the wave; a call started when none is in flight starts a new
 * one. That is the latency a person waits for, whatever the number of calls.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DbCost {
  calls: number;
  roundTrips: number;
  /** the operations of each round trip, in order */
  trips: string[][];
  /** calls by operation, e.g. { QueryCommand: 1, GetItemCommand: 2 } */
  operations: Record<string, number>;
  itemsRead: number;
  readCapacity: number;
  writeCapacity: number;
}

/** A call as it went to DynamoDB (the low-level command's name and input), to replay it. */
export interface RecordedCall {
  operation: string;
  input: unknown;
}

/** The cost of nothing: no call made. */
export const noCost = (): DbCost => ({
  calls: 0,
  roundTrips: 0,
  trips: [],
  operations: {},
  itemsRead: 0,
  readCapacity: 0,
  writeCapacity: 0,
});

export class CostCounter {
  /** every call, by round trip, when the counter records them (the calls benchmark replays reads) */
  readonly recorded: RecordedCall[][] | null;
  /** the counter this one runs inside of, which counts the same calls */
  outer: CostCounter | null = null;
  constructor(record = false) {
    this.recorded = record ? [] : null;
  }

  readonly cost: DbCost = noCost();
  private inFlight = 0;

  started(operation: string, input?: unknown): void {
    if (this.inFlight === 0) {
      this.cost.roundTrips++;
      this.cost.trips.push([]);
      this.recorded?.push([]);
    }
    this.cost.trips.at(-1)!.push(operation);
    this.recorded?.at(-1)!.push({ operation, input: structuredClone(input) });
    this.inFlight++;
    this.cost.calls++;
    this.cost.operations[operation] = (this.cost.operations[operation] ?? 0) + 1;
  }

  finished(operation: string, output: unknown): void {
    this.inFlight--;
    const o = (output ?? {}) as {
      Items?: unknown[];
      Item?: unknown;
      Responses?: Record<string, unknown[]> | unknown[];
      ConsumedCapacity?: Capacity | Capacity[];
    };
    if (Array.isArray(o.Items)) this.cost.itemsRead += o.Items.length;
    if (o.Item) this.cost.itemsRead += 1;
    if (o.Responses && !Array.isArray(o.Responses))
      for (const items of Object.values(o.Responses)) this.cost.itemsRead += items.length;
    // with ReturnConsumedCapacity TOTAL, DynamoDB gives CapacityUnits: read units for a read, write units for a write
    const writes = WRITES.has(operation);
    for (const c of [o.ConsumedCapacity ?? []].flat()) {
      if (writes) this.cost.writeCapacity += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
      else this.cost.readCapacity += c.ReadCapacityUnits ?? c.CapacityUnits ?? 0;
    }
  }
}
interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const current = new AsyncLocalStorage<CostCounter>();

/** Runs `work` with a fresh counter; every DynamoDB call it makes (through an instrumented client) is counted there. */
export function withCost<T>(work: () => Promise<T>): Promise<{ result: T; cost: DbCost }> {
  return withCounter(new CostCounter(), work).then(({ result, counter }) => ({ result, cost: counter.cost }));
}

/** The same with a counter of one's own (one that records the calls). */
export function withCounter<T>(counter: CostCounter, work: () => Promise<T>): Promise<{ result: T; counter: CostCounter }> {
  counter.outer = current.getStore() ?? null;
  return current.run(counter, async () => ({ result: await work(), counter }));
}

/** The counters a call counts in: the request's, and those around it (a benchmark around a request). */
function* chain(c: CostCounter | undefined): Generator<CostCounter> {
  for (let x: CostCounter | null | undefined = c; x; x = x.outer) yield x;
}

/** The counter of the request being served, if any. */
export const costCounter = (): CostCounter | undefined => current.getStore();

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);
const WITH_CAPACITY = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactGetItemsCommand',
  'TransactWriteItemsCommand',
]);

/** Adds the counting middleware to a client (once, when the client is made). */
export function instrument(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const counters = [...chain(current.getStore())];
      if (counters.length === 0) return next(args);
      const operation = context.commandName ?? 'unknown';
      const input = args.input as { ReturnConsumedCapacity?: string };
      for (const c of counters) c.started(operation, args.input);
      if (WITH_CAPACITY.has(operation)) input.ReturnConsumedCapacity ??= 'TOTAL';
      let output: unknown;
      try {
        const out = await next(args);
        output = out.output;
        return out;
      } finally {
        for (const c of counters) c.finished(operation, output);
      }
    },
    { step: 'initialize', name: 'kehouCostCounter' },
  );
}

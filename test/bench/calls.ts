/**
 * `npm run bench:calls [-- --runs 21]`: what every route costs on the demo school — DynamoDB
 * calls, round trips, items read, capacity — and its handler's median time (in process, as
 * Lambda runs and bills it) against DynamoDB Local's own floor for
 * the same calls, measured in the same run: a read's very calls are replayed straight to
 * DynamoDB Local, round trip by round trip; a write's floor is each round trip's slowest
 * operation alone (a write cannot be replayed). Target for the routes people use often
 * (`hot`): at most 2 round trips, and a median within 3 ms of its floor.
 */
import { parseArgs } from 'node:util';
import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { observeRequests, routeKey, type RequestObservation } from '@kehou/http';
import { gatewayClient, seedDemo, startLocal } from '@kehou/local';
import { CostCounter, makeDb, noCost, withCounter, type DbCost, type RecordedCall } from '@kehou/store';
import { ALL_ROUTES } from '../../functions/index';
import { callersOf } from '../support/app';
import { MATRIX } from '../support/matrix';
import { demoWorld } from '../support/world';

const HOT_ROUND_TRIPS = 2;
const HOT_SLACK_MS = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
async function timed(runs: number, work: () => Promise<unknown>, warm = true): Promise<number> {
  if (warm) await work();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '21' } } });
  const runs = Number(values.runs);
  process.stderr.write('bench:calls: loading the demo school…\n');
  const app = await startLocal({ port: 0, inMemory: true, startingUp: 'loading' });
  try {
    const seeded = await seedDemo(app);
    app.ready();
    const testApp = {
      ...app,
      anonymous: gatewayClient(app.gateway, null),
      as: callersOf(app, (token) => gatewayClient(app.gateway, token)),
    };
    const w = await demoWorld(testApp, seeded);
    await app.worker.idle();

    // DynamoDB Local's floor: each operation alone, on this table
    const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: 'x'.repeat(32) });
    const T = app.tableName;
    const scratch = (i: number) => ({ pk: `BENCH#${i}`, sk: 'X' });
    await Promise.all([0, 1, 2, 3].map((i) => db.doc.send(new PutCommand({ TableName: T, Item: { ...scratch(i), n: 0 } }))));
    const school = `SCHOOL#${w.a.schoolId}`;
    let n = 0;
    const floors: Record<string, number> = {
      GetItemCommand: await timed(runs, () =>
        db.doc.send(new GetCommand({ TableName: T, Key: scratch(0), ConsistentRead: true })),
      ),
      QueryCommand: await timed(runs, () =>
        db.doc.send(
          new QueryCommand({
            TableName: T,
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
            ExpressionAttributeValues: { ':p': school, ':s': 'ROOM#' },
            Limit: 50,
          }),
        ),
      ),
      BatchGetItemCommand: await timed(runs, () =>
        db.doc.send(new BatchGetCommand({ RequestItems: { [T]: { Keys: [0, 1, 2, 3].map(scratch) } } })),
      ),
      PutItemCommand: await timed(runs, () => db.doc.send(new PutCommand({ TableName: T, Item: { ...scratch(9), n: n++ } }))),
      UpdateItemCommand: await timed(runs, () =>
        db.doc.send(
          new UpdateCommand({
            TableName: T,
            Key: scratch(1),
            UpdateExpression: 'SET n = :n',
            ExpressionAttributeValues: { ':n': n++ },
          }),
        ),
      ),
      DeleteItemCommand: await timed(runs, () => db.doc.send(new DeleteCommand({ TableName: T, Key: scratch(8) }))),
      TransactWriteItemsCommand: await timed(runs, () =>
        db.doc.send(
          new TransactWriteCommand({
            TransactItems: [1, 2, 3].map((i) => ({
              Update: {
                TableName: T,
                Key: scratch(i),
                UpdateExpression: 'SET n = :n',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':n': n++ },
              },
            })),
          }),
        ),
      ),
    };
    const floorOf = (cost: DbCost) =>
      cost.trips.reduce((sum, trip) => sum + Math.max(...trip.map((op) => floors[op] ?? floors.GetItemCommand!)), 0);
    // the calls are recorded as the document client sends them (before marshalling)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- four command classes of different inputs
    const DOC: Record<string, new (input: any) => any> = {
      GetItemCommand: GetCommand,
      QueryCommand,
      BatchGetItemCommand: BatchGetCommand,
      TransactGetItemsCommand: TransactGetCommand,
    };
    /** the same reads, straight to DynamoDB Local, round trip after round trip (outside any counter) */
    const replay = (trips: RecordedCall[][]) => () =>
      trips.reduce<Promise<unknown>>(
        (prev, trip) => prev.then(() => Promise.all(trip.map((c) => db.doc.send(new DOC[c.operation]!(c.input))))),
        Promise.resolve(),
      );

    const seen: RequestObservation[] = [];
    const stop = observeRequests((o) => seen.push(o));
    const rows: string[][] = [];
    let misses = 0;
    for (const spec of ALL_ROUTES) {
      const row = MATRIX[spec.operationId]!;
      const req = await row.req(w);
      const call = row.right === 'anyone' ? w.callers.none : w.callers[row.right];
      const costs: DbCost[] = [];
      const handlerMs: number[] = [];
      let status = 0;
      const once = async () => {
        seen.length = 0;
        const res = await call(req.method, req.path, req.body);
        status = res.status;
        // a read must answer as it should; a write on the demo school may be refused by a rule (shown)
        if (res.status !== row.ok && spec.method === 'GET')
          throw new Error(`${spec.operationId}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        const o = seen.find((x) => x.routeKey === routeKey(spec));
        if (o?.cost) costs.push(o.cost as DbCost);
        if (o) handlerMs.push(o.ms);
      };
      // reads are timed over many runs, each run beside a replay of its calls (so both see the
      // machine as it is at that moment); a write once (it changes what it writes)
      const read = spec.method === 'GET';
      let readFloor = 0;
      if (read) {
        const { counter } = await withCounter(new CostCounter(true), once);
        const trips = counter.recorded!;
        const again = trips.length > 0 ? replay(trips) : undefined;
        const floorMs: number[] = [];
        if (again) await again();
        for (let i = 0; i < runs; i++) {
          await once();
          if (again) floorMs.push(await timed(1, again, false));
        }
        if (again) readFloor = median(floorMs);
      } else await once();
      // the handler's own time, as Lambda bills it (a read's first run only warms)
      const p50 = median(read ? handlerMs.slice(1) : handlerMs);
      await app.worker.idle();
      const cost = costs.at(-1) ?? noCost();
      const floor = read ? readFloor : floorOf(cost);
      const ok = !spec.hot || (cost.roundTrips <= HOT_ROUND_TRIPS && p50 <= floor + HOT_SLACK_MS);
      if (!ok) misses++;
      rows.push([
        spec.operationId,
        spec.hot ? 'hot' : '',
        String(status),
        String(cost.calls),
        String(cost.roundTrips),
        String(cost.itemsRead),
        cost.readCapacity.toFixed(1),
        cost.writeCapacity.toFixed(1),
        read ? p50.toFixed(1) : `${p50.toFixed(1)}*`,
        floor.toFixed(1),
        (p50 - floor).toFixed(1),
        spec.hot ? (ok ? 'ok' : 'MISS') : '',
      ]);
    }
    stop();
    const head = ['route', '', 'status', 'calls', 'trips', 'items', 'RCU', 'WCU', 'p50 ms', 'floor ms', 'over', 'target'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    process.stdout.write(
      [
        `DynamoDB Local floors (median of ${runs}, ms): ${Object.entries(floors)
          .map(([k, v]) => `${k.replace('Command', '')} ${v.toFixed(1)}`)
          .join(', ')}`,
        `${seeded.summary}`,
        '',
        line(head),
        line(widths.map((x) => '-'.repeat(x))),
        ...rows.map(line),
        '',
        `* a write, timed once, its floor each round trip's slowest operation alone. Target (hot routes): at most ${HOT_ROUND_TRIPS} round trips and a median within ${HOT_SLACK_MS} ms of the floor of its round trips.`,
        `${misses} hot route(s) miss the target.`,
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:calls: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

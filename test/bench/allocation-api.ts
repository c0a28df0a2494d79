/**
 * `npm run bench:allocation-api [-- --children 3000 --clubs 40 --choices 5 --seats 16 --places 2]`:
 * ranked allocation over HTTP against the local server on DynamoDB Local (in memory), on the
 * school `npm run bench:allocation` generates (test/support/allocation-school.ts): run it (a
 * job), read the draft (its lists a page at a time), publish it (a job). Every call to
 * DynamoDB passes a meter (test/support/write-meter.ts) that counts the calls and measures
 * each item written by DynamoDB's size rules. A phase's time is from the request to the
 * job's end (the local jobs worker runs in this process). It prints a table and, as its last
 * line, one JSON object: {children, classes, ranked, placed, granted, bumped, waitlisted,
 * runCalls, readCalls, publishCalls, largestItemBytes, draftItems, oldDraftBytes, runMs,
 * readMs, publishMs, overCapacity, placesHeld}. Targets: no item over 350 KB
 * (DynamoDB's limit is 400 KB); the run's calls follow the classes, not the children; no
 * class over capacity; every grant held once.
 */
import { parseArgs } from 'node:util';
import { marshall } from '@aws-sdk/util-dynamodb';
import { classSeatsId } from '@kehou/domain';
import { createDevKey, httpClient, startDynamo, startLocal, type Call } from '@kehou/local';
import { keys, makeDb, makeStore, queryItems } from '@kehou/store';
import { allocationSchool } from '../support/allocation-school';
import { readAllocation } from '../support/enrolment';
import { itemSize, startWriteMeter, type Measured } from '../support/write-meter';

const KB = 1024;
const DYNAMODB_ITEM_LIMIT = 400 * KB;

async function main() {
  const { values } = parseArgs({
    options: {
      children: { type: 'string', default: '3000' },
      clubs: { type: 'string', default: '40' },
      choices: { type: 'string', default: '5' },
      seats: { type: 'string', default: '16' },
      places: { type: 'string', default: '2' },
    },
  });
  const o = {
    children: Number(values.children),
    clubs: Number(values.clubs),
    choices: Number(values.choices),
    seats: Number(values.seats),
    places: Number(values.places),
  };
  const say = (s: string) => process.stderr.write(`bench:allocation-api: ${s}\n`);
  say('starting DynamoDB Local (in memory), a meter in front of it, and the local server…');
  const dynamo = await startDynamo({ dataDir: null });
  const meter = await startWriteMeter(dynamo.endpoint);
  const tableName = 'bench-allocation';
  const app = await startLocal({ port: 0, dynamoEndpoint: meter.endpoint, tableName, key: await createDevKey() });
  try {
    // the set-up and the checks go straight to DynamoDB Local, past the meter
    const db = makeDb({ tableName, endpoint: dynamo.endpoint, region: 'local', cursorKey: 'x'.repeat(32) });
    const store = makeStore(db);
    const bureau = httpClient(app.url, await app.token({ role: 'district', userId: 'bench-bureau', district: 'd-alloc-bench' }));
    const adminOf = async (schoolId: string): Promise<Call> =>
      httpClient(app.url, await app.token({ role: 'admin', userId: 'bench-admin', schools: [schoolId] }));
    say(`a school of ${o.children} children ranking ${o.choices} classes each (set-up, not measured)…`);
    const s = await allocationSchool(bureau, adminOf, store, o, say);

    const total = () => Object.values(meter.calls).reduce((a, b) => a + b, 0);
    const phase = async <T>(name: string, work: () => Promise<T>) => {
      say(`${name}…`);
      const before = { ...meter.calls };
      const calls0 = total();
      meter.largest = { bytes: 0, key: '', op: '' };
      const t0 = performance.now();
      const out = await work();
      const ms = performance.now() - t0;
      const ops = Object.entries(meter.calls)
        .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      return { out, ms, calls: total() - calls0, ops, largest: { ...meter.largest } as Measured };
    };
    /** A run or a publication: accepted, then ended by the jobs worker (in this process). */
    const job = async (path: string, body: unknown) => {
      const res = await s.admin('POST', path, body);
      if (res.status !== 202) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      await app.worker.idle();
      const ended = (await s.admin('GET', res.headers.location!)).body;
      if (ended.state !== 'finished') throw new Error(`${path}: ${JSON.stringify(ended)}`);
      return ended;
    };

    const run = await phase('run (a job)', () => job(`${s.enrol}/allocation`, { version: 0, seed: 29 }));
    const read = await phase('read the draft, cursor after cursor', () => readAllocation(s.admin, s.enrol));
    const draft = read.out;
    const head = (await store.allocations.head(s.schoolId, s.termId))!;
    const items = await queryItems(db, keys.allocationPagesOf(s.schoolId, head.set));
    const draftItems = items.map((i) => itemSize(marshall(i)));

    // the draft as one item, as it was stored before (grants twice: in `grants` and under each class)
    const old = {
      ...keys.enrolAllocation(s.schoolId, s.termId),
      type: 'enrol-allocation',
      seed: draft.seed,
      lottery: draft.lottery,
      grants: draft.grants.map((g: any) => ({ childId: g.studentNo, classId: g.classId, rank: g.rank, round: g.round })),
      rounds: draft.rounds,
      children: draft.children,
      placed: draft.placed,
      unplaced: draft.unplaced,
      ranks: draft.ranks,
      schoolId: s.schoolId,
      termId: s.termId,
      version: draft.version,
      status: draft.status,
      seedDerived: draft.seedDerived,
      ranBy: draft.ranBy,
      ranAt: draft.ranAt,
      publishedBy: null,
      publishedAt: null,
      classes: draft.classes.map((k: any) => ({
        ...k,
        granted: draft.grants
          .filter((g: any) => g.classId === k.classId)
          .map((g: any) => ({ studentNo: g.studentNo, name: g.name, rank: g.rank, round: g.round })),
      })),
      dropped: draft.dropped,
      unplacedChoices: draft.unplacedChoices,
      waitlisted: 0,
    };
    const oldDraftBytes = itemSize(marshall(old, { removeUndefinedValues: true }));

    const publish = await phase('publish (a job)', () => job(`${s.enrol}/allocation/publish`, { version: draft.version }));
    const published = publish.out.allocation;

    // every place where it should be: no class over capacity, each grant honoured held once
    const resources = draft.classes.map((k: { classId: string }) => classSeatsId(k.classId));
    const [seats, entries] = await Promise.all([
      store.capacity.seatsOfMany(s.schoolId, resources),
      store.enrolments.entriesIn(s.schoolId, resources),
    ]);
    const overCapacity = [...seats.values()].reduce((n, x) => n + Math.max(0, x.taken - x.capacity), 0);
    const held = [...entries.values()].flat();
    const placesHeld = held.filter((e) => e.state === 'granted').length;
    const counted = [...seats.values()].reduce((n, x) => n + x.taken, 0);

    const largestItemBytes = Math.max(run.largest.bytes, publish.largest.bytes);
    const kb = (b: number) => `${(b / KB).toFixed(1)} KB`;
    const row = (
      name: string,
      p: { calls: number; ms: number; ops: ReadonlyArray<readonly [string, number]> },
      largest: string,
    ) => [
      name,
      String(draft.children),
      String(p.calls),
      largest,
      (p.ms / 1000).toFixed(2),
      p.ops.map(([op, n]) => `${op} ${n}`).join(', '),
    ];
    const table = [
      ['phase', 'children', 'DynamoDB calls', 'largest item written', 'time s', 'calls by operation'],
      row('run (job)', run, kb(run.largest.bytes)),
      row(`read (${draft.answers} answer${draft.answers > 1 ? 's' : ''})`, read, '—'),
      row('publish (job)', publish, kb(publish.largest.bytes)),
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    const line = (r: string[]) =>
      `| ${r.map((x, c) => (c === 0 || c === r.length - 1 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join(' | ')} |`;
    const result = {
      children: draft.children,
      classes: s.classes,
      ranked: s.ranked,
      placed: draft.placed,
      granted: draft.granted,
      bumped: published.bumpedCount,
      waitlisted: published.waitlisted,
      runCalls: run.calls,
      readCalls: read.calls,
      publishCalls: publish.calls,
      largestItemBytes,
      draftItems: draftItems.length,
      oldDraftBytes,
      runMs: Math.round(run.ms),
      readMs: Math.round(read.ms),
      publishMs: Math.round(publish.ms),
      overCapacity,
      placesHeld,
    };
    process.stdout.write(
      [
        `school: ${draft.children} children ranking ${o.choices} classes each (${s.ranked} choices), ${s.classes} classes, ${s.seats} seats, at most ${o.places} places a child`,
        `draft: ${draft.placed} children placed, ${draft.granted} places granted, ranks ${JSON.stringify(draft.ranks)}, ${draft.unplacedChoices.length} without a place`,
        '',
        line(table[0]!),
        `|${widths.map((w, c) => (c === 0 || c === widths.length - 1 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
        ...table.slice(1).map(line),
        '',
        `the draft's lists: ${draftItems.length} items, the largest ${kb(Math.max(...draftItems))} (bound 350 KB); its head ${kb(
          itemSize(marshall(head, { removeUndefinedValues: true })),
        )}`,
        `largest item written: run ${run.largest.key} (${kb(run.largest.bytes)}), publish ${publish.largest.key} (${kb(publish.largest.bytes)})`,
        `the same draft as one item (as it was stored before: grants twice): ${kb(oldDraftBytes)} — ${
          oldDraftBytes > DYNAMODB_ITEM_LIMIT ? 'over' : 'under'
        } DynamoDB's 400 KB`,
        `published: ${publish.out.message}`,
        `places held ${placesHeld} (counters ${counted}) = granted ${draft.granted} − not honoured ${published.bumpedCount}: ${
          placesHeld === draft.granted - published.bumpedCount && counted === placesHeld ? 'yes' : 'NO'
        }; over capacity: ${overCapacity}`,
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
    await meter.close();
    await dynamo.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:allocation-api: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

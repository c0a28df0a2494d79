/**
 * `npm run bench:optout [-- --guardians 2000 --concurrency 64 --rounds 4]`: against the local
 * server on DynamoDB Local (in memory; the handlers `npm start` runs, behind the local API
 * Gateway, over HTTP), the guardians of one school submit their children's opt-out forms in a
 * burst, so many at a time, a tenth of them twice at once with the same Idempotency-Key; then
 * every guardian reads their form back, and the school lists them all. It prints throughput,
 * p50/p99 latency, DynamoDB calls and CPU time per submission beside DynamoDB Local's own
 * conditional puts (as many, at the same concurrency) and beside the path alone (the same phones,
 * gateway and token check, as many reads of the school: one DynamoDB read each), and as its
 * last line one JSON object:
 * {submitted, stored, lost, duplicated, perSecond, p50Ms, p99Ms, floorPerSecond}.
 * Targets: 0 lost, 0 duplicated, perSecond ≥ 0.5 × floorPerSecond.
 *
 * perSecond is forms submitted (each child's once, whatever its retries) per second of the
 * burst, every answer in; floorPerSecond is conditional puts a second. The machine is shared:
 * the burst and the floor are measured in `rounds` slices taken turn about (a slice of the
 * floor, a slice of the burst, …), so that both see the machine as it is. The server runs in
 * this process, so the DynamoDB calls it makes are counted; the phones run on a thread of
 * their own (phones.ts), so that the server's thread does only the server's work.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type OptOutForm } from '@kehou/domain';
import { observeRequests, type RequestObservation } from '@kehou/http';
import { httpClient, startLocal } from '@kehou/local';
import { makeDb, makeStore, type DbCost } from '@kehou/store';
import { formRoutes } from '../../functions/families/api';
import { schoolRoutes } from '../../functions/setup/api';
import { form, notice, WEEK } from '../support/families';
import { phones, pool, type PhoneAnswer, type PhoneRequest } from './phones';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : 0;
};

/**
 * CPU time used so far, in ms: this process's main thread (the server, or the floor's
 * client), its other threads (the phones), and DynamoDB Local (Java, found by its port).
 */
function cpuMeter(dynamoEndpoint: string) {
  const port = new URL(dynamoEndpoint).port;
  const java = readdirSync('/proc').find((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').includes(`-port ${port} `);
    } catch {
      return false;
    }
  });
  // utime and stime of /proc/…/stat, in clock ticks (100 a second)
  const ms = (stat: string) => {
    const f = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  return () => {
    const server = ms(`/proc/self/task/${process.pid}/stat`);
    return { server, phones: ms('/proc/self/stat') - server, java: java ? ms(`/proc/${java}/stat`) : NaN };
  };
}
type Cpu = ReturnType<ReturnType<typeof cpuMeter>>;

/** What a part of the bench took, summed over its slices. */
class Tally {
  seconds = 0;
  ms: number[] = [];
  cpu: Cpu = { server: 0, phones: 0, java: 0 };
  add(r: { seconds: number; ms: number[] }, a: Cpu, b: Cpu) {
    this.seconds += r.seconds;
    this.ms.push(...r.ms);
    for (const k of ['server', 'phones', 'java'] as const) this.cpu[k] += b[k] - a[k];
  }
  row(name: string, count: string, n: number, calls: string) {
    return [
      name,
      count,
      (n / this.seconds).toFixed(0),
      quantile(this.ms, 0.5).toFixed(1),
      quantile(this.ms, 0.99).toFixed(1),
      calls,
      (this.cpu.server / n).toFixed(2),
      (this.cpu.phones / n).toFixed(2),
      (this.cpu.java / n).toFixed(2),
    ];
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      guardians: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '64' },
      rounds: { type: 'string', default: '4' },
    },
  });
  const n = Number(values.guardians);
  const concurrency = Number(values.concurrency);
  const rounds = Math.max(1, Math.min(n, Number(values.rounds)));
  const say = (s: string) => process.stderr.write(`bench:optout: ${s}\n`);
  say('starting the local server on DynamoDB Local (in memory)…');
  const app = await startLocal({ port: 0, inMemory: true });
  try {
    const as = async (role: 'district' | 'admin', userId: string, schools: string[] = []) =>
      httpClient(app.url, await app.token({ role, userId, schools, ...(role === 'district' ? { district: 'd-bench' } : {}) }));
    const ok = <T>(r: { status: number; body: T }, what: string): T => {
      if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    // the school: one grade a homeroom of about 42, one guardian a child, each with an account
    say(`a school of ${n} students, each with a guardian who has an account…`);
    const bureau = await as('district', 'bench-bureau');
    const schoolId = ok(
      await bureau<{ id: string }>('POST', '/schools', { name: '压测小学', districtId: 'd-bench' }),
      'school',
    ).id;
    const admin = await as('admin', 'bench-admin', [schoolId]);
    const at = (p: string) => `/schools/${schoolId}${p}`;
    for (let level = 1; level <= 6; level++)
      ok(await admin('POST', at('/grades'), { level, name: `${level}年级`, dismissal: WEEK }), 'grade');
    const termId = ok(
      await admin<{ id: string }>('POST', at('/terms'), { name: '秋季', startDate: '2026-09-01', endDate: '2027-01-22' }),
      'term',
    ).id;
    const rows = Array.from({ length: n }, (_, i) => ({
      studentNo: `B${String(i).padStart(6, '0')}`,
      name: `学生${i}`,
      gradeLevel: (i % 6) + 1,
      homeroom: String((Math.floor(i / 6) % Math.max(1, Math.round(n / 6 / 42))) + 1),
      guardians: [{ name: `家长${i}`, phone: `136${String(i).padStart(8, '0')}`, relation: 'mother' }],
    }));
    const accepted = ok(await admin<{ importId: string }>('POST', at('/students/import'), { mode: 'create', rows }), 'import');
    await app.worker.idle();
    const imported = ok(await admin<{ state: string }>('GET', at(`/imports/${accepted.importId}`)), 'import');
    if (imported.state !== 'finished') throw new Error(`import: ${JSON.stringify(imported)}`);
    // each guardian linked to an account, as an admin does (the product's own repository writes the links)
    const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: 'x'.repeat(32) });
    const store = makeStore(db);
    const now = new Date();
    await pool(
      rows.map((r, i) => async () => {
        const [student] = await store.students.many(schoolId, [r.studentNo]);
        const [g] = await store.guardians.many(schoolId, student!.guardianIds);
        const next = {
          ...g!,
          userId: `bench-parent-${i}`,
          version: g!.version + 1,
          updatedAt: now.toISOString(),
          updatedBy: 'bench-admin',
        };
        await store.guardians.replace(schoolId, g!, next);
      }),
      32,
    );
    ok(await admin('POST', at(`/terms/${termId}/notice`), notice()), 'notice');
    const tokens = await Promise.all(
      rows.map((_, i) => app.token({ role: 'parent', userId: `bench-parent-${i}`, schools: [schoolId] })),
    );
    const phone = phones(app.url);

    const path = at(`/terms/${termId}/optouts`);
    const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'];
    const bodyOf = (i: number) => ({
      studentNo: rows[i]!.studentNo,
      ...form({
        wholeTerm: i % 9 === 0,
        days: i % 9 === 0 ? [] : [DAYS[i % 5], ...(i % 3 === 0 ? [DAYS[(i + 2) % 5]] : [])],
        homeworkHelp: i % 4 === 0,
        guardianSignature: { name: `家长${i}` },
      }),
    });
    /** guardian i's submission: once, or (a tenth of them) twice at once with the same key */
    const submissions = (i: number): PhoneRequest[] => {
      const submit = {
        method: 'POST',
        path,
        token: tokens[i]!,
        body: bodyOf(i),
        headers: { 'idempotency-key': `bench-${i}-optout` },
        retryBusy: true,
      };
      return i % 10 === 0 ? [submit, submit] : [submit];
    };
    const floorPut = (i: number) => () =>
      db.doc.send(
        new PutCommand({
          TableName: app.tableName,
          Item: { pk: `BENCHFLOOR#${i}`, sk: 'X', n: i, note: 'x'.repeat(600) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );

    // turn about: a slice of DynamoDB Local's own conditional puts, then a slice of the burst
    say(
      `the burst: ${n} guardians, ${concurrency} at a time, in ${rounds} slices, each after a slice of DynamoDB Local’s floor…`,
    );
    const cpu = cpuMeter(app.dynamoEndpoint);
    /** runs `work`, adding its time and the CPU time used meanwhile to `t` */
    const timed = async <T extends { seconds: number; ms: number[] }>(t: Tally, work: () => Promise<T>) => {
      const before = cpu();
      const r = await work();
      t.add(r, before, cpu());
      return r;
    };
    const floor = new Tally();
    const burst = new Tally();
    /** the path's own cost: the same phones, gateway and sign-in, each request one DynamoDB read (the school) */
    const oneCall = new Tally();
    const answers: Array<PhoneAnswer & { guardian: number }> = [];
    /** the DynamoDB calls the server made, by route */
    const calls = new Map<string, DbCost[]>();
    const stop = observeRequests((o: RequestObservation) => {
      if (o.cost) (calls.get(o.routeKey) ?? calls.set(o.routeKey, []).get(o.routeKey)!).push(o.cost as DbCost);
    });
    for (let r = 0; r < rounds; r++) {
      const slice = rows.map((_, i) => i).slice(Math.floor((r * n) / rounds), Math.floor(((r + 1) * n) / rounds));
      await timed(floor, () => pool(slice.map(floorPut), concurrency));
      const guardians = slice.flatMap((i) => submissions(i).map(() => i));
      const sent = await timed(burst, () => phone.send(slice.flatMap(submissions), concurrency));
      answers.push(...sent.results.map((x, k) => ({ ...x, guardian: guardians[k]! })));
      const schoolReads = await timed(oneCall, () =>
        phone.send(
          slice.map((i) => ({ method: 'GET', path: at(''), token: tokens[i]! })),
          concurrency,
        ),
      );
      if (schoolReads.results.some((x) => x.status !== 200)) throw new Error('a guardian could not read the school');
    }
    const perSecond = n / burst.seconds;
    const floorPerSecond = n / floor.seconds;
    const refused = answers.filter((x) => x.status !== 201);

    // every form read back by its guardian, and the school's list of them all
    say('reading every form back…');
    const reads = new Tally();
    const read = await timed(reads, () =>
      phone.send(
        rows.map((r, i) => ({ method: 'GET', path: `${path}/${r.studentNo}`, token: tokens[i]! })),
        concurrency,
      ),
    );
    stop();
    await phone.close();
    const listed: OptOutForm[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: OptOutForm[]; next: string | null } = ok(
        await admin('GET', `${path}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        'list',
      );
      listed.push(...page.items);
      cursor = page.next;
    } while (cursor);
    const byChild = new Map<string, number>();
    for (const f of listed) byChild.set(f.studentNo, (byChild.get(f.studentNo) ?? 0) + 1);
    const asSent = (f: OptOutForm | undefined, i: number) =>
      f?.status === 'opted-out' &&
      f.optOut?.guardianSignature.userId === `bench-parent-${i}` &&
      f.optOut.homeworkHelp === (i % 4 === 0);
    const lost = rows.filter((r, i) => !asSent(read.results[i]!.body as OptOutForm, i) || !byChild.has(r.studentNo)).length;
    // a child with more than one form, or one written more than once (a retry stored again)
    const duplicated = [...byChild.values()].reduce((sum, k) => sum + k - 1, 0) + listed.filter((f) => f.version !== 1).length;

    const t0 = performance.now();
    const participation = ok(
      await admin<{ students: { term: { percent: number } } }>('GET', at(`/terms/${termId}/participation`)),
      'participation',
    );
    const participationMs = performance.now() - t0;

    const costs = (route: { method: string; path: string }) => calls.get(`${route.method} ${route.path}`) ?? [];
    const callsEach = (route: { method: string; path: string }) =>
      (costs(route).reduce((sum, c) => sum + c.calls, 0) / n).toFixed(2);
    const ops: Record<string, number> = {};
    for (const c of costs(formRoutes.submit)) for (const [op, k] of Object.entries(c.operations)) ops[op] = (ops[op] ?? 0) + k;
    const table = [
      ['', 'count', 'per second', 'p50 ms', 'p99 ms', 'DynamoDB calls each', 'CPU ms each: server', 'phones', 'DynamoDB Local'],
      floor.row('conditional puts (the floor)', String(n), n, '1'),
      burst.row('submissions (requests)', `${n} (${answers.length})`, n, callsEach(formRoutes.submit)),
      reads.row('forms read back', String(n), n, callsEach(formRoutes.get)),
      oneCall.row('the school read (the path alone)', String(n), n, callsEach(schoolRoutes.get)),
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
    process.stdout.write(
      [
        line(table[0]!),
        line(widths.map((w) => '-'.repeat(w))),
        ...table.slice(1).map(line),
        '',
        `calls of the submissions, by operation: ${Object.entries(ops)
          .map(([op, k]) => `${op.replace('Command', '')} ${(k / n).toFixed(2)}`)
          .join(', ')} (a submission's calls include its retry's); CPU: the floor's "server" is its client`,
        `the path alone: ${(n / oneCall.seconds / floorPerSecond).toFixed(2)} × the floor with one DynamoDB read a request; the submissions ${(
          perSecond / floorPerSecond
        ).toFixed(2)} ×`,
        `answers: ${answers.length - refused.length} × 201 (${answers.filter((x) => x.replayed).length} replayed to a retry)` +
          (refused.length ? `, refused: ${refused.map((x) => `${x.status} (guardian ${x.guardian})`).join(', ')}` : ''),
        `stored ${listed.length} forms for ${byChild.size} children; lost ${lost}, duplicated ${duplicated}`,
        `the school's participation afterwards (${participationMs.toFixed(0)} ms, every form read): ${participation.students.term.percent} % for the term`,
        `target: 0 lost, 0 duplicated, perSecond ≥ 0.5 × floorPerSecond (${(0.5 * floorPerSecond).toFixed(0)}): ${
          lost === 0 && duplicated === 0 && perSecond >= 0.5 * floorPerSecond ? 'met' : 'MISSED'
        }`,
        JSON.stringify({
          submitted: n,
          stored: byChild.size,
          lost,
          duplicated,
          perSecond: Math.round(perSecond),
          p50Ms: Math.round(quantile(burst.ms, 0.5)),
          p99Ms: Math.round(quantile(burst.ms, 0.99)),
          floorPerSecond: Math.round(floorPerSecond),
        }),
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:optout: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

/**
 * `npm run bench:enrolment [-- --guardians 500 --capacity 30 --warm]`: against the local server on
 * DynamoDB Local (in memory; the handlers `npm start` runs, behind the local API Gateway, over
 * HTTP), every guardian of a school asks for a place in the same class at the same moment
 * (first come, first served). Then one granted child withdraws and the first waiter must move
 * up. It prints a table and, as its last line, one JSON object:
 * {requests, granted, waitlisted, overCapacity, lostSeats, outOfOrder, errors5xx, p99Ms}.
 * Target: granted = capacity, waitlisted = the rest, everything else 0.
 *
 * Arrival is the ticket each answer carries (`arrival`): in order means the granted children
 * are exactly arrivals 1…capacity, each waitlisted child's position is its arrival less the
 * capacity, and the school's list of the class shows the same. overCapacity: places held
 * beyond the capacity; lostSeats: seats neither held nor counted (the counter against the
 * places held, and seats left while children wait). The phones run on a thread of their own
 * (phones.ts); none retries, so every 5xx is counted. `--warm`: the same guardians first ask
 * for another class (美术, 5 places) at once, so that the burst measured meets a DynamoDB
 * Local whose JIT compiler has done its work (started cold, it spends about half of its CPU
 * in the burst compiling).
 */
import { parseArgs } from 'node:util';
import { observeRequests, type RequestObservation } from '@kehou/http';
import { httpClient, startLocal } from '@kehou/local';
import { makeDb, makeStore, type DbCost } from '@kehou/store';
import { enrolmentRoutes } from '../../functions/enrolment/api';
import { WEEK } from '../support/families';
import { enrolmentClubs, openWindow } from '../support/enrolment';
import { phones, pool } from './phones';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : 0;
};

interface PlaceAnswer {
  state: 'granted' | 'waitlisted';
  position: number | null;
  arrival: number;
}

async function main() {
  const { values } = parseArgs({
    options: {
      guardians: { type: 'string', default: '500' },
      capacity: { type: 'string', default: '30' },
      warm: { type: 'boolean', default: false },
    },
  });
  const n = Number(values.guardians);
  const capacity = Number(values.capacity);
  const say = (s: string) => process.stderr.write(`bench:enrolment: ${s}\n`);
  say('starting the local server on DynamoDB Local (in memory)…');
  const app = await startLocal({ port: 0, inMemory: true });
  try {
    const as = async (role: 'district' | 'admin', userId: string, schools: string[] = []) =>
      httpClient(app.url, await app.token({ role, userId, schools, ...(role === 'district' ? { district: 'd-bench' } : {}) }));
    const ok = <T = any>(r: { status: number; body: T }, what: string): T => {
      if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };

    say(`a school of ${n} students, each with a guardian who has an account, and its clubs with a published timetable…`);
    const bureau = await as('district', 'bench-bureau');
    const schoolId = ok(await bureau('POST', '/schools', { name: '选课压测小学', districtId: 'd-bench' }), 'school').id as string;
    const admin = await as('admin', 'bench-admin', [schoolId]);
    const at = (p: string) => `/schools/${schoolId}${p}`;
    for (let level = 1; level <= 6; level++)
      ok(await admin('POST', at('/grades'), { level, name: `${level}年级`, dismissal: WEEK }), 'grade');
    const termId = ok(await admin('POST', at('/terms'), { name: '秋季', startDate: '2026-09-01', endDate: '2027-01-22' }), 'term')
      .id as string;
    const rows = Array.from({ length: n }, (_, i) => ({
      studentNo: `E${String(i).padStart(6, '0')}`,
      name: `学生${i}`,
      gradeLevel: (i % 6) + 1,
      homeroom: String((i % 4) + 1),
      guardians: [{ name: `家长${i}`, phone: `135${String(i).padStart(8, '0')}`, relation: 'mother' }],
    }));
    const accepted = ok(await admin('POST', at('/students/import'), { mode: 'create', rows }), 'import');
    await app.worker.idle();
    const imported = ok(await admin('GET', at(`/imports/${accepted.importId}`)), 'import');
    if (imported.state !== 'finished') throw new Error(`import: ${JSON.stringify(imported)}`);
    // each guardian linked to an account, as an admin does (the product's own repository writes the links)
    const store = makeStore(
      makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: 'x'.repeat(32) }),
    );
    const now = new Date().toISOString();
    await pool(
      rows.map((r, i) => async () => {
        const [student] = await store.students.many(schoolId, [r.studentNo]);
        const [g] = await store.guardians.many(schoolId, student!.guardianIds);
        await store.guardians.replace(schoolId, g!, {
          ...g!,
          userId: `bench-parent-${i}`,
          version: g!.version + 1,
          updatedAt: now,
          updatedBy: 'bench-admin',
        });
      }),
      32,
    );
    const classes = await enrolmentClubs(admin, schoolId, termId, () => app.worker.idle());
    const classId = classes.robotBasic;
    if (capacity !== 30) {
      const club = ok(await admin('GET', at(`/clubs?termId=${termId}`)), 'clubs').items.find(
        (c: { name: string }) => c.name === '机器人',
      );
      const { id, schoolId: _s, status: _st, createdAt: _c, updatedAt: _u, updatedBy: _b, lineageId: _l, ...body } = club;
      body.classes[0].capacity = capacity;
      ok(await admin('PUT', at(`/clubs/${id}`), body), 'capacity');
    }
    const enrol = at(`/terms/${termId}/enrolment`);
    ok(await admin('PUT', `${enrol}/window`, openWindow()), 'window');
    const tokens = await Promise.all(
      rows.map((_, i) => app.token({ role: 'parent', userId: `bench-parent-${i}`, schools: [schoolId] })),
    );
    const phone = phones(app.url);

    if (values.warm) {
      say(`warming up: the same ${n} guardians ask for 美术 at once…`);
      const warm = await phone.send(
        rows.map((r, i) => ({
          method: 'POST',
          path: `${enrol}/students/${r.studentNo}/places`,
          token: tokens[i]!,
          body: { classId: classes.art },
        })),
        n,
      );
      const refused = warm.results.filter((a) => a.status !== 200);
      if (refused.length)
        throw new Error(`warm-up: ${refused.length} refused, e.g. ${refused[0]!.status} ${JSON.stringify(refused[0]!.body)}`);
    }
    say(`the burst: ${n} guardians ask for the same ${capacity}-place class at once…`);
    const calls: DbCost[] = [];
    const requestKey = `${enrolmentRoutes.requestPlace.method} ${enrolmentRoutes.requestPlace.path}`;
    const stop = observeRequests((o: RequestObservation) => {
      if (o.cost && o.routeKey === requestKey) calls.push(o.cost as DbCost);
    });
    const sent = await phone.send(
      rows.map((r, i) => ({
        method: 'POST',
        path: `${enrol}/students/${r.studentNo}/places`,
        token: tokens[i]!,
        body: { classId },
      })),
      n,
    );
    stop();
    const answers = sent.results.map((a, i) => ({ ...a, i, place: a.body as PlaceAnswer }));
    const errors5xx = answers.filter((a) => a.status >= 500).length;
    const answered = answers.filter((a) => a.status === 200);
    const granted = answered.filter((a) => a.place.state === 'granted');
    const waitlisted = answered.filter((a) => a.place.state === 'waitlisted');

    // the school's list of the class, and what the answers said
    const list = ok(await admin('GET', `${enrol}/classes/${classId}`), 'class list');
    const listedCapacity = list.capacity as number;
    const overCapacity = Math.max(
      0,
      list.enrolled.length - listedCapacity,
      list.taken - listedCapacity,
      granted.length - listedCapacity,
    );
    const lostSeats =
      Math.abs(list.taken - list.enrolled.length) +
      (list.waitlist.length > 0 ? Math.max(0, listedCapacity - list.enrolled.length) : 0);
    const arrivals = answered.map((a) => a.place.arrival).sort((x, y) => x - y);
    const byArrival = [...answered].sort((x, y) => x.place.arrival - y.place.arrival);
    const noOf = (a: { i: number } | undefined) => (a ? rows[a.i]!.studentNo : undefined);
    const firstIn = new Set(byArrival.slice(0, listedCapacity).map(noOf));
    const outOfOrder =
      arrivals.filter((x, k) => x !== k + 1).length +
      granted.filter((a) => a.place.arrival > listedCapacity).length +
      waitlisted.filter((a) => a.place.position !== a.place.arrival - listedCapacity).length +
      list.waitlist.filter((p: { studentNo: string }, k: number) => p.studentNo !== noOf(byArrival[listedCapacity + k])).length +
      list.enrolled.filter((p: { studentNo: string }) => !firstIn.has(p.studentNo)).length;

    // one granted child withdraws: the first waiter moves up
    say('one granted child withdraws…');
    const leaver = byArrival[0];
    if (!leaver) throw new Error(`no request was answered: ${JSON.stringify(answers.slice(0, 3))}`);
    const first = byArrival[listedCapacity];
    const withdraw = await phone.send(
      [
        {
          method: 'POST',
          path: `${enrol}/students/${rows[leaver.i]!.studentNo}/places/${classId}/withdraw`,
          token: tokens[leaver.i]!,
        },
      ],
      1,
    );
    const after = ok(await admin('GET', `${enrol}/classes/${classId}`), 'class list');
    await phone.close();
    const promoted = first && after.enrolled.find((p: { studentNo: string }) => p.studentNo === rows[first.i]!.studentNo);
    const movedUp = first ? Boolean(promoted) && after.waitlist[0]?.studentNo === noOf(byArrival[listedCapacity + 1]) : true;

    const p99Ms = Math.round(quantile(sent.ms, 0.99));
    const callsEach = calls.reduce((s, c) => s + c.calls, 0) / Math.max(1, calls.length);
    const table = [
      ['', 'count', 'p50 ms', 'p99 ms', 'max ms', 'DynamoDB calls each'],
      [
        'requests for a place (all at once)',
        String(n),
        quantile(sent.ms, 0.5).toFixed(0),
        String(p99Ms),
        Math.max(...sent.ms).toFixed(0),
        callsEach.toFixed(1),
      ],
    ];
    const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('  ');
    const result = {
      requests: n,
      granted: granted.length,
      waitlisted: waitlisted.length,
      overCapacity,
      lostSeats,
      outOfOrder,
      errors5xx,
      p99Ms,
    };
    const met =
      result.granted === listedCapacity &&
      result.waitlisted === n - listedCapacity &&
      overCapacity + lostSeats + outOfOrder + errors5xx === 0 &&
      movedUp;
    process.stdout.write(
      [
        line(table[0]!),
        line(widths.map((w) => '-'.repeat(w))),
        ...table.slice(1).map(line),
        '',
        `calls of a request, by operation: ${Object.entries(
          calls.reduce<Record<string, number>>((m, c) => {
            for (const [op, k] of Object.entries(c.operations)) m[op] = (m[op] ?? 0) + k;
            return m;
          }, {}),
        )
          .map(([op, k]) => `${op.replace('Command', '')} ${(k / Math.max(1, calls.length)).toFixed(2)}`)
          .join(', ')}`,
        `answers: ${answered.length} × 200 (${granted.length} granted: arrivals ${Math.min(...granted.map((a) => a.place.arrival))}–${Math.max(
          ...granted.map((a) => a.place.arrival),
        )}; ${waitlisted.length} waitlisted: positions 1–${Math.max(0, ...waitlisted.map((a) => a.place.position ?? 0))})` +
          (answers.length > answered.length
            ? `, refused: ${answers
                .filter((a) => a.status !== 200)
                .slice(0, 10)
                .map((a) => `${a.status} ${JSON.stringify(a.body).slice(0, 120)}`)
                .join('; ')}`
            : ''),
        `the class: ${list.what}, ${list.taken}/${listedCapacity} taken, ${list.enrolled.length} enrolled, ${list.waitlist.length} waiting`,
        `withdrawal: ${rows[leaver.i]!.name} (arrival ${leaver.place.arrival}) → ${withdraw.results[0]!.status}; ` +
          (first
            ? `promoted: ${promoted ? `${promoted.name} (arrival ${first.place.arrival}, was position ${first.place.position})` : 'NOBODY'}; ` +
              `next in line now: ${after.waitlist[0] ? `${after.waitlist[0].name} (arrival ${after.waitlist[0].arrival})` : 'nobody'}`
            : 'nobody was waiting'),
        `target: granted ${listedCapacity}, waitlisted ${n - listedCapacity}, everything else 0, the first waiter promoted: ${met ? 'met' : 'MISSED'}`,
        JSON.stringify(result),
        '',
      ].join('\n'),
    );
  } finally {
    await app.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:enrolment: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

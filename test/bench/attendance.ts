/**
 * `npm run bench:attendance [-- --students 6500 --runs 3]`: the "unaccounted for" list of a
 * large school, on the local server and DynamoDB Local (in memory). The school comes from the
 * timetable generator (test/support/attendance-school.ts: 6,500 generated students give about
 * 150 sessions and 3,400 children on a weekday). The admin's list is read on a date of the term
 * still to come (nothing started), then on a past date with no attendance taken (every expected
 * child unaccounted for), with 80 % of the sessions taken, and with all of them taken (a child
 * in fifty absent). For each: DynamoDB calls by operation, round trips, items read, the
 * answer's size (API Gateway and Lambda answer at most 6 MB) and the handler's median time, in
 * process, as Lambda runs it. The last line is one JSON object with the same figures.
 */
import { parseArgs } from 'node:util';
import { todayIn, type DatedSessionView } from '@kehou/domain';
import { observeRequests, type RequestObservation } from '@kehou/http';
import { gatewayClient, startLocal } from '@kehou/local';
import type { DbCost } from '@kehou/store';
import { callersOf } from '../support/app';
import { attendanceSchool, takeAttendance } from '../support/attendance-school';

const ROUTE = 'GET /schools/{schoolId}/unaccounted';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const log = (line: string) => process.stderr.write(`bench:attendance: ${line}\n`);

async function main() {
  const { values } = parseArgs({
    options: { students: { type: 'string', default: '6500' }, runs: { type: 'string', default: '3' } },
  });
  const runs = Number(values.runs);
  const app = await startLocal({ port: 0, inMemory: true });
  try {
    const started = performance.now();
    log(`making a school of ${values.students} generated students…`);
    const school = await attendanceSchool(
      { ...app, as: callersOf(app, (token) => gatewayClient(app.gateway, token)) },
      { students: Number(values.students) },
    );
    log(`set up in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    // the term's school days before today and after it: the busiest of each
    const today = todayIn('Asia/Shanghai', new Date());
    const byDate = new Map<string, DatedSessionView[]>();
    for (const d of allDates(school.term.startDate, school.term.endDate)) byDate.set(d, school.sessionsOn(d));
    const busiest = (dates: string[]) => dates.sort((a, b) => byDate.get(b)!.length - byDate.get(a)!.length)[0];
    const dates = [...byDate.keys()].filter((d) => byDate.get(d)!.length > 0);
    const past = busiest(dates.filter((d) => d < today));
    const future = busiest(dates.filter((d) => d > today));
    if (!past) throw new Error(`the term ${school.term.startDate}–${school.term.endDate} has no school day before today`);

    const seen: RequestObservation[] = [];
    const stop = observeRequests((o) => seen.push(o));
    const rows: Array<Record<string, string | number>> = [];
    const measure = async (scenario: string, date: string) => {
      const costs: DbCost[] = [];
      const ms: number[] = [];
      let bytes = 0;
      let listed = 0;
      for (let i = 0; i < runs; i++) {
        seen.length = 0;
        const res = await school.admin('GET', `/schools/${school.schoolId}/unaccounted?date=${date}`);
        if (res.status !== 200) throw new Error(`${scenario}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        const o = seen.find((x) => x.routeKey === ROUTE)!;
        costs.push(o.cost as DbCost);
        ms.push(o.ms);
        bytes = Buffer.byteLength(JSON.stringify(res.body));
        listed = res.body.items.length;
      }
      const c = costs.at(-1)!;
      const sessions = byDate.get(date)!;
      rows.push({
        scenario,
        date,
        sessions: sessions.length,
        children: new Set(sessions.flatMap((s) => school.enrolled.get(s.classId) ?? [])).size,
        listed,
        calls: c.calls,
        roundTrips: c.roundTrips,
        operations: Object.entries(c.operations)
          .map(([op, n]) => `${op.replace(/(Item)?Command$/, '')} ${n}`)
          .join(', '),
        itemsRead: c.itemsRead,
        responseKB: Math.round(bytes / 1024),
        medianMs: Math.round(median(ms)),
      });
      log(`${scenario}: ${JSON.stringify(rows.at(-1))}`);
    };

    if (future) await measure('a day to come (nothing started)', future);
    await measure('no attendance taken (all unaccounted)', past);
    const sessions = byDate.get(past)!;
    const cut = Math.floor(sessions.length * 0.8);
    await takeAttendance(school, sessions.slice(0, cut), 50, new Date());
    await measure('80 % of the sessions taken', past);
    await takeAttendance(school, sessions.slice(cut), 50, new Date());
    await measure('all taken, a child in 50 absent', past);
    stop();

    const cols = ['scenario', 'sessions', 'children', 'listed', 'calls', 'roundTrips', 'itemsRead', 'responseKB', 'medianMs'];
    const width = (k: string) => Math.max(k.length, ...rows.map((r) => String(r[k]).length));
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    console.log(line(cols.map((k) => k.padEnd(width(k)))));
    console.log(line(cols.map((k) => '-'.repeat(width(k)))));
    for (const r of rows)
      console.log(line(cols.map((k, i) => (i ? String(r[k]).padStart(width(k)) : String(r[k]).padEnd(width(k))))));
    console.log();
    for (const r of rows) console.log(`${r.scenario}: ${r.operations}`);
    console.log(JSON.stringify({ students: Number(values.students), date: past, rows }));
  } finally {
    await app.close();
  }
}

/** Every date from `start` to `end`. */
function allDates(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${start}T00:00:00Z`); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1))
    out.push(d.toISOString().slice(0, 10));
  return out;
}

await main();

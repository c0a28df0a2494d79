/**
 * What each route costs the database, counted by the SDK middleware (packages/store/src/
 * metrics.ts) while the route's valid request (from the authorisation matrix) is served:
 * no route ever scans the table, and a read people make often (a route marked `hot`: a
 * roster, a calendar feed, a list page, the current timetable) takes at most two round
 * trips. `npm run bench:calls` prints the whole table, with latencies, on the demo school.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeRequests, routeKey, type RequestObservation } from '@kehou/http';
import type { DbCost } from '@kehou/store';
import { ALL_ROUTES } from '../functions/index';
import { MATRIX } from './support/matrix';
import { makeWorld, type World } from './support/world';

const HOT_ROUND_TRIPS = 2;

let w: World;
const seen: RequestObservation[] = [];
let stop: () => void;
beforeAll(async () => {
  w = await makeWorld();
  stop = observeRequests((o) => seen.push(o));
});
afterAll(async () => {
  stop?.();
  await w?.app.close();
});

describe('calls per route', () => {
  it('marks as hot the reads people make often', () => {
    const hot = ALL_ROUTES.filter((r) => r.hot).map((r) => r.operationId);
    expect(hot).toEqual(expect.arrayContaining(['getMyRoster', 'getStaffRoster', 'calendarFeed', 'getTimetable', 'listRooms']));
    for (const r of ALL_ROUTES) if (r.hot) expect(r.method, r.operationId).toBe('GET');
  });

  it.each(ALL_ROUTES.map((spec) => [spec.operationId, spec] as const))('%s', async (_op, spec) => {
    const row = MATRIX[spec.operationId]!;
    await w.app.worker.idle(); // the request is made from what the table holds once the jobs before have ended
    const req = await row.req(w);
    seen.length = 0;
    const call = row.right === 'anyone' ? w.callers.none : w.callers[row.right];
    const res = await call(req.method, req.path, req.body);
    expect(res.status).toBe(row.ok);
    const served = seen.filter((o) => o.routeKey === routeKey(spec));
    expect(served).toHaveLength(1);
    // a function without the table (health, the OpenAPI document) measures nothing
    const cost = (served[0]!.cost ?? { operations: {}, roundTrips: 0, trips: [] }) as Pick<
      DbCost,
      'operations' | 'roundTrips' | 'trips'
    >;
    expect(cost.operations.ScanCommand ?? 0, 'a Scan').toBe(0);
    if (spec.hot)
      expect(cost.roundTrips, `${spec.operationId}: ${JSON.stringify(cost.trips)}`).toBeLessThanOrEqual(HOT_ROUND_TRIPS);
  });
});

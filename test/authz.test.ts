/**
 * The authorisation matrix, generated from the route registry: every route × every
 * identity an attacker would try (no token, garbage, expired, signed by another key,
 * `alg: none`, another audience, a parent of another family, a volunteer not on the
 * session, a teacher and an admin of another school, a bureau of another district) and the
 * right user. Each answer has the expected status; none carries school 甲's data to
 * someone with no relation to it; a refused request writes nothing (unless its route records
 * the refusal: a wrong code is counted). A route added to the registry without its row here
 * fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROUTES } from '../functions/index';
import { expected, MATRIX, MEMBERS } from './support/matrix';
import { CHILD_MARKERS, IDENTITIES, makeWorld, SCHOOL_A_MARKERS, type World } from './support/world';

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => w?.app.close());

describe('the authorisation matrix', () => {
  it('has a row for every route of the registry, and none for a route that is gone', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(ALL_ROUTES.map((r) => r.operationId).sort());
  });

  it.each(ALL_ROUTES.map((spec) => [spec.operationId, spec] as const))('%s', async (_op, spec) => {
    const row = MATRIX[spec.operationId];
    if (!row) throw new Error(`no row for ${spec.operationId}`);
    await w.app.worker.idle(); // the request is made from what the table holds once the jobs before have ended
    let req = await row.req(w);
    for (const who of IDENTITIES) {
      await w.app.worker.idle(); // a job a request started writes after its answer: let it finish first
      if (row.fresh) req = await row.req(w);
      const before = await w.snapshot();
      const res = await w.callers[who](req.method, req.path, req.body);
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      expect(res.status, `${who} → ${req.method} ${req.path}: ${text.slice(0, 300)}`).toBe(expected(spec, row, who));
      if (res.status >= 400 && !spec.refusalsRecorded?.includes(res.status))
        expect(await w.snapshot(), `${who}'s refused ${spec.operationId} wrote something`).toBe(before);
      if (spec.auth === 'jwt' && !MEMBERS.includes(who))
        for (const m of SCHOOL_A_MARKERS) expect(text, `${who} got ${m} from ${spec.operationId}`).not.toContain(m);
      if (res.status >= 400) for (const m of CHILD_MARKERS) expect(text, `${who} got ${m}`).not.toContain(m);
    }
    const right = row.right === 'anyone' ? w.callers.none : w.callers[row.right];
    if (row.fresh) req = await row.req(w);
    const res = await right(req.method, req.path, req.body);
    expect(res.status, `${row.right} → ${req.method} ${req.path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(row.ok);
  });
});

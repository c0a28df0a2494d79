/**
 * A child's enrolment history across the term's classes, over HTTP on DynamoDB Local: the
 * child 小明 joins 机器人 and 美术, waits for 舞蹈 (its one place is 小红's), moves up when
 * 小红's guardian withdraws her, and is removed from 美术 by the admin. Their guardian and the
 * admin read every change, newest first, with the class, who did it and when, a page at a time;
 * a line about a class of another term is not there; another family and a teacher are told the
 * child is not there. One child's history is one query, whatever the number of classes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classSeatsId } from '@kehou/domain';
import { observeRequests, type RequestObservation } from '@kehou/http';
import { makeDb, makeStore, type DbCost } from '@kehou/store';
import { startTestApp, type TestApp } from './support/app';
import { TEST_CURSOR_KEY } from './support/db';
import { enrolmentClubs, openWindow, type EnrolmentClasses } from './support/enrolment';
import { familySchool, ok, type FamilySchool } from './support/families';

let app: TestApp;
let s: FamilySchool;
let c: EnrolmentClasses;
const MING = '7001';
const HONG = '7002';
const OTHER = '7003';
const family = (studentNo: string, name: string, userId: string) => ({
  studentNo,
  name,
  grade: 1,
  homeroom: '1',
  guardians: [{ name: `${name}妈妈`, phone: `1372000${studentNo}`, userId }],
});
const enrol = () => `/schools/${s.schoolId}/terms/${s.termId}/enrolment`;
const history = (no: string, query = '') => `${enrol()}/students/${no}/history${query}`;

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(
    app,
    [family(MING, '小明', 'h-ming'), family(HONG, '小红', 'h-hong'), family(OTHER, '小刚', 'h-other')],
    { district: 'd-hist', name: '历史小学' },
  );
  c = await enrolmentClubs(s.admin, s.schoolId, s.termId, () => app.worker.idle(), [1, 2]);
  ok(await s.admin('PUT', `${enrol()}/window`, openWindow()), 'window');
  const ask = (who: string, no: string, classId: string) =>
    s.parent[who]!('POST', `${enrol()}/students/${no}/places`, { classId }).then((r) => ok(r, `${no} asks`));
  expect(await ask('h-ming', MING, c.robotBasic)).toMatchObject({ state: 'granted' });
  expect(await ask('h-ming', MING, c.art)).toMatchObject({ state: 'granted' });
  expect(await ask('h-hong', HONG, c.dance)).toMatchObject({ state: 'granted' });
  // 小明 holds two places (the window's N): leaving 美术 first makes room for 舞蹈's waitlist
  ok(await s.admin('POST', `${enrol()}/classes/${c.art}/remove`, { studentNo: MING }), 'removed from art');
  expect(await ask('h-ming', MING, c.dance)).toMatchObject({ state: 'waitlisted', position: 1 });
  ok(await s.parent['h-hong']!('POST', `${enrol()}/students/${HONG}/places/${c.dance}/withdraw`), 'hong withdraws');
  // a line about a class of no club of this term (another term's): not in this term's history
  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const elsewhere = { schoolId: s.schoolId, id: classSeatsId('another-terms-class'), what: '书法 基础班' };
  const store = makeStore(db);
  await store.capacity.openQueue(elsewhere, 10);
  await store.capacity.request(elsewhere, { id: MING, what: '小明' }, new Date().toISOString(), { id: 'x', name: 'x' });
}, 600_000);
afterAll(async () => app?.close());

describe("a child's enrolment history", () => {
  it('lists every change to the child’s places in the term, newest first: the class, who and when', async () => {
    const page = ok(await s.parent['h-ming']!('GET', history(MING)), 'history');
    expect(page.next).toBeNull();
    expect(
      page.items.map((e: { action: string; what: string; byName: string; note: string | null; name: string }) => [
        e.action,
        e.what,
        e.byName,
        e.note,
        e.name,
      ]),
    ).toEqual([
      ['promoted', '舞蹈 基础班', '小红妈妈', '小红 withdrew', '小明'],
      ['waitlisted', '舞蹈 基础班', '小明妈妈', null, '小明'],
      ['removed', '美术 基础班', `admin-${s.schoolId} (school)`, null, '小明'],
      ['joined', '美术 基础班', '小明妈妈', null, '小明'],
      ['joined', '机器人 基础班', '小明妈妈', null, '小明'],
    ]);
    expect(page.items[0]).toMatchObject({ classId: c.dance, studentNo: MING, by: 'h-hong' });
    const times = page.items.map((e: { at: string }) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
    // the admin reads the same
    expect(ok(await s.admin('GET', history(MING)), 'admin').items).toEqual(page.items);
  });

  it('pages: two at a time, each page’s cursor starting after its last line', async () => {
    const all = ok(await s.admin('GET', history(MING)), 'all').items;
    const seen: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = ok(await s.admin('GET', history(MING, q)), 'page');
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
    // another child's cursor is refused
    const first = ok(await s.admin('GET', history(MING, '?limit=1')), 'first');
    const refused = await s.admin('GET', history(HONG, `?limit=1&cursor=${encodeURIComponent(first.next)}`));
    expect(refused.status).toBe(400);
  });

  it('is the other child’s own: 小红’s history has her joining and withdrawing, and the waiter she made room for', async () => {
    const page = ok(await s.parent['h-hong']!('GET', history(HONG)), 'hong');
    expect(page.items.map((e: { action: string; note: string | null }) => [e.action, e.note])).toEqual([
      ['withdrawn', null],
      ['joined', null],
    ]);
  });

  it('is nobody else’s: another family and a teacher are told the child is not there', async () => {
    expect((await s.parent['h-other']!('GET', history(MING))).status).toBe(404);
    expect((await s.teacher('GET', history(MING))).status).toBe(404);
    expect((await s.admin('GET', history('7999'))).status).toBe(404);
  });

  it('costs one query for the history, whatever the number of classes', async () => {
    const seen: RequestObservation[] = [];
    const stop = observeRequests((o) => seen.push(o));
    try {
      ok(await s.parent['h-ming']!('GET', history(MING)), 'history');
    } finally {
      stop();
    }
    const cost = seen[0]!.cost as DbCost;
    // the records (school, term, window, child, form), the guardian's relations, the term's clubs, the history
    expect(cost.calls).toBeLessThanOrEqual(4);
    expect(cost.operations.QueryCommand).toBeLessThanOrEqual(3);
  });
});

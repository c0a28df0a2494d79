/**
 * 300 guardians submit at once, HTTP end to end on DynamoDB Local; a tenth send it twice with
 * the same Idempotency-Key, another tenth tap twice without one. Every child ends with
 * exactly one form, at version 1, as its guardian sent it, and the school's participation is
 * what a count of the stored forms says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '@kehou/local';
import { startTestApp, type TestApp } from './support/app';
import { familySchool, form, notice, ok, type Family, type FamilySchool } from './support/families';

const N = 300;
const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;

let app: TestApp;
let s: FamilySchool;
const families: Family[] = Array.from({ length: N }, (_, i) => {
  const no = String(5000 + i);
  return {
    studentNo: no,
    name: `学生${i}`,
    grade: 1,
    homeroom: String((i % 6) + 1),
    guardians: [{ name: `家长${i}`, phone: `1370000${no}`, userId: `burst-${i}` }],
  };
});

/** What guardian i asks: a whole term, one day or two, with homework help or not. */
function choice(i: number) {
  if (i % 7 === 0) return { wholeTerm: true, days: [], homeworkHelp: i % 2 === 0 };
  const days = [DAYS[i % 5]!, ...(i % 3 === 0 ? [DAYS[(i + 2) % 5]!] : [])];
  return { wholeTerm: false, days, homeworkHelp: i % 4 === 0 };
}

/** A phone's client: after 409 in-progress or 503 it waits as told and tries again, with the same key. */
async function send(call: Call, path: string, body: unknown, headers: Record<string, string> = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await call('POST', path, body, headers);
    const busy = res.status === 503 || (res.status === 409 && res.body?.reason === 'in-progress');
    if (!busy || attempt === 20) return res;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers['retry-after'] ?? 1)));
  }
}

beforeAll(async () => {
  app = await startTestApp();
  s = await familySchool(app, families, { district: 'd-burst', name: '并发小学' });
  ok(await s.admin('POST', `/schools/${s.schoolId}/terms/${s.termId}/notice`, notice()), 'notice');
});
afterAll(async () => app?.close());

describe('300 guardians at once', () => {
  it('store exactly one form each, and participation is the count of the stored forms', async () => {
    const path = `/schools/${s.schoolId}/terms/${s.termId}/optouts`;
    const requests = families.flatMap((f, i) => {
      const body = { studentNo: f.studentNo, ...form({ ...choice(i), guardianSignature: { name: `家长${i}` } }) };
      const call = s.parent[`burst-${i}`]!;
      const key = { 'idempotency-key': `burst-${i}-submit` };
      if (i % 10 === 0) return [send(call, path, body, key), send(call, path, body, key)];
      if (i % 10 === 5) return [send(call, path, body), send(call, path, body)];
      return [send(call, path, body, key)];
    });
    const answers = await Promise.all(requests);
    expect(answers.length).toBe(N + 2 * (N / 10));
    expect(answers.filter((a) => a.status !== 201).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);

    const stored: Array<{ studentNo: string; version: number; homeroom: string; optOut: ReturnType<typeof choice> }> = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof stored; next: string | null } = ok(
        await s.admin('GET', `${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`),
        'page',
      );
      stored.push(...page.items);
      cursor = page.next;
    } while (cursor);
    expect(stored.length).toBe(N);
    expect(new Set(stored.map((f) => f.studentNo)).size).toBe(N);
    expect(stored.filter((f) => f.version !== 1)).toEqual([]);
    for (const f of stored) {
      const i = Number(f.studentNo) - 5000;
      const c = choice(i);
      expect(f.optOut, f.studentNo).toMatchObject({
        ...c,
        days: c.wholeTerm ? [...DAYS] : DAYS.filter((d) => c.days.includes(d)),
      });
    }

    const p = ok(await s.admin('GET', `/schools/${s.schoolId}/terms/${s.termId}/participation`), 'participation');
    const count = (forms: typeof stored, day: (typeof DAYS)[number]) => {
      const out = forms.filter((f) => f.optOut.days.includes(day));
      const leaving = out.filter((f) => !f.optOut.homeworkHelp).length;
      return { enrolled: forms.length, leaving, staying: forms.length - leaving, homeworkOnly: out.length - leaving };
    };
    for (const day of DAYS) {
      expect(p.students.days[day], day).toMatchObject(count(stored, day));
      for (const h of p.homerooms)
        expect(h.days[day], `${day} ${h.homeroom}`).toMatchObject(
          count(
            stored.filter((f) => f.homeroom === h.homeroom),
            day,
          ),
        );
    }
    const awayAllWeek = stored.filter((f) => f.optOut.wholeTerm && !f.optOut.homeworkHelp).length;
    expect(p.students.term).toMatchObject({ enrolled: N, staying: N - awayAllWeek });
  });
});

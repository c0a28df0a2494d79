/**
 * Attendance in Debian's Chromium, on the small school of the web world
 * (test/support/web-world.ts): the volunteer 李阿姨 has a session of 故事会 today (added to the
 * published timetable's read models as publication writes them, at 00:05 so that it has begun
 * whenever the test runs; the term is stretched over today, with today a make-up day if it is
 * a weekend), three children enrolled by the capacity primitive. On a 375 px phone she opens
 * today's session, taps each child (one tap: present; two: absent), and saves once; the admin
 * then sees the absent child on the "unaccounted for" list, with the guardian's phone; the
 * volunteer sees her own hours of the month, that session in them, and downloads her statement. The
 * server reads the real clock, so the browser's clock is now too. Every page: axe, no
 * sideways scroll at 375 px, screenshots at 375 and 1280 px.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classSeatsId, weekdayOf, type SessionView } from '@kehou/domain';
import { DEMO_USERS } from '@kehou/local';
import { makeDb, makeStore } from '@kehou/store';
import type { Browser, Page } from 'playwright-core';
import { accessible, DESKTOP, launchBrowser, PHONE, screenshots } from './support/browser';
import { TEST_CURSOR_KEY } from './support/db';
import { daysFromToday, ok } from './support/families';
import { nav, signIn, webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

let world: WebWorld;
let browser: Browser;
const { errors, newPage } = webPages(() => browser, new Date());
const CHILDREN = [
  { studentNo: '2026100001', name: '张小明', phone: '13800000001' },
  { studentNo: '2026100011', name: '赵小华', phone: '13900000011' },
  { studentNo: '2026100012', name: '钱小丽', phone: '13900000012' },
];
const at = (path: string) => `/schools/${world.schoolId}${path}`;

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
  const today = daysFromToday(0);
  const weekday = weekdayOf(today);
  const weekend = weekday === 'SAT' || weekday === 'SUN';
  const runsAs = weekend ? 'MON' : weekday;
  // the term covers today, a school day
  const term = ok(await world.admin('GET', at(`/terms/${world.termId}`)), 'term');
  const { id: _i, schoolId: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...fields } = term;
  ok(
    await world.admin('PUT', at(`/terms/${world.termId}`), {
      ...fields,
      startDate: today < term.startDate ? today : term.startDate,
      endDate: today > term.endDate ? today : term.endDate,
      holidays: term.holidays.filter((h: { start: string; end: string }) => !(h.start <= today && today <= h.end)),
      makeUpDays: [
        ...term.makeUpDays.filter((m: { date: string }) => m.date !== today),
        ...(weekend ? [{ date: today, runsAs, name: '测试调休' }] : []),
      ],
    }),
    'term over today',
  );
  for (const c of CHILDREN.slice(1)) {
    ok(
      await world.admin('POST', at('/students'), { studentNo: c.studentNo, name: c.name, gradeLevel: 1, homeroom: '2' }),
      c.name,
    );
    ok(
      await world.admin('POST', at('/guardians'), { name: `${c.name}家长`, phone: c.phone, children: [c.studentNo] }),
      `${c.name}'s guardian`,
    );
  }
  // 李阿姨's session of 故事会 today, beside the published ones
  const tt = at(`/terms/${world.termId}/timetable`);
  const { published } = ok(await world.admin('GET', tt), 'timetable');
  const views = ok(await world.admin('GET', `${tt}/versions/${published.number}`), 'published').sessions as SessionView[];
  const story = views.find((v) => v.clubName === '故事会')!;
  const today0005: SessionView = { ...story, id: `${story.classId}.9`, day: runsAs, start: '00:05', end: '00:50', minutes: 45 };
  const db = makeDb({
    tableName: world.app.tableName,
    endpoint: world.app.dynamoEndpoint,
    region: 'local',
    cursorKey: TEST_CURSOR_KEY,
  });
  const store = makeStore(db);
  await store.timetables.syncViews(world.schoolId, world.termId, [...views, today0005]);
  const seats = { schoolId: world.schoolId, id: classSeatsId(story.classId), what: '故事会 基础班' };
  await store.capacity.setCapacity(seats, 30);
  for (const c of CHILDREN) await store.capacity.claim(seats, { id: c.studentNo, what: c.name }, new Date().toISOString());
});
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

/** A child's button on the class list; its text is "<name>：<status>" (the colon is for screen readers only). */
const child = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^${name}\\s*：`) });

describe('attendance', () => {
  it('a volunteer takes attendance for today’s session on a phone in a few taps, with one save', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, world.app.url, DEMO_USERS.volunteer, '/sessions');
    await nav(phone, '点名');
    // today's 故事会 at 00:05 (the club may meet later today too, on the weekday the date runs as)
    await phone
      .getByRole('listitem')
      .filter({ hasText: '00:05–00:50' })
      .getByRole('link', { name: '点名：故事会 基础班' })
      .click();
    await child(phone, '张小明').waitFor();
    expect(await child(phone, '张小明').textContent()).toBe('张小明：未点');
    await phone.getByText('13800000001').waitFor(); // the guardian's phone, for the session's staff member
    await accessible(phone, 'the class list');
    await child(phone, '张小明').click();
    await child(phone, '赵小华').click();
    await child(phone, '赵小华').click();
    await child(phone, '钱小丽').click();
    expect(await child(phone, '赵小华').textContent()).toBe('赵小华：缺勤');
    await phone.getByText('3 项未保存').waitFor();
    await phone.getByRole('button', { name: '保存点名' }).click();
    await phone.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await phone.getByText('应到 3 · 出勤 2 · 缺勤 1 · 迟到 0 · 请假 0 · 未点 0').waitFor();
    await accessible(phone, 'attendance, saved');
    await screenshots(phone, 'volunteer-attendance');
    const saved = ok(await world.admin('GET', at(`/dated-sessions?from=${daysFromToday(0)}&to=${daysFromToday(0)}`)), 'sessions');
    expect(saved.items.find((s: { start: string }) => s.start === '00:05').attendance).toMatchObject({ version: 1, marked: 3 });
  });

  it('a volunteer with no session on a date is shown the next day that has one, and picks another date', async () => {
    // a day of the last four weeks with none of the volunteer's sessions, before one with some (a Sunday before a Monday)
    const { items } = ok(
      await world.volunteer('GET', at(`/dated-sessions?from=${daysFromToday(-27)}&to=${daysFromToday(0)}`)),
      'sessions',
    ) as { items: Array<{ date: string; clubName: string; className: string }> };
    const dayBefore = (d: string) => new Date(Date.parse(d) - 86_400_000).toISOString().slice(0, 10);
    const dates = new Set(items.map((s) => s.date));
    const next = [...dates].sort().find((d) => d > daysFromToday(-27) && !dates.has(dayBefore(d)))!;
    const first = items.find((s) => s.date === next)!;
    const phone = await newPage(PHONE);
    await signIn(phone, world.app.url, DEMO_USERS.volunteer, '/sessions');
    await phone.goto(`${world.app.url}/attendance?date=${dayBefore(next)}`);
    await phone.getByText('这一天没有你的课。').waitFor();
    const [, month, day] = next.split('-').map(Number);
    await phone.getByRole('heading', { name: new RegExp(`^接下来的课：${month}月${day}日`) }).waitFor();
    await phone
      .getByRole('link', { name: `点名：${first.clubName} ${first.className}` })
      .first()
      .waitFor();
    await phone.getByLabel('其他日期').fill(next);
    await phone.getByRole('button', { name: '查看' }).click();
    await phone.getByRole('heading', { name: new RegExp(`^${month}月${day}日.*的课$`) }).waitFor();
    await accessible(phone, 'attendance on another date');
  });

  it('the admin sees the absent child on the unaccounted-for list, with the guardian’s phone', async () => {
    const admin = await newPage(DESKTOP);
    await signIn(admin, world.app.url, DEMO_USERS.admin, '/setup/school');
    await nav(admin, '未到学生');
    const row = admin.getByRole('row').filter({ hasText: '赵小华' });
    await row.waitFor();
    await row.getByText('缺勤').waitFor();
    await row.getByRole('link', { name: '13900000011' }).waitFor();
    expect(await admin.getByRole('row').filter({ hasText: '张小明' }).count()).toBe(0);
    await accessible(admin, 'the unaccounted-for list');
    await screenshots(admin, 'admin-unaccounted');
    await nav(admin, '课时统计');
    await admin.getByRole('row').filter({ hasText: '李阿姨' }).waitFor();
    await accessible(admin, 'the hours');
  });

  it('the volunteer sees her own hours of the month on a phone, with the session just taken, and downloads her statement', async () => {
    const phone = await newPage(PHONE);
    await signIn(phone, world.app.url, DEMO_USERS.volunteer, '/sessions');
    await nav(phone, '课时统计');
    await phone.getByRole('heading', { name: '我的课时', level: 1 }).waitFor();
    const mine = phone.getByRole('region', { name: '李阿姨（志愿者）' });
    await mine.getByText(/^本月已点名的课 \d+ 节，共 \d+ 分钟/).waitFor();
    const today = mine.getByRole('row').filter({ hasText: '00:05–00:50' });
    await today.getByText('故事会 基础班').waitFor();
    expect(await today.getByRole('cell').last().textContent()).toBe('45');
    // nobody else's: the school's report is not hers to read
    expect(await phone.getByRole('row').filter({ hasText: '王老师' }).count()).toBe(0);
    await accessible(phone, 'my hours');
    await screenshots(phone, 'volunteer-hours');
    const [download] = await Promise.all([
      phone.waitForEvent('download'),
      mine.getByRole('button', { name: '下载我的志愿服务时长证明（CSV）' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv).toContain(`,李阿姨,${daysFromToday(0)},故事会 基础班,00:05-00:50,45,0.75`);
    expect(csv).toMatch(/,李阿姨,合计 total,\d+ 课次 sessions,,\d+,/);
  });

  it('logged no error', () => {
    expect(errors).toEqual([]);
  });
});

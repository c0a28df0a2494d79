/**
 * The admin's set-up pages in Debian's Chromium, on a phone's screen, against the server
 * `npm start` runs and the small school of the browser tests: a grade with its dismissal
 * times, a room, a staff member whose availability is set in the week grid (mouse, click and
 * keyboard) with a check about to expire, a term with a holiday and a make-up day. Each form
 * first gets a refusal from the server, shown beside its field; every page passes axe and does
 * not scroll sideways at 375 px; screenshots at 375 and 1280 px go to test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { accessible, launchBrowser, PHONE, screenshots } from './support/browser';
import { nav, signIn } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';
import { body } from './support/world';

/** Wednesday 14 October 2026 in Shanghai: a background check valid until 1 November is about to expire */
const NOW = new Date('2026-10-14T10:00:00+08:00');

let world: WebWorld;
let browser: Browser;
let page: Page;
/** what the page logged as errors; a refusal a test provoked is taken off (Chromium logs each 4xx) */
const errors: string[] = [];

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  page = await context.newPage();
  await page.clock.setFixedTime(NOW);
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
  });
  await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
});
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

const api = (path: string) => `/schools/${world.schoolId}${path}`;

async function refused(status: number, path: string) {
  const match = (e: string) => e.includes(`status of ${status} `) && e.includes(`${world.app.url}${api(path)}`);
  await expect.poll(() => errors.some(match), { message: `${status} from ${path} logged` }).toBe(true);
  errors.splice(errors.findIndex(match), 1);
}

/** Opens a set-up page from the navigation, and waits for its list. */
async function open(label: string) {
  await nav(page, label);
  await page.getByRole('heading', { name: label, level: 1 }).waitFor();
  await page.locator('table.setup-table').waitFor();
}

const save = () => page.getByRole('button', { name: '保存', exact: true }).click();
const saved = (what: string) =>
  page
    .getByRole('status')
    .filter({ hasText: `已保存：${what}。` })
    .waitFor();

/** The server's message beside a field: announced with it, and focus moved there. */
async function besideField(id: string, says: string) {
  const error = page.locator(`[id="${id}-error"]`);
  await error.waitFor();
  expect(await error.textContent()).toContain(says);
  const field = page.locator(`[id="${id}"]`);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain(`${id}-error`);
  expect(await page.locator(':focus').getAttribute('id')).toBe(id);
}

describe("the admin's set-up pages", () => {
  it('creates a grade with its dismissal times, after the server refuses homework help that would end after 18:00', async () => {
    await open('年级');
    expect(await page.locator('table.setup-table tbody tr').count()).toBe(2);
    await accessible(page, 'the grades');
    await page.getByRole('button', { name: '新建年级' }).click();
    await page.getByLabel('年级（数字）').fill('3');
    await page.getByLabel('名称').fill('三年级');
    for (const [day, time] of [
      ['周一', '15:50'],
      ['周二', '15:50'],
      ['周三', '17:40'],
      ['周四', '15:50'],
      ['周五', '15:50'],
    ] as const)
      await page.getByLabel(day, { exact: true }).fill(time);
    await page.getByLabel('作业辅导（分钟）').fill('35');
    await save();
    await besideField('grade-homeworkMinutes', 'would end at 18:15, after 18:00');
    await refused(400, '/grades');
    // nothing typed is lost
    expect(await page.getByLabel('名称').inputValue()).toBe('三年级');
    await accessible(page, 'a grade refused');

    await page.getByLabel('周三', { exact: true }).fill('14:50');
    await save();
    await saved('年级“三年级”');
    const { body } = await world.admin('GET', api('/grades/g3'));
    expect(body).toMatchObject({
      name: '三年级',
      homeworkMinutes: 35,
      dismissal: { MON: '15:50', TUE: '15:50', WED: '14:50', THU: '15:50', FRI: '15:50' },
    });
    await page.getByRole('button', { name: '编辑 三年级' }).waitFor();
    await screenshots(page, 'setup-grades');
  });

  it('creates a room after the server names the feature it refuses; a stale edit says who and when; deleting asks first', async () => {
    await open('教室');
    await page.getByRole('button', { name: '新建教室' }).click();
    await page.getByLabel('名称').fill('舞蹈室 1');
    await page.getByLabel('容量（人）').fill('30');
    await page.getByLabel('设施').fill('dance, Mirrors');
    await save();
    await besideField('room-features', '“Mirrors”: must be lower-case');
    await refused(400, '/rooms');
    await page.getByLabel('设施').fill('dance, mirrors');
    await save();
    await saved('教室“舞蹈室 1”');
    const rooms = (await world.admin('GET', api('/rooms'))).body.items as Array<{ name: string; features: string[] }>;
    expect(rooms.find((r) => r.name === '舞蹈室 1')?.features).toEqual(['dance', 'mirrors']);

    // someone else changes 阅览室 while the admin edits it: the 409 says who and when, what was typed stays
    await page.getByRole('button', { name: '编辑 阅览室' }).click();
    const reading = rooms.find((r) => r.name === '阅览室') as unknown as { id: string; version: number };
    const stored = await body(world.admin, api(`/rooms/${reading.id}`));
    expect((await world.admin('PUT', api(`/rooms/${reading.id}`), { ...stored, capacity: 42 })).status).toBe(200);
    await page.getByLabel('容量（人）').fill('36');
    await save();
    await page
      .getByRole('alert')
      .filter({ hasText: `${DEMO_USERS.admin} 于` })
      .filter({ hasText: '第 2 版' })
      .waitFor();
    await refused(409, `/rooms/${reading.id}`);
    expect(await page.getByLabel('容量（人）').inputValue()).toBe('36');
    await accessible(page, 'a room edited meanwhile');
    await page.getByRole('button', { name: '用我的内容覆盖' }).click();
    await saved('教室“阅览室”');
    expect((await world.admin('GET', api(`/rooms/${reading.id}`))).body.capacity).toBe(36);

    // deleting a room read before another change: the refusal in words; read again, it goes
    await page.getByRole('button', { name: '编辑 舞蹈室 1' }).click();
    const dance = rooms.find((r) => r.name === '舞蹈室 1') as unknown as { id: string };
    const fields = await body(world.admin, api(`/rooms/${dance.id}`));
    expect((await world.admin('PUT', api(`/rooms/${dance.id}`), { ...fields, capacity: 32 })).status).toBe(200);
    await page.getByRole('button', { name: '删除', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '删除教室“舞蹈室 1”？' });
    await dialog.waitFor();
    await accessible(page, 'deleting a room');
    await dialog.getByRole('button', { name: '确认删除' }).click();
    await dialog.getByRole('alert').filter({ hasText: '没有删除' }).filter({ hasText: '第 2 版' }).waitFor();
    await refused(409, `/rooms/${dance.id}`);
    await dialog.getByRole('button', { name: '取消' }).click();
    const reread = page.waitForResponse((r) => r.url().includes(api('/rooms?')));
    await page.getByRole('button', { name: '返回列表' }).click();
    await reread;
    await page.getByRole('button', { name: '编辑 舞蹈室 1' }).click();
    await page.getByText(/^第 2 版，最后由/).waitFor();
    await page.getByRole('button', { name: '删除', exact: true }).click();
    await dialog.getByRole('button', { name: '确认删除' }).click();
    await page.getByRole('status').filter({ hasText: '已删除：教室“舞蹈室 1”。' }).waitFor();
    expect((await world.admin('GET', api(`/rooms/${dance.id}`))).status).toBe(404);
    await screenshots(page, 'setup-rooms');
  });

  it('creates a staff member with availability set in the week grid and a background check about to expire', async () => {
    await open('教职工');
    await page.getByRole('button', { name: '新建教职工' }).click();
    await page.getByLabel('姓名').fill('赵阿姨');
    await page.getByLabel('类别').selectOption('volunteer');
    await page.getByLabel('技能', { exact: true }).fill('chess, Go');
    const cell = (day: string, from: string, to: string) => page.getByRole('button', { name: `${day} ${from}–${to} 可用` });
    // Monday 15:30–18:00: a mouse drag from the first half hour to the last
    await cell('周一', '17:30', '18:00').scrollIntoViewIfNeeded();
    const [first, last] = await Promise.all([
      cell('周一', '15:30', '16:00').boundingBox(),
      cell('周一', '17:30', '18:00').boundingBox(),
    ]);
    await page.mouse.move(first!.x + 10, first!.y + 10);
    await page.mouse.down();
    await page.mouse.move(last!.x + 10, last!.y + 10, { steps: 6 });
    await page.mouse.up();
    // Wednesday 16:00–17:00: two clicks; Friday 16:30–17:30: the keyboard
    await cell('周三', '16:00', '16:30').click();
    await cell('周三', '16:30', '17:00').click();
    await cell('周五', '17:00', '17:30').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await cell('周一', '16:00', '16:30').getAttribute('aria-pressed')).toBe('true');
    expect(await cell('周二', '16:00', '16:30').getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByRole('list', { name: '有空的时间', exact: true }).innerText()).toBe(
      '周一 15:30–18:00\n周三 16:00–17:00\n周五 16:30–17:30',
    );
    await page.getByLabel('无犯罪记录证明').fill('2026-11-01');
    await page.getByText('无犯罪记录证明 2026-11-01 到期（30 天内）').waitFor();
    await save();
    await besideField('staff-skills', '“Go”: must be lower-case');
    await refused(400, '/staff');
    await accessible(page, 'a staff member refused');
    await screenshots(page, 'setup-staff-editor');

    await page.getByLabel('技能', { exact: true }).fill('chess, go');
    await save();
    await saved('赵阿姨');
    const staff = (await world.admin('GET', api('/staff'))).body.items.find((s: { name: string }) => s.name === '赵阿姨');
    expect(staff).toMatchObject({
      kind: 'volunteer',
      skills: ['chess', 'go'],
      backgroundCheckExpiresOn: '2026-11-01',
      availability: {
        MON: [{ start: '15:30', end: '18:00' }],
        WED: [{ start: '16:00', end: '17:00' }],
        FRI: [{ start: '16:30', end: '17:30' }],
      },
    });
    const row = page.locator('tr').filter({ hasText: '赵阿姨' });
    expect(await row.textContent()).toContain('无犯罪记录证明 2026-11-01 到期（30 天内）');
    await accessible(page, 'the staff');
  });

  it('creates a term with a holiday and a make-up day, after the server refuses a holiday outside it', async () => {
    await open('学期');
    await page.getByRole('button', { name: '新建学期' }).click();
    await page.getByLabel('名称').fill('2027 春季学期');
    await page.getByLabel('第一天').fill('2027-02-22');
    await page.getByLabel('最后一天').fill('2027-07-02');
    await page.getByRole('button', { name: '添加放假' }).click();
    expect(await page.locator(':focus').getAttribute('id')).toBe('term-holidays.0.name');
    await page.locator('[id="term-holidays.0.name"]').fill('劳动节');
    await page.locator('[id="term-holidays.0.start"]').fill('2027-05-01');
    await page.locator('[id="term-holidays.0.end"]').fill('2027-07-05');
    await page.getByRole('button', { name: '添加调休上课日' }).click();
    await page.locator('[id="term-makeUpDays.0.date"]').fill('2027-04-25');
    await page.locator('[id="term-makeUpDays.0.runsAs"]').selectOption('MON');
    await save();
    await besideField('term-holidays.0.start', 'must lie inside the term');
    await refused(400, '/terms');
    await accessible(page, 'a term refused');

    await page.locator('[id="term-holidays.0.end"]').fill('2027-05-05');
    await save();
    await saved('学期“2027 春季学期”');
    const term = (await world.admin('GET', api('/terms'))).body.items.find((t: { name: string }) => t.name === '2027 春季学期');
    expect(term).toMatchObject({
      startDate: '2027-02-22',
      endDate: '2027-07-02',
      holidays: [{ name: '劳动节', start: '2027-05-01', end: '2027-05-05' }],
      makeUpDays: [{ date: '2027-04-25', runsAs: 'MON' }],
    });
    expect(await page.locator('tr').filter({ hasText: '2027 春季学期' }).textContent()).toContain('2027-04-25（按周一）');
    await accessible(page, 'the terms');
    await screenshots(page, 'setup-terms');
  });

  it('logged no error but the refusals it provoked', () => {
    expect(errors).toEqual([]);
  });
});

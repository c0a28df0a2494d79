/**
 * The web app in Debian's Chromium, against the server `npm start` runs (startLocal, the
 * built app), on a small school made through the API. The browser's clock is fixed on a
 * school day of the demo term and its zone is Los Angeles, so that "today" must be the
 * school's (Shanghai's) day for the page to pass. Every page: axe finds no serious or critical
 * violation and nothing scrolls sideways at 375 px; screenshots at 375 and 1280 px go to
 * test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { accessible, launchBrowser, screenshots } from './support/browser';
import { signIn, webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

/** Wednesday 14 October 2026, 10:00 in Shanghai: still Tuesday the 13th in Los Angeles */
const NOW = new Date('2026-10-14T10:00:00+08:00');

let world: WebWorld;
let browser: Browser;
const { errors, newPage, provoked } = webPages(() => browser, NOW);

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

const heading = (page: Page) => page.getByRole('heading', { level: 1 });

describe('the web app', () => {
  it('offers the demo users of each role on the local sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${world.app.url}/`);
    for (const role of ['学校管理员', '教师', '志愿者', '家长', '教育局'])
      await page.getByRole('heading', { name: role, level: 2 }).waitFor();
    expect(await page.getByRole('button').allTextContents()).toEqual(
      expect.arrayContaining([`${DEMO_USERS.volunteer}（旌阳区实验小学）`, `${DEMO_USERS.bureau}（d-jingyang）`]),
    );
    await accessible(page, 'the sign-in page');
    await screenshots(page, 'sign-in');
  });

  it("shows a volunteer on a phone the school's today and this week's sessions, and the calendar link; a new link replaces it", async () => {
    const page = await newPage();
    await signIn(page, world.app.url, DEMO_USERS.volunteer, '/sessions');
    expect(await heading(page).textContent()).toBe('我的课程');
    await page.getByRole('heading', { name: '今天 · 10月14日周三' }).waitFor();

    const { items } = (await world.volunteer('GET', '/me/roster?from=2026-10-12&to=2026-10-18')).body;
    expect(items.length).toBe(2); // 故事会 twice a week
    const week = page.getByRole('region', { name: '10月12日周一 – 10月18日周日' });
    const shown = week.locator('.session');
    await shown.first().waitFor();
    expect(await shown.count()).toBe(items.length);
    for (const s of items as Array<{ start: string; end: string; clubName: string; roomName: string }>) {
      const text = (await shown.allTextContents()).join('\n');
      expect(text).toContain(`${s.start}–${s.end}`);
      expect(text).toContain(`${s.clubName} · 基础班`);
      expect(text).toContain(`地点：${s.roomName}`);
    }

    // the link: only when asked; asked once, it stays for the tab (a reload does not replace it)
    const link = page.getByLabel('订阅链接', { exact: true });
    expect(await link.count()).toBe(0);
    await page.getByRole('button', { name: '获取订阅链接' }).click();
    await link.waitFor();
    const first = await link.inputValue();
    expect(first).toMatch(new RegExp(`^${world.app.url}/calendar/[A-Za-z0-9_-]{16,128}$`));
    await page.getByRole('img', { name: '订阅链接的二维码，用手机扫描' }).waitFor();
    const feed = await fetch(first);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('BEGIN:VCALENDAR');
    await page.reload();
    await link.waitFor();
    expect(await link.inputValue()).toBe(first);
    expect((await fetch(first)).status).toBe(200);

    await accessible(page, 'my sessions');
    await screenshots(page, 'volunteer-sessions');

    // a new link, after a confirmation: the old one stops working
    await page.getByRole('button', { name: '换一个新链接' }).click();
    const dialog = page.getByRole('dialog', { name: '换一个新链接？' });
    await dialog.waitFor();
    await accessible(page, 'the new-link confirmation');
    await dialog.getByRole('button', { name: '换新链接' }).click();
    await expect.poll(() => link.inputValue()).not.toBe(first);
    const second = await link.inputValue();
    expect(second).toMatch(/\/calendar\/[A-Za-z0-9_-]{16,128}$/);
    expect((await fetch(first)).status).toBe(404);
    expect((await fetch(second)).status).toBe(200);
  });

  it("turns the admin's school page into English and back, and remembers the choice; times stay the school's", async () => {
    const page = await newPage();
    await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
    expect(await heading(page).textContent()).toBe('学校信息');
    const school = (await world.admin('GET', `/schools/${world.schoolId}`)).body;
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'School', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'School' }).waitFor();
    expect(await page.getByLabel('Name of the school').inputValue()).toBe(school.name);
    await page.getByRole('button', { name: 'Save' }).waitFor();
    // the last change in English, at Shanghai's time (the browser is in Los Angeles)
    const version = (await page.locator('form .hint').first().textContent())!.replace(/\s/g, ' ');
    const at = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', timeStyle: 'short' })
      .format(new Date(school.updatedAt))
      .replace(/\s/g, ' ');
    expect(version).toMatch(
      new RegExp(
        `^Version ${school.version}, last changed by ${school.updatedBy} on \\w{3} \\d{1,2}, \\d{4}, ${at} \\(school time\\)$`,
      ),
    );

    await page.reload();
    await page.getByRole('heading', { name: 'School', level: 1 }).waitFor();
    await accessible(page, "the admin's school page in English");
    await screenshots(page, 'admin-school-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '学校信息', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.getByLabel('学校名称').inputValue()).toBe(school.name);
    await page.reload();
    await page.getByRole('heading', { name: '学校信息', level: 1 }).waitFor();
  });

  it("shows the sessions page in English too: its days in English, in the school's week", async () => {
    const page = await newPage();
    await signIn(page, world.app.url, DEMO_USERS.teacher, '/sessions');
    expect(await heading(page).textContent()).toBe('我的课程');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My sessions', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('heading', { name: 'Today · Wed, Oct 14' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'My sessions', level: 1 }).waitFor();
    await accessible(page, 'my sessions in English');
    await screenshots(page, 'teacher-sessions-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '我的课程', level: 1 }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  });

  it("lets the admin edit the school: the server's message beside the field, and a stale edit keeps what was typed", async () => {
    const page = await newPage();
    await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
    expect(await heading(page).textContent()).toBe('学校信息');
    const name = page.getByLabel('学校名称');
    await expect.poll(() => name.inputValue()).toBe('旌阳区实验小学');
    const save = page.getByRole('button', { name: '保存' });

    // the server refuses an empty name: its message beside the field, focus on it
    await name.fill('');
    await save.click();
    const error = page.locator('#school-name-error');
    await error.waitFor();
    expect(await error.textContent()).not.toBe('');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await name.getAttribute('aria-describedby')).toContain('school-name-error');
    expect(await page.locator(':focus').getAttribute('id')).toBe('school-name');
    await provoked(400, `${world.app.url}/schools/${world.schoolId}`);
    await accessible(page, 'the school with a field error');

    await name.fill('旌阳区实验小学（东校区）');
    await save.click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await page.locator('.brand').filter({ hasText: '旌阳区实验小学（东校区）' }).waitFor();

    // someone else saves meanwhile; what the admin types next is refused, and kept
    const current = (await world.admin('GET', `/schools/${world.schoolId}`)).body;
    const { id: _i, districtId: _d, status: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = current;
    expect((await world.admin('PUT', `/schools/${world.schoolId}`, { ...body, name: '旌阳区实验小学（西校区）' })).status).toBe(
      200,
    );
    await name.fill('旌阳区实验小学（北校区）');
    await save.click();
    const alert = page.getByRole('alert').filter({ hasText: '修改了这条记录' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`${DEMO_USERS.admin} 于`);
    expect(await name.inputValue()).toBe('旌阳区实验小学（北校区）');
    await provoked(409, `${world.app.url}/schools/${world.schoolId}`);
    await accessible(page, 'the school after a stale edit');
    await screenshots(page, 'admin-school-conflict');

    await page.getByRole('button', { name: '用我的内容覆盖' }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    expect((await world.admin('GET', `/schools/${world.schoolId}`)).body.name).toBe('旌阳区实验小学（北校区）');
  });

  it("shows the bureau its schools with each one's set-up, and a parent their child", async () => {
    const bureau = await newPage();
    await signIn(bureau, world.app.url, DEMO_USERS.bureau, '/district');
    await bureau.getByText('年级、教室、学期和社团都已设置。').waitFor();
    const counts = await bureau.locator('.counts dd').allTextContents();
    expect(counts).toEqual(['2', '2', '1', '2']);
    await accessible(bureau, "the bureau's schools");
    await screenshots(bureau, 'district-schools');

    const parent = await newPage();
    await signIn(parent, world.app.url, DEMO_USERS.parent, '/family');
    await parent.getByRole('heading', { name: '张小明', level: 2 }).waitFor();
    expect(await parent.locator('main').textContent()).toContain('1年级 2班');
    await accessible(parent, "the parent's page");
    await screenshots(parent, 'parent-children');

    // an address with no page, and sign-out
    await parent.goto(`${world.app.url}/nothing-here`);
    await parent.getByRole('heading', { name: '找不到页面', level: 1 }).waitFor();
    await accessible(parent, 'the page-not-found page');
    await parent.getByRole('button', { name: '退出登录' }).click();
    await parent.getByRole('heading', { name: '登录', level: 1 }).waitFor();
    expect(await parent.evaluate<number>('sessionStorage.length')).toBe(0);
  });

  it('logged no error in any page (no failed request, exception or policy violation)', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * The timetable pages in Debian's Chromium, against the server `npm start` runs, on the small
 * school of test/support/web-world.ts (its timetable published once). Everything is done in
 * the pages: a club with two tiers made on the clubs page, then generate (a job, polled), a move to 17:30 refused in Chinese beside the
 * session, publish, the changes ready to send, the session in the grid, an earlier version
 * read-only, and the page in English and back. axe and no sideways scroll at each step;
 * screenshots at 375 and 1280 px in test/artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { formatInstant } from '../packages/web/src/time';
import { accessible, DESKTOP, launchBrowser, PHONE, screenshots } from './support/browser';
import { createClub } from './support/people-flows';
import { nav, signIn, webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

/** Wednesday 14 October 2026, 10:00 in Shanghai: still Tuesday the 13th in Los Angeles, the browser's zone */
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

/** An admin signs in on the local sign-in page and opens the timetable from the navigation. */
async function openTimetable(page: Page) {
  await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
  await nav(page, '课表');
  await page.waitForURL('**/timetable');
  await page.getByRole('heading', { name: '课表', level: 1 }).waitFor();
}

const days: Record<string, string> = { MON: '周一', TUE: '周二', WED: '周三', THU: '周四', FRI: '周五' };
const tt = () => `/schools/${world.schoolId}/terms/${world.termId}/timetable`;
const board = (page: Page, name: string | RegExp) => page.getByRole('region', { name });

describe('the timetable pages', () => {
  it('lets an admin generate a draft, see a move to 17:30 refused in Chinese beside the session, publish it and find the session in the grid', async () => {
    const page = await newPage(DESKTOP);
    await openTimetable(page);
    // a club with two tiers, which the published timetable does not have yet (王老师 teaches chess)
    await createClub(page, {
      name: '围棋',
      nameEn: 'Go',
      category: '其他',
      descriptionZh: '围棋',
      descriptionEn: 'Go',
      skill: 'chess',
      classes: [
        { name: '基础班', grades: ['一年级', '二年级'], capacity: 20, sessionsPerWeek: 1, minutesPerSession: 45 },
        { name: '提高班', grades: ['二年级'], capacity: 12, sessionsPerWeek: 1, minutesPerSession: 45 },
      ],
    });
    await nav(page, '课表');
    await page.getByRole('heading', { name: '课表', level: 1 }).waitFor();
    const published = (await world.admin('GET', tt())).body.published;
    // instants in the school's zone (Shanghai), not the browser's (Los Angeles)
    await page
      .getByText(
        `已发布：第 1 版，每周 3 节课，${DEMO_USERS.admin} 于 ${formatInstant(published.publishedAt, 'Asia/Shanghai', 'zh-CN')} 发布。`,
      )
      .waitFor();
    await board(page, '已发布的课表（第 1 版）').getByRole('table').waitFor();
    await accessible(page, 'the timetable, published');
    await screenshots(page, 'timetable-published');

    // generate: a job, polled; held back at first, so its state shows while it waits
    world.app.worker.pause();
    const generate = page.getByRole('button', { name: '生成课表' });
    await generate.click();
    await page
      .getByRole('status')
      .filter({ hasText: '已提交，正在排队…' })
      .getByRole('progressbar', { name: '生成进度' })
      .waitFor();
    expect(await generate.isDisabled()).toBe(true);
    await accessible(page, 'a generation waiting');
    world.app.worker.resume();
    await page.getByRole('status').filter({ hasText: '已生成草稿第 2 版：每周 5 节课。' }).waitFor();
    const draft = board(page, '草稿（第 2 版）');
    const basic = draft.getByRole('button', { name: /围棋 基础班/ });
    await basic.waitFor();

    // a move to 17:30 would end at 18:15: refused, the rule in Chinese beside the session, what was typed kept
    await basic.click();
    const dialog = page.getByRole('dialog', { name: '调整这节课' });
    await dialog.getByLabel('开始时间').selectOption('17:30');
    await dialog.getByRole('button', { name: '移动' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.filter({ hasText: '将在 18:15 结束，晚于课后服务结束时间 18:00。' }).waitFor();
    expect(await refusal.textContent()).toMatch(/^不能这样调整：围棋 基础班（周. 17:30–18:15）将在 18:15 结束/);
    expect(await dialog.getByLabel('开始时间').inputValue()).toBe('17:30');
    const session = (await world.admin('GET', `${tt()}/versions/2`)).body.sessions.find(
      (s: { clubName: string; className: string }) => s.clubName === '围棋' && s.className === '基础班',
    );
    await provoked(422, `${world.app.url}${tt()}/draft/sessions/${encodeURIComponent(session.id)}`);
    expect(session.start).not.toBe('17:30');
    await accessible(page, 'a refused move');
    await screenshots(page, 'timetable-refused');
    await dialog.getByRole('button', { name: '关闭' }).click();
    // beside the session in the grid too, and what the session's button is described by
    const beside = draft.locator('.tt-session', { has: page.getByRole('button', { name: /围棋 基础班/ }) }).locator('.refusal');
    expect(await beside.textContent()).toContain('将在 18:15 结束，晚于课后服务结束时间 18:00。');
    expect(await basic.getAttribute('aria-describedby')).toBe(await beside.getAttribute('id'));
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toContain('围棋 基础班');

    // lock it; a swap of a locked session is refused, in words; unlock it
    await basic.click();
    await dialog.getByRole('button', { name: '锁定（重新生成时保持不动）' }).click();
    await page.getByRole('status').filter({ hasText: '已锁定。' }).waitFor();
    await expect.poll(() => basic.textContent()).toContain('已锁定');
    expect(await draft.locator('.refusal').count()).toBe(0);
    await basic.click();
    await dialog.getByRole('button', { name: '交换' }).click();
    await dialog.getByRole('alert').filter({ hasText: '已锁定：先解锁才能移动。' }).waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe(
      `不能这样调整：围棋 基础班（${days[session.day]} ${session.start}–${session.end}）已锁定：先解锁才能移动。`,
    );
    await provoked(422, `${world.app.url}${tt()}/draft/swap`);
    await dialog.getByRole('button', { name: '解锁' }).click();
    await page.getByRole('status').filter({ hasText: '已解锁。' }).waitFor();
    expect((await world.admin('GET', `${tt()}/versions/2`)).body.sessions.filter((s: { locked: boolean }) => s.locked)).toEqual(
      [],
    );

    // publish: the changes since version 1, and a notice to send
    await page.getByRole('button', { name: '发布草稿' }).click();
    await page.getByRole('dialog', { name: '发布第 2 版？' }).getByRole('button', { name: '发布' }).click();
    const changes = page.getByRole('region', { name: '第 2 版的变动' });
    await changes.getByText('与上一次发布相比：新增 2 节，调整 0 节，取消 0 节。').waitFor();
    await page.getByRole('status').filter({ hasText: '已发布第 2 版。' }).waitFor();
    expect(await page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe('第 2 版的变动');
    const lines = await changes.getByRole('listitem').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => /^新增 围棋 (基础班|提高班)：周. \d\d:\d\d–\d\d:\d\d，(教室 101|阅览室)，王老师$/.test(l))).toBe(
      true,
    );
    const notice = await changes.getByLabel('发给家长和教职工的通知').inputValue();
    expect(notice.split('\n')).toEqual([
      expect.stringMatching(/^2026 秋季学期课表已更新（第 2 版，.+ 发布）：$/),
      ...lines.map((l) => `- ${l}`),
    ]);

    // the session in the published grid, on its day and at its time
    const shown = board(page, '已发布的课表（第 2 版）');
    const card = shown.locator(`[id="tt-board-${session.id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain(`${session.start}–${session.end}围棋 基础班`);
    const column = await card.evaluate((el) => {
      const cell = el.closest('td')!;
      return cell.closest('table')!.querySelectorAll('thead th')[cell.cellIndex]!.textContent;
    });
    expect(column).toBe(days[session.day]);
    await accessible(page, 'the timetable, just published');
    await screenshots(page, 'timetable-changes');

    // an earlier version, read-only, with its changes
    await page.getByRole('button', { name: '查看第 1 版' }).click();
    const first = board(page, '第 1 版（只读）');
    await first.getByRole('table').waitFor();
    expect(await first.getByRole('button').count()).toBe(0);
    await page.getByRole('region', { name: '第 1 版的变动' }).getByText('这是第一次发布：每周 3 节课全部是新的。').waitFor();
    await accessible(page, 'an earlier version');
  });

  it('shows a phone one day at a time, the school’s today first, and turns the timetable page into English and back', async () => {
    const page = await newPage(PHONE);
    await openTimetable(page);
    const published = board(page, /^已发布的课表/);
    // Wednesday in Shanghai (Tuesday in the browser's zone)
    await published.getByRole('tab', { name: '周三', selected: true }).waitFor();
    expect(await published.locator('thead th').allTextContents()).toEqual(['时间', '周三']);
    await published.getByRole('tab', { name: '周五' }).click();
    expect(await published.locator('thead th').allTextContents()).toEqual(['时间', '周五']);
    await published.getByLabel('查看方式').selectOption({ label: '按教职工' });
    await published.getByLabel('教职工').selectOption({ label: '王老师' });
    await accessible(page, 'the timetable on a phone');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Timetable', level: 1 }).waitFor();
    const english = board(page, /^Published timetable/);
    await english.getByRole('tab', { name: 'Fri', selected: true }).waitFor();
    await english.getByText('王老师: the week’s sessions (Monday to Friday, until 18:00)').waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Timetable' }).count()).toBe(1);
    await accessible(page, 'the timetable in English');
    await screenshots(page, 'timetable-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '课表', level: 1 }).waitFor();
    await published.getByRole('tab', { name: '周五', selected: true }).waitFor();
  });

  it('logged no error in any page (no failed request, exception or policy violation)', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * Club choice in Debian's Chromium, on the web world's school (test/support/web-world.ts) with
 * the enrolment clubs (test/support/enrolment.ts) published and a ranked window open: the
 * guardian of 张小明 opens club choice on a 375 px phone, sees why the advanced class is not
 * open to the child, ranks three classes (moving the last one up) and saves; the API holds the
 * ranking as saved. Every page: axe, no sideways scroll at 375 px, screenshots at 375 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { accessible, launchBrowser, PHONE, screenshots } from './support/browser';
import { enrolmentClubs, openWindow, type EnrolmentClasses } from './support/enrolment';
import { ok } from './support/families';
import { webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

let world: WebWorld;
let browser: Browser;
let classes: EnrolmentClasses;
const { errors, newPage } = webPages(() => browser, new Date());
const CHILD = '2026100001';

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
  classes = await enrolmentClubs(world.admin, world.schoolId, world.termId, () => world.app.worker.idle(), [1, 2]);
  ok(
    await world.admin(
      'PUT',
      `/schools/${world.schoolId}/terms/${world.termId}/enrolment/window`,
      openWindow({ mode: 'ranked', places: 2, choices: 3 }),
    ),
    'window',
  );
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

async function signIn(page: Page, userId: string, lands: string) {
  await page.goto(`${world.app.url}/`);
  await page.getByRole('button', { name: new RegExp(`^${userId}（`) }).click();
  await page.waitForURL(`**${lands}`);
}

describe('club choice', () => {
  it('a guardian ranks three clubs on a 375 px screen', async () => {
    const page = await newPage(PHONE);
    await signIn(page, DEMO_USERS.parent, '/family');
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '社团选课', exact: true }).click();
    await page.getByRole('heading', { name: '社团选课', level: 1 }).waitFor();
    await page.getByText('为张小明选择社团。').waitFor();
    // the advanced class is not open to the child, and the page says why
    await page
      .getByText('机器人 进阶班 needs the 机器人 basic class last term or a teacher’s approval; 张小明 has neither')
      .waitFor();
    await accessible(page, 'club choice, nothing ranked');
    for (const what of ['美术 基础班', '机器人 基础班', '舞蹈 基础班'])
      await page.getByRole('button', { name: `加入志愿：${what}` }).click();
    await page.getByRole('button', { name: '上移：舞蹈 基础班' }).click();
    const ranking = page.getByRole('region', { name: /我的志愿/ }).getByRole('listitem');
    await expect.poll(() => ranking.allTextContents()).toEqual(['美术 基础班↑✕', '舞蹈 基础班↑✕', '机器人 基础班↑✕']);
    await page.getByRole('button', { name: '保存志愿' }).click();
    await page.getByRole('status').filter({ hasText: '志愿已保存。' }).waitFor();
    await accessible(page, 'club choice, three ranked');
    await screenshots(page, 'guardian-club-choice');

    const saved = ok(
      await world.admin('GET', `/schools/${world.schoolId}/terms/${world.termId}/enrolment/students/${CHILD}`),
      'view',
    );
    expect(saved.choices).toMatchObject({ choices: [classes.art, classes.dance, classes.robotBasic], version: 1 });
  });

  it('logged no error', () => {
    expect(errors).toEqual([]);
  });
});

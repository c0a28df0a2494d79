/**
 * A child's enrolment history in Debian's Chromium, on the web world's school with the
 * enrolment clubs (test/support/enrolment.ts) and a first-come-first-served window open: the
 * guardian of 张小明 holds places in 机器人 and 美术 (asked for through the API). On a 375 px
 * phone the guardian reads the child's history on club choice, withdraws from 美术, and the
 * history shows it at once; the admin opens the child's history from 机器人's class list, and by
 * student number. Every page: axe, no sideways scroll at 375 px, screenshots at 375 and 1280 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser } from 'playwright-core';
import { accessible, launchBrowser, PHONE, screenshots } from './support/browser';
import { enrolmentClubs, openWindow, type EnrolmentClasses } from './support/enrolment';
import { ok } from './support/families';
import { nav, signIn, webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

let world: WebWorld;
let browser: Browser;
let classes: EnrolmentClasses;
const { errors, newPage, provoked } = webPages(() => browser, new Date());
const CHILD = '2026100001';

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
  classes = await enrolmentClubs(world.admin, world.schoolId, world.termId, () => world.app.worker.idle(), [1, 2]);
  const enrol = `/schools/${world.schoolId}/terms/${world.termId}/enrolment`;
  ok(await world.admin('PUT', `${enrol}/window`, openWindow()), 'window');
  const parent = await world.app.as('parent', { user: DEMO_USERS.parent, schools: [world.schoolId] });
  for (const classId of [classes.robotBasic, classes.art])
    ok(await parent('POST', `${enrol}/students/${CHILD}/places`, { classId }), 'place');
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

describe("a child's enrolment history", () => {
  it('the guardian reads it on club choice on a 375 px phone, and sees a withdrawal at once', async () => {
    const page = await newPage(PHONE);
    await signIn(page, world.app.url, DEMO_USERS.parent, '/family');
    await nav(page, '社团选课');
    const history = page.getByRole('region', { name: '选课记录' });
    await history.getByText('美术 基础班：报上').waitFor();
    await history.getByText('机器人 基础班：报上').waitFor();
    await history.getByText('操作：张建华').first().waitFor();
    await accessible(page, 'club choice with the history');
    const art = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '美术 基础班' }) });
    await art.getByRole('button', { name: '退选' }).click();
    await page.getByRole('status').filter({ hasText: '已退选。' }).waitFor();
    await history.getByText('美术 基础班：退选').waitFor();
    // newest first
    expect((await history.getByRole('listitem').allTextContents()).map((t) => t.split('操作')[0])).toEqual([
      expect.stringMatching(/^美术 基础班：退选/),
      expect.stringMatching(/^美术 基础班：报上/),
      expect.stringMatching(/^机器人 基础班：报上/),
    ]);
    await accessible(page, 'club choice, the history after a withdrawal');
    await screenshots(page, 'guardian-enrolment-history');
  });

  it('the admin opens it from a class’s list, and by student number', async () => {
    const page = await newPage(PHONE);
    await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
    await nav(page, '选课设置');
    await page.getByLabel('社团班级').selectOption({ label: '机器人 基础班' });
    await page.getByRole('link', { name: '记录：张小明' }).click();
    await page.waitForURL(`**/setup/enrolment?child=${CHILD}`);
    const history = page.getByRole('region', { name: '选课记录' });
    await history.getByText('美术 基础班：退选').waitFor();
    await history.getByText('机器人 基础班：报上').waitFor();
    expect(await page.getByLabel('学号').inputValue()).toBe(CHILD);
    await accessible(page, 'the admin’s history of a child');
    await screenshots(page, 'admin-enrolment-history');
    // by number
    await page.getByLabel('学号').fill('2026100009');
    await page.getByRole('button', { name: '查看记录' }).click();
    await page.waitForURL('**/setup/enrolment?child=2026100009');
    await history.getByRole('alert').waitFor(); // no such child at the school
    await provoked(
      404,
      `${world.app.url}/schools/${world.schoolId}/terms/${world.termId}/enrolment/students/2026100009/history?limit=20`,
    );
    await page.getByLabel('学号').fill(CHILD);
    await page.getByRole('button', { name: '查看记录' }).click();
    await history.getByText('美术 基础班：退选').waitFor();
  });

  it('logged no error', () => {
    expect(errors).toEqual([]);
  });
});

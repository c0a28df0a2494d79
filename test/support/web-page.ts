/**
 * Pages of a browser test: the browser's clock fixed at `now` and its zone Los Angeles (so that
 * a page passes only if it takes dates and times from the school's zone), Chinese; whatever a
 * page logs as an error (a CSP violation, a failed request, an exception) is collected. And
 * what every page test does: sign in as a demo user, open a page from the main navigation.
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PHONE } from './browser';

export function webPages(browser: () => Browser, now: Date) {
  const errors: string[] = [];
  return {
    /** what the pages logged as errors */
    errors,
    async newPage(viewport = PHONE): Promise<Page> {
      const context = await browser().newContext({ viewport, timezoneId: 'America/Los_Angeles', locale: 'zh-CN' });
      const page = await context.newPage();
      await page.clock.setFixedTime(now);
      page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()} (${m.location().url})`);
      });
      return page;
    },
    /** The refusal a test provoked (Chromium logs each 4xx answer as an error) is taken off the list. */
    async provoked(status: number, url: string) {
      const match = (e: string) => e.includes(`status of ${status} `) && e.endsWith(`(${url})`);
      await expect.poll(() => errors.some(match), { message: `${status} from ${url} logged` }).toBe(true);
      errors.splice(errors.findIndex(match), 1);
    },
  };
}

/** The local sign-in page at `url`: the demo user's button (its label: "<user>（<school or district>）"), then `lands`. */
export async function signIn(page: Page, url: string, userId: string, lands: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: new RegExp(`^${userId}（`) }).click();
  await page.waitForURL(`**${lands}`);
}

/** Opens a page from the main navigation (主导航) by its label. */
export const nav = (page: Page, label: string): Promise<void> =>
  page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: label, exact: true }).click();

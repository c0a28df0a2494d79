/**
 * Pages of a browser test: the browser's clock fixed at `now` and its zone Los Angeles (so that
 * a page passes only if it takes dates and times from the school's zone), Chinese; whatever a
 * page logs as an error (a CSP violation, a failed request, an exception) is collected.
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

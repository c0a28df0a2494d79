/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core:
 * no browser is downloaded. One browser per test file, a fresh context per test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { REPO_ROOT } from '@kehou/local';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 800 };

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });

/** Polls until `check` holds (a page answers when it answers: generous, never a fixed sleep). */
export async function eventually(what: string, check: () => Promise<boolean>, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${seconds} s: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** axe finds no serious or critical violation, and the page does not scroll sideways. */
export async function accessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `axe on ${what}`).toEqual([]);
  expect(await sideways(page), `horizontal scroll on ${what}`).toBe(false);
}

/** Is the page wider than its viewport? (An expression, not a function: the tests' types have no DOM.) */
export const sideways = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');

/** Screenshots of the screen as it is, at a phone's width and at an office PC's (test/artifacts/, git-ignored). */
export async function screenshots(page: Page, name: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize() ?? PHONE;
  for (const [size, label] of [
    [PHONE, '375'],
    [DESKTOP, '1280'],
  ] as const) {
    await page.setViewportSize(size);
    expect(await sideways(page), `horizontal scroll on ${name} at ${label} px`).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

/**
 * What an admin does on the people and clubs pages, step by step as a person would (by the
 * pages' labels, which stay stable): for browser tests that need a club made through the app,
 * such as the timetable's.
 */
import type { Page } from 'playwright-core';
import { nav } from './web-page';

export interface ClubClassSpec {
  /** the tier's code, e.g. basic (a new club's first class starts as basic, its second as advanced) */
  tier?: string;
  name: string;
  /** grade names as the school has them, e.g. 一年级 */
  grades: string[];
  capacity: number;
  sessionsPerWeek: number;
  minutesPerSession: number;
  /** the tier a student must have taken before (another class's tier) */
  prerequisite?: string;
}

export interface ClubSpec {
  name: string;
  nameEn: string;
  /** its label, e.g. 舞蹈 */
  category: string;
  descriptionZh: string;
  descriptionEn: string;
  skill: string;
  classes: ClubClassSpec[];
}

/** On the clubs page (社团) of the term shown: opens 新建社团 and fills the form in; does not submit it. */
export async function fillNewClub(page: Page, club: ClubSpec): Promise<void> {
  await page.getByRole('link', { name: '新建社团' }).click();
  await page.getByRole('heading', { name: '新建社团', level: 1 }).waitFor();
  await page.getByLabel('社团名称', { exact: true }).fill(club.name);
  await page.getByLabel('英文名称', { exact: true }).fill(club.nameEn);
  await page.getByLabel('类别', { exact: true }).selectOption({ label: club.category });
  await page.getByLabel('中文简介', { exact: true }).fill(club.descriptionZh);
  await page.getByLabel('英文简介', { exact: true }).fill(club.descriptionEn);
  await page.getByLabel('所需技能', { exact: true }).fill(club.skill);
  for (const [i, k] of club.classes.entries()) {
    if (i > 0) await page.getByRole('button', { name: '添加班级' }).click();
    const group = page.getByRole('group', { name: `班级 ${i + 1}`, exact: true });
    if (k.tier) await group.getByLabel('层级代码', { exact: true }).fill(k.tier);
    await group.getByLabel('班级名称', { exact: true }).fill(k.name);
    for (const g of k.grades) await group.getByRole('group', { name: '可报名年级' }).getByLabel(g, { exact: true }).check();
    await group.getByLabel('人数上限', { exact: true }).fill(String(k.capacity));
    await group.getByLabel('每周次数', { exact: true }).fill(String(k.sessionsPerWeek));
    await group.getByLabel('每次分钟数', { exact: true }).fill(String(k.minutesPerSession));
    if (k.prerequisite) await group.getByLabel('先修层级', { exact: true }).selectOption(k.prerequisite);
  }
}

/** Signed in as an admin: makes a club through the clubs page and waits until the list shows it. */
export async function createClub(page: Page, club: ClubSpec): Promise<void> {
  await nav(page, '社团');
  await page.getByRole('heading', { name: '社团', level: 1 }).waitFor();
  await fillNewClub(page, club);
  await page.getByRole('button', { name: '创建社团' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `已保存社团“${club.name}”。` })
    .waitFor();
}

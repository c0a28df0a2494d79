/**
 * The admin's pages for students and guardians, clubs with their tiers, and the CSV import,
 * in Debian's Chromium against the server `npm start` runs, on the small school of the web
 * world. Every page: axe finds no serious or critical violation and nothing scrolls sideways
 * at 375 px; screenshots at 375 and 1280 px go to test/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { accessible, launchBrowser, PHONE, screenshots } from './support/browser';
import { gbk } from './support/gbk';
import { createClub, fillNewClub, type ClubSpec } from './support/people-flows';
import { nav, signIn } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

let world: WebWorld;
let browser: Browser;
/** what the pages logged as errors (a CSP violation, a failed request, an exception) */
const errors: string[] = [];

/** The refusal a test provoked (Chromium logs each 4xx answer as an error) is taken off the list. */
async function provoked(status: number, url: string) {
  const match = (e: string) => e.includes(`status of ${status} `) && e.endsWith(`(${url})`);
  await expect.poll(() => errors.some(match), { message: `${status} from ${url} logged` }).toBe(true);
  errors.splice(errors.findIndex(match), 1);
}

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

/** A phone-sized page signed in as the demo admin, on `path`. */
async function admin(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${page.url()}: ${m.text()} (${m.location().url})`);
  });
  await signIn(page, world.app.url, DEMO_USERS.admin, '/setup/school');
  await nav(page, path);
  return page;
}

const XIANGQI: ClubSpec = {
  name: '象棋',
  nameEn: 'Chinese chess',
  category: '益智',
  descriptionZh: '从马走日、象走田学起',
  descriptionEn: 'From the first moves',
  skill: 'chess', // what 王老师 (demo-teacher) teaches: a timetable can place both classes
  classes: [
    { name: '基础班', grades: ['一年级'], capacity: 20, sessionsPerWeek: 1, minutesPerSession: 45 },
    {
      name: '提升班',
      grades: ['一年级', '二年级'],
      capacity: 500,
      sessionsPerWeek: 1,
      minutesPerSession: 45,
      prerequisite: 'basic',
    },
  ],
};

describe("the admin's people and clubs pages", () => {
  it("creates a club with two tiers: the server's message beside the field, what was typed kept", async () => {
    const page = await admin('社团');
    await page.getByRole('heading', { name: '2026 秋季学期的社团' }).waitFor();
    await page.getByRole('heading', { name: '故事会 Storytelling', level: 3 }).waitFor();
    await accessible(page, 'the clubs of a term');
    await screenshots(page, 'admin-clubs');

    await fillNewClub(page, XIANGQI);
    await page.getByRole('button', { name: '创建社团' }).click();
    // 500 places is too many: the message beside the second class's places, focus on it, all typed kept
    const places = page.getByRole('group', { name: '班级 2', exact: true }).getByLabel('人数上限', { exact: true });
    const message = page.locator('#club-classes\\.1\\.capacity-error');
    await message.waitFor();
    expect(await places.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(':focus').getAttribute('id')).toBe('club-classes.1.capacity');
    expect(await page.getByLabel('社团名称', { exact: true }).inputValue()).toBe('象棋');
    expect(await places.inputValue()).toBe('500');
    await provoked(400, `${world.app.url}/schools/${world.schoolId}/clubs`);
    await accessible(page, 'a new club with a field error');
    await screenshots(page, 'admin-club-error');

    await places.fill('15');
    await page.getByRole('button', { name: '创建社团' }).click();
    await page.getByRole('status').filter({ hasText: '已保存社团“象棋”。' }).waitFor();
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '象棋 Chinese chess' }) });
    expect(await card.textContent()).toContain('提升班 (advanced) · 一年级、二年级 · 15 人 · 每周 1 次 × 45 分钟 · 需先修 basic');

    const { items } = (await world.admin('GET', `/schools/${world.schoolId}/clubs?termId=${world.termId}`)).body;
    const made = (items as Array<{ name: string; classes: Array<Record<string, unknown>> }>).find((c) => c.name === '象棋')!;
    expect(
      made.classes.map(({ tier, name, grades, capacity, prerequisite }) => ({ tier, name, grades, capacity, prerequisite })),
    ).toEqual([
      { tier: 'basic', name: '基础班', grades: [1], capacity: 20, prerequisite: null },
      {
        tier: 'advanced',
        name: '提升班',
        grades: [1, 2],
        capacity: 15,
        prerequisite: { tier: 'basic', orTeacherApproval: true },
      },
    ]);
  });

  it('makes a club with the shared flow, edits it, and deletes it after asking', async () => {
    const page = await admin('学校信息');
    await createClub(page, {
      ...XIANGQI,
      name: '国际象棋提高',
      nameEn: 'Chess plus',
      category: '益智',
      classes: [XIANGQI.classes[0]!],
    });
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: '国际象棋提高 Chess plus' }) });
    await card.getByRole('link', { name: '编辑 国际象棋提高' }).click();
    await page.getByRole('heading', { name: '编辑社团', level: 1 }).waitFor();
    await page.getByRole('group', { name: '班级 1', exact: true }).getByLabel('人数上限', { exact: true }).fill('24');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await accessible(page, 'a club being edited');
    await screenshots(page, 'admin-club-edit');

    await page.getByRole('link', { name: '返回2026 秋季学期的社团' }).click();
    await card.getByRole('button', { name: '删除 国际象棋提高' }).click();
    const dialog = page.getByRole('dialog', { name: '删除社团“国际象棋提高”？' });
    await dialog.waitFor();
    await accessible(page, 'the delete confirmation');
    await dialog.getByRole('button', { name: '删除', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已删除社团“国际象棋提高”。' }).waitFor();
    await expect.poll(() => card.count()).toBe(0);
  });

  it("lists a class's students, shows a student with their guardians, and a stale edit says who changed it", async () => {
    const page = await admin('学生与家长');
    await page.getByRole('heading', { name: '全校学生' }).waitFor();
    await page.getByLabel('年级', { exact: true }).selectOption({ label: '一年级' });
    await page.getByLabel('班级', { exact: true }).fill('2');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('heading', { name: '一年级 2班的学生' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: '张小明' });
    await row.waitFor();
    expect(await row.textContent()).toContain('2026100001');
    await accessible(page, 'the students of a class');
    await screenshots(page, 'admin-students');

    await row.getByRole('link', { name: '2026100001' }).click();
    await page.getByRole('heading', { name: '张小明的家长', level: 2 }).waitFor();
    const guardian = page.getByRole('form', { name: '家长 张建华' });
    await expect.poll(() => guardian.getByLabel('手机号码').inputValue()).toBe('13800000001');
    expect(await guardian.getByLabel('与学生的关系').inputValue()).toBe('mother');
    await accessible(page, 'a student and their guardians');
    await screenshots(page, 'admin-student');

    // someone else renames the student meanwhile: the admin's edit is refused, kept, and can go over it
    const at = `/schools/${world.schoolId}/students/2026100001`;
    const current = (await world.admin('GET', at)).body;
    expect((await world.admin('PUT', at, { ...pick(current), name: '张晓明' })).status).toBe(200);
    const name = page.getByRole('form', { name: '学生信息' }).getByLabel('姓名', { exact: true });
    await name.fill('张小明明');
    await page.getByRole('form', { name: '学生信息' }).getByRole('button', { name: '保存' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `${DEMO_USERS.admin} 于` })
      .waitFor();
    expect(await name.inputValue()).toBe('张小明明');
    await provoked(409, `${world.app.url}${at}`);
    await page.getByRole('button', { name: '用我的内容覆盖' }).click();
    await page.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    expect((await world.admin('GET', at)).body.name).toBe('张小明明');
  });

  it('imports a CSV file: a bad row refuses the file with the error beside that row; fixed, the import runs to the end', async () => {
    const page = await admin('批量导入');
    await page.getByRole('heading', { name: '学生与家长', level: 2 }).waitFor();
    await accessible(page, 'the import page');
    const file = page.getByLabel('CSV 文件');
    const csv = (phone: string) =>
      Buffer.from(
        '学号,姓名,年级,班级,家长1姓名,家长1电话,家长1关系\r\n' +
          '2026200001,王一,1,1,王大,13900000001,father\r\n' +
          `2026200002,李二,2,1,李大,${phone},mother\r\n` +
          '2026200003,赵三,2,1,赵大,13900000003,\r\n',
      );
    await file.setInputFiles({ name: '学生.csv', mimeType: 'text/csv', buffer: csv('12345') });
    await page.getByText('学生.csv：3 行（UTF-8）').waitFor();
    await page.getByRole('button', { name: '导入', exact: true }).click();

    await page.getByRole('alert').filter({ hasText: '没有导入任何内容：1 行有问题' }).waitFor();
    const bad = page.getByRole('row').filter({ hasText: '李二' });
    expect(await bad.getByRole('cell').first().textContent()).toBe('家长1电话: must be a phone number');
    expect(await bad.getByRole('rowheader').textContent()).toBe('3'); // its row in the spreadsheet
    expect(await page.getByRole('row').filter({ hasText: '王一' }).getByRole('cell').first().textContent()).toBe('');
    await provoked(400, `${world.app.url}/schools/${world.schoolId}/students/import`);
    for (const no of ['2026200001', '2026200002', '2026200003'])
      expect((await world.admin('GET', `/schools/${world.schoolId}/students/${no}`)).status).toBe(404);
    await accessible(page, 'a refused import');
    await screenshots(page, 'admin-import-refused');

    await file.setInputFiles({ name: '学生.csv', mimeType: 'text/csv', buffer: csv('13900000002') });
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '导入完成：共 3 行，写入 3 名学生、3 位家长。' }).waitFor();
    expect((await world.admin('GET', `/schools/${world.schoolId}/students/2026200002`)).body.name).toBe('李二');
    await accessible(page, 'a finished import');
    await screenshots(page, 'admin-import-finished');
  });

  it("imports rooms from a file as Chinese Excel saves it (GBK), with each kind's template to download", async () => {
    const page = await admin('批量导入');
    await page.getByRole('navigation', { name: '导入的内容' }).getByRole('link', { name: '教室' }).click();
    await page.getByRole('heading', { name: '教室', level: 2 }).waitFor();

    // the template: a file to download, with the columns in the page's language
    const template = page.getByRole('link', { name: '下载教室模板（CSV）' });
    const [download] = await Promise.all([page.waitForEvent('download'), template.click()]);
    expect(download.suggestedFilename()).toBe('教室导入模板.csv');
    expect(readFileSync((await download.path())!, 'utf8')).toMatch(/^\uFEFF名称,容量/);

    const rooms = (capacity: string) => gbk(`名称,容量,设施,楼栋\r\n美术室,40,art,艺术楼\r\n科学室,${capacity},lab,科技楼\r\n`);
    const file = page.getByLabel('CSV 文件');
    await file.setInputFiles({ name: '教室.csv', mimeType: 'text/csv', buffer: rooms('九十') });
    await page.getByText('教室.csv：2 行（GB18030/GBK）').waitFor();
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '没有导入任何内容：1 行有问题' }).waitFor();
    const bad = page.getByRole('row').filter({ hasText: '科学室' });
    expect(await bad.getByRole('cell').first().textContent()).toMatch(/^row 3, 容量: /);
    await provoked(400, `${world.app.url}/schools/${world.schoolId}/rooms/import`);
    await accessible(page, 'a refused import of rooms');

    await file.setInputFiles({ name: '教室.csv', mimeType: 'text/csv', buffer: rooms('90') });
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '导入完成：共 2 行；新建 2 条，更新 0 条，没有变化 0 条。' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: '科学室' }).getByRole('cell').first().textContent()).toBe(
      '新建: 科学室',
    );
    const { items } = (await world.admin('GET', `/schools/${world.schoolId}/rooms`)).body;
    expect((items as Array<{ name: string; building?: string }>).find((r) => r.name === '科学室')?.building).toBe('科技楼');
    await screenshots(page, 'admin-import-rooms');

    for (const [kind, heading] of [
      ['教职工', '教职工'],
      ['社团与班级', '社团与班级'],
    ]) {
      await page.getByRole('navigation', { name: '导入的内容' }).getByRole('link', { name: kind }).click();
      await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
      await page.getByRole('link', { name: `下载${kind}模板（CSV）` }).waitFor();
      await accessible(page, `the import of ${kind}`);
    }
    expect(await page.getByLabel('学期').inputValue()).toBe(world.termId);
  });

  it('logged no error in any page (no failed request, exception or policy violation)', () => {
    expect(errors).toEqual([]);
  });
});

/** A student's fields and version, for a PUT. */
const pick = ({ studentNo, name, gradeLevel, homeroom, version }: Record<string, unknown>) => ({
  studentNo,
  name,
  gradeLevel,
  homeroom,
  version,
});

/**
 * The families' side of the web app in Debian's Chromium, on the small school of the web world
 * (test/support/web-world.ts) with two more children of 一年级 2班 whose guardians opted them
 * out through the API: the admin publishes the term's notice and prints the class's
 * invitations; a guardian opens theirs on a 375 px phone, confirms with the last four digits of
 * their phone, opts their child out for Wednesdays and Fridays with both signatures (the
 * child's drawn on the pad with the mouse), then withdraws, and the admin's participation
 * figure for Wednesday follows; a late request is declined; the gate teacher prints today's
 * dismissal list and downloads it as CSV; the bureau sees its schools' participation; a
 * guardian's session outlives its 15-minute access token. The server reads the real clock (the
 * notice is open from today), so the browser's clock is now too, in Los Angeles: the pages must
 * take "today" from the school's zone. Every page: axe, no sideways scroll at 375 px,
 * screenshots at 375 and 1280 px.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '@kehou/local';
import type { Browser, Page } from 'playwright-core';
import { accessible, ARTIFACTS, DESKTOP, eventually, launchBrowser, PHONE, screenshots } from './support/browser';
import { daysFromToday, form, ok } from './support/families';
import { nav, signIn, webPages } from './support/web-page';
import { makeWebWorld, type WebWorld } from './support/web-world';

let world: WebWorld;
let browser: Browser;
const { errors, newPage, provoked } = webPages(() => browser, new Date());

const CHILD = { studentNo: '2026100001', name: '张小明' };
/** opted out for the whole term, staying for homework help; and without it */
const HOMEWORK = { studentNo: '2026100002', name: '李小红', parent: 'web-parent-li' };
const HOME = { studentNo: '2026100003', name: '王小刚', parent: 'web-parent-wang' };

beforeAll(async () => {
  [world, browser] = await Promise.all([makeWebWorld(), launchBrowser()]);
  for (const [i, c] of [HOMEWORK, HOME].entries()) {
    ok(
      await world.admin('POST', at('/students'), { studentNo: c.studentNo, name: c.name, gradeLevel: 1, homeroom: '2' }),
      c.name,
    );
    ok(
      await world.admin('POST', at('/guardians'), {
        name: `${c.name}家长`,
        phone: `1390000000${i}`,
        relation: 'father',
        children: [c.studentNo],
        userId: c.parent,
      }),
      `${c.name}'s guardian`,
    );
  }
});
afterAll(async () => {
  await browser?.close();
  await world?.app.close();
});

const at = (path: string) => `/schools/${world.schoolId}${path}`;
const base = () => at(`/terms/${world.termId}`);
const today = () => daysFromToday(0);
/** The id of a child's (first) guardian. */
const guardianOf = async (c: { studentNo: string }) =>
  ok(await world.admin('GET', at(`/students/${c.studentNo}`)), 'child').guardianIds[0] as string;
const parentOf = (c: typeof HOME) => world.app.as('parent', { user: c.parent, schools: [world.schoolId] });

/** The admin's figure for Wednesday, as the chart of weekdays shows it ("66.67 %"), once the page has it. */
async function wednesdayIs(page: Page, figure: string) {
  const row = page.getByRole('figure', { name: '各工作日学生参与率' }).getByRole('listitem').filter({ hasText: '周三' });
  await eventually(`Wednesday's figure ${figure}`, async () => (await row.locator('strong').textContent()) === figure);
}

describe("the families' pages", () => {
  let admin: Page;

  it('the admin publishes the term’s notice, and sees who has not read it, per class', async () => {
    admin = await newPage(DESKTOP);
    await signIn(admin, world.app.url, DEMO_USERS.admin, '/setup/school');
    await nav(admin, '课后服务申请');
    await admin.getByText('还没有发布').waitFor();
    await provoked(404, `${world.app.url}${base()}/notice`);
    await admin.getByLabel('标题（中文）').fill('2026 秋季学期课后服务告家长书');
    await admin
      .getByLabel('正文（中文）')
      .fill('各位家长：\n本学期课后服务每周五天。不参加的学生请家长提出申请，家长和学生双签字。');
    await admin.getByLabel('标题（英文）').fill('After-school service, autumn term 2026');
    await admin.getByLabel('正文（英文）').fill('Dear parents,\nthe service runs five days a week.');
    await admin.getByRole('button', { name: '发布' }).click();
    await admin.getByRole('status').filter({ hasText: '已保存。' }).waitFor();
    await admin.getByText('已发布，第 1 版').waitFor();
    await accessible(admin, 'the notice, published');
    await screenshots(admin, 'admin-notice');

    await admin.getByRole('link', { name: '回复进度' }).click();
    await admin.getByRole('cell', { name: '3' }).waitFor();
    await admin.getByText('一年级 2班：3 人未阅读，3 人未回复').click();
    await admin.getByText(`${CHILD.name}（${CHILD.studentNo}）`).first().waitFor();
    await accessible(admin, 'the answers per class');
    await screenshots(admin, 'admin-notice-progress');

    await nav(admin, '参与率');
    await admin.getByRole('figure', { name: '各年级学生参与率（本学期）' }).waitFor();
    await wednesdayIs(admin, '100.00 %');
    // the other two children's guardians opt them out (every day) through the API
    for (const [c, homeworkHelp] of [
      [HOMEWORK, true],
      [HOME, false],
    ] as const)
      ok(
        await (
          await parentOf(c)
        )('POST', `${base()}/optouts`, {
          ...form({ wholeTerm: true, days: [], homeworkHelp }),
          studentNo: c.studentNo,
        }),
        c.name,
      );
    await admin.reload();
    await wednesdayIs(admin, '66.67 %');
  });

  let invitation: string;

  it('the admin invites a class’s guardians: a slip each with the link and its QR code, printed', async () => {
    await nav(admin, '家长邀请');
    await admin.getByLabel('年级', { exact: true }).selectOption({ label: '一年级' });
    await admin.getByLabel('班级', { exact: true }).fill('2');
    await admin.getByRole('button', { name: '查看', exact: true }).click();
    const slip = admin.getByRole('listitem').filter({ has: admin.getByRole('heading', { name: /^张建华/ }) });
    await slip.getByText(`${CHILD.name}（${CHILD.studentNo}）`).waitFor();
    // the class's guardians all have accounts: inviting the class makes none; one is invited by name
    await admin.getByRole('button', { name: '邀请本班尚未邀请的家长' }).click();
    await admin.getByRole('status').filter({ hasText: '已生成 0 份邀请；3 位家长' }).waitFor();
    await slip.getByRole('button', { name: '生成邀请' }).click();
    await slip.getByRole('img', { name: '张建华的登录二维码' }).waitFor();
    invitation = new URL((await slip.getByRole('link').getAttribute('href'))!).pathname;
    expect(invitation).toMatch(/^\/invite\/[A-Za-z0-9_-]{43}$/);
    await accessible(admin, 'the invitations of a class');
    await screenshots(admin, 'admin-invitations');
    await admin.evaluate('window.print = () => { window.printed = (window.printed ?? 0) + 1 }');
    await admin.getByRole('button', { name: '打印' }).click();
    expect(await admin.evaluate<number>('window.printed')).toBe(1);
    await admin.emulateMedia({ media: 'print' });
    expect(await admin.locator('header.top').isVisible()).toBe(false);
    expect(await slip.getByRole('button', { name: '重新邀请（旧链接失效）' }).isVisible()).toBe(false);
    expect(await slip.getByRole('img', { name: '张建华的登录二维码' }).isVisible()).toBe(true);
    await admin.screenshot({ path: join(ARTIFACTS, 'admin-invitations-print.png'), fullPage: true });
    await admin.emulateMedia({ media: 'screen' });
  });

  it('a guardian opens the invitation on a 375 px phone, opts their child out for Wednesdays and Fridays with both signatures, then withdraws', async () => {
    const phone = await newPage();
    await phone.goto(`${world.app.url}${invitation}`);
    await phone.getByRole('heading', { name: '家长登录', level: 1 }).waitFor();
    await phone.getByText('旌阳区实验小学邀请家长').waitFor();
    await accessible(phone, 'an invitation');
    await screenshots(phone, 'guardian-invitation');
    const digits = phone.getByLabel('手机号后四位');
    await digits.fill('1234');
    await phone.getByRole('button', { name: '登录', exact: true }).click();
    await phone.getByRole('alert').filter({ hasText: 'That code is not right' }).waitFor();
    await provoked(422, `${world.app.url}/invitations${invitation.slice('/invite'.length)}/redeem`);
    expect(await digits.inputValue()).toBe('1234');
    await digits.fill('0001');
    await phone.getByRole('button', { name: '登录', exact: true }).click();
    await phone.waitForURL('**/family');
    const card = phone.getByRole('listitem').filter({ has: phone.getByRole('heading', { name: CHILD.name, level: 2 }) });
    await card.getByText('请在').waitFor();
    await accessible(phone, "a parent's children with the notice");
    await screenshots(phone, 'parent-notice-list');
    await card.getByRole('link', { name: '阅读告家长书' }).click();
    await phone.getByRole('heading', { name: '2026 秋季学期课后服务告家长书', level: 2 }).waitFor();
    await phone.getByText(`${CHILD.name}参加课后服务（默认）。`).waitFor();
    await phone.getByRole('heading', { name: /^张小明的一周/ }).waitFor();
    await accessible(phone, "a child's notice and week");
    await screenshots(phone, 'parent-child');

    await phone.getByRole('button', { name: '申请不参加' }).click();
    await phone.getByRole('button', { name: '周三' }).click();
    await phone.getByRole('button', { name: '周五' }).click();
    await phone.getByLabel('说明', { exact: true }).fill('奶奶周三、周五接');
    await phone.getByLabel('家长签名').fill('张建华');
    // without the child's signature: the server's message beside it, everything typed kept
    await phone.getByRole('button', { name: '签名并提交' }).click();
    const childError = phone.locator('.child-signature .field-error');
    await childError.waitFor();
    expect(await childError.textContent()).toContain('张小明');
    await provoked(400, `${world.app.url}${base()}/optouts`);
    expect(await phone.getByRole('button', { name: '周三' }).getAttribute('aria-pressed')).toBe('true');
    expect(await phone.getByLabel('家长签名').inputValue()).toBe('张建华');
    await accessible(phone, 'the opt-out form with a field error');
    await screenshots(phone, 'parent-optout-error');

    // the child signs on the pad with the mouse
    const pad = await phone.getByRole('img', { name: '张小明的手写签名板' }).boundingBox();
    await phone.mouse.move(pad!.x + 20, pad!.y + 60);
    await phone.mouse.down();
    const stroke: Array<[number, number]> = [
      [60, 30],
      [100, 90],
      [140, 40],
      [180, 80],
    ];
    for (const [x, y] of stroke) await phone.mouse.move(pad!.x + x, pad!.y + y, { steps: 4 });
    await phone.mouse.up();
    // a double tap stores one form
    await phone.getByRole('button', { name: '签名并提交' }).dblclick();
    await phone.getByRole('status').filter({ hasText: '已提交，已签名。' }).waitFor();
    await phone.getByText('不参加：周三、周五（放学时离校）。').first().waitFor();
    await phone.getByRole('img', { name: '孩子的手写签名' }).first().waitFor();
    // the week marks the days out as the API counts them (whatever week this is)
    const week = ok(await world.admin('GET', at(`/students/${CHILD.studentNo}/week?date=${today()}`)), 'week');
    const out = week.days.filter((d: { optedOut: boolean }) => d.optedOut).length;
    await eventually(`${out} days out`, async () => (await phone.locator('.days .day.out').count()) === out);
    await phone.getByText('申请记录').click();
    await phone.getByText('张建华 提交了申请（第 1 版）').waitFor();
    await accessible(phone, 'the form sent, with its history');
    await screenshots(phone, 'parent-optout-sent');

    const stored = ok(await world.admin('GET', `${base()}/optouts/${CHILD.studentNo}`), 'the form');
    expect(stored).toMatchObject({ version: 1, status: 'opted-out', optOut: { days: ['WED', 'FRI'], homeworkHelp: false } });
    expect(stored.optOut.guardianSignature).toMatchObject({ name: '张建华', userId: DEMO_USERS.parent });
    expect(stored.optOut.childSignature.kind).toBe('drawn');
    expect(stored.optOut.childSignature.image).toMatch(/^M\d+ \d+ L/);

    await nav(admin, '参与率');
    await wednesdayIs(admin, '33.33 %');

    await phone.getByRole('button', { name: '撤回申请（恢复参加）' }).click();
    const dialog = phone.getByRole('dialog', { name: '撤回张小明的申请？' });
    await dialog.waitFor();
    await accessible(phone, 'the withdrawal question');
    await dialog.getByRole('button', { name: '撤回申请', exact: true }).click();
    await phone.getByRole('status').filter({ hasText: '已撤回申请：张小明恢复参加课后服务。' }).waitFor();
    await phone.getByText('申请已撤回：张小明参加课后服务。').waitFor();
    await phone.getByText('张建华 撤回了申请（第 2 版）').waitFor();
    await screenshots(phone, 'parent-optout-withdrawn');

    // signed out, the session ends on the server too; the invitation signs in once
    await phone.getByRole('button', { name: '退出登录' }).click();
    await phone.getByRole('heading', { name: '登录', level: 1 }).waitFor();
    expect(await phone.evaluate<number>('sessionStorage.length')).toBe(0);
    await phone.goto(`${world.app.url}${invitation}`);
    await phone.getByRole('alert').filter({ hasText: '这个邀请已经用过了' }).waitFor();

    await admin.reload();
    await wednesdayIs(admin, '66.67 %');
    await accessible(admin, 'participation');
    await screenshots(admin, 'admin-participation');
  });

  it('the admin finds the forms of Wednesday, reads a form’s versions, and declines a late request', async () => {
    await nav(admin, '课后服务申请');
    await admin.getByRole('link', { name: '不参加申请' }).click();
    await admin.getByLabel('不参加的日子').selectOption({ label: '周三' });
    await admin.getByRole('button', { name: '筛选' }).click();
    await admin.getByRole('rowheader', { name: `${HOME.name}（${HOME.studentNo}）` }).waitFor();
    expect(await admin.getByRole('rowheader').allTextContents()).toEqual([
      `${HOMEWORK.name}（${HOMEWORK.studentNo}）`,
      `${HOME.name}（${HOME.studentNo}）`,
    ]);
    await accessible(admin, 'the forms of Wednesday');
    await screenshots(admin, 'admin-forms');
    await admin.getByRole('combobox', { name: '不参加的日子' }).selectOption({ label: '全部' });
    await admin.getByRole('button', { name: '筛选' }).click();
    await admin.getByRole('link', { name: `${CHILD.name}（${CHILD.studentNo}）` }).click();
    await admin.getByText('张建华 撤回了申请（第 2 版）').waitFor();
    await admin.getByText('张建华 提交了申请（第 1 版）').waitFor();
    await accessible(admin, "a form's versions");

    // the notice closes yesterday: 王小刚's guardian asks to withdraw, late; the admin declines
    const notice = ok(await world.admin('GET', `${base()}/notice`), 'notice');
    const { id: _i, schoolId: _s, termId: _t, createdAt: _c, updatedAt: _u, updatedBy: _b, ...fields } = notice;
    const yesterday = daysFromToday(-1);
    ok(await world.admin('PUT', `${base()}/notice`, { ...fields, opensOn: yesterday, closesOn: yesterday }), 'closed');
    const wang = await parentOf(HOME);
    const f = ok(await wang('GET', `${base()}/optouts/${HOME.studentNo}`), 'form');
    ok(
      await wang('POST', `${base()}/optouts/${HOME.studentNo}/withdraw`, { version: f.version, asRequest: true, note: '想参加' }),
      'request',
    );
    await admin.getByRole('link', { name: '逾期请求' }).click();
    const request = admin.getByRole('listitem').filter({ hasText: HOME.name });
    await request.getByText('请求：撤回申请').waitFor();
    await request.getByRole('button', { name: '不批准' }).click();
    await request.locator('.field-error').waitFor();
    await provoked(400, `${world.app.url}${base()}/optouts/${HOME.studentNo}/decision`);
    await accessible(admin, 'a late request, declined without a reason');
    await request.getByLabel('原因').fill('本学期名额已满');
    await request.getByRole('button', { name: '不批准' }).click();
    await admin
      .getByRole('status')
      .filter({ hasText: `已拒绝 ${HOME.name}（${HOME.studentNo}） 的请求。` })
      .waitFor();
    await admin.getByText('没有等待审批的请求。').waitFor();
    await screenshots(admin, 'admin-requests');
    expect(ok(await wang('GET', `${base()}/optouts/${HOME.studentNo}`), 'declined').request).toMatchObject({
      state: 'declined',
      decisionReason: '本学期名额已满',
    });
  });

  it("the gate teacher prints today's dismissal list and downloads it as CSV", async () => {
    const gate = await newPage();
    await signIn(gate, world.app.url, DEMO_USERS.teacher, '/sessions');
    await nav(gate, '放学名单');
    await gate.getByLabel('年级', { exact: true }).selectOption({ label: '一年级' });
    await gate.getByLabel('班级', { exact: true }).fill('2');
    await gate.getByRole('button', { name: '查看名单' }).click();
    const sheet = gate.locator('.dismissal-sheet');
    await sheet.waitFor();
    expect(new URL(gate.url()).searchParams.get('date')).toBe(today());
    const list = ok(await world.admin('GET', at(`/dismissal?date=${today()}&grade=1&homeroom=2`)), 'the list');
    if (list.service) {
      for (const [group, children] of [
        ['atDismissal', list.atDismissal],
        ['afterHomework', list.afterHomework],
        ['toEnd', list.toEnd],
      ])
        expect(await sheet.locator(`.${group} li`).allTextContents()).toEqual(
          children.map((c: { name: string; studentNo: string }) => `${c.name} ${c.studentNo}`),
        );
    }
    await accessible(gate, "today's dismissal list");
    await screenshots(gate, 'teacher-dismissal');

    await gate.evaluate('window.print = () => { window.printed = (window.printed ?? 0) + 1 }');
    await gate.getByRole('button', { name: '打印' }).click();
    expect(await gate.evaluate<number>('window.printed')).toBe(1);
    await gate.emulateMedia({ media: 'print' });
    expect(await gate.locator('header.top').isVisible()).toBe(false);
    expect(await gate.getByRole('navigation', { name: '主导航' }).isVisible()).toBe(false);
    expect(await gate.getByRole('button', { name: '打印' }).isVisible()).toBe(false);
    expect(await gate.locator('form.filters').isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    await gate.screenshot({ path: join(ARTIFACTS, 'teacher-dismissal-print.png'), fullPage: true });
    await gate.emulateMedia({ media: 'screen' });

    // a Wednesday of the term, by date: every child on exactly one list
    await gate.getByLabel('日期', { exact: true }).fill('2026-12-09');
    await gate.getByRole('button', { name: '查看名单' }).click();
    await gate.getByRole('heading', { name: /2026年12月9日 周三/ }).waitFor();
    expect(await sheet.locator('.atDismissal li').allTextContents()).toEqual([`${HOME.name} ${HOME.studentNo}`]);
    expect(await sheet.locator('.afterHomework li').allTextContents()).toEqual([`${HOMEWORK.name} ${HOMEWORK.studentNo}`]);
    expect(await sheet.locator('.toEnd li').allTextContents()).toEqual([`${CHILD.name} ${CHILD.studentNo}`]);
    const [download] = await Promise.all([
      gate.waitForEvent('download'),
      gate.getByRole('button', { name: '下载 CSV（Excel）' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(`${HOME.studentNo},${HOME.name},放学离校 at dismissal,14:30`);
    expect(csv).toContain(`${CHILD.studentNo},${CHILD.name},课后服务结束 end of service,18:00`);
  });

  it("the bureau sees its schools' participation", async () => {
    const bureau = await newPage();
    await signIn(bureau, world.app.url, DEMO_USERS.bureau, '/district');
    await nav(bureau, '辖区参与率');
    const schools = bureau.getByRole('figure', { name: '各学校学生参与率（本学期）' });
    await schools.getByRole('listitem').first().waitFor();
    await accessible(bureau, "the district's participation");
    await screenshots(bureau, 'district-participation');
  });

  it("keeps a guardian signed in past their access token's 15 minutes: renewed with the refresh token", async () => {
    const made = ok(
      await world.admin('POST', at('/invitations'), { scope: 'guardian', guardianId: await guardianOf(CHILD) }),
      'invited',
    );
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
    const phone = await context.newPage();
    await phone.clock.install();
    await phone.goto(`${world.app.url}${made.items[0].path}`);
    await phone.getByLabel('手机号后四位').fill('0001');
    await phone.getByRole('button', { name: '登录', exact: true }).click();
    await phone.waitForURL('**/family');
    const first = await phone.evaluate<string>("sessionStorage.getItem('kehou.token')");
    const renewed = phone.waitForResponse((r) => r.url().endsWith('/tokens/refresh') && r.status() === 200);
    await phone.clock.fastForward('14:01'); // the token ends at 15:00; it is renewed a minute before
    await renewed;
    await eventually(
      'a new access token',
      async () => (await phone.evaluate<string>("sessionStorage.getItem('kehou.token')")) !== first,
    );
    await phone.reload();
    await phone.getByRole('heading', { name: CHILD.name, level: 2 }).waitFor();
    await context.close();
  });

  it('logged no error but those provoked', () => {
    expect(errors).toEqual([]);
  });
});

/**
 * Bulk set-up through HTTP, on DynamoDB Local: rooms, staff and clubs with their tiers from
 * CSV files as schools have them (GBK from Chinese Excel, UTF-8 with or without a BOM) and
 * from JSON rows; every problem at its row, nothing written; the same file twice writes
 * nothing; templates that import as they are once filled in.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Conflict,
  MAX_SETUP_IMPORT_ROWS,
  planRooms,
  setupRowsFromCsv,
  type Club,
  type ImportJob,
  type Room,
  type Staff,
  type Student,
} from '@kehou/domain';
import { awaitJob, demoGrades, type Call } from '@kehou/local';
import { makeDb } from '@kehou/store';
import { startTestApp, type TestApp } from './support/app';
import { freshTable, TEST_CURSOR_KEY } from './support/db';
import { gbk } from './support/gbk';

let app: TestApp;
let admin: Call;
let token: string;
let schoolId: string;
let termId: string;
const at = (path: string) => `/schools/${schoolId}${path}`;

/** A file posted as its bytes, as a browser or curl sends it (to this test's school, or to another's path). */
async function upload(path: string, bytes: Buffer | string, contentType = 'text/csv', as = token) {
  const res = await fetch(app.url + (path.startsWith('/schools/') ? path : at(path)), {
    method: 'POST',
    headers: { authorization: `Bearer ${as}`, 'content-type': contentType },
    body: bytes,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

/** Every item of the table, in order: to tell that a request wrote nothing. */
async function snapshot(): Promise<string> {
  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.map((i) => JSON.stringify(i, (_k, v) => (v instanceof Set ? [...v].sort() : v))).sort());
}

const list = async <T>(path: string): Promise<T[]> =>
  (await admin('GET', at(`${path}${path.includes('?') ? '&' : '?'}limit=500`))).body.items;

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd-1' });
  schoolId = (await bureau('POST', '/schools', { name: '旌阳区实验小学', districtId: 'd-1' })).body.id;
  token = await app.token({ role: 'admin', userId: 'admin-1', schools: [schoolId] });
  admin = await app.as('admin', { user: 'admin-1', schools: [schoolId] });
  for (const g of demoGrades()) expect((await admin('POST', at('/grades'), g)).status).toBe(201);
  termId = (await admin('POST', at('/terms'), { name: '2026 秋季学期', startDate: '2026-09-01', endDate: '2027-01-22' })).body.id;
}, 60_000);
afterAll(async () => app?.close());

const ROOMS =
  '名称,容量,设施,楼栋\r\n舞蹈室 1,40,dance; piano,艺术楼\r\n音乐教室,45,music、piano,艺术楼\r\n操场,200,outdoor,\r\n';

describe('rooms', () => {
  it('reads a GBK file as Chinese Excel saves it, and the same rooms in UTF-8 (with or without a BOM) change nothing', async () => {
    expect(gbk('学号').toString('hex')).toBe('d1a7bac5'); // the encoding the test sends is GBK indeed
    const res = await upload('/rooms/import', gbk(ROOMS));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 3, created: 3, updated: 0, unchanged: 0 });
    expect(res.body.records.map((r: { name: string; rows: number[] }) => [r.name, r.rows])).toEqual([
      ['舞蹈室 1', [0]],
      ['音乐教室', [1]],
      ['操场', [2]],
    ]);
    const rooms = await list<Room>('/rooms');
    expect(rooms.find((r) => r.name === '舞蹈室 1')).toMatchObject({
      capacity: 40,
      features: ['dance', 'piano'],
      building: '艺术楼',
    });
    expect(rooms.find((r) => r.name === '操场')!.building).toBeUndefined();

    const before = await snapshot();
    for (const [bytes, type] of [
      [Buffer.from(`\uFEFF${ROOMS}`), 'text/csv'],
      [Buffer.from(ROOMS), 'text/csv; charset=utf-8'],
      [gbk(ROOMS), 'text/csv; charset=GB18030'],
    ] as const) {
      const again = await upload('/rooms/import', bytes, type);
      expect(again.status, type).toBe(200);
      expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    }
    expect(await snapshot()).toBe(before);
  });

  it('updates a room by its name and leaves the fields of columns the file does not have', async () => {
    const res = await upload('/rooms/import', '名称,容量\n音乐教室,50\n');
    expect(res.body).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    const room = (await list<Room>('/rooms')).find((r) => r.name === '音乐教室')!;
    expect(room).toMatchObject({ capacity: 50, features: ['music', 'piano'], building: '艺术楼', version: 2 });
    const history = (await admin('GET', at(`/history/room/${room.id}`))).body.items;
    expect(history.map((h: { version: number }) => h.version)).toEqual([1, 2]);
  });

  it('refuses a file naming a room twice, or one that is not text, at the row, writing nothing', async () => {
    const before = await snapshot();
    const twice = await upload('/rooms/import', 'name,capacity\nLab,30\nArt,20\n lab ,25\n');
    expect(twice.status).toBe(400);
    expect(twice.body.errors).toEqual([{ path: ['rows', 2, 'name'], message: 'row 4, name: room "lab" is also in row 2' }]);
    const garbage = await upload('/rooms/import', Buffer.from([0x41, 0xff, 0xfe, 0xff, 0x2c, 0x0a]));
    expect(garbage.status).toBe(400);
    expect(garbage.body.errors[0].message).toMatch(/neither UTF-8 nor GB18030/);
    const unknown = await upload('/rooms/import', '名称,容量,颜色\n实验室,30,红\n');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([
      { path: ['csv', 'header', 2], message: expect.stringMatching(/^unknown column "颜色"; the columns are 名称 \(name\)/) },
    ]);
    expect(await snapshot()).toBe(before);
  });

  it('writes 500 rooms at once (10 transactions), and nothing the second time', async () => {
    const csv = `name,capacity,building\n${Array.from({ length: 500 }, (_, i) => `Room ${i},${20 + (i % 30)},Block ${i % 5}`).join('\n')}\n`;
    const res = await upload('/rooms/import', csv);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body).toMatchObject({ rows: 500, created: 500 });
    const before = await snapshot();
    expect((await upload('/rooms/import', csv)).body).toMatchObject({ created: 0, updated: 0, unchanged: 500 });
    expect(await snapshot()).toBe(before);
    expect(MAX_SETUP_IMPORT_ROWS).toBeGreaterThanOrEqual(500);
  });
});

const STAFF =
  '姓名,类型,技能,每周最多分钟,资格到期,无犯罪记录到期,承诺日期,手机,周一,周二,周三,周四,周五\n' +
  '王芳,教师,street-dance; choir,300,2029/8/31,2027-12-31,2026-09-01,138 0013 8000,15:30-18:00,15:30-18:00,14:30-18:00,15:30-18:00,15:30-18:00\n' +
  '李阿姨,志愿者,storytelling,120,,2027-06-30,2026-09-01,13900139000,16:00-17:30,,16:00-17:30,,\n' +
  '陈教练,外聘,street-dance,180,2028-01-31,2027-03-31,,13700137000,,16:00-18:00,,16:00-18:00,\n';

describe('staff', () => {
  it('refuses a file with a bad row, naming each problem at its row and column, and writes nothing', async () => {
    const before = await snapshot();
    const bad = STAFF.replace('16:00-17:30,,16:00-17:30', '16:00-17:30,,16:00到')
      .replace('2027-06-30', '2027-13-45')
      .replace('外聘', '教练');
    const res = await upload('/staff/import', gbk(bad));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/nothing was imported/);
    expect(res.body.errors).toEqual([
      {
        path: ['rows', 1, 'availability', 'WED'],
        message: expect.stringMatching(/^row 3, 周三: "16:00到" is not a time window/),
      },
    ]);
    // once every cell reads, the schema's problems, each at its row
    const res2 = await upload('/staff/import', gbk(STAFF.replace('2027-06-30', '2027-13-45').replace('外聘', '教练')));
    expect(res2.status).toBe(400);
    expect(res2.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([
      ['rows', 1, 'backgroundCheckExpiresOn'],
      ['rows', 2, 'kind'],
    ]);
    expect(res2.body.errors[0].message).toMatch(/^row 3, 无犯罪记录到期: /);
    expect(await snapshot()).toBe(before);
  });

  it('imports staff with their week, by name and phone; the same file again changes nothing', async () => {
    const res = await upload('/staff/import', gbk(STAFF));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 3 });
    const wang = (await list<Staff>('/staff')).find((s) => s.name === '王芳')!;
    expect(wang).toMatchObject({
      kind: 'teacher',
      skills: ['street-dance', 'choir'],
      maxMinutesPerWeek: 300,
      qualificationExpiresOn: '2029-08-31',
      phone: '13800138000',
      availability: { MON: [{ start: '15:30', end: '18:00' }], WED: [{ start: '14:30', end: '18:00' }] },
    });
    const before = await snapshot();
    expect((await upload('/staff/import', Buffer.from(STAFF))).body).toMatchObject({ unchanged: 3 });
    expect(await snapshot()).toBe(before);
    // a row without the phone finds the one 王芳, and keeps her phone
    const again = await upload('/staff/import', 'name,kind,maxMinutesPerWeek\n王芳,teacher,360\n');
    expect(again.body).toMatchObject({ updated: 1, created: 0 });
    expect((await admin('GET', at(`/staff/${wang.id}`))).body).toMatchObject({ maxMinutesPerWeek: 360, phone: '13800138000' });
  });
});

const CLUBS =
  '社团,英文名,类别,简介,英文简介,技能,教室设施,班级,层级,年级,容量,每周次数,每次分钟,固定老师,优先老师,先修层级,老师批准可免先修\n' +
  '街舞,Street dance,舞蹈,从基本律动学起,Grooves from the basics,street-dance,dance,基础班,基础,3-4,25,2,60,,王芳,,\n' +
  '街舞,,,,,,,提升班,提升,4;5,20,1,90,陈教练,,基础,否\n' +
  '故事会,Storytelling,语言,听故事讲故事,Stories,storytelling,,故事班,basic,1-2,30,1,45,李阿姨,,,\n';

describe('clubs', () => {
  it('imports clubs with their tiers and a prerequisite, staff named by name; the same file again changes nothing', async () => {
    const res = await upload(`/terms/${termId}/clubs/import`, gbk(CLUBS));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 3, created: 2 });
    expect(res.body.records.map((r: { name: string; rows: number[] }) => [r.name, r.rows])).toEqual([
      ['街舞', [0, 1]],
      ['故事会', [2]],
    ]);
    const staff = await list<Staff>('/staff');
    const id = (name: string) => staff.find((s) => s.name === name)!.id;
    const dance = (await list<Club>(`/clubs?termId=${termId}`)).find((c) => c.name === '街舞')!;
    expect(dance).toMatchObject({ nameEn: 'Street dance', category: 'dance', skill: 'street-dance', roomFeatures: ['dance'] });
    expect(dance.classes).toMatchObject([
      { name: '基础班', tier: 'basic', grades: [3, 4], preferredStaffId: id('王芳'), fixedStaffId: null, prerequisite: null },
      {
        name: '提升班',
        tier: 'advanced',
        grades: [4, 5],
        minutesPerSession: 90,
        fixedStaffId: id('陈教练'),
        prerequisite: { tier: 'basic', orTeacherApproval: false },
      },
    ]);
    const before = await snapshot();
    expect((await upload(`/terms/${termId}/clubs/import`, CLUBS)).body).toMatchObject({ unchanged: 2 });
    expect(await snapshot()).toBe(before);

    // a changed class keeps its id
    const changed = await upload(`/terms/${termId}/clubs/import`, CLUBS.replace('基础,3-4,25', '基础,3-4,28'));
    expect(changed.body).toMatchObject({ updated: 1, unchanged: 1 });
    const after = (await admin('GET', at(`/clubs/${dance.id}`))).body as Club;
    expect(after.classes.map((k) => k.id)).toEqual(dance.classes.map((k) => k.id));
    expect(after.classes[0]!.capacity).toBe(28);
  });

  it('refuses unknown staff, a staff member without the skill, a missing tier and a class named twice, each at its row', async () => {
    const before = await snapshot();
    const bad =
      CLUBS.replace(',王芳,,', ',赵老师,,') // nobody of that name
        .replace('1-2,30,1,45,李阿姨', '1-2,30,1,45,王芳') // 王芳 cannot tell stories
        .replace('提升班,提升,4;5,20,1,90,陈教练,,基础', '提升班,提升,4;5,20,1,90,陈教练,,expert') +
      '街舞,,,,,,,提升班,advanced,5,20,1,60,,,,\n';
    const res = await upload(`/terms/${termId}/clubs/import`, bad);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        path: ['rows', 0, 'preferredStaff'],
        message: 'row 2, 优先老师: the school has no staff member named 赵老师 (import the staff first)',
      },
      { path: ['rows', 1, 'prerequisiteTier'], message: 'row 3, 先修层级: the club has no expert tier' },
      { path: ['rows', 2, 'fixedStaff'], message: 'row 4, 固定老师: 王芳 does not have the skill storytelling' },
      { path: ['rows', 3, 'class'], message: 'row 5, 班级: class 提升班 is also in row 3' },
    ]);
    expect(await snapshot()).toBe(before);
    expect((await upload('/terms/nope/clubs/import', CLUBS)).status).toBe(404);
  });
});

describe('templates', () => {
  it.each(['rooms', 'staff', 'clubs'] as const)('serves the %s template, which imports once filled in', async (kind) => {
    const res = await fetch(`${app.url}${at(`/import-templates/${kind}.csv`)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${kind}.csv"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf'); // the BOM Excel needs
    const template = bytes.toString('utf8');
    // filled in as a school would: the example kept, a row of its own added (saved by Excel as GBK)
    const own: Record<typeof kind, string> = {
      rooms: '书法室,30,,',
      staff: ',周老师,教师,chess,,,,,13600136000,16:00-18:00,,,,',
      clubs: '合唱,Choir,音乐,合唱,Choir,choir,,合唱班,basic,2-3,20,1,60,王芳,,,',
    };
    const filled = `${template.replace(/^\uFEFF/, '')}${own[kind]}\r\n`;
    const path = kind === 'clubs' ? `/terms/${termId}/clubs/import` : `/${kind}/import`;
    const imported = await upload(path, gbk(filled));
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.rows).toBe(filled.trim().split('\r\n').length - 1);
  });

  it('serves the students template in English too, which the student import takes', async () => {
    const res = await admin('GET', at('/import-templates/students.csv?lang=en'));
    expect(res.status).toBe(200);
    expect(res.body.split('\r\n')[0]).toBe('studentNo,name,grade,homeroom,guardian1Name,guardian1Phone,guardian1Relation');
    const imported = await upload('/students/import', res.body);
    expect(imported.status).toBe(202);
    expect(await awaitJob<ImportJob>(admin, imported.headers.get('location')!)).toMatchObject({
      state: 'finished',
      studentsWritten: 1,
    });
  });

  it('refuses a kind that has no template', async () => {
    expect((await admin('GET', at('/import-templates/grades.csv'))).status).toBe(400);
  });
});

// ---------------------------------------------------------------- a whole school's set-up
const SKILLS = ['street-dance', 'choir', 'chess', 'calligraphy', 'football', 'robotics', 'painting', 'storytelling', 'go'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '芳伟娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

/** A school's rooms, staff and clubs as its admin keeps them in Excel (Chinese headers), as CSV text. */
function schoolFiles(rooms: number, staff: number, clubs: number) {
  const roomCsv =
    '名称,容量,设施,楼栋\r\n' +
    Array.from({ length: rooms }, (_, i) =>
      i < 10
        ? `专用教室 ${i + 1},30,${i % 2 ? 'dance' : 'music; piano'},艺术楼`
        : `${Math.floor(i / 10)}年级 ${i % 10} 班教室,45,,教学楼`,
    ).join('\r\n') +
    '\r\n';
  const person = (i: number) => `${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${i >= 400 ? i : ''}`;
  const staffCsv =
    '姓名,类型,技能,每周最多分钟,无犯罪记录到期,手机,周一,周二,周三,周四,周五\r\n' +
    Array.from({ length: staff }, (_, i) => {
      const kind = i % 10 === 9 ? '志愿者' : i % 10 === 8 ? '外聘' : '教师';
      const skills = `${SKILLS[i % SKILLS.length]}; ${SKILLS[(i + 4) % SKILLS.length]}`;
      const day = i % 3 ? '15:30-18:00' : '16:00-18:00';
      return `${person(i)},${kind},${skills},${180 + (i % 4) * 60},2027-12-31,139${String(i).padStart(8, '0')},${day},${day},14:30-18:00,${day},${day}`;
    }).join('\r\n') +
    '\r\n';
  const clubCsv =
    '社团,英文名,类别,简介,英文简介,技能,教室设施,班级,层级,年级,容量,每周次数,每次分钟,优先老师,先修层级\r\n' +
    Array.from({ length: clubs }, (_, c) => {
      const skill = SKILLS[c % SKILLS.length]!;
      const teacher = person(c % SKILLS.length); // staff i has skill i % 9
      const name = `社团${c + 1}`;
      return (
        `${name},Club ${c + 1},其他,${name}的简介,About club ${c + 1},${skill},,基础班,基础,${(c % 3) + 1}-${(c % 3) + 2},25,1,60,${teacher},\r\n` +
        `${name},,,,,,,提升班,提升,${(c % 3) + 3}-${(c % 3) + 4},20,1,90,,基础`
      );
    }).join('\r\n') +
    '\r\n';
  return { roomCsv, staffCsv, clubCsv };
}

describe('a whole school: 60 rooms, 120 staff, 45 clubs with their tiers', () => {
  it('imports in three requests what took 241 by hand, from GBK files; the same files again write nothing', async () => {
    const bureau = await app.as('district', { district: 'd-1' });
    const school = (await bureau('POST', '/schools', { name: '旌阳区第二小学', districtId: 'd-1' })).body.id as string;
    const as = await app.token({ role: 'admin', userId: 'admin-2', schools: [school] });
    const other = await app.as('admin', { user: 'admin-2', schools: [school] });
    for (const g of demoGrades()) expect((await other('POST', `/schools/${school}/grades`, g)).status).toBe(201);
    const term = (
      await other('POST', `/schools/${school}/terms`, { name: '2026 秋季学期', startDate: '2026-09-01', endDate: '2027-01-22' })
    ).body.id as string;
    const { roomCsv, staffCsv, clubCsv } = schoolFiles(60, 120, 45);
    const paths = [
      `/schools/${school}/rooms/import`,
      `/schools/${school}/staff/import`,
      `/schools/${school}/terms/${term}/clubs/import`,
    ];

    // the clubs first: they name staff the school does not have yet; nothing is written
    const before = await snapshot();
    const early = await upload(paths[2]!, gbk(clubCsv), 'application/octet-stream', as);
    expect(early.status).toBe(400);
    expect(early.body.errors).toHaveLength(45); // each club's first class names its teacher
    expect(early.body.errors[0]).toEqual({
      path: ['rows', 0, 'preferredStaff'],
      message: `row 2, 优先老师: the school has no staff member named 王芳 (import the staff first)`,
    });
    expect(await snapshot()).toBe(before);

    const answers = [];
    for (const [i, csv] of [roomCsv, staffCsv, clubCsv].entries())
      answers.push(await upload(paths[i]!, gbk(csv), 'application/octet-stream', as));
    expect(answers.map((a) => [a.status, a.body.rows, a.body.created])).toEqual([
      [200, 60, 60],
      [200, 120, 120],
      [200, 90, 45],
    ]);
    const all = async <T>(path: string) =>
      (await other('GET', `/schools/${school}${path}${path.includes('?') ? '&' : '?'}limit=500`)).body.items as T[];
    expect((await all<Room>('/rooms')).length).toBe(60);
    const staff = await all<Staff>('/staff');
    expect(staff.length).toBe(120);
    const clubs = await all<Club>(`/clubs?termId=${term}`);
    expect(clubs.length).toBe(45);
    expect(clubs.flatMap((c) => c.classes).length).toBe(90);
    const first = clubs.find((c) => c.name === '社团1')!;
    expect(first.classes).toMatchObject([
      { name: '基础班', tier: 'basic', grades: [1, 2], preferredStaffId: staff.find((s) => s.name === '王芳')!.id },
      { name: '提升班', tier: 'advanced', grades: [3, 4], prerequisite: { tier: 'basic', orTeacherApproval: true } },
    ]);

    // again, as UTF-8 with a BOM this time: every record unchanged, not one item written
    const imported = await snapshot();
    for (const [i, csv] of [roomCsv, staffCsv, clubCsv].entries()) {
      const again = await upload(paths[i]!, Buffer.from(`\uFEFF${csv}`), 'text/csv', as);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ created: 0, updated: 0 });
    }
    expect(await snapshot()).toBe(imported);

    // one bad row among 120 staff: 400 naming it, nothing written
    const bad = staffCsv.replace(',240,2027-12-31,13900000077,', ',240,2027-12-31,12345,');
    expect(bad).not.toBe(staffCsv);
    const refused = await upload(paths[1]!, gbk(bad), 'application/octet-stream', as);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 400, detail: '1 problem(s) in 120 rows; nothing was imported' });
    expect(refused.body.errors).toEqual([{ path: ['rows', 77, 'phone'], message: expect.stringMatching(/^row 79, 手机: /) }]);
    expect(await snapshot()).toBe(imported);
  });
});

describe('races', () => {
  it('makes each staff member once when the same file is imported three times at once: never twice, never half', async () => {
    const bureau = await app.as('district', { district: 'd-1' });
    const school = (await bureau('POST', '/schools', { name: '旌阳区第三小学', districtId: 'd-1' })).body.id as string;
    const as = await app.token({ role: 'admin', userId: 'admin-3', schools: [school] });
    const other = await app.as('admin', { user: 'admin-3', schools: [school] });
    const count = async () => ((await other('GET', `/schools/${school}/staff?limit=500`)).body.items as Staff[]).length;
    const { staffCsv } = schoolFiles(0, 100, 0);
    const path = `/schools/${school}/staff/import`;
    const answers = await Promise.all([1, 2, 3].map(() => upload(path, staffCsv, 'text/csv', as)));
    // each either wrote the file whole or found it written, or lost a race (409) and undid what it wrote
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    for (const lost of answers.filter((a) => a.status === 409))
      expect(lost.body.errors[0].message).toMatch(
        /^row \d+: staff member .+ was created meanwhile, by another import of the same file$/,
      );
    const after = await count();
    expect([0, 100]).toContain(after);
    expect(after).toBe(answers.some((a) => a.status === 200) ? 100 : 0);
    const again = await upload(path, staffCsv, 'text/csv', as);
    expect(again.body).toMatchObject({ created: 100 - after, unchanged: after });
    expect(await count()).toBe(100);
  });
});

describe('access', () => {
  it("refuses a teacher (403) and another school's admin (404), writing nothing", async () => {
    const teacher = await app.token({ role: 'teacher', userId: 'teacher-1', schools: [schoolId] });
    const stranger = await app.token({ role: 'admin', userId: 'admin-9', schools: ['s-elsewhere'] });
    const before = await snapshot();
    for (const [path, csv] of [
      ['/rooms/import', '名称,容量\n教师室,10\n'],
      ['/staff/import', '姓名,类型\n某老师,教师\n'],
      [`/terms/${termId}/clubs/import`, CLUBS],
      ['/students/import', '学号,姓名,年级,班级\n1,某学生,3,1\n'],
    ] as const) {
      expect((await upload(path, csv, 'text/csv', teacher)).status, path).toBe(403);
      expect((await upload(path, csv, 'text/csv', stranger)).status, path).toBe(404);
    }
    for (const kind of ['rooms', 'staff', 'clubs', 'students']) {
      const get = (as: string) =>
        fetch(`${app.url}${at(`/import-templates/${kind}.csv`)}`, { headers: { authorization: `Bearer ${as}` } });
      expect((await get(teacher)).status).toBe(403);
      expect((await get(stranger)).status).toBe(404);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('students', () => {
  it('imports a GBK file of students and guardians, as Chinese Excel saves it, sent as text/csv or as its bytes', async () => {
    const csv =
      '学号,姓名,年级,班级,家长1姓名,家长1电话,家长1关系\r\n20260901,张小明,3,2,张伟,13800001111,father\r\n20260902,李小红,4,1,李娜,13800002222,mother\r\n';
    for (const type of ['text/csv', 'application/octet-stream']) {
      const res = await upload('/students/import', gbk(csv), type);
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const job = await awaitJob<ImportJob>(admin, res.headers.get('location')!);
      expect(job.state).toBe('finished');
    }
    const students = await list<Student>('/students');
    expect(students.map((s) => [s.id, s.name, s.gradeLevel, s.homeroom])).toEqual(
      expect.arrayContaining([
        ['20260901', '张小明', 3, '2'],
        ['20260902', '李小红', 4, '1'],
      ]),
    );
    const guardians = await list<{ name: string; relation: string }>('/guardians');
    expect(guardians.map((g) => [g.name, g.relation])).toEqual(
      expect.arrayContaining([
        ['张伟', 'father'],
        ['李娜', 'mother'],
      ]),
    );
  });
});

describe('writing an import (the store)', () => {
  const label = (i: number) => `row ${i + 2}`;
  const ctx = (now: Date) => {
    let n = 0;
    return { schoolId: 's-race', stamp: { by: 'u-1', now }, newId: () => `r-${now.getTime()}-${++n}` };
  };

  it('undoes what it wrote when a later transaction fails (a name taken meanwhile): 409 at the row, nothing left', async () => {
    const { store } = await freshTable();
    const kept = planRooms(setupRowsFromCsv('rooms', 'name,capacity\n旧教室,30\n'), [], ctx(new Date('2026-09-01T08:00:00Z')));
    await store.setupImports.rooms('s-race', kept.changes, label);
    const old = (await store.rooms.all('s-race'))[0]!;
    // 300 rooms (6 transactions) and the old one changed; room 250's name is taken after the plan was made
    const csv = `name,capacity\n旧教室,35\n${Array.from({ length: 300 }, (_, i) => `Room ${i},30`).join('\n')}\n`;
    const plan = planRooms(setupRowsFromCsv('rooms', csv), [old], ctx(new Date('2026-09-02T08:00:00Z')));
    const racer = planRooms(setupRowsFromCsv('rooms', 'name,capacity\nroom 250,12\n'), [], ctx(new Date('2026-09-02T09:00:00Z')));
    await store.setupImports.rooms('s-race', racer.changes, label);

    const failed = await store.setupImports.rooms('s-race', plan.changes, label).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Conflict);
    expect((failed as Conflict).issues).toEqual([
      { path: ['rows', 251, 'name'], message: 'row 253: the school has a room named "Room 250" already' },
    ]);
    const rooms = await store.rooms.all('s-race');
    expect(rooms.map((r) => [r.name, r.version, r.capacity]).sort()).toEqual([
      ['room 250', 1, 12],
      ['旧教室', 1, 30],
    ]);
    const history = await store.rooms.history('s-race', old.id, { limit: 10 });
    expect(history.items.map((h) => h.version)).toEqual([1]);
    // the names the undone rooms claimed are free again: the file imports once the clash is gone
    await store.rooms.delete(
      's-race',
      rooms.find((r) => r.name === 'room 250')!,
      '2026-09-03T08:00:00.000Z',
      'u-1',
    );
    const again = planRooms(setupRowsFromCsv('rooms', csv), [old], ctx(new Date('2026-09-04T08:00:00Z')));
    await store.setupImports.rooms('s-race', again.changes, label);
    expect((await store.rooms.all('s-race')).length).toBe(301);
  });
});

import { describe, expect, it } from 'vitest';
import type { Club } from '../src/clubs';
import { parseCsv } from '../src/csv-import';
import { InvalidInput, type Issue } from '../src/errors';
import type { Staff } from '../src/people';
import type { Room } from '../src/school';
import {
  importTemplate,
  MAX_SETUP_IMPORT_ROWS,
  planClubs,
  planRooms,
  planStaff,
  readSetupImport,
  setupImportResult,
  setupRowsFromCsv,
  staffIdFor,
  type ClubPlanContext,
  type PlanContext,
  type SetupImportKind,
} from '../src/setup-import';

const SCHOOL = 's-1';
const TERM = 't-autumn';
const T0 = new Date('2026-09-01T08:00:00.000Z');
const T1 = new Date('2026-09-15T10:00:00.000Z');

/** A plan's context with ids id-1, id-2, … */
function context(now = T0): PlanContext {
  let n = 0;
  return { schoolId: SCHOOL, stamp: { by: 'u-admin', now }, newId: () => `id-${++n}` };
}

/** The problems a call refuses with (it must refuse). */
function refusal(f: () => unknown): { issues: Issue[]; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidInput) return { issues: e.issues, message: e.message };
    throw e;
  }
  throw new Error('expected InvalidInput');
}

const csv = (kind: SetupImportKind, text: string) => setupRowsFromCsv(kind, text);
const json = (kind: SetupImportKind, rows: unknown[]) => readSetupImport(kind, { rows });

/** The records a plan makes, as the school then has them. */
const stored = <T>(plan: { records: Array<{ record: T }> }) => plan.records.map((r) => r.record);

describe('reading a CSV file', () => {
  it('reads Chinese, English and alias headers, full-width and spaced, and each cell as its kind', () => {
    const file = csv('rooms', '\uFEFF名称, Capacity ,设施,楼\r\n舞蹈室 1,４０,dance；piano,艺术楼\r\n');
    expect(file.rows).toEqual([{ name: '舞蹈室 1', capacity: 40, features: ['dance', 'piano'], building: '艺术楼' }]);
  });

  it('leaves a cell left empty undefined, and a column the file does not have out of the row', () => {
    const file = csv('rooms', 'name,capacity,building\nLab,30,\n');
    expect(file.rows).toEqual([{ name: 'Lab', capacity: 30, building: undefined }]);
    expect('features' in file.rows[0]!).toBe(false);
  });

  it('refuses the header: unknown columns, a column twice, required columns missing; an empty unknown column is ignored', () => {
    const { issues, message } = refusal(() => csv('rooms', '名称,颜色,name,\n实验室,红,Lab,\n'));
    expect(message).toBe('The CSV file cannot be read; nothing was imported');
    expect(issues).toEqual([
      {
        path: ['csv', 'header', 1],
        message: expect.stringMatching(/^unknown column "颜色"; the columns are 名称 \(name\), 容量 \(capacity\)/),
      },
      { path: ['csv', 'header', 2], message: 'column "name" is there twice (also column 1)' },
      { path: ['csv', 'header'], message: 'missing column 容量 (capacity)' },
    ]);
  });

  it('refuses an empty file, a file without rows and one with too many', () => {
    expect(refusal(() => csv('rooms', '')).issues).toEqual([{ path: ['csv'], message: 'the file is empty' }]);
    expect(refusal(() => csv('rooms', 'name,capacity\r\n')).issues).toEqual([
      { path: ['rows'], message: 'must have at least one row' },
    ]);
    const big = `name,capacity\n${Array.from({ length: MAX_SETUP_IMPORT_ROWS + 1 }, (_, i) => `R${i},1`).join('\n')}`;
    expect(refusal(() => csv('rooms', big)).issues[0]!.path).toEqual(['rows']);
  });

  it('names each row as Excel numbers it (the header is row 1, blank rows counted) and the column as the file heads it', () => {
    const text = '姓名,类型,周一\n王芳,教师,15:30-18:00\n,,\n李阿姨,志愿者,下午\n"陈\n教练",外聘,16:00~17:00; 9点\n';
    const { issues, message } = refusal(() => csv('staff', text));
    expect(message).toBe('2 problem(s) in 3 rows; nothing was imported');
    expect(issues).toEqual([
      {
        path: ['rows', 1, 'availability', 'MON'],
        message: 'row 4, 周一: "下午" is not a time window: write it as 15:30-18:00, several separated by ";"',
      },
      { path: ['rows', 2, 'availability', 'MON'], message: expect.stringMatching(/^row 5, 周一: "9点" is not a time window/) },
    ]);
  });

  it('reads staff availability by day, with Saturday and Sunday columns too, and grade ranges of clubs', () => {
    const staff = csv('staff', 'name,kind,MON,星期三,周六\nA,teacher,15:30-18:00; 9:00-10:00,,08:30–11:30\n');
    expect(staff.rows[0]!.availability).toEqual({
      MON: [
        { start: '15:30', end: '18:00' },
        { start: '09:00', end: '10:00' },
      ],
      SAT: [{ start: '08:30', end: '11:30' }],
    });
    const header = '社团,班级,层级,年级,容量,每周次数,每次分钟\n';
    expect(csv('clubs', `${header}街舞,基础班,基础,3-5,20,1,60\n`).rows[0]!.grades).toEqual([3, 4, 5]);
    expect(csv('clubs', `${header}街舞,基础班,基础,3年级; 4,20,1,60\n`).rows[0]!.grades).toEqual([3, 4]);
    expect(refusal(() => csv('clubs', `${header}街舞,基础班,基础,5-3,20,1,60\n`)).issues).toEqual([
      { path: ['rows', 0, 'grades'], message: 'row 2, 年级: "5-3" is not a range of grades' },
    ]);
  });

  it('takes JSON rows, which must be objects, naming a row by its place in the list from 1', () => {
    expect(refusal(() => json('rooms', [{ name: 'A', capacity: 1 }, 'B'])).issues).toEqual([
      { path: ['rows', 1], message: 'must be an object' },
    ]);
    expect(json('rooms', [{}]).label(0)).toBe('row 1');
  });
});

describe('planRooms', () => {
  const ROOMS = '名称,容量,设施,楼栋\n舞蹈室 1,40,dance; piano,艺术楼\n音乐教室,45,music,艺术楼\n';

  it('creates the rooms a school does not have, then finds every one unchanged', () => {
    const first = planRooms(csv('rooms', ROOMS), [], context());
    expect(first.changes.map((c) => [c.prev, c.next.name, c.next.id, c.next.version, c.rows])).toEqual([
      [null, '舞蹈室 1', 'id-1', 1, [0]],
      [null, '音乐教室', 'id-2', 1, [1]],
    ]);
    expect(first.changes[0]!.next).toMatchObject({
      schoolId: SCHOOL,
      status: 'active',
      capacity: 40,
      features: ['dance', 'piano'],
    });
    const again = planRooms(csv('rooms', ROOMS), stored(first), context(T1));
    expect(again.changes).toEqual([]);
    expect(setupImportResult(again, 2)).toEqual({
      rows: 2,
      created: 0,
      updated: 0,
      unchanged: 2,
      records: [
        { id: 'id-1', name: '舞蹈室 1', action: 'unchanged', rows: [0] },
        { id: 'id-2', name: '音乐教室', action: 'unchanged', rows: [1] },
      ],
    });
  });

  it('updates a room found by its name (case, spacing and full-width aside: the file spells it), keeping the fields of columns left out', () => {
    const rooms = stored(planRooms(csv('rooms', ROOMS), [], context()));
    const plan = planRooms(csv('rooms', 'name,capacity\n舞蹈室  １,50\n'), rooms, context(T1));
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]!.prev).toBe(rooms[0]);
    expect(plan.changes[0]!.next).toMatchObject({
      id: 'id-1',
      name: '舞蹈室  1', // full-width folded as the cell is read
      capacity: 50,
      features: ['dance', 'piano'],
      building: '艺术楼',
      version: 2,
      updatedAt: T1.toISOString(),
    });
  });

  it('makes an archived room of that name active again', () => {
    const [room] = stored(planRooms(csv('rooms', ROOMS), [], context()));
    const archived: Room = { ...room!, status: 'archived' };
    const plan = planRooms(csv('rooms', ROOMS.split('\n').slice(0, 2).join('\n')), [archived], context(T1));
    expect(plan.changes[0]!.next).toMatchObject({ id: room!.id, status: 'active', version: 2 });
  });

  it('refuses every bad row at its row and column, and a room named twice, nothing planned', () => {
    const text = 'name,capacity,features\nLab,0,\nArt,20,Piano Room\n lab ,25,\nGym,,\n';
    const { issues, message } = refusal(() => planRooms(csv('rooms', text), [], context()));
    expect(message).toBe('4 problem(s) in 4 rows; nothing was imported');
    expect(issues).toEqual([
      { path: ['rows', 0, 'capacity'], message: expect.stringMatching(/^row 2, capacity: /) },
      { path: ['rows', 1, 'features', 0], message: expect.stringMatching(/^row 3, features: must be lower-case letters/) },
      { path: ['rows', 2, 'name'], message: 'row 4, name: room "lab" is also in row 2' },
      { path: ['rows', 3, 'capacity'], message: 'row 5, capacity: is required' },
    ]);
  });

  it('names JSON rows from 1, without a column', () => {
    const { issues } = refusal(() => planRooms(json('rooms', [{ name: 'Lab', capacity: 'many' }]), [], context()));
    expect(issues).toEqual([{ path: ['rows', 0, 'capacity'], message: expect.stringMatching(/^row 1: /) }]);
  });
});

describe('planStaff', () => {
  const STAFF = 'name,kind,phone,skills\n王芳,教师,13800138000,choir\n李阿姨,志愿者,,storytelling\n';
  const seeded = () => stored(planStaff(csv('staff', STAFF), [], context()));

  it('gives a new staff member the id of their school, name and phone, so that two racing imports make one', () => {
    const [wang, li] = seeded();
    expect(wang).toMatchObject({ id: staffIdFor(SCHOOL, '王芳', '13800138000'), kind: 'teacher', skills: ['choir'] });
    expect(li!.id).toBe(staffIdFor(SCHOOL, ' 李阿姨 ', null));
    expect(wang!.id).toMatch(/^st-[0-9a-f]{20}$/);
    expect(wang!.id).not.toContain('13800138000');
    expect(staffIdFor(SCHOOL, '王芳', null)).not.toBe(wang!.id);
    expect(staffIdFor('s-2', '王芳', '13800138000')).not.toBe(wang!.id);
  });

  it('gives a new id when that id is taken (the one who had it was renamed)', () => {
    const [wang] = seeded();
    const renamed: Staff = { ...wang!, name: '王芳芳' };
    const plan = planStaff(csv('staff', 'name,kind,phone\n王芳,teacher,13800138000\n'), [renamed], context());
    expect(plan.changes[0]!.next.id).toBe('id-1');
  });

  it('finds staff by id, by name and phone, or by name alone; the same file again changes nothing', () => {
    const staff = seeded();
    expect(planStaff(csv('staff', STAFF), staff, context(T1)).changes).toEqual([]);
    const byId = planStaff(csv('staff', `id,name,kind\n${staff[1]!.id},李阿姨,外聘\n`), staff, context(T1));
    expect(byId.changes[0]!.next).toMatchObject({ id: staff[1]!.id, kind: 'external', skills: ['storytelling'] });
    // a row without a phone keeps the phone; a row with one finds a namesake without one, who gets it
    const byName = planStaff(
      csv('staff', 'name,kind,maxMinutesPerWeek,phone\n王芳,teacher,300,\n李阿姨,volunteer,,13900139000\n'),
      staff,
      context(T1),
    );
    expect(byName.changes.map((c) => [c.next.id, c.next.phone, c.next.maxMinutesPerWeek])).toEqual([
      [staff[0]!.id, '13800138000', 300],
      [staff[1]!.id, '13900139000', 240],
    ]);
  });

  it('creates a namesake with another phone', () => {
    const plan = planStaff(csv('staff', 'name,kind,phone\n王芳,teacher,13700137000\n'), seeded(), context(T1));
    expect(plan.records.map((r) => r.action)).toEqual(['created']);
  });

  it('refuses an unknown id, namesakes it cannot tell apart, a person twice and an account linked twice, at their rows', () => {
    const staff = seeded();
    const twins: Staff[] = [...staff, { ...staff[1]!, id: 'st-twin' }];
    const text =
      'id,name,kind,phone\n' +
      'st-nobody,赵老师,teacher,\n' + // row 2
      ',李阿姨,volunteer,\n' + // row 3: two of them
      ',陈教练,external,13600136000\n' + // row 4
      ',陈教练,external,136 0013 6000\n'; // row 5: row 4 again
    const { issues } = refusal(() => planStaff(csv('staff', text), twins, context(T1)));
    expect(issues).toEqual([
      { path: ['rows', 0, 'id'], message: 'row 2, id: the school has no staff member with this id' },
      {
        path: ['rows', 1, 'phone'],
        message: `row 3, phone: 2 staff members are named 李阿姨: give the id of the one to update (${staff[1]!.id}, st-twin)`,
      },
      { path: ['rows', 3, 'name'], message: 'row 5, name: 陈教练 is also in row 4' },
    ]);
    // accounts (JSON rows only): one a staff member
    const linked = [
      { name: '陈教练', kind: 'external', userId: 'u-1' },
      { name: '周老师', kind: 'teacher', userId: 'u-1' },
    ];
    expect(refusal(() => planStaff(json('staff', linked), staff, context(T1))).issues).toEqual([
      { path: ['rows', 1, 'userId'], message: 'row 2: row 1 links this account too' },
    ]);
  });

  it('refuses an account linked to another staff member of the school', () => {
    const staff = seeded().map((s, i) => (i === 0 ? { ...s, userId: 'u-wang' } : s));
    const { issues } = refusal(() =>
      planStaff(json('staff', [{ name: '李阿姨', kind: 'volunteer', userId: 'u-wang' }]), staff, context()),
    );
    expect(issues).toEqual([
      { path: ['rows', 0, 'userId'], message: 'row 1: this account is linked to another staff member of the school (王芳)' },
    ]);
  });

  it('reads dates as Excel writes them and refuses impossible ones', () => {
    const ok = planStaff(csv('staff', 'name,kind,资格到期\nA,teacher,2029/8/31\n'), [], context());
    expect(ok.changes[0]!.next.qualificationExpiresOn).toBe('2029-08-31');
    const { issues } = refusal(() => planStaff(csv('staff', 'name,kind,资格到期\nA,teacher,2029-13-45\n'), [], context()));
    expect(issues).toEqual([
      { path: ['rows', 0, 'qualificationExpiresOn'], message: expect.stringMatching(/^row 2, 资格到期: /) },
    ]);
  });
});

describe('planClubs', () => {
  const staff = (): Staff[] =>
    stored(
      planStaff(
        csv(
          'staff',
          'name,kind,skills\n王芳,teacher,street-dance; choir\n陈教练,external,street-dance\n李阿姨,volunteer,storytelling\n',
        ),
        [],
        context(),
      ),
    );
  const clubContext = (existing: Club[] = [], s = staff(), now = T0): ClubPlanContext => ({
    ...context(now),
    termId: TERM,
    existing,
    staff: s,
    gradeLevels: new Set([1, 2, 3, 4, 5, 6]),
  });
  const HEADER =
    '社团,英文名,类别,简介,英文简介,技能,教室设施,班级,层级,年级,容量,每周次数,每次分钟,固定老师,优先老师,先修层级,老师批准可免先修\n';
  const CLUBS =
    HEADER +
    '街舞,Street dance,舞蹈,从基本律动学起,Grooves,street-dance,dance,基础班,基础,3-4,25,2,60,,王芳,,\n' +
    '街舞,,,,,,,提升班,提升,4;5,20,1,90,陈教练,,基础,否\n' +
    '故事会,Storytelling,语言,听故事,Stories,storytelling,,故事班,basic,1-2,30,1,45,李阿姨,,,\n';

  it('makes a club of its rows, its club fields from its first row, staff found by name', () => {
    const s = staff();
    const plan = planClubs(csv('clubs', CLUBS), clubContext([], s));
    expect(setupImportResult(plan, 3).records.map((r) => [r.name, r.action, r.rows])).toEqual([
      ['街舞', 'created', [0, 1]],
      ['故事会', 'created', [2]],
    ]);
    const dance = plan.changes[0]!.next;
    expect(dance).toMatchObject({
      termId: TERM,
      nameEn: 'Street dance',
      category: 'dance',
      skill: 'street-dance',
      roomFeatures: ['dance'],
    });
    expect(dance.lineageId).toEqual(expect.any(String));
    expect(dance.classes).toMatchObject([
      { name: '基础班', tier: 'basic', grades: [3, 4], preferredStaffId: s[0]!.id, fixedStaffId: null, prerequisite: null },
      {
        name: '提升班',
        tier: 'advanced',
        grades: [4, 5],
        fixedStaffId: s[1]!.id,
        prerequisite: { tier: 'basic', orTeacherApproval: false },
      },
    ]);
  });

  it('finds the same file unchanged, and keeps the ids of classes it changes, removing those it leaves out', () => {
    const s = staff();
    const clubs = stored(planClubs(csv('clubs', CLUBS), clubContext([], s)));
    expect(planClubs(csv('clubs', CLUBS), clubContext(clubs, s, T1)).changes).toEqual([]);
    const fewer = CLUBS.replace('基础,3-4,25', '基础,3-4,28').replace(/^街舞,,.*\n/m, '');
    const plan = planClubs(csv('clubs', fewer), clubContext(clubs, s, T1));
    expect(plan.records.map((r) => r.action)).toEqual(['updated', 'unchanged']);
    const dance = plan.changes[0]!.next;
    expect(dance).toMatchObject({ id: clubs[0]!.id, lineageId: clubs[0]!.lineageId, version: 2 });
    expect(dance.classes.map((k) => [k.id, k.capacity])).toEqual([[clubs[0]!.classes[0]!.id, 28]]);
  });

  it('refuses each bad reference and rule at its row, in words', () => {
    const s = [...staff(), { ...staff()[2]!, id: 'st-other-li' }]; // two 李阿姨
    const bad =
      HEADER +
      '街舞,Street dance,舞蹈,从基本律动学起,Grooves,street-dance,dance,基础班,基础,3-4,25,2,60,,赵老师,,\n' + // row 2: nobody
      '街舞,Hip hop,,,,,,提升班,提升,4;9,20,1,90,陈教练,,expert,\n' + // row 3: name differs, no grade 9, no such tier
      '故事会,Storytelling,语言,听故事,Stories,storytelling,,故事班,basic,1-2,30,1,45,王芳,李阿姨,,\n' + // row 4
      '街舞,,,,,,,提升班,advanced,5,20,1,62,,,,\n'; // row 5: class twice
    const { issues, message } = refusal(() => planClubs(csv('clubs', bad), clubContext([], s)));
    expect(message).toBe('7 problem(s) in 4 rows; nothing was imported');
    expect(issues).toEqual([
      {
        path: ['rows', 0, 'preferredStaff'],
        message: 'row 2, 优先老师: the school has no staff member named 赵老师 (import the staff first)',
      },
      {
        path: ['rows', 1, 'nameEn'],
        message: "row 3, 英文名: differs from row 2: a club's nameEn is the same on each of its rows (or left empty)",
      },
      { path: ['rows', 1, 'prerequisiteTier'], message: 'row 3, 先修层级: the club has no expert tier' },
      { path: ['rows', 1, 'grades', 1], message: 'row 3, 年级: the school has no grade 9' },
      {
        path: ['rows', 2, 'preferredStaff'],
        message: expect.stringMatching(/^row 4, 优先老师: 2 staff members are named 李阿姨: give the id of the one you mean/),
      },
      { path: ['rows', 2, 'fixedStaff'], message: 'row 4, 固定老师: 王芳 does not have the skill storytelling' },
      { path: ['rows', 3, 'class'], message: 'row 5, 班级: class 提升班 is also in row 3' },
    ]);
  });

  it("refuses a club's first row without the club's fields, and a grade the school does not have", () => {
    const text = '社团,班级,层级,年级,容量,每周次数,每次分钟\n围棋,围棋班,basic,7,20,1,60\n';
    const ctx = { ...clubContext(), gradeLevels: new Set([1, 2, 3, 4, 5, 6]) };
    const { issues } = refusal(() => planClubs(csv('clubs', text), ctx));
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['rows', 0, 'nameEn'],
        ['rows', 0, 'skill'],
      ]),
    );
    expect(issues.every((i) => i.message.startsWith('row 2'))).toBe(true);
  });
});

describe('importTemplate', () => {
  it.each(['rooms', 'staff', 'clubs'] as const)(
    'the %s template: BOM, Chinese headers, an example that plans without a problem',
    (kind) => {
      const text = importTemplate(kind, 'zh');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = parseCsv(text);
      expect(header!.some((h) => /[\u4e00-\u9fff]/.test(h))).toBe(true);
      expect(rows.length).toBe(kind === 'clubs' ? 2 : 1);
      const file = setupRowsFromCsv(kind, text);
      const staffForClubs = stored(planStaff(setupRowsFromCsv('staff', importTemplate('staff', 'zh')), [], context()));
      if (kind === 'rooms') expect(planRooms(file, [], context()).changes).toHaveLength(1);
      if (kind === 'staff') expect(planStaff(file, [], context()).changes).toHaveLength(1);
      if (kind === 'clubs')
        expect(
          planClubs(file, {
            ...context(),
            termId: TERM,
            existing: [],
            staff: staffForClubs,
            gradeLevels: new Set([1, 2, 3, 4, 5, 6]),
          }).changes,
        ).toHaveLength(1);
    },
  );

  it('has English headers on request, which read the same', () => {
    for (const kind of ['rooms', 'staff', 'clubs'] as const) {
      const en = importTemplate(kind, 'en');
      expect(parseCsv(en)[0]!.every((h) => /^[A-Za-z]+$/.test(h))).toBe(true);
      expect(Object.keys(setupRowsFromCsv(kind, en).rows[0]!).sort()).toEqual(
        Object.keys(setupRowsFromCsv(kind, importTemplate(kind, 'zh')).rows[0]!).sort(),
      );
    }
    expect(parseCsv(importTemplate('students', 'zh'))[0]).toEqual([
      '学号',
      '姓名',
      '年级',
      '班级',
      '家长1姓名',
      '家长1电话',
      '家长1关系',
    ]);
  });
});

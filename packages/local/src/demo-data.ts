/**
 * A realistic primary school, generated from a seed: six grades dismissing at
 * 15:30/15:50/16:00 (an hour earlier on Wednesday), so that each has the two hours of
 * service a day that "5+2" asks for; homework help after dismissal, special rooms,
 * teachers, volunteers and external instructors, students in homerooms with their
 * guardians. Pure and deterministic. (Figures after ../shared/DOMAIN.md: Deyang.)
 */
import type {
  ClubCategory,
  ClubInput,
  GradeInput,
  ImportRow,
  RoomInput,
  SchoolInput,
  StaffInput,
  TermInput,
} from '@kehou/domain';

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '子涵欣怡梓萱一诺浩宇宇轩雨桐思彤梓轩俊熙若汐可馨诗涵博文嘉怡子墨宇航佳琪明轩晨曦紫涵雨泽天佑欣妍语桐铭泽雅琪昊然瑞霖沐阳依诺安琪锦程思远'.match(
    /../g,
  )!;
const ADULT_GIVEN = '建华秀英志强丽娟海燕伟明晓燕国庆春梅红霞建军桂英立新玉兰永强淑华文杰丽萍德明晓东美玲'.match(/../g)!;

export const personName = (r: Rng, adult = false) =>
  r.pick(SURNAMES) + (r.chance(0.3) ? r.pick(adult ? ADULT_GIVEN : GIVEN).slice(0, 1) : r.pick(adult ? ADULT_GIVEN : GIVEN));
const phone = (r: Rng) => `1${r.pick(['3', '5', '7', '8', '9'])}${String(r.int(0, 999_999_999)).padStart(9, '0')}`;

export const DEMO_DISTRICT = 'd-jingyang';

export const demoSchool: SchoolInput = {
  name: '旌阳区实验小学',
  districtId: DEMO_DISTRICT,
  timezone: 'Asia/Shanghai',
  dayEnd: '18:00',
  address: '四川省德阳市旌阳区',
};

const GRADE_NAMES = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'];
export function demoGrades(): GradeInput[] {
  const dismissal = ['15:30', '15:30', '15:50', '15:50', '16:00', '16:00'];
  const wednesday = ['14:30', '14:30', '14:50', '14:50', '15:00', '15:00'];
  const homework = [30, 30, 35, 35, 40, 40];
  return GRADE_NAMES.map((name, i) => ({
    level: i + 1,
    name,
    dismissal: { MON: dismissal[i]!, TUE: dismissal[i]!, WED: wednesday[i]!, THU: dismissal[i]!, FRI: dismissal[i]! },
    homeworkMinutes: homework[i]!,
  }));
}

export function demoRooms(r: Rng = rng(7)): RoomInput[] {
  const rooms: RoomInput[] = [];
  for (let floor = 1; floor <= 5; floor++)
    for (let n = 1; n <= 6; n++)
      rooms.push({ name: `教室 ${floor}0${n}`, capacity: r.pick([42, 45, 45, 48, 50]), features: [], building: '教学楼' });
  const special: Array<[string, number, string[], number]> = [
    ['舞蹈室', 2, ['dance', 'mirrors'], 40],
    ['音乐教室', 3, ['music'], 45],
    ['钢琴室', 1, ['music', 'piano'], 20],
    ['体育馆', 1, ['gym', 'indoor'], 100],
    ['乒乓球室', 1, ['table-tennis', 'indoor'], 32],
    ['篮球场', 2, ['outdoor', 'court'], 50],
    ['操场', 1, ['outdoor', 'field'], 200],
    ['美术室', 2, ['art', 'sink'], 45],
    ['陶艺室', 1, ['art', 'kiln', 'sink'], 28],
    ['计算机教室', 2, ['computers', 'projector'], 50],
    ['科学实验室', 2, ['lab', 'sink'], 45],
    ['图书馆', 1, ['library', 'quiet'], 60],
  ];
  for (const [name, count, features, capacity] of special) {
    for (let i = 1; i <= count; i++)
      rooms.push({ name: count > 1 ? `${name} ${i}` : name, capacity, features, building: '综合楼' });
  }
  return rooms;
}

/** Skills of the clubs the demo school runs (the keys clubs use). */
export const DEMO_SKILLS = [
  'street-dance',
  'folk-dance',
  'martial-arts',
  'taekwondo',
  'chess',
  'go',
  'xiangqi',
  'math-puzzles',
  'guzheng',
  'erhu',
  'hulusi',
  'violin',
  'piano',
  'guitar',
  'ukulele',
  'choir',
  'percussion',
  'peking-opera',
  'calligraphy',
  'painting',
  'paper-cutting',
  'pottery',
  'clay',
  'origami',
  'kite-making',
  'tea-art',
  'knitting',
  'photography',
  'basketball',
  'football',
  'table-tennis',
  'badminton',
  'rope-skipping',
  'athletics',
  'science',
  'coding',
  'robotics',
  'model-aircraft',
  'woodwork',
  'gardening',
  'drama',
  'english-drama',
  'reading',
  'storytelling',
  'host',
] as const;

export function demoStaff(r: Rng = rng(11)): Array<StaffInput & { key: string }> {
  const out: Array<StaffInput & { key: string }> = [];
  const week = ['MON', 'TUE', 'WED', 'THU', 'FRI'] as const;
  const add = (kind: StaffInput['kind'], n: number) => {
    for (let i = 1; i <= n; i++) {
      const skills = [
        ...new Set([r.pick(DEMO_SKILLS), r.pick(DEMO_SKILLS), ...(r.chance(0.4) ? [r.pick(DEMO_SKILLS)] : [])]),
      ].sort();
      const days = kind === 'teacher' ? week.filter(() => r.chance(0.9)) : week.filter(() => r.chance(0.55));
      const availability = Object.fromEntries(
        (days.length ? days : [week[i % 5]!]).map((d) => [
          d,
          [
            {
              start: kind === 'teacher' ? '15:00' : r.pick(['15:30', '16:00']),
              end: kind === 'volunteer' && r.chance(0.3) ? '17:30' : '18:00',
            },
          ],
        ]),
      );
      const key = `${kind[0]}${String(i).padStart(3, '0')}`;
      out.push({
        key,
        name: personName(r, true),
        kind,
        // the demo volunteer (v001) tells stories and reads with the children
        skills: key === 'v001' ? ['reading', 'storytelling'] : skills,
        availability,
        maxMinutesPerWeek: kind === 'external' ? 360 : 240,
        qualificationExpiresOn: kind === 'teacher' ? null : '2027-08-31',
        backgroundCheckExpiresOn: kind === 'teacher' ? null : '2027-06-30',
        noPaidTutoringCommitmentOn: kind === 'teacher' ? '2026-08-28' : null,
        userId: null,
        phone: null,
      });
    }
  };
  add('teacher', 110);
  add('volunteer', 15);
  add('external', 12);
  return out;
}

/** Students in homerooms (about 42 each), with one or two guardians; siblings share them. */
export function demoStudents(count: number, r: Rng = rng(13)): ImportRow[] {
  const rows: ImportRow[] = [];
  const perGrade = Math.ceil(count / 6);
  let family: ImportRow['guardians'] = [];
  for (let i = 0; i < count; i++) {
    const gradeLevel = Math.min(6, Math.floor(i / perGrade) + 1);
    const inGrade = i - (gradeLevel - 1) * perGrade;
    const homerooms = Math.max(1, Math.round(perGrade / 42));
    const sibling = i > 0 && r.chance(0.04);
    if (!sibling) {
      const surname = r.pick(SURNAMES);
      family = [{ name: surname + r.pick(ADULT_GIVEN), phone: phone(r), relation: r.pick(['mother', 'father'] as const) }];
      if (r.chance(0.6))
        family.push({
          name: r.pick(SURNAMES) + r.pick(ADULT_GIVEN),
          phone: phone(r),
          relation: r.pick(['father', 'mother', 'grandmother', 'grandfather'] as const),
        });
    }
    rows.push({
      studentNo: `2026${String(gradeLevel)}${String(i + 1).padStart(5, '0')}`,
      name: (family[0]?.name.slice(0, 1) ?? r.pick(SURNAMES)) + r.pick(GIVEN),
      gradeLevel,
      homeroom: String((inGrade % homerooms) + 1),
      guardians: family,
    });
  }
  return rows;
}

export const demoTerm: TermInput = {
  name: '2026 秋季学期',
  startDate: '2026-09-01',
  endDate: '2027-01-22',
  holidays: [
    { name: '中秋节、国庆节', start: '2026-09-25', end: '2026-10-07' },
    { name: '元旦', start: '2027-01-01', end: '2027-01-03' },
  ],
  makeUpDays: [{ date: '2026-10-10', runsAs: 'WED', name: '国庆调休' }],
};

/** The clubs of the demo school: [skill, 中文, English, category, room features, largest class, minutes]. */
const CLUBS: Array<[string, string, string, ClubCategory, string[], number, number]> = [
  ['street-dance', '街舞', 'Street dance', 'dance', ['dance'], 36, 60],
  ['folk-dance', '民族舞', 'Folk dance', 'dance', ['dance'], 36, 60],
  ['martial-arts', '武术', 'Martial arts', 'sport', ['gym'], 40, 60],
  ['taekwondo', '跆拳道', 'Taekwondo', 'sport', ['gym'], 30, 60],
  ['chess', '国际象棋', 'Chess', 'mind', [], 36, 60],
  ['go', '围棋', 'Go', 'mind', [], 36, 60],
  ['xiangqi', '中国象棋', 'Xiangqi', 'mind', [], 36, 45],
  ['math-puzzles', '数学思维', 'Math puzzles', 'mind', [], 40, 45],
  ['guzheng', '古筝', 'Guzheng', 'music', ['music'], 20, 60],
  ['erhu', '二胡', 'Erhu', 'music', ['music'], 20, 60],
  ['hulusi', '葫芦丝', 'Hulusi', 'music', ['music'], 30, 45],
  ['violin', '小提琴', 'Violin', 'music', ['music'], 20, 60],
  ['piano', '钢琴', 'Piano', 'music', ['music', 'piano'], 16, 45],
  ['guitar', '吉他', 'Guitar', 'music', ['music'], 24, 60],
  ['ukulele', '尤克里里', 'Ukulele', 'music', ['music'], 30, 45],
  ['choir', '合唱', 'Choir', 'music', ['music'], 45, 60],
  ['percussion', '打击乐', 'Percussion', 'music', ['music'], 30, 45],
  ['peking-opera', '京剧', 'Peking opera', 'music', ['music'], 30, 60],
  ['calligraphy', '书法', 'Calligraphy', 'arts', [], 40, 60],
  ['painting', '绘画', 'Painting', 'arts', ['art'], 40, 60],
  ['paper-cutting', '剪纸', 'Paper cutting', 'crafts', [], 35, 45],
  ['pottery', '陶艺', 'Pottery', 'crafts', ['art', 'kiln'], 24, 60],
  ['clay', '彩泥', 'Clay modelling', 'crafts', ['art'], 35, 45],
  ['origami', '折纸', 'Origami', 'crafts', [], 40, 45],
  ['kite-making', '风筝制作', 'Kite making', 'crafts', ['art'], 30, 60],
  ['tea-art', '茶艺', 'Tea art', 'arts', [], 24, 45],
  ['knitting', '编织', 'Knitting', 'crafts', [], 30, 45],
  ['photography', '摄影', 'Photography', 'arts', [], 25, 60],
  ['basketball', '篮球', 'Basketball', 'sport', ['outdoor', 'court'], 40, 60],
  ['football', '足球', 'Football', 'sport', ['outdoor', 'field'], 45, 60],
  ['table-tennis', '乒乓球', 'Table tennis', 'sport', ['table-tennis'], 30, 60],
  ['badminton', '羽毛球', 'Badminton', 'sport', ['gym'], 30, 60],
  ['rope-skipping', '跳绳', 'Rope skipping', 'sport', ['outdoor'], 45, 45],
  ['athletics', '田径', 'Athletics', 'sport', ['outdoor', 'field'], 45, 60],
  ['science', '科学实验', 'Science experiments', 'science', ['lab'], 40, 60],
  ['coding', '编程', 'Coding', 'science', ['computers'], 45, 60],
  ['robotics', '机器人', 'Robotics', 'science', ['computers'], 30, 60],
  ['model-aircraft', '航模', 'Model aircraft', 'science', ['outdoor'], 30, 60],
  ['woodwork', '木工', 'Woodwork', 'science', ['lab'], 24, 60],
  ['gardening', '种植', 'Gardening', 'science', ['outdoor'], 30, 45],
  ['drama', '戏剧', 'Drama', 'language', [], 35, 60],
  ['english-drama', '英语剧', 'English drama', 'language', [], 35, 60],
  ['reading', '阅读', 'Reading club', 'language', ['library'], 45, 45],
  ['storytelling', '故事会', 'Storytelling', 'language', [], 40, 45],
  ['host', '小主持人', 'Young hosts', 'language', [], 30, 45],
];

/**
 * 45 clubs with a basic class for the younger and an advanced class for the older grades
 * (the advanced one needs the basic one last term, or a teacher's approval). With
 * `staffIds`, the storytelling basic class is the demo volunteer's.
 */
export function demoClubs(termId: string, staffIds?: ReadonlyMap<string, string>): ClubInput[] {
  return CLUBS.map(([skill, zh, en, category, features, size, minutes], i) => {
    const young = i % 3 === 0 ? [1, 2] : i % 3 === 1 ? [1, 2, 3] : [2, 3];
    const old = i % 2 === 0 ? [4, 5, 6] : [3, 4, 5, 6].slice(i % 4 === 1 ? 0 : 1);
    const twice = i % 4 === 0;
    return {
      termId,
      name: zh,
      nameEn: en,
      category,
      descriptionZh: `${zh}社团：基础班学习入门，提升班巩固提高。`,
      descriptionEn: `${en}: the basic class starts from scratch, the advanced class goes further.`,
      skill,
      roomFeatures: features,
      classes: [
        {
          tier: 'basic',
          name: '基础班',
          grades: young,
          capacity: Math.min(size, 30),
          sessionsPerWeek: twice ? 2 : 1,
          minutesPerSession: minutes,
          preferredStaffId: null,
          fixedStaffId: skill === 'storytelling' ? (staffIds?.get('v001') ?? null) : null,
          prerequisite: null,
        },
        {
          tier: 'advanced',
          name: '提升班',
          grades: old,
          capacity: size,
          sessionsPerWeek: 1,
          minutesPerSession: Math.min(minutes, 60),
          preferredStaffId: null,
          fixedStaffId: null,
          prerequisite: { tier: 'basic', orTeacherApproval: true },
        },
      ],
    };
  });
}

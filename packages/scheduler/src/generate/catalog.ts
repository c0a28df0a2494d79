// What a Chinese primary school's after-school menu ("1+N") and buildings look like: the
// clubs (社团) with their room needs and typical class sizes, and the kinds of rooms.

export interface ClubKind {
  key: string;
  /** Chinese name, for demo data */
  zh: string;
  /** room features a class of this club needs */
  features: readonly string[];
  maxSize: number;
  /** share of its classes taken by school teachers (the rest: volunteers and externals) */
  teacherShare: number;
  /** weights of 45, 60 and 90 minute sessions */
  lengths: readonly [number, number, number];
  /** weights of the lower, middle and upper grade bands */
  bands: readonly [number, number, number];
}

const club = (
  key: string,
  zh: string,
  features: string[],
  maxSize: number,
  teacherShare: number,
  lengths: [number, number, number],
  bands: [number, number, number] = [1, 1, 1],
): ClubKind => ({ key, zh, features, maxSize, teacherShare, lengths, bands });

export const CLUBS: readonly ClubKind[] = [
  club('street-dance', '街舞', ['dance'], 36, 0.2, [2, 5, 2]),
  club('folk-dance', '民族舞', ['dance'], 36, 0.5, [2, 5, 2]),
  club('martial-arts', '武术', ['gym'], 40, 0.3, [2, 5, 2]),
  club('guzheng', '古筝', ['music'], 18, 0.2, [1, 5, 3]),
  club('erhu', '二胡', ['music'], 18, 0.3, [1, 5, 3], [0.4, 1, 1]),
  club('hulusi', '葫芦丝', ['music'], 32, 0.7, [4, 5, 1], [1, 1, 0.6]),
  club('piano', '钢琴', ['music', 'piano'], 12, 0.3, [2, 5, 2]),
  club('choir', '合唱', ['music'], 45, 0.9, [2, 5, 2]),
  club('percussion', '打击乐', ['music'], 30, 0.4, [2, 5, 2]),
  club('calligraphy', '书法', [], 40, 0.8, [3, 5, 2]),
  club('ink-painting', '国画', ['art'], 36, 0.7, [2, 5, 2]),
  club('paper-cutting', '剪纸', [], 36, 0.5, [4, 5, 1]),
  club('pottery', '陶艺', ['art', 'kiln'], 24, 0.3, [1, 4, 4], [0.6, 1, 1]),
  club('kites', '风筝制作', ['art'], 30, 0.4, [2, 5, 2], [0.5, 1, 1]),
  club('go', '围棋', [], 36, 0.4, [2, 5, 3]),
  club('chess', '国际象棋', [], 36, 0.6, [3, 5, 2]),
  club('xiangqi', '中国象棋', [], 36, 0.7, [3, 5, 2]),
  club('basketball', '篮球', ['court'], 36, 0.8, [2, 5, 2], [0.6, 1, 1]),
  club('football', '足球', ['field'], 40, 0.7, [2, 5, 3], [0.7, 1, 1]),
  club('table-tennis', '乒乓球', ['table-tennis'], 30, 0.8, [3, 5, 2], [0.6, 1, 1]),
  club('badminton', '羽毛球', ['gym'], 30, 0.8, [3, 5, 2], [0.5, 1, 1]),
  club('rope-skipping', '跳绳', ['outdoor'], 45, 0.9, [5, 4, 1], [1, 1, 0.7]),
  club('coding', '编程', ['computers'], 40, 0.4, [2, 5, 2], [0.3, 1, 1]),
  club('robotics', '机器人', ['computers'], 28, 0.3, [1, 5, 3], [0.3, 1, 1]),
  club('science', '科学小实验', ['lab'], 36, 0.8, [2, 5, 2]),
  club('reading', '阅读', ['library'], 45, 0.9, [4, 5, 1]),
  club('drama', '课本剧', [], 32, 0.6, [2, 5, 2]),
  club('english-corner', '英语角', [], 32, 0.7, [4, 5, 1], [0.6, 1, 1]),
  club('tea-art', '茶艺', [], 24, 0.2, [2, 5, 2], [0.4, 1, 1]),
  club('knitting', '编织', [], 28, 0.3, [4, 5, 1], [0.5, 1, 1]),
  club('host', '小主持人', [], 28, 0.7, [3, 5, 2]),
  club('math-games', '数学游戏', [], 40, 0.9, [4, 5, 1], [0.6, 1, 1]),
];

export interface RoomKind {
  prefix: string;
  features: readonly string[];
  capacity: readonly [number, number];
}

export const ROOMS: readonly RoomKind[] = [
  { prefix: 'room', features: [], capacity: [40, 50] },
  { prefix: 'music', features: ['music'], capacity: [40, 50] },
  { prefix: 'piano', features: ['music', 'piano'], capacity: [12, 24] },
  { prefix: 'dance', features: ['dance', 'mirrors'], capacity: [30, 45] },
  { prefix: 'gym', features: ['gym', 'indoor'], capacity: [60, 120] },
  { prefix: 'court', features: ['court', 'outdoor'], capacity: [40, 60] },
  { prefix: 'field', features: ['field', 'outdoor'], capacity: [100, 300] },
  { prefix: 'tt', features: ['table-tennis', 'indoor'], capacity: [24, 40] },
  { prefix: 'art', features: ['art', 'sink'], capacity: [36, 48] },
  { prefix: 'pottery', features: ['art', 'kiln', 'sink'], capacity: [24, 32] },
  { prefix: 'it', features: ['computers', 'projector'], capacity: [40, 55] },
  { prefix: 'lab', features: ['lab', 'sink'], capacity: [40, 48] },
  { prefix: 'library', features: ['library', 'quiet'], capacity: [50, 80] },
];

/** The room kind with the fewest features that has all of `features`. */
export function roomKindFor(features: readonly string[]): RoomKind {
  let best: RoomKind | null = null;
  for (const k of ROOMS) if (features.every((f) => k.features.includes(f)) && (!best || k.features.length < best.features.length)) best = k;
  if (!best) throw new Error(`no room kind has ${features.join(', ')}`);
  return best;
}

export const TIERS = ['basic', 'advanced', 'team', 'tier4', 'tier5'] as const;

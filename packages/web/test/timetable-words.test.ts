import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';
import {
  changeLine,
  changesNotice,
  namesOf,
  refusalLines,
  violationsOf,
  type Change,
  type Named,
} from '../src/pages/timetable/words';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
});
const zh = () => i18n.getFixedT('zh-CN');
const english = () => i18n.getFixedT('en');

const chess: Named = {
  id: 'c1.0',
  classId: 'c1',
  day: 'MON',
  start: '16:00',
  end: '16:45',
  roomId: 'r1',
  staffId: 's1',
  clubName: '国际象棋',
  clubNameEn: 'Chess',
  className: '基础班',
  roomName: '教室 101',
  staffName: '王老师',
};
const stories: Named = {
  ...chess,
  id: 'c2.0',
  classId: 'c2',
  day: 'TUE',
  start: '17:00',
  end: '18:00',
  clubName: '故事会',
  clubNameEn: 'Storytelling',
  roomId: 'r2',
  roomName: '阅览室',
  staffId: 's2',
  staffName: '李阿姨',
};
const school = { dayEnd: '18:00' };

/** a refusal as the API answers it (422 problem+json): the rule, and each violation with its message */
const refusal = (...violations: Array<[string, string]>) => ({
  type: 'about:blank',
  title: 'Unprocessable Content',
  status: 422,
  detail: `refused: ${violations.map(([, m]) => m).join('; ')}`,
  rule: violations[0]![0],
  details: { violations: violations.map(([rule, message]) => ({ rule, message })) },
});

describe('a refused edit, in words', () => {
  it('reads the rules of a refusal: each violation, else the one rule named', () => {
    expect(violationsOf(refusal(['too-late', 'x'], ['unavailable', 'y']))).toEqual([
      { rule: 'too-late', message: 'x' },
      { rule: 'unavailable', message: 'y' },
    ]);
    expect(violationsOf({ rule: 'locked', detail: '国际象棋 基础班 (c1) on MON 16:00–16:45 is locked' })).toEqual([
      { rule: 'locked', message: '国际象棋 基础班 (c1) on MON 16:00–16:45 is locked' },
    ]);
    expect(violationsOf({ message: 'Not Found' })).toEqual([]);
    expect(violationsOf(null)).toEqual([]);
  });

  it('says in Chinese that a session moved to 17:30 would end at 18:15, after 18:00, and who is not available', () => {
    const body = refusal(
      ['too-late', '国际象棋 基础班 (c1) on MON 17:30–18:15 would end at 18:15, after 18:00, when the service ends'],
      ['unavailable', '王老师 (s1) is not available on MON 17:30–18:15 (available on MON: 15:00–18:00)'],
    );
    const edit = { kind: 'move', session: chess, day: 'MON', start: '17:30' } as const;
    expect(refusalLines(violationsOf(body), edit, school, [chess, stories], zh(), 'zh-CN')).toEqual([
      '国际象棋 基础班（周一 17:30–18:15）将在 18:15 结束，晚于课后服务结束时间 18:00。',
      '王老师周一 17:30–18:15没有空。',
    ]);
    expect(refusalLines(violationsOf(body), edit, school, [chess, stories], english(), 'en')).toEqual([
      'Chess 基础班 (Mon 17:30–18:15) would end at 18:15, after 18:00, when the service ends.',
      '王老师 is not available on Mon 17:30–18:15.',
    ]);
  });

  it('names the session of a swap the rule is about (the one the API names by its time)', () => {
    // swapped, stories would start at 16:00 on MON and chess at 17:00 on TUE: chess ends 17:45, stories 17:00
    const body = refusal(['room-overlap', '阅览室 (r2) would be double-booked on MON: 故事会 基础班 (c2) 16:00–17:00 and …']);
    const reading: Named = { ...stories, id: 'c4.0', classId: 'c4', clubName: '阅读', day: 'MON', start: '16:30', end: '17:15' };
    const swap = { kind: 'swap', session: chess, other: stories } as const;
    expect(refusalLines(violationsOf(body), swap, school, [chess, stories, reading], zh(), 'zh-CN')).toEqual([
      '阅览室在周一 16:00–17:00已经有阅读 基础班（16:30–17:15）。',
    ]);
    // a clash the page cannot see (the session is not in the draft it read): another session
    expect(refusalLines(violationsOf(body), swap, school, [chess, stories], zh(), 'zh-CN')).toEqual([
      '阅览室在周一 16:00–17:00已经有别的课。',
    ]);
    const late = refusal(['too-late', '故事会 基础班 (c2) on MON 16:00–17:00 would end …']);
    expect(refusalLines(violationsOf(late), { kind: 'swap', session: chess, other: stories }, school, [], zh(), 'zh-CN')).toEqual(
      ['故事会 基础班（周一 16:00–17:00）将在 17:00 结束，晚于课后服务结束时间 18:00。'],
    );
  });

  it('names a locked session where it is, not where the swap would put it', () => {
    const locked = { ...stories, locked: true };
    const body = { rule: 'locked', detail: '故事会 基础班 (c2) on TUE 17:00–18:00 is locked; unlock it to move it' };
    expect(refusalLines(violationsOf(body), { kind: 'swap', session: chess, other: locked }, school, [], zh(), 'zh-CN')).toEqual([
      '故事会 基础班（周二 17:00–18:00）已锁定：先解锁才能移动。',
    ]);
  });

  it('names a rule it has no words for, with the API’s message', () => {
    const body = refusal(['capacity', '教室 101 (r1) holds 20; 国际象棋 基础班 (c1) has 30 places']);
    expect(refusalLines(violationsOf(body), { kind: 'lock', session: chess, locked: true }, school, [], zh(), 'zh-CN')).toEqual([
      '不符合排课规则（capacity）：教室 101 (r1) holds 20; 国际象棋 基础班 (c1) has 30 places',
    ]);
  });
});

describe('what a publication changed', () => {
  const now = [{ ...chess, day: 'WED', start: '15:30', end: '16:15' }, stories];
  const gone: Named = {
    ...chess,
    id: 'c3.0',
    classId: 'c3',
    clubName: '围棋',
    clubNameEn: 'Go',
    roomId: 'r9',
    roomName: '教室 9',
  };
  const before = [chess, gone];
  const slot = (s: Named) => ({ day: s.day, start: s.start, end: s.end, roomId: s.roomId, staffId: s.staffId });
  const changes: Change[] = [
    { sessionId: 'c3.0', classId: 'c3', kind: 'removed', before: slot(gone), after: null },
    { sessionId: 'c2.0', classId: 'c2', kind: 'added', before: null, after: slot(stories) },
    { sessionId: 'c1.0', classId: 'c1', kind: 'moved', before: slot(chess), after: slot(now[0]!) },
  ];

  it('says each change with the names of the version and, for what is gone, of the one before', () => {
    const names = namesOf([now, before], 'zh-CN');
    expect(changes.map((c) => changeLine(c, names, zh()))).toEqual([
      '取消 围棋 基础班：原为 周一 16:00–16:45，教室 9，王老师',
      '新增 故事会 基础班：周二 17:00–18:00，阅览室，李阿姨',
      '国际象棋 基础班：周一 16:00–16:45，教室 101，王老师 → 周三 15:30–16:15，教室 101，王老师',
    ]);
  });

  it('makes a notice to send: the term, the version and when, then what moved, what is new, what is cancelled', () => {
    const notice = changesNotice(
      { term: '2026 秋季学期', number: 3, when: '2026年10月14日 10:00' },
      changes,
      namesOf([now, before], 'zh-CN'),
      zh(),
    );
    expect(notice).toBe(
      [
        '2026 秋季学期课表已更新（第 3 版，2026年10月14日 10:00 发布）：',
        '- 国际象棋 基础班：周一 16:00–16:45，教室 101，王老师 → 周三 15:30–16:15，教室 101，王老师',
        '- 新增 故事会 基础班：周二 17:00–18:00，阅览室，李阿姨',
        '- 取消 围棋 基础班：原为 周一 16:00–16:45，教室 9，王老师',
      ].join('\n'),
    );
    const english_ = changesNotice(
      { term: 'Autumn 2026', number: 3, when: 'Oct 14, 2026, 10:00 AM' },
      changes,
      namesOf([now, before], 'en'),
      english(),
    );
    expect(english_.split('\n')[1]).toBe('- Chess 基础班: Mon 16:00–16:45, 教室 101, 王老师 → Wed 15:30–16:15, 教室 101, 王老师');
  });

  it('shows an id when no version names it', () => {
    expect(changeLine(changes[0]!, namesOf([now], 'zh-CN'), zh())).toBe('取消 c3：原为 周一 16:00–16:45，r9，王老师');
  });
});

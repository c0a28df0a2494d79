/**
 * A small school for the families tests, made through the API: grades, a term with a holiday
 * and a make-up Saturday, students with guardians linked to parents' accounts, and callers
 * for its admin and its parents. Notice dates are relative to today (the local server reads
 * the real clock), so the tests hold on any day.
 */
import { todayIn } from '@kehou/domain';
import type { Call } from '@kehou/local';
import type { TestApp } from './app';

export function ok<T = any>(r: { status: number; body: T }, what: string): T {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A date some days from today in Shanghai. */
export function daysFromToday(n: number): string {
  const d = new Date(`${todayIn('Asia/Shanghai', new Date())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const WEEK = { MON: '15:30', TUE: '15:30', WED: '14:30', THU: '15:30', FRI: '15:30' };

/** The autumn term of these tests: a holiday in the first week of October, Saturday 10 October a make-up day for FRI. */
export const AUTUMN = {
  name: '2026 秋季学期',
  startDate: '2026-09-01',
  endDate: '2027-01-22',
  holidays: [{ name: '国庆节', start: '2026-10-01', end: '2026-10-07' }],
  makeUpDays: [{ date: '2026-10-10', runsAs: 'FRI', name: '国庆调休' }],
};

export const notice = (o: { opensOn?: string; closesOn?: string; childSignature?: boolean } = {}) => ({
  titleZh: '课后服务告家长书',
  titleEn: 'After-school service: a letter to parents',
  bodyZh: '各位家长：\n本学期课后服务每周五天。不参加的学生请家长提出申请，家长和学生双签字。',
  bodyEn: 'Dear parents,\nthe service runs five days a week. If your child will not stay, apply with both signatures.',
  opensOn: o.opensOn ?? daysFromToday(-10),
  closesOn: o.closesOn ?? daysFromToday(10),
  childSignature: o.childSignature ?? true,
});

/** A form as a guardian fills it in. */
export const form = (o: Record<string, unknown> = {}) => ({
  wholeTerm: false,
  days: ['WED', 'FRI'],
  homeworkHelp: false,
  reason: { category: 'family-care', text: '奶奶接' },
  guardianSignature: { name: '王妈妈' },
  childSignature: { kind: 'drawn', image: 'M10 20 L30 40 C50 60 70 20 90 40' },
  ...o,
});

export interface Family {
  studentNo: string;
  name: string;
  grade: number;
  homeroom: string;
  /** guardians with their accounts */
  guardians: Array<{ name: string; phone: string; userId: string }>;
}

export interface FamilySchool {
  schoolId: string;
  termId: string;
  admin: Call;
  teacher: Call;
  bureau: Call;
  /** a caller for each parent account */
  parent: Record<string, Call>;
}

/** The school, its grades (1 every weekday; 2 without FRI), the autumn term, the families and their accounts. */
export async function familySchool(
  app: TestApp,
  families: readonly Family[],
  o: { district?: string; name?: string; extraGuardians?: boolean } = {},
): Promise<FamilySchool> {
  const district = o.district ?? 'd-fam';
  const bureau = await app.as('district', { user: `bureau-${district}`, district });
  const schoolId = ok(await bureau('POST', '/schools', { name: o.name ?? '家校小学', districtId: district }), 'school')
    .id as string;
  const admin = await app.as('admin', { user: `admin-${schoolId}`, schools: [schoolId] });
  const teacher = await app.as('teacher', { user: `teacher-${schoolId}`, schools: [schoolId] });
  const at = (p: string) => `/schools/${schoolId}${p}`;
  ok(await admin('POST', at('/grades'), { level: 1, name: '一年级', dismissal: WEEK, homeworkMinutes: 40 }), 'grade 1');
  const { FRI: _f, ...noFriday } = WEEK;
  ok(await admin('POST', at('/grades'), { level: 2, name: '二年级', dismissal: noFriday, homeworkMinutes: 30 }), 'grade 2');
  const termId = ok(await admin('POST', at('/terms'), AUTUMN), 'term').id as string;
  const rows = families.map((f) => ({
    studentNo: f.studentNo,
    name: f.name,
    gradeLevel: f.grade,
    homeroom: f.homeroom,
    guardians: f.guardians.map(({ name, phone }) => ({ name, phone, relation: 'mother' })),
  }));
  const accepted = ok(await admin('POST', at('/students/import'), { mode: 'create', rows }), 'import');
  await app.worker.idle();
  const job = ok(await admin('GET', at(`/imports/${accepted.importId}`)), 'import job');
  if (job.state !== 'finished') throw new Error(`import: ${JSON.stringify(job)}`);
  const parent: Record<string, Call> = {};
  const guardians = families.flatMap((f) => f.guardians);
  for (let i = 0; i < guardians.length; i += 16)
    await Promise.all(
      guardians.slice(i, i + 16).map(async (g) => {
        const list = ok(await admin('GET', at(`/students/${families.find((f) => f.guardians.includes(g))!.studentNo}`)), 'child');
        for (const id of list.guardianIds as string[]) {
          const rec = ok(await admin('GET', at(`/guardians/${id}`)), 'guardian');
          if (rec.phone !== g.phone) continue;
          const { id: _i, schoolId: _s, createdAt: _c, updatedAt: _u, updatedBy: _b, ...body } = rec;
          ok(await admin('PUT', at(`/guardians/${id}`), { ...body, userId: g.userId }), 'link');
        }
        parent[g.userId] = await app.as('parent', { user: g.userId, schools: [schoolId] });
      }),
    );
  return { schoolId, termId, admin, teacher, bureau, parent };
}

/**
 * A school for ranked allocation at scale, from the allocation benchmark's generator
 * (packages/domain/bench/allocation-school.ts: clubs of uneven popularity, clashing weekly
 * sessions, advanced classes): its clubs made through the API, its children imported through
 * the API (a job), and what families and the timetable would have written made directly
 * through the product's repositories, to keep the set-up short — each class's weekly
 * sessions as the published timetable shows them, each child's ranked choices, and a
 * teacher's approval for each advanced class chosen (the school has no last term). Its ranked
 * window has closed: the allocation may run.
 */
import type { SessionView } from '@kehou/domain';
import { awaitJob, type Call } from '@kehou/local';
import type { Store } from '@kehou/store';
import { generateSchool } from '../../packages/domain/bench/allocation-school';
import { openWindow, shanghaiIn } from './enrolment';
import { WEEK } from './families';

function ok<T = any>(r: { status: number; body: T }, what: string): T {
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Runs `fn` over `items`, `n` at a time. */
async function inParallel<T>(items: readonly T[], n: number, fn: (x: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

export interface AllocationSchoolOptions {
  children: number;
  clubs: number;
  choices: number;
  seats: number;
  places: number;
  /** draws the school */
  school?: number;
}

export interface AllocationSchool {
  schoolId: string;
  termId: string;
  /** …/terms/{termId}/enrolment */
  enrol: string;
  classes: number;
  seats: number;
  /** choices ranked, all eligible */
  ranked: number;
}

/** Makes the school, as the district `bureau` and its `admin` (who must be given the school: `adminOf`). */
export async function allocationSchool(
  bureau: Call,
  adminOf: (schoolId: string) => Promise<Call>,
  store: Store,
  o: AllocationSchoolOptions,
  say: (s: string) => void = () => undefined,
): Promise<AllocationSchool & { admin: Call }> {
  const { input } = generateSchool({ ...o, placesPerChild: o.places, school: o.school ?? 2026, seed: 29 });
  const district = 'd-alloc-bench';
  const schoolId = ok(await bureau('POST', '/schools', { name: '志愿分配压测小学', districtId: district }), 'school')
    .id as string;
  const admin = await adminOf(schoolId);
  const at = (p: string) => `/schools/${schoolId}${p}`;
  for (let level = 1; level <= 6; level++)
    ok(await admin('POST', at('/grades'), { level, name: `${level}年级`, dismissal: WEEK }), 'grade');
  const termId = ok(await admin('POST', at('/terms'), { name: '秋季', startDate: '2026-09-01', endDate: '2027-01-22' }), 'term')
    .id as string;

  say(`${input.classes.length} classes of ${o.clubs} clubs…`);
  // the generator's classes: c<club>-g<first grade>-<section>, or c<club>-adv (grades 3–6)
  const byClub = new Map<number, typeof input.classes>();
  for (const k of input.classes) {
    const club = Number(/^c(\d+)-/.exec(k.id)![1]);
    byClub.set(club, [...(byClub.get(club) ?? []), k]);
  }
  const apiId = new Map<string, string>();
  const views: SessionView[] = [];
  await inParallel([...byClub], 4, async ([club, classes]) => {
    const tierOf = (id: string) => (id.endsWith('-adv') ? 'advanced' : 'basic');
    const gradesOf = (id: string) => {
      if (id.endsWith('-adv')) return [3, 4, 5, 6];
      const first = Number(/-g(\d)-/.exec(id)![1]);
      return [first, first + 1];
    };
    const made = ok(
      await admin('POST', at('/clubs'), {
        termId,
        name: `社团${club}`,
        nameEn: `Club ${club}`,
        category: 'other',
        descriptionZh: `社团${club}`,
        descriptionEn: `Club ${club}`,
        skill: `skill-${club}`,
        classes: classes.map((k) => ({
          tier: tierOf(k.id),
          name: k.id,
          grades: gradesOf(k.id),
          capacity: k.seatsLeft,
          sessionsPerWeek: k.slots.length,
          minutesPerSession: 60,
          ...(tierOf(k.id) === 'advanced' ? { prerequisite: { tier: 'basic', orTeacherApproval: true } } : {}),
        })),
      }),
      `club ${club}`,
    ) as { id: string; classes: Array<{ id: string; name: string; tier: string; grades: number[] }> };
    for (const [i, k] of classes.entries()) {
      const made_ = made.classes[i]!;
      apiId.set(k.id, made_.id);
      k.slots.forEach((s, n) =>
        views.push({
          id: `${made_.id}.${n + 1}`,
          classId: made_.id,
          clubId: made.id,
          day: s.day,
          start: s.start,
          end: s.end,
          roomId: 'room',
          staffId: 'staff',
          locked: false,
          clubName: `社团${club}`,
          clubNameEn: `Club ${club}`,
          className: made_.name,
          tier: made_.tier,
          grades: made_.grades,
          minutes: 60,
          roomName: '教室',
          staffName: '老师',
        }),
      );
    }
  });
  await store.timetables.syncViews(schoolId, termId, views);

  say(`${input.children.length} children, imported (a job)…`);
  const rows = input.children.map((k, i) => ({
    studentNo: k.id,
    name: `学生${i}`,
    gradeLevel: (i % 6) + 1,
    homeroom: String((i % 4) + 1),
  }));
  const accepted = ok(await admin('POST', at('/students/import'), { mode: 'create', rows }), 'import');
  const imported = await awaitJob<{ state: string; message: string }>(admin, at(`/imports/${accepted.importId}`), 600_000);
  if (imported.state !== 'finished') throw new Error(`import: ${imported.message}`);

  say('their ranked choices and approvals; the window closed…');
  const enrol = at(`/terms/${termId}/enrolment`);
  const closed = {
    mode: 'ranked',
    places: o.places,
    choices: o.choices,
    opensAt: shanghaiIn(-48 * 60),
    closesAt: shanghaiIn(-1),
  };
  ok(await admin('PUT', `${enrol}/window`, openWindow(closed)), 'window');
  const now = new Date().toISOString();
  const choosing = input.children.filter((k) => k.choices.length > 0);
  await inParallel(choosing, 32, async (k) => {
    const choices = k.choices.map((id) => apiId.get(id)!);
    await store.enrolments.putChoices({
      schoolId,
      termId,
      studentNo: k.id,
      choices,
      version: 1,
      updatedAt: now,
      updatedBy: 'bench',
    });
    for (const id of k.choices.filter((c) => c.endsWith('-adv')))
      await store.enrolments.approve(schoolId, termId, { studentNo: k.id, classId: apiId.get(id)!, by: 'bench', at: now });
  });
  return {
    schoolId,
    termId,
    enrol,
    admin,
    classes: input.classes.length,
    seats: input.classes.reduce((s, k) => s + k.seatsLeft, 0),
    ranked: choosing.reduce((s, k) => s + k.choices.length, 0),
  };
}

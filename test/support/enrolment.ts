/**
 * Clubs for the enrolment tests and bench, made through the API with a published timetable
 * whose times are known: each class has a fixed teacher free for exactly its session, so the
 * solver can only put it there.
 *   机器人 基础班  MON 16:30–17:30  30 places
 *   机器人 进阶班  TUE 16:30–17:30   2 places, needs 基础班 last term or a teacher's approval
 *   舞蹈 基础班    TUE 17:00–17:45   1 place (clashes with 进阶班)
 *   美术 基础班    THU 16:30–17:30   5 places
 */
import { formatInTimeZone } from 'date-fns-tz';
import { awaitJob, type Call } from '@kehou/local';
import { basicClass, clubBody, published } from './clubs';
import { ok } from './families';

export interface EnrolmentClasses {
  robotBasic: string;
  robotAdvanced: string;
  dance: string;
  art: string;
}

/** Wall-clock time in Shanghai some minutes from now, as a window takes it. */
export const shanghaiIn = (minutes: number) =>
  formatInTimeZone(new Date(Date.now() + minutes * 60_000), 'Asia/Shanghai', "yyyy-MM-dd'T'HH:mm");

/** A first-come-first-served window open now (a day either side), withdrawals until a week from now. */
export const openWindow = (o: Record<string, unknown> = {}) => ({
  mode: 'fcfs',
  opensAt: shanghaiIn(-24 * 60),
  closesAt: shanghaiIn(24 * 60),
  places: 2,
  withdrawUntil: shanghaiIn(7 * 24 * 60).slice(0, 10),
  version: 0,
  ...o,
});

export async function enrolmentClubs(
  admin: Call,
  schoolId: string,
  termId: string,
  idle: () => Promise<void>,
  grades: number[] = [1, 2, 3, 4, 5, 6],
): Promise<EnrolmentClasses> {
  const at = (p: string) => `/schools/${schoolId}${p}`;
  const teacher = async (name: string, skill: string, day: string, start: string, end: string) =>
    ok(
      await admin('POST', at('/staff'), { name, kind: 'teacher', skills: [skill], availability: { [day]: [{ start, end }] } }),
      name,
    ).id as string;
  const wang = await teacher('王老师', 'robotics', 'MON', '16:30', '17:30');
  const li = await teacher('李老师', 'robotics', 'TUE', '16:30', '17:30');
  const zhao = await teacher('赵老师', 'dance', 'TUE', '17:00', '17:45');
  const sun = await teacher('孙老师', 'art', 'THU', '16:30', '17:30');
  for (const name of ['一号教室', '二号教室', '三号教室']) ok(await admin('POST', at('/rooms'), { name, capacity: 40 }), name);
  const klass = (name: string, capacity: number, minutes: number, fixedStaffId: string, more: object = {}) =>
    basicClass({ name, grades, capacity, minutesPerSession: minutes, fixedStaffId, ...more });
  const club = async (name: string, skill: string, classes: object[]) =>
    ok(await admin('POST', at('/clubs'), clubBody(termId, name, skill, classes)), name) as {
      classes: Array<{ id: string; name: string }>;
    };
  const robot = await club('机器人', 'robotics', [
    klass('基础班', 30, 60, wang),
    klass('进阶班', 2, 60, li, { tier: 'advanced', prerequisite: { tier: 'basic', orTeacherApproval: true } }),
  ]);
  const dance = await club('舞蹈', 'dance', [klass('基础班', 1, 45, zhao)]);
  const art = await club('美术', 'art', [klass('基础班', 5, 60, sun)]);
  await published(admin, at(`/terms/${termId}/timetable`), idle);
  return {
    robotBasic: robot.classes[0]!.id,
    robotAdvanced: robot.classes[1]!.id,
    dance: dance.classes[0]!.id,
    art: art.classes[0]!.id,
  };
}

/** The term's allocation with its lists read to their end (following `next`, `limit` pages an answer). */
export async function readAllocation(admin: Call, enrol: string, limit?: number): Promise<any> {
  const q = limit ? `?limit=${limit}` : '';
  let view = ok(await admin('GET', `${enrol}/allocation${q}`), 'allocation');
  const lists = ['classes', 'grants', 'unplacedChoices', 'dropped', 'lottery', 'bumped'] as const;
  let answers = 1;
  while (view.next) {
    const more = ok(await admin('GET', `${enrol}/allocation?${limit ? `limit=${limit}&` : ''}cursor=${view.next}`), 'more');
    if (more.version !== view.version)
      throw new Error(`the allocation changed while it was read: ${view.version} → ${more.version}`);
    for (const l of lists) more[l] = [...view[l], ...more[l]];
    view = more;
    answers++;
  }
  return { ...view, answers };
}

/**
 * Runs (`POST …/allocation`) or publishes (`…/allocation/publish`) the term's allocation, a
 * job, and waits for it to end: the 202's answer and the job as it ended.
 */
export async function allocationJob(admin: Call, path: string, body: unknown): Promise<{ accepted: any; job: any }> {
  const res = await admin('POST', path, body);
  if (res.status !== 202) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return { accepted: res.body, job: await awaitJob<any>(admin, res.headers.location!) };
}

/** Clubs and timetables made through the API in tests, written once. */
import type { Call } from '@kehou/local';
import { ok } from './families';

/** The body that makes a club of a term: names and descriptions from its name (and English name). */
export const clubBody = (termId: string, name: string, skill: string, classes: object[], nameEn = name) => ({
  termId,
  name,
  nameEn,
  category: 'other',
  descriptionZh: name,
  descriptionEn: nameEn,
  skill,
  classes,
});

/** A basic class of a test club: 基础班 for grade 1, 30 places, once a week for 45 minutes, unless told. */
export const basicClass = (more: object = {}) => ({
  tier: 'basic',
  name: '基础班',
  grades: [1],
  capacity: 30,
  sessionsPerWeek: 1,
  minutesPerSession: 45,
  ...more,
});

/** Generates a term's timetable (`tt`: its timetable path) as a job, waits for it, and answers the draft. */
export async function generated(admin: Call, tt: string, idle: () => Promise<unknown>, body: object = {}) {
  const { jobId } = ok(await admin('POST', `${tt}/generate`, body), 'generation');
  await idle();
  const { draft } = ok(await admin('GET', `${tt}/jobs/${jobId}`), 'generated');
  if (!draft) throw new Error(`the timetable was not generated (job ${jobId})`);
  return draft as { version: number; number: number };
}

/** Generates a term's timetable and publishes it. */
export async function published(admin: Call, tt: string, idle: () => Promise<unknown>, body: object = {}) {
  const draft = await generated(admin, tt, idle, body);
  ok(await admin('POST', `${tt}/publish`, { version: draft.version }), 'publication');
  return draft;
}

/** How a child, a form and its days are named and linked. */
import type { TFunction } from 'i18next';
import { PATHS } from '../../paths';
import type { Me } from '../../api/client';
import type { SignedOptOut } from './types';

export type ChildRef = Me['children'][number];

/** The child's page, on a term's notice if given. */
export const childPath = (c: Pick<ChildRef, 'schoolId' | 'studentNo'>, termId?: string) =>
  `${PATHS.family}?school=${encodeURIComponent(c.schoolId)}&child=${encodeURIComponent(c.studentNo)}${
    termId ? `&term=${encodeURIComponent(termId)}` : ''
  }`;

/** A calendar date for people, with its year: "2026年12月7日" / "December 7, 2026". */
export const formatDate = (d: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long', day: 'numeric' }).format(
    new Date(`${d}T00:00:00Z`),
  );

/** "周三、周五" / "the whole term". */
export const daysText = (t: TFunction, o: Pick<SignedOptOut, 'wholeTerm' | 'days'>) =>
  o.wholeTerm ? t('family.form.wholeTerm') : o.days.map((d) => t(`family.day.${d}`)).join(t('listSeparator'));

/** What a choice means in a sentence: the days out, and whether the child stays for homework help. */
export const choiceText = (t: TFunction, o: Pick<SignedOptOut, 'wholeTerm' | 'days' | 'homeworkHelp'>) =>
  t(o.homeworkHelp ? 'family.form.outWithHomework' : 'family.form.out', { days: daysText(t, o) });

/** Why a date has no service for a grade, in words: a holiday (by name), a weekend, a weekday the grade has none, no school. */
export function noServiceText(t: TFunction, d: { weekday: string; runsAs: string | null; note: string | null }): string {
  if (d.runsAs) return t('family.week.noService');
  if (d.note?.startsWith(HOLIDAY)) return t('family.week.holiday', { name: d.note.slice(HOLIDAY.length) });
  return ['SAT', 'SUN'].includes(d.weekday) ? t('family.week.weekend') : t('family.week.noSchool');
}
/** how the API's note names a holiday ("holiday: 国庆节") */
const HOLIDAY = 'holiday: ';

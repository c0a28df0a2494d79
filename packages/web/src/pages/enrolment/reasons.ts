/**
 * Why a class is not open to a child, in the reader's language: each reason by its rule, with
 * the names from the child's view (the server's `message` is the API's English wording).
 */
import type { TFunction } from 'i18next';
import type { paths } from '../../api/schema';

export type ChildEnrolment =
  paths['/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}']['get']['responses'][200]['content']['application/json'];
export type ClassRow = ChildEnrolment['classes'][number];

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const overlaps = (a: ClassRow, b: ClassRow) =>
  a.slots.some((x) =>
    b.slots.some((y) => x.day === y.day && minutes(x.start) < minutes(y.end) && minutes(y.start) < minutes(x.end)),
  );

export function reasonText(t: TFunction, k: ClassRow, v: ChildEnrolment, rule: ClassRow['reasons'][number]['rule']): string {
  const what = `${k.clubName} ${k.className}`;
  switch (rule) {
    case 'grade':
      return t('enrolment.reason.grade', { grades: k.grades.join(t('listSeparator')), name: v.name, grade: v.gradeLevel });
    case 'prerequisite': {
      const needed = v.classes.find((x) => x.clubId === k.clubId && x.tier === k.prerequisite?.tier);
      const before = needed ? `${needed.clubName} ${needed.className}` : `${k.clubName} ${k.prerequisite?.tier ?? ''}`;
      return t(k.prerequisite?.orTeacherApproval ? 'enrolment.reason.prerequisiteOrApproval' : 'enrolment.reason.prerequisite', {
        before,
      });
    }
    case 'unscheduled':
      return t('enrolment.reason.unscheduled');
    case 'opted-out':
      return t('enrolment.reason.optedOut', { name: v.name });
    case 'clash': {
      const other = v.classes.filter((x) => x.classId !== k.classId && x.status?.state === 'granted' && overlaps(k, x));
      return other.length
        ? t('enrolment.reason.clash', {
            other: other.map((x) => `${x.clubName} ${x.className}`).join(t('listSeparator')),
            name: v.name,
          })
        : t('enrolment.reason.clashSome', { what });
    }
    case 'places':
      return t('enrolment.reason.places', { name: v.name, places: v.window?.places ?? 0 });
  }
}

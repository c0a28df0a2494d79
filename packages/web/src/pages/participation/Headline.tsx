/** What a school's and a district's participation pages have in common: the term's two figures, and the teachers' by weekday. */
import { useTranslation } from 'react-i18next';
import { SCHOOL_DAYS, type Participation, type StudentCount, type TeacherCount } from '../family/types';
import { Bars } from './Bars';
import { percentText } from './figures';

/** "148 / 149" with who takes part in homework help only. */
export function useCounts() {
  const { t } = useTranslation();
  return (c: StudentCount) =>
    c.homeworkOnly
      ? t('family.participation.countsHomework', { staying: c.staying, enrolled: c.enrolled, homework: c.homeworkOnly })
      : t('family.participation.countsOf', { staying: c.staying, enrolled: c.enrolled });
}

export function Headline({ students, teachers }: { students: StudentCount; teachers: TeacherCount }) {
  const { t } = useTranslation();
  const counts = useCounts();
  return (
    <dl className="headline">
      <div className="card">
        <dt>{t('family.participation.students')}</dt>
        <dd>
          <strong>{percentText(students.percent)}</strong>
          <span className="hint">{counts(students)}</span>
        </dd>
      </div>
      <div className="card">
        <dt>{t('family.participation.teachers')}</dt>
        <dd>
          <strong>{percentText(teachers.percent)}</strong>
          <span className="hint">{t('family.participation.teachersOf', { taking: teachers.taking, all: teachers.all })}</span>
        </dd>
      </div>
    </dl>
  );
}

export function TeacherDays({ teachers }: { teachers: Participation['teachers'] }) {
  const { t } = useTranslation();
  return (
    <Bars
      id="chart-teachers"
      title={t('family.participation.teachersByDay')}
      bars={SCHOOL_DAYS.map((d) => ({
        label: t(`family.day.${d}`),
        percent: teachers.days[d].percent,
        detail: t('family.participation.teachersOf', { taking: teachers.days[d].taking, all: teachers.days[d].all }),
      }))}
    />
  );
}

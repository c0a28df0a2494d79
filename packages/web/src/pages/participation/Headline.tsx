/** What a school's and a district's participation pages have in common: the term's two figures, charts by weekday, tables. */
import { useTranslation } from 'react-i18next';
import { SCHOOL_DAYS, type Participation, type StudentCount, type TeacherCount } from '../family/types';
import { ScrollTable } from '../family/ScrollTable';
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

/** The students taking part each weekday, charted. */
export function DayBars({ days }: { days: Participation['students']['days'] }) {
  const { t } = useTranslation();
  const counts = useCounts();
  return (
    <Bars
      id="chart-days"
      title={t('family.participation.byDay')}
      bars={SCHOOL_DAYS.map((d) => ({ label: t(`family.day.${d}`), percent: days[d].percent, detail: counts(days[d]) }))}
    />
  );
}

/** Rows of figures (grades, classes): the term's and each weekday's percentages, and the term's counts. */
export function FiguresTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  /** what a row is */
  head: string;
  rows: ReadonlyArray<{ key: string; label: string; figures: Pick<Participation['students'], 'term' | 'days'> }>;
}) {
  const { t } = useTranslation();
  const counts = useCounts();
  return (
    <ScrollTable caption={caption}>
      <thead>
        <tr>
          <th scope="col">{head}</th>
          <th scope="col">{t('family.participation.term')}</th>
          <th scope="col">{t('family.participation.counts')}</th>
          {SCHOOL_DAYS.map((d) => (
            <th key={d} scope="col">
              {t(`family.day.${d}`)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{percentText(r.figures.term.percent)}</td>
            <td>{counts(r.figures.term)}</td>
            {SCHOOL_DAYS.map((d) => (
              <td key={d}>{percentText(r.figures.days[d].percent)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </ScrollTable>
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

/**
 * A school's participation in a term (admins, teachers): students staying / enrolled and
 * teachers taking part / all teachers, for the term and each weekday, charted per weekday and
 * per grade, with the figures per grade and homeroom in tables.
 */
import '../people/people.css';
import '../family/family.css';
import './participation.css';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { SCHOOL_DAYS, type Participation as Figures } from '../family/types';
import { TermSelect } from '../optouts/TermSelect';
import { withQuery } from '../people/query';
import { Bars } from './Bars';
import { Headline, TeacherDays, useCounts } from './Headline';
import { percentText } from './figures';
import { ScrollTable } from '../family/ScrollTable';

export default function Participation({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const school = ctx.school!;
  const zone = zoneOf(school);
  return (
    <Page title={t('family.participation.title')}>
      <TermSelect
        id="participation-term"
        schoolId={school.id}
        zone={zone}
        asked={query.get('term')}
        onChange={(term) => navigate(withQuery(PATHS.participation, query, { term }))}
      >
        {(term) => <SchoolFigures schoolId={school.id} termId={term.id} />}
      </TermSelect>
    </Page>
  );
}

function SchoolFigures({ schoolId, termId }: { schoolId: string; termId: string }) {
  const { t } = useTranslation();
  const counts = useCounts();
  const figures = useQuery({
    queryKey: ['participation', schoolId, termId],
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/terms/{termId}/participation', { params: { path: { schoolId, termId } } })),
  });
  if (figures.error) return <LoadError error={figures.error} />;
  if (!figures.data) return <Loading />;
  const p: Figures = figures.data;
  const grade = (level: number) => p.grades.find((g) => g.grade === level)?.name ?? t('people.grade', { level });
  return (
    <>
      <Headline students={p.students.term} teachers={p.teachers.term} />
      <Bars
        id="chart-days"
        title={t('family.participation.byDay')}
        bars={SCHOOL_DAYS.map((d) => ({
          label: t(`family.day.${d}`),
          percent: p.students.days[d].percent,
          detail: counts(p.students.days[d]),
        }))}
      />
      <Bars
        id="chart-grades"
        title={t('family.participation.byGrade')}
        bars={p.grades.map((g) => ({ label: g.name, percent: g.term.percent, detail: counts(g.term) }))}
      />
      <h2>{t('family.participation.gradeDays')}</h2>
      <ScrollTable caption={t('family.participation.gradeDays')}>
        <thead>
          <tr>
            <th scope="col">{t('family.admin.grade')}</th>
            <th scope="col">{t('family.participation.term')}</th>
            {SCHOOL_DAYS.map((d) => (
              <th key={d} scope="col">
                {t(`family.day.${d}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.grades.map((g) => (
            <tr key={g.grade}>
              <th scope="row">{g.name}</th>
              <td>{percentText(g.term.percent)}</td>
              {SCHOOL_DAYS.map((d) => (
                <td key={d}>{percentText(g.days[d].percent)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <h2>{t('family.participation.homerooms')}</h2>
      <ScrollTable caption={t('family.participation.homerooms')}>
        <thead>
          <tr>
            <th scope="col">{t('family.admin.class')}</th>
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
          {p.homerooms.map((h) => (
            <tr key={`${h.grade}-${h.homeroom}`}>
              <th scope="row">{t('family.admin.homeroom', { grade: grade(h.grade), homeroom: h.homeroom })}</th>
              <td>{percentText(h.term.percent)}</td>
              <td>{counts(h.term)}</td>
              {SCHOOL_DAYS.map((d) => (
                <td key={d}>{percentText(h.days[d].percent)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </ScrollTable>
      <TeacherDays teachers={p.teachers} />
    </>
  );
}

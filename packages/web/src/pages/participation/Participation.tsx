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
import type { Participation as Figures } from '../family/types';
import { withQuery } from '../people/query';
import { TermChoice, useTerm } from '../people/TermChoice';
import { Bars } from './Bars';
import { DayBars, FiguresTable, Headline, TeacherDays, useCounts } from './Headline';

export default function Participation({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const school = ctx.school!;
  const zone = zoneOf(school);
  return (
    <Page title={t('family.participation.title')}>
      <TermChoice
        id="participation-term"
        chosen={useTerm(school.id, zone, query.get('term'))}
        none={t('family.admin.noTerm')}
        onChange={(term) => navigate(withQuery(PATHS.participation, query, { term }))}
      >
        {(term) => <SchoolFigures schoolId={school.id} termId={term.id} />}
      </TermChoice>
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
      <DayBars days={p.students.days} />
      <Bars
        id="chart-grades"
        title={t('family.participation.byGrade')}
        bars={p.grades.map((g) => ({ label: g.name, percent: g.term.percent, detail: counts(g.term) }))}
      />
      <h2>{t('family.participation.gradeDays')}</h2>
      <FiguresTable
        caption={t('family.participation.gradeDays')}
        head={t('family.admin.grade')}
        rows={p.grades.map((g) => ({ key: String(g.grade), label: g.name, figures: g }))}
      />
      <h2>{t('family.participation.homerooms')}</h2>
      <FiguresTable
        caption={t('family.participation.homerooms')}
        head={t('family.admin.class')}
        rows={p.homerooms.map((h) => ({
          key: `${h.grade}-${h.homeroom}`,
          label: t('family.admin.homeroom', { grade: grade(h.grade), homeroom: h.homeroom }),
          figures: h,
        }))}
      />
      <TeacherDays teachers={p.teachers} />
    </>
  );
}

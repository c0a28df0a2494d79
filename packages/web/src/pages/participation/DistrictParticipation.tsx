/**
 * A bureau's participation: its own schools in the term that covers a date (`?date=`, today in
 * China by default), the district's sums, each school's figures charted and in a table.
 */
import '../people/people.css';
import './participation.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { todayIn } from '../../time';
import { Bars } from './Bars';
import { DayBars, Headline, TeacherDays, useCounts } from './Headline';
import { percentText } from './figures';
import { ScrollTable } from '../family/ScrollTable';

/** A bureau's schools are in China: their dates are Beijing time. */
const CHINA = 'Asia/Shanghai';

export default function DistrictParticipation({ ctx }: PageProps) {
  const { t } = useTranslation();
  const counts = useCounts();
  const districtId = ctx.me.district!;
  const date = new URLSearchParams(useSearch()).get('date') ?? todayIn(CHINA, new Date());
  const [typed, setTyped] = useState(date);
  const figures = useQuery({
    queryKey: ['district-participation', districtId, date],
    queryFn: () =>
      data(api().GET('/districts/{districtId}/participation', { params: { path: { districtId }, query: { date } } })),
  });
  const p = figures.data;
  return (
    <Page title={t('family.participation.districtTitle', { district: districtId })}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`${PATHS.districtParticipation}?date=${typed}`);
        }}
      >
        <div className="field">
          <label htmlFor="district-date">{t('family.participation.date')}</label>
          <input
            id="district-date"
            type="date"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby="district-date-hint"
          />
          <p className="hint" id="district-date-hint">
            {t('family.participation.dateHint')}
          </p>
        </div>
        <div className="actions">
          <button type="submit">{t('family.participation.show')}</button>
        </div>
      </form>
      {figures.error ? (
        <LoadError error={figures.error} />
      ) : !p ? (
        <Loading />
      ) : (
        <>
          <Headline students={p.students.term} teachers={p.teachers.term} />
          <Bars
            id="chart-schools"
            title={t('family.participation.bySchool')}
            bars={p.schools.map((s) => ({
              label: s.name,
              percent: s.figures?.students.term.percent ?? null,
              detail: s.figures ? counts(s.figures.students.term) : t('family.participation.noTerm'),
            }))}
          />
          <DayBars days={p.students.days} />
          <TeacherDays teachers={p.teachers} />
          <h2>{t('family.participation.schools')}</h2>
          <ScrollTable caption={t('family.participation.schools')}>
            <thead>
              <tr>
                <th scope="col">{t('family.participation.school')}</th>
                <th scope="col">{t('family.participation.students')}</th>
                <th scope="col">{t('family.participation.counts')}</th>
                <th scope="col">{t('family.participation.teachers')}</th>
              </tr>
            </thead>
            <tbody>
              {p.schools.map((s) => (
                <tr key={s.schoolId}>
                  <th scope="row">{s.name}</th>
                  {s.figures ? (
                    <>
                      <td>{percentText(s.figures.students.term.percent)}</td>
                      <td>{counts(s.figures.students.term)}</td>
                      <td>
                        {percentText(s.figures.teachers.term.percent)} (
                        {t('family.participation.teachersOf', {
                          taking: s.figures.teachers.term.taking,
                          all: s.figures.teachers.term.all,
                        })}
                        )
                      </td>
                    </>
                  ) : (
                    <td colSpan={3}>{t('family.participation.noTerm')}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </>
      )}
    </Page>
  );
}

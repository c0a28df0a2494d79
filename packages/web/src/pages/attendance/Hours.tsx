/**
 * Staff members' after-school hours in a month (admins), from the sessions whose attendance
 * was taken: teachers' pay at the school's rate, volunteers' hours; the remuneration report
 * and the volunteer-hours statement as CSV.
 */
import './attendance.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { todayIn } from '../../time';

const yuan = (fen: number) => (fen / 100).toFixed(2);

export default function Hours({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const month = new URLSearchParams(useSearch()).get('month') ?? todayIn(zoneOf(school), new Date()).slice(0, 7);
  const path = { schoolId: school.id };
  const report = useQuery({
    queryKey: ['hours', school.id, month],
    queryFn: () => data(api().GET('/schools/{schoolId}/hours', { params: { path, query: { month } } })),
  });
  const [csvFailed, setCsvFailed] = useState(false);
  const csv = async (statement: 'remuneration' | 'volunteer') => {
    setCsvFailed(false);
    try {
      const file = await data(
        api().GET('/schools/{schoolId}/hours/export.csv', { params: { path, query: { month, statement } }, parseAs: 'blob' }),
      );
      const a = document.createElement('a');
      a.href = URL.createObjectURL(file);
      a.download = `${statement}-${month}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch {
      setCsvFailed(true);
    }
  };
  return (
    <Page title={t('attendance.hours.title')}>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`${PATHS.hours}?month=${String(new FormData(e.currentTarget).get('month'))}`);
        }}
      >
        <label>
          {t('attendance.hours.month')} <input type="month" name="month" defaultValue={month} required />
        </label>
        <button type="submit">{t('attendance.hours.show')}</button>
      </form>
      {report.error ? (
        <LoadError error={report.error} />
      ) : !report.data ? (
        <Loading />
      ) : (
        <>
          <p>
            {report.data.hourlyRateFen === null
              ? t('attendance.hours.noRate')
              : t('attendance.hours.rate', { rate: yuan(report.data.hourlyRateFen) })}
          </p>
          {report.data.staff.length === 0 ? (
            <p>{t('attendance.hours.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('attendance.hours.name')}</th>
                    <th scope="col">{t('attendance.hours.kind')}</th>
                    <th scope="col">{t('attendance.hours.sessions')}</th>
                    <th scope="col">{t('attendance.hours.minutes')}</th>
                    <th scope="col">{t('attendance.hours.hoursCol')}</th>
                    <th scope="col">{t('attendance.hours.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.staff.map((s) => (
                    <tr key={s.staffId}>
                      <th scope="row">{s.name}</th>
                      <td>{t(`attendance.hours.kinds.${s.kind}`, { defaultValue: s.kind })}</td>
                      <td>{s.sessions}</td>
                      <td>{s.minutes}</td>
                      <td>{s.hours.toFixed(2)}</td>
                      <td>{s.amountFen === null ? '—' : yuan(s.amountFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div className="actions">
            <button type="button" onClick={() => void csv('remuneration')}>
              {t('attendance.hours.remuneration')}
            </button>
            <button type="button" onClick={() => void csv('volunteer')}>
              {t('attendance.hours.volunteer')}
            </button>
          </div>
          <p role="alert" className="error">
            {csvFailed ? t('attendance.hours.csvFailed') : ''}
          </p>
        </>
      )}
    </Page>
  );
}

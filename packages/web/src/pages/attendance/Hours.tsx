/**
 * After-school hours in a month, from the sessions whose attendance was taken. Admins: every
 * staff member's, teachers' pay at the school's rate, volunteers' hours, the remuneration
 * report and the volunteer-hours statement as CSV. A teacher or volunteer: their own
 * (MyHours.tsx).
 */
import './attendance.css';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import type { PageProps } from '../../routes';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { DownloadFailed, MonthForm, useDownload, useMonth, yuan } from './month';
import { MyHours } from './MyHours';

export default function Hours({ ctx }: PageProps) {
  return ctx.roles.includes('admin') ? <SchoolHours ctx={ctx} /> : <MyHours ctx={ctx} />;
}

function SchoolHours({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const month = useMonth(school);
  const path = { schoolId: school.id };
  const report = useQuery({
    queryKey: ['hours', school.id, month],
    queryFn: () => data(api().GET('/schools/{schoolId}/hours', { params: { path, query: { month } } })),
  });
  const { failed, download } = useDownload();
  const csv = (statement: 'remuneration' | 'volunteer') =>
    download(
      () =>
        data(
          api().GET('/schools/{schoolId}/hours/export.csv', { params: { path, query: { month, statement } }, parseAs: 'blob' }),
        ),
      `${statement}-${month}.csv`,
    );
  return (
    <Page title={t('attendance.hours.title')}>
      <MonthForm month={month} />
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
          <DownloadFailed failed={failed} />
        </>
      )}
    </Page>
  );
}

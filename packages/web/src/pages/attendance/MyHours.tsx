/**
 * A teacher's or volunteer's own after-school hours in a month: for each of their staff records
 * at the school, the sessions whose attendance was taken (date, class, time, minutes), the
 * total, a teacher's pay at the school's rate, and their statement as CSV.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, type Me } from '../../api/client';
import type { PageProps } from '../../routes';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatDay } from '../../time';
import { DownloadFailed, MonthForm, useDownload, useMonth, yuan } from './month';

export function MyHours({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const month = useMonth(school);
  const mine = ctx.me.staff.filter((s) => s.schoolId === school.id);
  return (
    <Page title={t('attendance.hours.mine.title')}>
      <MonthForm month={month} />
      {mine.length === 0 ? (
        <p>{t('attendance.hours.mine.noRecord')}</p>
      ) : (
        mine.map((s) => <StaffMonth key={s.id} staff={s} month={month} />)
      )}
    </Page>
  );
}

function StaffMonth({ staff, month }: { staff: Me['staff'][number]; month: string }) {
  const { t, i18n } = useTranslation();
  const path = { schoolId: staff.schoolId, staffId: staff.id };
  const hours = useQuery({
    queryKey: ['staff-hours', staff.schoolId, staff.id, month],
    queryFn: () => data(api().GET('/schools/{schoolId}/staff/{staffId}/hours', { params: { path, query: { month } } })),
  });
  const { failed, download } = useDownload();
  if (hours.error) return <LoadError error={hours.error} />;
  if (!hours.data) return <Loading />;
  const h = hours.data;
  const teacher = h.kind === 'teacher';
  return (
    <section className="card" aria-labelledby={`hours-${staff.id}`}>
      <h2 id={`hours-${staff.id}`}>
        {h.name}（{t(`attendance.hours.kinds.${h.kind}`, { defaultValue: h.kind })}）
      </h2>
      <p>{t('attendance.hours.mine.total', { sessions: h.sessions, minutes: h.minutes, hours: h.hours.toFixed(2) })}</p>
      {teacher && (
        <p>
          {h.hourlyRateFen === null || h.amountFen === null
            ? t('attendance.hours.mine.noRate')
            : t('attendance.hours.mine.pay', { amount: yuan(h.amountFen), rate: yuan(h.hourlyRateFen) })}
        </p>
      )}
      {h.items.length === 0 ? (
        <p>{t('attendance.hours.none')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('attendance.hours.mine.sessions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('attendance.hours.mine.date')}</th>
                <th scope="col">{t('attendance.hours.mine.session')}</th>
                <th scope="col">{t('attendance.hours.minutes')}</th>
              </tr>
            </thead>
            <tbody>
              {h.items.map((s) => (
                <tr key={`${s.date}#${s.sessionId}`}>
                  <th scope="row">{formatDay(s.date, i18n.language)}</th>
                  <td>
                    {s.clubName} {s.className}
                    <br />
                    <span className="hint">
                      {s.start}–{s.end} · {s.roomName}
                    </span>
                  </td>
                  <td>{s.minutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button
          type="button"
          onClick={() =>
            void download(
              () =>
                data(
                  api().GET('/schools/{schoolId}/staff/{staffId}/hours/export.csv', {
                    params: { path, query: { month } },
                    parseAs: 'blob',
                  }),
                ),
              `hours-${month}.csv`,
            )
          }
        >
          {t(teacher ? 'attendance.hours.mine.payCsv' : 'attendance.hours.mine.statementCsv')}
        </button>
      </div>
      <DownloadFailed failed={failed} />
    </section>
  );
}

/**
 * The children unaccounted for on a date (today in the school's zone by default; admins):
 * expected in a session and marked absent, or not marked 15 minutes after its start — with
 * class, room, staff member, the guardian's phone (a tap calls) and since when. Refreshed
 * every minute.
 */
import './attendance.css';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant, todayIn } from '../../time';
import { DateForm } from './DateForm';

export default function Unaccounted({ ctx }: PageProps) {
  const { t, i18n } = useTranslation();
  const school = ctx.school!;
  const zone = zoneOf(school);
  const date = new URLSearchParams(useSearch()).get('date') ?? todayIn(zone, new Date());
  const list = useQuery({
    queryKey: ['unaccounted', school.id, date],
    queryFn: () =>
      data(api().GET('/schools/{schoolId}/unaccounted', { params: { path: { schoolId: school.id }, query: { date } } })),
    refetchInterval: 60_000,
  });
  const time = (iso: string) => formatInstant(iso, zone, i18n.language);
  return (
    <Page title={t('attendance.unaccounted.title')}>
      <p>{t('attendance.unaccounted.about')}</p>
      <DateForm
        path={PATHS.unaccounted}
        date={date}
        label={t('attendance.unaccounted.date')}
        show={t('attendance.unaccounted.show')}
      />
      {list.error ? (
        <LoadError error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.runsAs === null ? (
        <p>{t('attendance.unaccounted.noSessions')}</p>
      ) : (
        <>
          <p className="hint">{t('attendance.unaccounted.checked', { time: time(list.data.checkedAt) })}</p>
          {list.data.items.length === 0 ? (
            <p role="status">{t('attendance.unaccounted.none')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('attendance.unaccounted.child')}</th>
                    <th scope="col">{t('attendance.unaccounted.class')}</th>
                    <th scope="col">{t('attendance.unaccounted.room')}</th>
                    <th scope="col">{t('attendance.unaccounted.staff')}</th>
                    <th scope="col">{t('attendance.unaccounted.phone')}</th>
                    <th scope="col">{t('attendance.unaccounted.since')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((u) => (
                    <tr key={`${u.sessionId}-${u.studentNo}`}>
                      <th scope="row">
                        {u.name} <span className="hint">{u.studentNo}</span>
                        <br />
                        <strong className="error">
                          {u.reason === 'marked-absent'
                            ? t('attendance.unaccounted.absent')
                            : t('attendance.unaccounted.notMarked')}
                        </strong>
                      </th>
                      <td>
                        {u.clubName} {u.className}
                      </td>
                      <td>{u.roomName}</td>
                      <td>{u.staffName}</td>
                      <td>
                        {u.guardians.map((g) => (
                          <p key={g.phone}>
                            {g.name} <a href={`tel:${g.phone}`}>{g.phone}</a>
                          </p>
                        ))}
                      </td>
                      <td>{time(u.since)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Page>
  );
}

/**
 * A teacher's or volunteer's sessions: today, and a week at a time (what, where, when, which
 * class), with the calendar subscription link. Dates and times are the school's: "today" is
 * the school's today, whatever the device's zone.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf, type DatedSession } from '../api/client';
import type { PageProps } from '../routes';
import { Page } from '../shell/Page';
import { LoadError, Loading } from '../shell/Status';
import { addDays, formatDay, mondayOf, todayIn, type IsoDate } from '../time';
import { CalendarLink } from './CalendarLink';

function useWeek(monday: IsoDate) {
  return useQuery({
    queryKey: ['roster', monday],
    queryFn: () => data(api().GET('/me/roster', { params: { query: { from: monday, to: addDays(monday, 6) } } })),
  });
}

export default function Sessions({ ctx }: PageProps) {
  const { t, i18n } = useTranslation();
  const today = todayIn(zoneOf(ctx.school), new Date());
  const thisWeek = mondayOf(today);
  const [monday, setMonday] = useState(thisWeek);
  const current = useWeek(thisWeek);
  const shown = useWeek(monday);
  const todays = current.data?.items.filter((s) => s.date === today);
  const days = new Map<IsoDate, DatedSession[]>();
  for (const s of shown.data?.items ?? []) days.set(s.date, [...(days.get(s.date) ?? []), s]);
  const day = (d: IsoDate) => formatDay(d, i18n.language);

  return (
    <Page title={t('sessions.title')}>
      <section className="card" aria-labelledby="today-h">
        <h2 id="today-h">{t('sessions.today', { day: day(today) })}</h2>
        {current.error ? (
          <LoadError error={current.error} />
        ) : !todays ? (
          <Loading />
        ) : todays.length ? (
          <SessionList items={todays} />
        ) : (
          <p>{t('sessions.noneToday')}</p>
        )}
      </section>
      <section className="card" aria-labelledby="week-h">
        <h2 id="week-h">{t('sessions.week', { from: day(monday), to: day(addDays(monday, 6)) })}</h2>
        <div className="actions">
          <button type="button" onClick={() => setMonday(addDays(monday, -7))}>
            {t('sessions.previous')}
          </button>
          {monday !== thisWeek && (
            <button type="button" onClick={() => setMonday(thisWeek)}>
              {t('sessions.thisWeek')}
            </button>
          )}
          <button type="button" onClick={() => setMonday(addDays(monday, 7))}>
            {t('sessions.next')}
          </button>
        </div>
        {shown.error ? (
          <LoadError error={shown.error} />
        ) : !shown.data ? (
          <Loading />
        ) : days.size ? (
          [...days].map(([date, items]) => (
            <section key={date} className="day" aria-labelledby={`day-${date}`}>
              <h3 id={`day-${date}`}>
                {day(date)}
                {date === today && ` · ${t('sessions.todayMark')}`}
              </h3>
              <SessionList items={items} />
            </section>
          ))
        ) : (
          <p>{t('sessions.noneThisWeek')}</p>
        )}
      </section>
      <CalendarLink schools={ctx.schools} />
    </Page>
  );
}

function SessionList({ items }: { items: DatedSession[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="sessions plain">
      {items.map((s) => (
        <li key={`${s.date}-${s.id}`} className="session">
          <p className="when">
            <time dateTime={s.startsAt}>{s.start}</time>–<time dateTime={s.endsAt}>{s.end}</time>
          </p>
          <p className="what">
            <strong>{i18n.language === 'en' ? s.clubNameEn : s.clubName}</strong> · {s.className}
          </p>
          <p className="where">
            {t('sessions.room', { room: s.roomName })} ·{' '}
            {t('sessions.grades', { count: s.grades.length, grades: s.grades.join(i18n.language === 'en' ? ', ' : '、') })}
          </p>
        </li>
      ))}
    </ul>
  );
}

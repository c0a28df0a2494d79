/**
 * A child's week, Monday to Sunday (a weekend day only when it is a make-up day): each day's
 * regular dismissal, the end of homework help and of the service, and when this child leaves
 * by their form — the days opted out marked. Dates and times are the school's.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import { addDays, formatDay, mondayOf, todayIn } from '../../time';
import { useChildWeek } from './queries';
import type { ChildDay } from './types';
import { noServiceText, type ChildRef } from './words';

export function Week({ child, zone }: { child: ChildRef; zone: string }) {
  const { t, i18n } = useTranslation();
  const today = todayIn(zone, new Date());
  const [monday, setMonday] = useState(() => mondayOf(today));
  const week = useChildWeek(child, monday);
  const days = week.data?.days.filter((d) => d.service || d.runsAs || !['SAT', 'SUN'].includes(d.weekday)) ?? [];
  return (
    <section className="card week" aria-labelledby="week-title">
      <h2 id="week-title">
        {t('family.week.title', {
          name: child.name,
          from: formatDay(monday, i18n.language),
          to: formatDay(addDays(monday, 6), i18n.language),
        })}
      </h2>
      <div className="actions">
        <button type="button" onClick={() => setMonday(addDays(monday, -7))}>
          {t('sessions.previous')}
        </button>
        <button type="button" onClick={() => setMonday(mondayOf(today))} disabled={monday === mondayOf(today)}>
          {t('sessions.thisWeek')}
        </button>
        <button type="button" onClick={() => setMonday(addDays(monday, 7))}>
          {t('sessions.next')}
        </button>
      </div>
      {week.error ? (
        <LoadError error={week.error} />
      ) : !week.data ? (
        <Loading />
      ) : (
        <ul className="plain days">
          {days.map((d) => (
            <li key={d.date} className={`day${d.optedOut ? ' out' : ''}`} aria-current={d.date === today ? 'date' : undefined}>
              <p className="date">
                {formatDay(d.date, i18n.language)}
                {d.date === today && <span className="tag">{t('sessions.todayMark')}</span>}
                {d.optedOut && <span className="tag out">{t('family.week.out')}</span>}
              </p>
              <DayTimes d={d} name={child.name} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DayTimes({ d, name }: { d: ChildDay; name: string }) {
  const { t } = useTranslation();
  if (!d.service) return <p className="hint">{noServiceText(t, d)}</p>;
  return (
    <>
      {d.runsAs !== d.weekday && <p className="hint">{t('family.week.makeUp', { day: t(`family.day.${d.runsAs}`) })}</p>}
      <p className="times">{t('family.week.times', { dismissal: d.dismissal, homework: d.homeworkEnd, end: d.serviceEnd })}</p>
      {d.clubs.map((c) => (
        <p key={c.classId} className="club">
          {t('family.week.club', { what: c.what, start: c.start, end: c.end, room: c.roomName })}
        </p>
      ))}
      {d.leaves && <p className="leaves">{t(`family.week.leaves.${d.leaves}`, { name, time: d.leavesAt })}</p>}
    </>
  );
}

/**
 * The dismissal list at the gate (admins, teachers): a homeroom on a date (`?date=&grade=&homeroom=`,
 * today in the school's zone by default) — who leaves at the regular dismissal time, who after
 * homework help, who at the end of the service. As CSV for Excel, and printed: the page's print
 * stylesheet leaves only the list.
 */
import '../people/people.css';
import './participation.css';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { todayIn } from '../../time';
import { ClassChoice } from '../family/ClassChoice';
import type { DismissalList } from '../family/types';
import { formatDate, noServiceText } from '../family/words';

export default function Dismissal({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const query = new URLSearchParams(useSearch());
  const asked = {
    date: query.get('date') ?? todayIn(zoneOf(school), new Date()),
    grade: query.get('grade') ?? '',
    homeroom: query.get('homeroom') ?? '',
  };
  return (
    <Page title={t('family.dismissal.title')}>
      <ClassChoice id="dismissal" schoolId={school.id} path={PATHS.dismissal} asked={asked} submit={t('family.dismissal.show')} />
      {asked.grade && asked.homeroom ? (
        <List schoolId={school.id} date={asked.date} grade={Number(asked.grade)} homeroom={asked.homeroom} />
      ) : (
        <p>{t('family.dismissal.choose')}</p>
      )}
    </Page>
  );
}

function List({ schoolId, date, grade, homeroom }: { schoolId: string; date: string; grade: number; homeroom: string }) {
  const { t, i18n } = useTranslation();
  const params = { path: { schoolId }, query: { date, grade, homeroom } };
  const list = useQuery({
    queryKey: ['dismissal', schoolId, date, grade, homeroom],
    queryFn: () => data(api().GET('/schools/{schoolId}/dismissal', { params })),
  });
  const [csvFailed, setCsvFailed] = useState(false);
  const csv = async () => {
    setCsvFailed(false);
    try {
      const file = await data(api().GET('/schools/{schoolId}/dismissal/export.csv', { params, parseAs: 'blob' }));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(file);
      a.download = `dismissal-${date}-${grade}-${homeroom}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch {
      setCsvFailed(true);
    }
  };
  if (list.error) return <LoadError error={list.error} />;
  if (!list.data) return <Loading />;
  const l: DismissalList = list.data;
  const groups = [
    { key: 'atDismissal', time: l.dismissal, children: l.atDismissal },
    { key: 'afterHomework', time: l.homeworkEnd, children: l.afterHomework },
    { key: 'afterClub', time: null, children: l.afterClub },
    { key: 'toEnd', time: l.serviceEnd, children: l.toEnd },
  ] as const;
  return (
    <section className="dismissal-sheet print-sheet" aria-labelledby="sheet-title">
      <h2 id="sheet-title">
        {t('family.dismissal.of', {
          room: t('family.admin.homeroom', { grade: l.gradeName, homeroom: l.homeroom }),
          date: formatDate(l.date, i18n.language),
          day: t(`family.day.${l.weekday}`),
        })}
      </h2>
      {l.service ? (
        <>
          {l.runsAs !== l.weekday && <p>{t('family.week.makeUp', { day: t(`family.day.${l.runsAs}`) })}</p>}
          {groups.map((g) => (
            <div key={g.key} className={`leave-group ${g.key}`}>
              <h3>{t(`family.dismissal.${g.key}`, { time: g.time, count: g.children.length })}</h3>
              {g.children.length === 0 ? (
                <p className="hint">{t('family.dismissal.nobody')}</p>
              ) : (
                <ol>
                  {g.children.map((c) => (
                    <li key={c.studentNo}>
                      {c.name} <span className="hint">{c.studentNo}</span>
                      {'club' in c && (
                        <span className="hint">
                          {' '}
                          · {c.club} {c.at}
                        </span>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          ))}
        </>
      ) : (
        <p>{noServiceText(t, l)}</p>
      )}
      <div className="actions no-print">
        <button type="button" className="primary" onClick={() => window.print()}>
          {t('family.dismissal.print')}
        </button>
        <button type="button" onClick={() => void csv()}>
          {t('family.dismissal.csv')}
        </button>
      </div>
      <p role="alert" className="error no-print">
        {csvFailed ? t('family.dismissal.csvFailed') : ''}
      </p>
    </section>
  );
}

/**
 * Taking attendance on a phone: today's sessions (a staff member's own, every one for an
 * admin; with none today, the next day that has some; another date by its picker), then a session's class list (`?session=&date=`), a big button per child — one tap
 * sets or moves the mark (present → absent → late → excused) — and one save. The marks stay
 * on the device until the server has them: a failed save (offline) is retried with the same
 * Idempotency-Key, by the button or when the phone is back online.
 */
import './attendance.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import type { paths } from '../../api/schema';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { addDays, formatDay, todayIn } from '../../time';
import { DateForm } from './DateForm';
import { load, nextStatus, saveBody, store, withMarks, type Pending, type Status } from './marks';

type ClassList =
  paths['/schools/{schoolId}/dated-sessions/{date}/{sessionId}']['get']['responses'][200]['content']['application/json'];

export default function TakeAttendance({ ctx }: PageProps) {
  const { t, i18n } = useTranslation();
  const school = ctx.school!;
  const query = new URLSearchParams(useSearch());
  const today = todayIn(zoneOf(school), new Date());
  const date = query.get('date') ?? today;
  const session = query.get('session');
  const day = formatDay(date, i18n.language);
  return (
    <Page title={t('attendance.take.title')}>
      {session ? (
        <>
          <p>
            <Link to={PATHS.attendance}>{t('attendance.take.back')}</Link>
          </p>
          <Sheet schoolId={school.id} date={date} sessionId={session} />
        </>
      ) : (
        <>
          <section className="card" aria-labelledby="today-h">
            <h2 id="today-h">{date === today ? t('attendance.take.today', { day }) : t('attendance.take.onDay', { day })}</h2>
            <Day schoolId={school.id} date={date} />
          </section>
          <DateForm path={PATHS.attendance} date={date} label={t('attendance.take.otherDay')} show={t('attendance.take.show')} />
        </>
      )}
    </Page>
  );
}

/** A date's sessions; with none that day, the next day in the fortnight after it that has some. */
function Day({ schoolId, date }: { schoolId: string; date: string }) {
  const { t, i18n } = useTranslation();
  const list = useQuery({
    queryKey: ['dated-sessions', schoolId, date],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/dated-sessions', {
          params: { path: { schoolId }, query: { from: date, to: addDays(date, 13) } },
        }),
      ),
  });
  if (list.error) return <LoadError error={list.error} />;
  if (!list.data) return <Loading />;
  const on = list.data.items.filter((s) => s.date === date);
  if (on.length) return <Sessions items={on} />;
  const next = list.data.items[0]?.date;
  return (
    <>
      <p>{t('attendance.take.none')}</p>
      {next && (
        <>
          <h3>{t('attendance.take.next', { day: formatDay(next, i18n.language) })}</h3>
          <Sessions items={list.data.items.filter((s) => s.date === next)} />
        </>
      )}
    </>
  );
}

type DatedSessions = paths['/schools/{schoolId}/dated-sessions']['get']['responses'][200]['content']['application/json']['items'];

function Sessions({ items }: { items: DatedSessions }) {
  const { t } = useTranslation();
  return (
    <ul className="sessions plain">
      {items.map((s) => (
        <li key={s.id} className="session">
          <p className="what">
            <Link to={`${PATHS.attendance}?date=${s.date}&session=${encodeURIComponent(s.id)}`}>
              {t('attendance.take.open', { club: s.clubName, class: s.className })}
            </Link>
          </p>
          <p className="where">
            {t('attendance.take.where', { start: s.start, end: s.end, room: s.roomName, staff: s.staffName })} ·{' '}
            {s.attendance ? t('attendance.take.taken', { count: s.attendance.marked }) : t('attendance.take.notTaken')}
          </p>
        </li>
      ))}
    </ul>
  );
}

function Sheet({ schoolId, date, sessionId }: { schoolId: string; date: string; sessionId: string }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const path = { schoolId, date, sessionId };
  const where = `${schoolId}.${date}.${sessionId}`;
  const queryKey = ['class-list', schoolId, date, sessionId];
  const list = useQuery({
    queryKey,
    queryFn: () => data(api().GET('/schools/{schoolId}/dated-sessions/{date}/{sessionId}', { params: { path } })),
  });
  const [pending, setPending] = useState<Pending>(() => load(where, () => crypto.randomUUID()));
  const [result, setResult] = useState<'saved' | 'failed' | null>(null);
  const [superseded, setSuperseded] = useState(0);
  useEffect(() => store(where, pending), [where, pending]);
  const save = useMutation({
    mutationFn: (p: Pending) =>
      data(
        api().POST('/schools/{schoolId}/dated-sessions/{date}/{sessionId}/attendance', {
          params: { path, header: { 'Idempotency-Key': p.key } },
          body: saveBody(p),
        }),
      ),
    onSuccess: (out, sent) => {
      setSuperseded(out.superseded.length);
      setResult('saved');
      // marks made while it was saving stay pending
      setPending((now) => (now.key === sent.key ? { key: crypto.randomUUID(), marks: {} } : now));
      void client.invalidateQueries({ queryKey });
    },
    onError: () => setResult('failed'),
  });
  const count = Object.keys(pending.marks).length;
  // back online: send what is waiting, with its key
  useEffect(() => {
    const retry = () => {
      if (count && !save.isPending) save.mutate(pending);
    };
    window.addEventListener('online', retry);
    return () => window.removeEventListener('online', retry);
  }, [count, pending, save]);

  if (list.error) return <LoadError error={list.error} />;
  if (!list.data) return <Loading />;
  const l: ClassList = list.data;
  const shown = (no: string, saved: Status | null): Status | null => pending.marks[no]?.status ?? saved;
  const tap = (set: ReadonlyArray<[string, Status]>) => {
    setResult(null);
    setPending((p) => withMarks(p, set, new Date(), crypto.randomUUID()));
  };
  const s = l.session;
  return (
    <section aria-labelledby="sheet-h" className="attendance-sheet">
      <h2 id="sheet-h">
        {s.clubName} · {s.className}
      </h2>
      <p>{t('attendance.take.where', { start: s.start, end: s.end, room: s.roomName, staff: s.staffName })}</p>
      <p className="hint">{t('attendance.take.counts', l.counts)}</p>
      {l.children.length === 0 ? (
        <p>{t('attendance.take.noChildren')}</p>
      ) : (
        <>
          <p className="hint">{t('attendance.take.hint')}</p>
          <ul className="plain roll">
            {l.children.map((c) => {
              const status = shown(c.studentNo, (c.mark?.status as Status | undefined) ?? null);
              return (
                <li key={c.studentNo} className={c.expected ? '' : 'not-expected'}>
                  <button
                    type="button"
                    className={`mark ${status ?? 'none'}`}
                    onClick={() => tap([[c.studentNo, nextStatus(status)]])}
                  >
                    <span className="who">{c.name}</span>
                    <span className="visually-hidden">{t('attendance.take.colon')}</span>
                    <span className="status">{t(`attendance.status.${status ?? 'none'}`)}</span>
                  </button>
                  <p className="hint">{t('attendance.take.homeroom', { grade: c.gradeLevel, homeroom: c.homeroom })}</p>
                  {!c.expected && <p className="hint">{t('attendance.take.notExpected', { note: c.note })}</p>}
                  {c.guardians && c.guardians.length > 0 && (
                    <p className="hint">
                      {t('attendance.take.guardians')}:{' '}
                      {c.guardians.map((g, i) => (
                        <span key={g.phone}>
                          {i > 0 && '、'}
                          {g.name} <a href={`tel:${g.phone}`}>{g.phone}</a>
                        </span>
                      ))}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          <div className="actions sticky-save">
            <button
              type="button"
              onClick={() =>
                tap(
                  l.children
                    .filter((c) => c.expected && shown(c.studentNo, (c.mark?.status as Status | undefined) ?? null) === null)
                    .map((c) => [c.studentNo, 'present'] as [string, Status]),
                )
              }
            >
              {t('attendance.take.allPresent')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={count === 0 || save.isPending}
              onClick={() => save.mutate(pending)}
            >
              {save.isPending ? t('attendance.take.saving') : t('attendance.take.save')}
            </button>
            {count > 0 && <span className="hint">{t('attendance.take.unsaved', { count })}</span>}
          </div>
        </>
      )}
      <p role="status">
        {result === 'saved' && t('attendance.take.saved')}
        {result === 'saved' && superseded > 0 && ` ${t('attendance.take.superseded', { count: superseded })}`}
      </p>
      <p role="alert" className="error">
        {result === 'failed' ? t('attendance.take.failed') : ''}
      </p>
    </section>
  );
}

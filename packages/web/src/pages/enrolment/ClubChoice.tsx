/**
 * A guardian's club choice for a child (`?school=&child=&term=`): the term's classes with their
 * weekly times, seats left and the child's place (granted, or waitlisted at a position); the
 * ones the child may not take, with why. In a ranked window the guardian ranks classes (best
 * first) and saves; in a first-come-first-served one they ask for a place; either way they may
 * withdraw until the school's cut-off.
 */
import '../family/family.css';
import './enrolment.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data, zoneOf } from '../../api/client';
import type { PageProps } from '../../routes';
import { useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { ChildHistory } from './ChildHistory';
import { reasonText, type ChildEnrolment, type ClassRow } from './reasons';

/** The term whose window to show: asked for, or the first with a window open, or the latest with one. */
function useTermWithWindow(schoolId: string | undefined, asked: string | null) {
  return useQuery({
    queryKey: ['enrolment-term', schoolId, asked],
    enabled: schoolId !== undefined,
    queryFn: async () => {
      if (asked) return asked;
      const terms = await data(
        api().GET('/schools/{schoolId}/terms', { params: { path: { schoolId: schoolId! }, query: { limit: 100 } } }),
      );
      const windows = await Promise.all(
        terms.items.map(async (term) => {
          const w = await api().GET('/schools/{schoolId}/terms/{termId}/enrolment/window', {
            params: { path: { schoolId: schoolId!, termId: term.id } },
          });
          return w.data ? { termId: term.id, state: w.data.state, opensAt: w.data.opensAt } : null;
        }),
      );
      const found = windows.flatMap((w) => (w ? [w] : []));
      return (
        (found.find((w) => w.state === 'open') ?? found.sort((a, b) => b.opensAt.localeCompare(a.opensAt))[0])?.termId ?? null
      );
    },
  });
}

export default function ClubChoice({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const children = ctx.me.children;
  const child = children.find((c) => c.studentNo === query.get('child') && c.schoolId === query.get('school')) ?? children[0];
  const term = useTermWithWindow(child?.schoolId, query.get('term'));
  return (
    <Page title={t('enrolment.title')}>
      {children.length > 1 && (
        <nav aria-label={t('enrolment.children')}>
          <ul className="plain inline">
            {children.map((c) => (
              <li key={`${c.schoolId}-${c.studentNo}`}>
                <a href={`?school=${c.schoolId}&child=${c.studentNo}`} aria-current={c === child ? 'page' : undefined}>
                  {c.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {!child ? (
        <p>{t('enrolment.noChild')}</p>
      ) : term.error ? (
        <LoadError error={term.error} />
      ) : term.data === undefined ? (
        <Loading />
      ) : term.data === null ? (
        <p>{t('enrolment.noWindow')}</p>
      ) : (
        <>
          <Choice schoolId={child.schoolId} studentNo={child.studentNo} termId={term.data} />
          <section className="card history-card" aria-labelledby="child-history-h">
            <h2 id="child-history-h">{t('enrolmentHistory.title')}</h2>
            <ChildHistory
              schoolId={child.schoolId}
              termId={term.data}
              studentNo={child.studentNo}
              zone={zoneOf(ctx.schools.get(child.schoolId))}
            />
          </section>
        </>
      )}
    </Page>
  );
}

function Choice({ schoolId, studentNo, termId }: { schoolId: string; studentNo: string; termId: string }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const path = { schoolId, termId, studentNo };
  const key = ['child-enrolment', schoolId, termId, studentNo];
  const view = useQuery({
    queryKey: key,
    queryFn: () => data(api().GET('/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}', { params: { path } })),
  });
  const [ranking, setRanking] = useState<string[] | null>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (view.data && ranking === null) setRanking(view.data.choices?.choices ?? []);
  }, [view.data, ranking]);
  const done = async (message: string) => {
    setSaid(message);
    await queries.invalidateQueries({ queryKey: key });
  };
  const save = useMutation({
    mutationFn: (choices: string[]) =>
      data(
        api().PUT('/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/choices', {
          params: { path },
          body: { choices, version: view.data?.choices?.version ?? 0 },
        }),
      ),
    onSuccess: () => done(t('enrolment.saved')),
  });
  const ask = useMutation({
    mutationFn: (classId: string) =>
      data(
        api().POST('/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/places', {
          params: { path },
          body: { classId },
        }),
      ),
    onSuccess: (p) =>
      done(
        p.state === 'granted'
          ? t('enrolment.granted', { what: p.what })
          : t('enrolment.waitlisted', { what: p.what, position: p.position }),
      ),
  });
  const withdraw = useMutation({
    mutationFn: (classId: string) =>
      data(
        api().POST('/schools/{schoolId}/terms/{termId}/enrolment/students/{studentNo}/places/{classId}/withdraw', {
          params: { path: { ...path, classId } },
        }),
      ),
    onSuccess: () => done(t('enrolment.withdrawn')),
  });
  if (view.error) return <LoadError error={view.error} />;
  if (!view.data || ranking === null) return <Loading />;
  const v = view.data;
  const w = v.window;
  const ranked = w?.mode === 'ranked';
  const open = w?.state === 'open';
  const byId = new Map(v.classes.map((k) => [k.classId, k]));
  const failure = [save.error, ask.error, withdraw.error].find((e) => e);
  const move = (id: string, by: number) => {
    const i = ranking.indexOf(id);
    const next = [...ranking];
    next.splice(i, 1);
    next.splice(Math.max(0, i + by), 0, id);
    setRanking(next);
  };
  const card = (k: ClassRow) => (
    <ClassCard
      key={k.classId}
      k={k}
      v={v}
      actions={
        k.status ? (
          <button type="button" disabled={withdraw.isPending} onClick={() => withdraw.mutate(k.classId)}>
            {t('enrolment.withdraw')}
          </button>
        ) : !k.eligible || !open ? null : ranked ? (
          ranking.includes(k.classId) ? (
            <p className="tag">{t('enrolment.rank', { n: ranking.indexOf(k.classId) + 1 })}</p>
          ) : (
            <button
              type="button"
              disabled={ranking.length >= (w?.choices ?? 0)}
              onClick={() => setRanking([...ranking, k.classId])}
            >
              {t('enrolment.add', { what: `${k.clubName} ${k.className}` })}
            </button>
          )
        ) : (
          <button type="button" className="primary" disabled={ask.isPending} onClick={() => ask.mutate(k.classId)}>
            {t('enrolment.ask', { what: `${k.clubName} ${k.className}` })}
          </button>
        )
      }
    />
  );
  // the child's own classes first, then those open to them; the rest folded away with why
  const mine = v.classes.filter((k) => k.status);
  const openToChild = v.classes.filter((k) => !k.status && k.eligible);
  const notOpen = v.classes.filter((k) => !k.status && !k.eligible);
  return (
    <>
      <p>{t('enrolment.for', { name: v.name })}</p>
      {w && (
        <p className="hint">
          {t(`enrolment.window.${w.state}`, { opens: w.opensAt.replace('T', ' '), closes: w.closesAt.replace('T', ' ') })}{' '}
          {t(ranked ? 'enrolment.window.ranked' : 'enrolment.window.fcfs', { places: w.places, choices: w.choices })}{' '}
          {t('enrolment.window.withdrawUntil', { date: w.withdrawUntil })}
        </p>
      )}
      {ranked && (
        <section className="card" aria-labelledby="ranking-h">
          <h2 id="ranking-h">{t('enrolment.ranking', { count: ranking.length, max: w.choices })}</h2>
          {ranking.length === 0 ? (
            <p className="hint">{t('enrolment.rankHint')}</p>
          ) : (
            <ol className="ranking">
              {ranking.map((id, i) => {
                const k = byId.get(id);
                const what = k ? `${k.clubName} ${k.className}` : id;
                return (
                  <li key={id}>
                    <span>{what}</span>
                    <span className="actions">
                      <button
                        type="button"
                        disabled={i === 0}
                        onClick={() => move(id, -1)}
                        aria-label={t('enrolment.up', { what })}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        onClick={() => setRanking(ranking.filter((x) => x !== id))}
                        aria-label={t('enrolment.remove', { what })}
                      >
                        ✕
                      </button>
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
          <button type="button" className="primary" disabled={!open || save.isPending} onClick={() => save.mutate(ranking)}>
            {t('enrolment.save')}
          </button>
        </section>
      )}
      <p role="status" className="announce">
        {said}
      </p>
      {failure instanceof ApiError && (
        <p role="alert" className="form-problem">
          {failure.message}
        </p>
      )}
      <ul className="cards plain classes">{mine.concat(openToChild).map(card)}</ul>
      {notOpen.length > 0 && (
        <details className="not-open">
          <summary>{t('enrolment.notOpen', { count: notOpen.length })}</summary>
          <ul className="cards plain classes">{notOpen.map(card)}</ul>
        </details>
      )}
    </>
  );
}

function ClassCard({ k, v, actions }: { k: ClassRow; v: ChildEnrolment; actions: ReactNode }) {
  const { t } = useTranslation();
  return (
    <li className={`card class${k.eligible || k.status ? '' : ' ineligible'}`}>
      <h2>
        {k.clubName} {k.className}
      </h2>
      <p>
        {k.slots.length
          ? k.slots.map((s) => `${t(`family.day.${s.day}`)} ${s.start}–${s.end}`).join(t('listSeparator'))
          : t('enrolment.noSlots')}
      </p>
      <p className="hint">
        {t('enrolment.seats', { left: k.seatsLeft, capacity: k.capacity })}
        {k.waiting > 0 && ` · ${t('enrolment.waiting', { count: k.waiting })}`}
      </p>
      {k.status && (
        <p className="tag">
          {k.status.state === 'granted'
            ? t('enrolment.status.granted')
            : t('enrolment.status.waitlisted', { position: k.status.position })}
        </p>
      )}
      {!k.eligible && !k.status && (
        <ul className="reasons">
          {k.reasons.map((r) => (
            <li key={r.rule + r.message}>{reasonText(t, k, v, r.rule)}</li>
          ))}
        </ul>
      )}
      {actions}
    </li>
  );
}

/**
 * The term's timetable (admins): generate a draft (a job, with its progress), adjust it in a
 * week grid by grade, room or staff member (move, lock, swap; a refusal says the rule in
 * words beside the session), publish it, and see what moved, ready to tell parents and
 * staff. Earlier versions open read-only. Times are the school's wall clock; instants are
 * shown in the school's zone.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zoneOf, type School } from '../../api/client';
import type { PageProps } from '../../routes';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant, todayIn } from '../../time';
import { useOverview, useTerms, type Term } from './api';
import { Board } from './Board';
import { Changes } from './Changes';
import { Generation } from './Generation';
import { GRID_DAYS, type GridDay } from './grid';
import { Publish } from './Publish';
import { currentTerm } from './term';
import { Versions } from './Versions';
import './timetable.css';

export default function Timetable({ ctx }: PageProps) {
  const { t } = useTranslation();
  const school = ctx.school!;
  const zone = zoneOf(school);
  const terms = useTerms(school.id);
  const [chosen, setChosen] = useState<string | null>(null);
  const today = todayIn(zone, new Date());
  const items = terms.data?.items ?? [];
  const term = items.find((x) => x.id === chosen) ?? currentTerm(items, today);
  return (
    <Page title={t('timetable.title')}>
      <p className="hint">{t('timetable.schoolTime', { zone })}</p>
      {terms.error ? (
        <LoadError error={terms.error} />
      ) : !terms.data ? (
        <Loading />
      ) : !term ? (
        <p>{t('timetable.noTerm')}</p>
      ) : (
        <>
          {items.length > 1 && (
            <div className="field term">
              <label htmlFor="tt-term">{t('timetable.term')}</label>
              <select id="tt-term" value={term.id} onChange={(e) => setChosen(e.target.value)}>
                {items.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <TermTimetable key={term.id} school={school} term={term} today={today} />
        </>
      )}
    </Page>
  );
}

/** The weekday a phone's grid opens on: today's, Monday at the weekend. */
const weekdayOf = (date: string): GridDay => GRID_DAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] ?? 'MON';

function TermTimetable({ school, term, today }: { school: School; term: Term; today: string }) {
  const { t, i18n } = useTranslation();
  const w = { schoolId: school.id, termId: term.id };
  const zone = zoneOf(school);
  const overview = useOverview(w);
  const [show, setShow] = useState<'draft' | 'published'>('draft');
  const [justPublished, setJustPublished] = useState<number | null>(null);
  const [opened, setOpened] = useState<number | null>(null);
  const when = (iso: string) => formatInstant(iso, zone, i18n.language);
  if (overview.error) return <LoadError error={overview.error} />;
  if (!overview.data) return <Loading />;
  const { draft, published } = overview.data;
  const shown = show === 'published' ? (published ?? draft) : (draft ?? published);
  const boardProps = { w, zone, dayEnd: school.dayEnd, firstDay: weekdayOf(today) };

  return (
    <>
      <section className="card" aria-labelledby="tt-state-h">
        <h2 id="tt-state-h">{t('timetable.state.title')}</h2>
        <p>
          {draft
            ? t('timetable.state.draft', {
                number: draft.number,
                revision: draft.version,
                count: draft.sessionCount,
                who: draft.updatedBy,
                when: when(draft.updatedAt),
              })
            : t('timetable.state.noDraft')}
        </p>
        <p>
          {published?.publishedAt
            ? t('timetable.state.published', {
                number: published.number,
                count: published.sessionCount,
                who: published.publishedBy,
                when: when(published.publishedAt),
              })
            : t('timetable.state.notPublished')}
        </p>
        <Generation
          w={w}
          draft={draft?.number ?? null}
          onFinished={() => {
            setShow('draft');
            setJustPublished(null);
          }}
        />
        <p role="status">{justPublished !== null && t('timetable.publish.done', { number: justPublished })}</p>
        {draft && (
          <Publish
            w={w}
            draft={draft}
            onPublished={(n) => {
              setJustPublished(n);
              setShow('published');
            }}
          />
        )}
      </section>
      {justPublished !== null && <Changes id="tt-published" focus w={w} number={justPublished} term={term.name} zone={zone} />}
      {draft && published && (
        <fieldset className="show">
          <legend>{t('timetable.board.show')}</legend>
          {(['draft', 'published'] as const).map((k) => (
            <label key={k} className="check">
              <input
                type="radio"
                name="tt-show"
                value={k}
                checked={shown === (k === 'draft' ? draft : published)}
                onChange={() => setShow(k)}
              />
              <span>{t(k === 'draft' ? 'timetable.board.showDraft' : 'timetable.board.showPublished')}</span>
            </label>
          ))}
        </fieldset>
      )}
      {shown && (
        <Board
          key={`${shown.number}-${shown.status}`}
          id="tt-board"
          {...boardProps}
          number={shown.number}
          editable={shown.status === 'draft'}
          heading={t(shown.status === 'draft' ? 'timetable.board.draft' : 'timetable.board.published', {
            number: shown.number,
          })}
        />
      )}
      <Versions w={w} zone={zone} opened={opened} onOpen={setOpened} />
      {opened !== null && (
        <div id="tt-opened">
          <Board
            key={opened}
            id="tt-opened-board"
            {...boardProps}
            number={opened}
            editable={false}
            heading={t('timetable.board.version', { number: opened })}
          />
          <Changes id="tt-opened-changes" w={w} number={opened} term={term.name} zone={zone} />
        </div>
      )}
    </>
  );
}

/**
 * Clubs (社团) of a term with their tiered classes (admins): the list, and a club's form
 * (`?term=…&club=<id>`, or `club=new`). Deleting asks first, with the version read.
 */
import './people.css';
import type { TFunction } from 'i18next';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { readProblem, type ProblemInfo } from '../../api/problem';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link, navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { ClubEditor } from './ClubForm';
import { Confirm } from './Confirm';
import { useGrades } from './queries';
import { TermChoice, useTerm } from './TermChoice';
import { withQuery } from './query';
import type { Club, Grade, Term } from './types';

export default function Clubs({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const school = ctx.school!;
  const zone = zoneOf(school);
  const chosen = useTerm(school.id, zone, query.get('term'));
  const club = query.get('club');
  const listOf = (term: Term) => `${PATHS.clubs}?term=${encodeURIComponent(term.id)}`;

  if (club !== null && chosen.term)
    return (
      <ClubEditor
        schoolId={school.id}
        zone={zone}
        term={chosen.term}
        clubId={club === 'new' ? null : club}
        back={listOf(chosen.term)}
      />
    );
  return (
    <Page title={t('people.clubs.title')}>
      <TermChoice
        id="clubs-term"
        chosen={chosen}
        onChange={(term) => navigate(withQuery(PATHS.clubs, query, { term, saved: null }))}
      >
        {(term) => (
          <>
            <div className="actions">
              <Link className="button primary" to={`${listOf(term)}&club=new`}>
                {t('people.clubs.add')}
              </Link>
              <Link className="button" to={`${PATHS.import}?kind=clubs&term=${encodeURIComponent(term.id)}`}>
                {t('people.clubs.import')}
              </Link>
            </div>
            <ClubList schoolId={school.id} zone={zone} term={term} saved={query.get('saved')} />
          </>
        )}
      </TermChoice>
    </Page>
  );
}

function ClubList({ schoolId, zone, term, saved }: { schoolId: string; zone: string; term: Term; saved: string | null }) {
  const { t } = useTranslation();
  const grades = useGrades(schoolId);
  const clubs = useInfiniteQuery({
    queryKey: ['clubs', schoolId, term.id],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api().GET('/schools/{schoolId}/clubs', {
          params: { path: { schoolId }, query: { termId: term.id, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const [announce, setAnnounce] = useState('');
  const items = clubs.data?.pages.flatMap((p) => p.items) ?? [];
  const savedClub = saved ? items.find((c) => c.id === saved) : undefined;

  return (
    <section aria-labelledby="clubs-h">
      <h2 id="clubs-h">{t('people.clubs.of', { term: term.name })}</h2>
      <p role="status" className="form-saved">
        {announce || (savedClub ? t('people.clubs.saved', { name: savedClub.name }) : '')}
      </p>
      {clubs.error ? (
        <LoadError error={clubs.error} />
      ) : !clubs.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('people.clubs.none')}</p>
      ) : (
        <ul className="cards plain">
          {items.map((c) => (
            <ClubCard key={c.id} club={c} grades={grades.data ?? []} zone={zone} onDeleted={setAnnounce} />
          ))}
        </ul>
      )}
      {clubs.hasNextPage && (
        <button type="button" disabled={clubs.isFetchingNextPage} onClick={() => void clubs.fetchNextPage()}>
          {t('people.more')}
        </button>
      )}
    </section>
  );
}

/** "1–3年级", "1、3年级": a class's grades by their names where the school has them. */
export function gradesText(levels: readonly number[], grades: readonly Grade[], t: TFunction): string {
  const names = levels.map((l) => grades.find((g) => g.level === l)?.name ?? t('people.grade', { level: l }));
  return names.join(t('listSeparator'));
}

function ClubCard({
  club,
  grades,
  zone,
  onDeleted,
}: {
  club: Club;
  grades: Grade[];
  zone: string;
  onDeleted: (message: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const confirm = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const headingId = `club-${club.id}-h`;
  const remove = async () => {
    const out = await api().DELETE('/schools/{schoolId}/clubs/{clubId}', {
      params: { path: { schoolId: club.schoolId, clubId: club.id }, query: { version: club.version } },
    });
    if (!out.response.ok) return setProblem(readProblem(out.response.status, out.error));
    onDeleted(t('people.clubs.deleted', { name: club.name }));
    await queries.invalidateQueries({ queryKey: ['clubs', club.schoolId, club.termId] });
  };
  const stale = problem?.current;
  return (
    <li className="card club" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {club.name} <span lang="en">{club.nameEn}</span>
      </h3>
      <p className="hint">
        {t(`people.category.${club.category}`)} · {t('people.clubs.skillIs', { skill: club.skill })}
        {club.roomFeatures.length > 0 &&
          ` · ${t('people.clubs.roomNeeds', { features: club.roomFeatures.join(t('listSeparator')) })}`}
      </p>
      <ul className="plain tiers">
        {club.classes.map((k) => (
          <li key={k.id}>
            <strong>{k.name}</strong> ({k.tier}) ·{' '}
            {t('people.clubs.classLine', {
              grades: gradesText(k.grades, grades, t),
              capacity: k.capacity,
              sessions: k.sessionsPerWeek,
              minutes: k.minutesPerSession,
            })}
            {k.prerequisite && ` · ${t('people.clubs.needs', { tier: k.prerequisite.tier })}`}
          </li>
        ))}
      </ul>
      <div className="actions">
        <Link
          className="button"
          to={`${PATHS.clubs}?term=${encodeURIComponent(club.termId)}&club=${encodeURIComponent(club.id)}`}
        >
          {t('people.clubs.edit')}
          <span className="visually-hidden"> {club.name}</span>
        </Link>
        <button type="button" onClick={() => confirm.current?.showModal()}>
          {t('people.clubs.delete')}
          <span className="visually-hidden"> {club.name}</span>
        </button>
      </div>
      {problem && (
        <p role="alert" className="error">
          {stale
            ? t('people.clubs.deleteStale', { who: stale.updatedBy, when: formatInstant(stale.updatedAt, zone, i18n.language) })
            : t('form.problem', { detail: problem.detail })}
        </p>
      )}
      <Confirm
        dialog={confirm}
        title={t('people.clubs.deleteTitle', { name: club.name })}
        action={t('people.clubs.deleteConfirm')}
        onConfirm={() => void remove()}
      >
        <p>{t('people.clubs.deleteWarning')}</p>
      </Confirm>
    </li>
  );
}

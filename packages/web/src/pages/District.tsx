/**
 * A bureau's schools and how far each is set up: its grades, rooms, terms and the clubs of its
 * latest term, counted from the lists the API gives a bureau (staff and students are the
 * school's own business).
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf, type School } from '../api/client';
import type { PageProps } from '../routes';
import { Page } from '../shell/Page';
import { LoadError, Loading } from '../shell/Status';

const KINDS = ['grades', 'rooms', 'terms', 'clubs'] as const;
type Kind = (typeof KINDS)[number];
const LIMIT = 500;
/** up to one page of the largest size; more is "500+" */
const size = (page: { items: unknown[]; next: string | null }) => (page.next ? `${LIMIT}+` : String(page.items.length));

/** How far a school is set up: its grades, rooms and terms, and the clubs of its latest term. */
async function setupState(schoolId: string): Promise<Record<Kind, string> & { term?: string }> {
  const params = { path: { schoolId }, query: { limit: LIMIT } };
  const [grades, rooms, terms] = await Promise.all([
    data(api().GET('/schools/{schoolId}/grades', { params })),
    data(api().GET('/schools/{schoolId}/rooms', { params })),
    data(api().GET('/schools/{schoolId}/terms', { params })),
  ]);
  const latest = terms.items.reduce<(typeof terms.items)[number] | undefined>(
    (a, t) => (!a || t.startDate > a.startDate ? t : a),
    undefined,
  );
  const clubs = latest
    ? size(
        await data(
          api().GET('/schools/{schoolId}/clubs', { params: { ...params, query: { ...params.query, termId: latest.id } } }),
        ),
      )
    : '0';
  return { grades: size(grades), rooms: size(rooms), terms: size(terms), clubs, ...(latest ? { term: latest.name } : {}) };
}

export default function District({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schools = useQuery({
    queryKey: ['district-schools'],
    queryFn: () => data(api().GET('/schools', { params: { query: { limit: 500 } } })),
  });
  return (
    <Page title={t('district.title', { district: ctx.me.district })}>
      {schools.error ? (
        <LoadError error={schools.error} />
      ) : !schools.data ? (
        <Loading />
      ) : schools.data.items.length === 0 ? (
        <p>{t('district.none')}</p>
      ) : (
        <ul className="cards plain">
          {schools.data.items.map((s) => (
            <SchoolState key={s.id} school={s} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function SchoolState({ school }: { school: School }) {
  const { t } = useTranslation();
  const state = useQuery({ queryKey: ['setup-state', school.id], queryFn: () => setupState(school.id) });
  const missing = KINDS.filter((k) => state.data?.[k] === '0');
  return (
    <li className="card">
      <h2>{school.name}</h2>
      <p className="hint">
        {[school.address, zoneOf(school), t('district.dayEnd', { time: school.dayEnd })].filter(Boolean).join(' · ')}
      </p>
      {state.error ? (
        <LoadError error={state.error} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <>
          <dl className="counts">
            {KINDS.map((kind) => (
              <div key={kind}>
                <dt>{t(`district.${kind}`)}</dt>
                <dd>{state.data[kind]}</dd>
              </div>
            ))}
          </dl>
          {state.data.term && <p className="hint">{t('district.clubsOf', { term: state.data.term })}</p>}
          <p>
            {missing.length
              ? t('district.missing', { kinds: missing.map((k) => t(`district.${k}`)).join(t('listSeparator')) })
              : t('district.ready')}
          </p>
        </>
      )}
    </li>
  );
}

/**
 * Imports from a spreadsheet (admins), one kind at a time (`?kind=students`, the default;
 * rooms, staff, clubs): the same page for each. Clubs are a term's (`&term=`).
 */
import './people.css';
import { useTranslation } from 'react-i18next';
import { zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link, navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { todayIn } from '../../time';
import { defaultTerm } from './clubValues';
import { IMPORT_KINDS, KINDS, type ImportKindName } from './importKinds';
import { ImportFile } from './ImportFile';
import { useTerms } from './queries';
import { withQuery } from './query';

export default function Import({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const asked = query.get('kind');
  const kind = KINDS[(IMPORT_KINDS as readonly string[]).includes(asked ?? '') ? (asked as ImportKindName) : 'students'];
  const school = ctx.school!;
  return (
    <Page title={t('people.import.title')}>
      <nav aria-label={t('people.import.kindsNav')} className="tabs">
        <ul>
          {IMPORT_KINDS.map((k) => (
            <li key={k}>
              <Link to={`${PATHS.import}?kind=${k}`} aria-current={k === kind.name ? 'page' : undefined}>
                {t(`people.import.kinds.${k}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {kind.needsTerm ? (
        <OfTerm schoolId={school.id} zone={zoneOf(school)} query={query}>
          {(termId) => <ImportFile key={`${kind.name}-${termId}`} kind={kind} schoolId={school.id} termId={termId} />}
        </OfTerm>
      ) : (
        <ImportFile key={kind.name} kind={kind} schoolId={school.id} />
      )}
    </Page>
  );
}

/** The term an import is for: chosen here (`&term=`), the current one at first. */
function OfTerm({
  schoolId,
  zone,
  query,
  children,
}: {
  schoolId: string;
  zone: string;
  query: URLSearchParams;
  children: (termId: string) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const terms = useTerms(schoolId);
  if (terms.error) return <LoadError error={terms.error} />;
  if (!terms.data) return <Loading />;
  const term = terms.data.find((x) => x.id === query.get('term')) ?? defaultTerm(terms.data, todayIn(zone, new Date()));
  if (!term) return <p>{t('people.clubs.noTerm')}</p>;
  return (
    <>
      <div className="field">
        <label htmlFor="import-term">{t('people.clubs.term')}</label>
        <select
          id="import-term"
          value={term.id}
          onChange={(e) => navigate(withQuery(PATHS.import, query, { term: e.target.value }))}
        >
          {terms.data.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      {children(term.id)}
    </>
  );
}

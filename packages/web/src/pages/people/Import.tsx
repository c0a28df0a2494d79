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
import { IMPORT_KINDS, KINDS, type ImportKindName } from './importKinds';
import { ImportFile } from './ImportFile';
import { withQuery } from './query';
import { TermChoice, useTerm } from './TermChoice';

export default function Import({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const asked = query.get('kind');
  const kind = KINDS[(IMPORT_KINDS as readonly string[]).includes(asked ?? '') ? (asked as ImportKindName) : 'students'];
  const school = ctx.school!;
  const chosen = useTerm(school.id, zoneOf(school), query.get('term'));
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
        <TermChoice id="import-term" chosen={chosen} onChange={(term) => navigate(withQuery(PATHS.import, query, { term }))}>
          {(term) => <ImportFile key={`${kind.name}-${term.id}`} kind={kind} schoolId={school.id} termId={term.id} />}
        </TermChoice>
      ) : (
        <ImportFile key={kind.name} kind={kind} schoolId={school.id} />
      )}
    </Page>
  );
}

/** Imports from a spreadsheet (admins), one kind at a time: `?kind=students` (the default). */
import './people.css';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../routes';
import { PATHS } from '../../paths';
import { Link, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { IMPORT_KINDS, KINDS, type ImportKindName } from './importKinds';
import { ImportFile } from './ImportFile';

export default function Import({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const asked = query.get('kind');
  const kind = KINDS[(IMPORT_KINDS as readonly string[]).includes(asked ?? '') ? (asked as ImportKindName) : 'students'];
  return (
    <Page title={t('people.import.title')}>
      {IMPORT_KINDS.length > 1 && (
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
      )}
      <ImportFile key={kind.name} kind={kind} schoolId={ctx.school!.id} />
    </Page>
  );
}

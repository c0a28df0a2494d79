/**
 * The school's side of the notice and the opt-out forms, one term at a time (`?term=`), in
 * tabs (`?tab=`): the notice (admins write and publish it; teachers read it), who has not
 * opened or answered it per homeroom (for teachers to chase), the forms with filters and each
 * form's versions, and the late requests to decide (admins).
 */
import '../people/people.css';
import '../family/family.css';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link, navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { withQuery } from '../people/query';
import { TermChoice, useTerm } from '../people/TermChoice';
import { Forms } from './Forms';
import { NoticeEditor } from './NoticeEditor';
import { Progress } from './Progress';
import { Requests } from './Requests';

const TABS = ['notice', 'progress', 'forms', 'requests'] as const;
type Tab = (typeof TABS)[number];

export default function OptOuts({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const school = ctx.school!;
  const zone = zoneOf(school);
  const admin = ctx.roles.includes('admin');
  const tabs: readonly Tab[] = admin ? TABS : ['progress', 'notice'];
  const tab = tabs.find((x) => x === query.get('tab')) ?? tabs[0]!;
  const term = query.get('term');
  const chosen = useTerm(school.id, zone, term);
  const to = (changes: Record<string, string | null>) => withQuery(PATHS.optouts, query, changes);
  const w = { schoolId: school.id, zone, to };
  return (
    <Page title={t('family.admin.title')}>
      <nav aria-label={t('family.admin.tabs')} className="tabs">
        <ul>
          {tabs.map((x) => (
            <li key={x}>
              <Link
                to={withQuery(PATHS.optouts, new URLSearchParams(term ? { term } : {}), { tab: x })}
                aria-current={x === tab ? 'page' : undefined}
              >
                {t(`family.admin.tab.${x}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <TermChoice id="optouts-term" chosen={chosen} none={t('family.admin.noTerm')} onChange={(x) => navigate(to({ term: x }))}>
        {({ id: termId }): ReactNode => {
          switch (tab) {
            case 'notice':
              return <NoticeEditor key={termId} {...w} termId={termId} canWrite={admin} />;
            case 'progress':
              return <Progress {...w} termId={termId} query={query} />;
            case 'forms':
              return <Forms {...w} termId={termId} query={query} />;
            case 'requests':
              return <Requests {...w} termId={termId} />;
          }
        }}
      </TermChoice>
    </Page>
  );
}

/** What each tab is given: the school, its zone, and links that change the page's query. */
export interface TabProps {
  schoolId: string;
  zone: string;
  termId: string;
  to: (changes: Record<string, string | null>) => string;
}

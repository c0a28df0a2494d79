/**
 * A parent's page: the children the school records them as guardian of (from /me), each with
 * the term's notice and what they answered; a child (`?school=&child=`, and `&term=` for a
 * notice) has their own page (Child.tsx).
 */
import '../people/people.css';
import './family.css';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../routes';
import { Link, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import Child from './Child';
import { FormState } from './FormState';
import { useChildNotices } from './queries';
import { childPath, formatDate, type ChildRef } from './words';

export default function Family({ ctx }: PageProps) {
  const { t } = useTranslation();
  const query = new URLSearchParams(useSearch());
  const children = ctx.me.children;
  const chosen = children.find((c) => c.studentNo === query.get('child') && c.schoolId === query.get('school'));
  if (chosen) return <Child ctx={ctx} child={chosen} termId={query.get('term')} />;
  return (
    <Page title={t('family.title')}>
      <p>{t('family.about')}</p>
      {children.length === 0 ? (
        <p>{t('family.none')}</p>
      ) : (
        <ul className="cards plain">
          {children.map((c) => (
            <li key={`${c.schoolId}-${c.studentNo}`} className="card">
              <h2>{c.name}</h2>
              <p>
                {ctx.schools.get(c.schoolId)?.name ?? ''} · {t('family.class', { grade: c.gradeLevel, homeroom: c.homeroom })}
              </p>
              <p className="hint">{t('family.studentNo', { no: c.studentNo })}</p>
              <ChildNotices child={c} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

/** The notices of a child's school, each with the child's answer, and the way to the child's page. */
function ChildNotices({ child }: { child: ChildRef }) {
  const { t, i18n } = useTranslation();
  const notices = useChildNotices(child);
  if (notices.error) return <LoadError error={notices.error} />;
  if (!notices.data) return <Loading />;
  return (
    <>
      {notices.data.items.length === 0 && <p>{t('family.noNotice')}</p>}
      <ul className="plain">
        {notices.data.items.map((n) => (
          <li key={n.termId} className="notice-line">
            <p>
              <strong>{i18n.language === 'en' ? n.notice.titleEn : n.notice.titleZh}</strong>
              {!n.opened && <span className="tag">{t('family.notice.new')}</span>}
            </p>
            <p className="hint">
              {n.window === 'open'
                ? t('family.notice.answerBy', { date: formatDate(n.notice.closesOn, i18n.language) })
                : t('family.notice.closedOn', { date: formatDate(n.notice.closesOn, i18n.language) })}
            </p>
            <FormState form={n.form} name={child.name} />
            <Link className="button" to={childPath(child, n.termId)}>
              {n.form ? t('family.notice.see') : t('family.notice.read')}
            </Link>
          </li>
        ))}
      </ul>
      <p>
        <Link to={childPath(child)}>{t('family.week.link', { name: child.name })}</Link>
      </p>
    </>
  );
}

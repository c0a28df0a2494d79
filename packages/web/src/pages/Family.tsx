/** A parent's page: the children the school has recorded them as guardian of (from /me). */
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../routes';
import { Page } from '../shell/Page';

export default function Family({ ctx }: PageProps) {
  const { t } = useTranslation();
  const children = ctx.me.children;
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
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

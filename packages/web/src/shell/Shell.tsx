/** The frame of every page: the school's name, the user's pages, the language and sign-out. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { School } from '../api/client';
import { Link } from '../router';
import { LanguageSwitch } from './LanguageSwitch';

export interface NavItem {
  to: string;
  label: string;
}

export function Shell({
  title,
  schools = [],
  schoolId,
  onSchool,
  nav = [],
  onSignOut,
  children,
}: {
  /** the school's name, or what stands for it (a bureau's district) */
  title?: string;
  schools?: School[];
  schoolId?: string;
  onSchool?: (id: string) => void;
  nav?: NavItem[];
  onSignOut?: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="app">
      <a className="skip" href="#main">
        {t('shell.skip')}
      </a>
      <header className="top">
        <p className="brand">
          <span className="logo" aria-hidden="true">
            课后
          </span>
          <span>{title ?? t('app.name')}</span>
        </p>
        <div className="tools">
          {schools.length > 1 && onSchool && (
            <label>
              <span className="visually-hidden">{t('shell.school')}</span>
              <select value={schoolId} onChange={(e) => onSchool(e.target.value)}>
                {schools.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <LanguageSwitch />
          {onSignOut && (
            <button type="button" onClick={onSignOut}>
              {t('shell.signOut')}
            </button>
          )}
        </div>
      </header>
      {nav.length > 0 && (
        <nav className="nav" aria-label={t('shell.nav')}>
          <ul>
            {nav.map((n) => (
              <li key={n.to}>
                <Link to={n.to}>{n.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

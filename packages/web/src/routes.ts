/**
 * The pages, and who sees each: navigation shows a page only to the roles it is for (the
 * API decides access; this only keeps pages out of the way of those they are not for).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Me, School } from './api/client';
import { ATTENDANCE_ROUTES } from './pages/attendance/routes';
import { FAMILY_ROUTES } from './pages/family/routes';
import { PEOPLE_ROUTES } from './pages/people/routes';
import { PATHS } from './paths';

/** What a page knows of the signed-in user. */
export interface PageContext {
  me: Me;
  /** the school chosen in the header (none for a bureau) */
  school?: School;
  /** every school the user sees in the header, by id */
  schools: ReadonlyMap<string, School>;
  /** the user's roles at the chosen school */
  roles: readonly string[];
}
export type PageProps = { ctx: PageContext };

export interface PageRoute {
  path: string;
  /** i18n key of its navigation label */
  label: string;
  for(ctx: PageContext): boolean;
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

const isAdmin = (c: PageContext) => c.roles.includes('admin');

export const ROUTES: readonly PageRoute[] = [
  {
    path: PATHS.school,
    label: 'nav.school',
    for: (c) => c.roles.includes('admin'),
    page: lazy(() => import('./pages/School')),
  },
  { path: PATHS.grades, label: 'setup.nav.grades', for: isAdmin, page: lazy(() => import('./pages/setup/Grades')) },
  { path: PATHS.rooms, label: 'setup.nav.rooms', for: isAdmin, page: lazy(() => import('./pages/setup/Rooms')) },
  { path: PATHS.staff, label: 'setup.nav.staff', for: isAdmin, page: lazy(() => import('./pages/setup/Staff')) },
  { path: PATHS.terms, label: 'setup.nav.terms', for: isAdmin, page: lazy(() => import('./pages/setup/Terms')) },
  ...PEOPLE_ROUTES,
  {
    path: PATHS.timetable,
    label: 'timetable.nav',
    for: (c) => c.roles.includes('admin'),
    page: lazy(() => import('./pages/timetable/Timetable')),
  },
  {
    path: PATHS.sessions,
    label: 'nav.sessions',
    for: (c) => c.roles.includes('teacher') || c.roles.includes('volunteer'),
    page: lazy(() => import('./pages/Sessions')),
  },
  {
    path: PATHS.district,
    label: 'nav.district',
    for: (c) => c.me.district !== null && c.me.roles.includes('district'),
    page: lazy(() => import('./pages/District')),
  },
  ...FAMILY_ROUTES,
  {
    path: PATHS.clubChoice,
    label: 'enrolment.nav',
    for: (c) => c.roles.includes('parent'),
    page: lazy(() => import('./pages/enrolment/ClubChoice')),
  },
  {
    path: PATHS.enrolment,
    label: 'enrolment.admin.nav',
    for: isAdmin,
    page: lazy(() => import('./pages/enrolment/EnrolmentAdmin')),
  },
  ...ATTENDANCE_ROUTES,
];

export const routesFor = (ctx: PageContext) => ROUTES.filter((r) => r.for(ctx));

/** The pages of this area (admins): students and guardians, clubs with their tiers, imports. */
import { lazy } from 'react';
import { PATHS } from '../../paths';
import type { PageRoute } from '../../routes';

const admin: PageRoute['for'] = (c) => c.roles.includes('admin');

export const PEOPLE_ROUTES: readonly PageRoute[] = [
  { path: PATHS.students, label: 'people.nav.students', for: admin, page: lazy(() => import('./Students')) },
  { path: PATHS.clubs, label: 'people.nav.clubs', for: admin, page: lazy(() => import('./Clubs')) },
  { path: PATHS.import, label: 'people.nav.import', for: admin, page: lazy(() => import('./Import')) },
];

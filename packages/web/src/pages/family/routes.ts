/**
 * The pages of the after-school service's families side: a parent's children (notice, form,
 * week); the school's notice and forms, participation and the dismissal list (admins; teachers
 * read the progress, the figures and the list); a bureau's participation.
 */
import { lazy } from 'react';
import { PATHS } from '../../paths';
import type { PageRoute } from '../../routes';

const staff: PageRoute['for'] = (c) => c.roles.includes('admin') || c.roles.includes('teacher');

export const FAMILY_ROUTES: readonly PageRoute[] = [
  { path: PATHS.family, label: 'nav.family', for: (c) => c.roles.includes('parent'), page: lazy(() => import('./Family')) },
  { path: PATHS.optouts, label: 'family.nav.optouts', for: staff, page: lazy(() => import('../optouts/OptOuts')) },
  {
    path: PATHS.participation,
    label: 'family.nav.participation',
    for: staff,
    page: lazy(() => import('../participation/Participation')),
  },
  { path: PATHS.dismissal, label: 'family.nav.dismissal', for: staff, page: lazy(() => import('../participation/Dismissal')) },
  {
    path: PATHS.districtParticipation,
    label: 'family.nav.districtParticipation',
    for: (c) => c.me.district !== null && c.me.roles.includes('district'),
    page: lazy(() => import('../participation/DistrictParticipation')),
  },
];

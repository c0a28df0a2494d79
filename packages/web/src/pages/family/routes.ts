/**
 * The pages of the after-school service's families side: a parent's children (notice, form,
 * week); the school's notice and forms, participation and the dismissal list (admins; teachers
 * read the progress, the figures and the list); a bureau's participation; guardians'
 * invitations (admins) and the page an invitation opens, signed in or not (App.tsx).
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
    path: PATHS.invitations,
    label: 'family.nav.invitations',
    for: (c) => c.roles.includes('admin'),
    page: lazy(() => import('../invitations/Invitations')),
  },
  {
    path: PATHS.districtParticipation,
    label: 'family.nav.districtParticipation',
    for: (c) => c.me.district !== null && c.me.roles.includes('district'),
    page: lazy(() => import('../participation/DistrictParticipation')),
  },
];

/** The token of an invitation's page (/invite/{token}), or null on any other path. */
export const inviteToken = (path: string): string | null =>
  path.startsWith(`${PATHS.invite}/`) ? decodeURIComponent(path.slice(PATHS.invite.length + 1)) || null : null;
export const InvitePage = lazy(() => import('./Invite'));

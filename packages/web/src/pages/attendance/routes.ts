/**
 * The pages of attendance: a staff member's sessions today, each session's class list and its
 * attendance (teachers and volunteers; admins see every session); the children unaccounted
 * for and staff members' hours (admins).
 */
import { lazy } from 'react';
import { PATHS } from '../../paths';
import type { PageRoute } from '../../routes';

const isAdmin: PageRoute['for'] = (c) => c.roles.includes('admin');

export const ATTENDANCE_ROUTES: readonly PageRoute[] = [
  {
    path: PATHS.attendance,
    label: 'attendance.nav.take',
    for: (c) => ['admin', 'teacher', 'volunteer'].some((r) => c.roles.includes(r)),
    page: lazy(() => import('./TakeAttendance')),
  },
  { path: PATHS.unaccounted, label: 'attendance.nav.unaccounted', for: isAdmin, page: lazy(() => import('./Unaccounted')) },
  { path: PATHS.hours, label: 'attendance.nav.hours', for: isAdmin, page: lazy(() => import('./Hours')) },
];

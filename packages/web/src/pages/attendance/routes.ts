/**
 * The pages of attendance: a staff member's sessions today, each session's class list and its
 * attendance (teachers and volunteers; admins see every session); the children unaccounted
 * for (admins); hours (admins everyone's, teachers and volunteers their own).
 */
import { lazy } from 'react';
import { PATHS } from '../../paths';
import type { PageRoute } from '../../routes';

const isAdmin: PageRoute['for'] = (c) => c.roles.includes('admin');
const isStaff: PageRoute['for'] = (c) => ['admin', 'teacher', 'volunteer'].some((r) => c.roles.includes(r));

export const ATTENDANCE_ROUTES: readonly PageRoute[] = [
  {
    path: PATHS.attendance,
    label: 'attendance.nav.take',
    for: isStaff,
    page: lazy(() => import('./TakeAttendance')),
  },
  { path: PATHS.unaccounted, label: 'attendance.nav.unaccounted', for: isAdmin, page: lazy(() => import('./Unaccounted')) },
  { path: PATHS.hours, label: 'attendance.nav.hours', for: isStaff, page: lazy(() => import('./Hours')) },
];

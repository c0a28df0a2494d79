/**
 * The app's own paths. None starts with a segment of the API's (/health, /openapi.json,
 * /schools, /me, /calendar): every path that is not the API's is the app's, locally and on
 * AWS alike (test/web-paths.test.ts holds this against the route registry).
 */
export const PATHS = {
  home: '/',
  signIn: '/sign-in',
  callback: '/auth/callback',
  sessions: '/sessions',
  school: '/setup/school',
  grades: '/setup/grades',
  rooms: '/setup/rooms',
  staff: '/setup/staff',
  terms: '/setup/terms',
  students: '/setup/students',
  clubs: '/setup/clubs',
  import: '/setup/import',
  timetable: '/timetable',
  district: '/district',
  family: '/family',
  optouts: '/optouts',
  participation: '/participation',
  districtParticipation: '/district/participation',
  dismissal: '/dismissal',
  /** a guardian's club choice for a child */
  clubChoice: '/club-choice',
  /** the admin's selection windows and class lists */
  enrolment: '/setup/enrolment',
  invitations: '/setup/invitations',
  /** an invitation's page: /invite/{token} */
  invite: '/invite',
  attendance: '/attendance',
  unaccounted: '/unaccounted',
  hours: '/hours',
} as const;

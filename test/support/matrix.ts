/**
 * One valid request per route of the registry, with its right user and what every other
 * identity is answered: the authorisation matrix (authz.test.ts) runs it as it is, the
 * hostile-input test (hostile.test.ts) starts from it and breaks it.
 */
import type { RouteSpec } from '@kehou/http';
import { openWindow, shanghaiIn } from './enrolment';
import { classSeatsId } from '@kehou/domain';
import { Capacity, makeDb } from '@kehou/store';
import { TEST_CURSOR_KEY } from './db';
import { notice } from './families';
import { BAD_TOKENS, body, WORLD_FORM, type Identity, type RightUser, type World } from './world';

export interface Req {
  method: string;
  path: string;
  body?: unknown;
}
export interface Row {
  right: RightUser;
  /** the right user's status */
  ok: number;
  req: (w: World) => Req | Promise<Req>;
  /** statuses of other identities where they differ from the defaults (see `expected`) */
  others?: Partial<Record<Identity, number>>;
  /** the request works once (an invitation, a refresh token): `req` makes a new one for each caller */
  fresh?: true;
}

export const MEMBERS: Identity[] = ['parentOther', 'volunteerOther'];
export const FOREIGN: Identity[] = ['teacherOtherSchool', 'adminOtherSchool', 'districtOther'];
const all = (status: number, who: Identity[] = [...MEMBERS, ...FOREIGN]) => Object.fromEntries(who.map((i) => [i, status]));
/** routes every member of 甲 may read (school.read, setup.read) */
const membersRead = all(200, MEMBERS);
const s = (w: World) => `/schools/${w.a.schoolId}`;
const tt = (w: World) => `${s(w)}/terms/${w.a.termId}/timetable`;
const JUNE = 'from=2026-09-01&to=2026-09-30';
/** the first family's child: their form in the term (open), and in the spring term (a late request) */
const optouts = (w: World, termId = w.a.termId) => `${s(w)}/terms/${termId}/optouts`;
const child = (w: World) => `${s(w)}/students/${w.a.studentNo}`;
/** routes of a child: anyone but their guardians (and, for reads, the school's admins) is told the child is not there */
const notTheirs = all(404);
const HOMEROOM = 'date=2026-10-14&grade=1&homeroom=1';

/** The body of a PUT: the record as read, without what the server owns, with a change. */
const putBody = async (w: World, path: string, change: Record<string, unknown> = {}) => ({
  ...(await body(w.callers.admin, path)),
  ...change,
});
const del = async (w: World, path: string): Promise<Req> => ({
  method: 'DELETE',
  path: `${path}?version=${(await w.callers.admin('GET', path)).body.version}`,
});
/** A new invitation for the guardian of the world's child: its token. */
async function invitation(w: World): Promise<string> {
  const made = await w.callers.admin('POST', `${s(w)}/invitations`, { scope: 'guardian', guardianId: w.a.guardianId });
  return (made.body.items[0].path as string).replace('/invite/', '');
}
/** What that guardian confirms an invitation with: the last four digits of their phone number. */
const phoneDigits = async (w: World) =>
  ((await w.callers.admin('GET', `${s(w)}/guardians/${w.a.guardianId}`)).body.phone as string).slice(-4);
/** The refresh token of a new session of that guardian. */
async function signedIn(w: World): Promise<string> {
  const token = await invitation(w);
  const res = await w.callers.none('POST', `/invitations/${token}/redeem`, { code: await phoneDigits(w) });
  return res.body.refreshToken as string;
}
async function draft(w: World) {
  const head = (await w.callers.admin('GET', tt(w))).body;
  const v = (await w.callers.admin('GET', `${tt(w)}/versions/${head.draft.number}`)).body;
  return v as { version: number; sessions: Array<{ id: string; locked: boolean }> };
}

/** The world's term's selection window in a mode, opened now (made, or changed to it). */
async function enrolWindow(w: World, mode: 'fcfs' | 'ranked') {
  const path = `${s(w)}/terms/${w.a.termId}/enrolment/window`;
  const now = await w.callers.admin('GET', path);
  if (now.status === 200 && now.body.mode === mode && now.body.state === 'open') return;
  await w.callers.admin('PUT', path, openWindow({ mode, version: now.status === 200 ? now.body.version : 0 }));
}
const enrol = (w: World) => `${s(w)}/terms/${w.a.termId}/enrolment`;
/** The world's term's ranked window, closed a minute ago; the version of its allocation (0: none yet). */
async function closedRanked(w: World): Promise<number> {
  const path = `${enrol(w)}/window`;
  const now = await w.callers.admin('GET', path);
  if (!(now.status === 200 && now.body.mode === 'ranked' && now.body.state === 'closed')) {
    const version = now.status === 200 ? now.body.version : 0;
    await w.callers.admin('PUT', path, openWindow({ mode: 'ranked', closesAt: shanghaiIn(-1), version }));
  }
  const a = await w.callers.admin('GET', `${enrol(w)}/allocation`);
  return a.status === 200 ? a.body.version : 0;
}
/** A run of the world's term's allocation (a job, ended): its status resource. */
async function allocationRun(w: World): Promise<string> {
  const run = await w.callers.admin('POST', `${enrol(w)}/allocation`, { version: await closedRanked(w) });
  await w.app.worker.idle();
  return `${enrol(w)}/allocation/jobs/${run.body.jobId}`;
}
/** A draft allocation of the world's term (run if there is none): its version. */
async function allocationDraft(w: World): Promise<number> {
  const version = await closedRanked(w);
  if (version > 0) return version;
  await allocationRun(w);
  return closedRanked(w);
}
/** The world's child's enrolment view, and a class they may take. */
async function enrolChild(w: World, mode: 'fcfs' | 'ranked') {
  await enrolWindow(w, mode);
  const view = (await w.callers.admin('GET', `${enrol(w)}/students/${w.a.studentNo}`)).body;
  const k = view.classes.find((x: { eligible: boolean }) => x.eligible) as { classId: string };
  return { view, classId: k.classId, places: `${enrol(w)}/students/${w.a.studentNo}/places` };
}
/** A place of the world's child in a class (asked for by their guardian): the class. */
async function enrolled(w: World): Promise<string> {
  const { classId, places } = await enrolChild(w, 'fcfs');
  await w.callers.parent('POST', places, { classId });
  return classId;
}
/** The volunteer's first published session in September, with the world's first child enrolled in its class. */
async function volunteerSession(w: World): Promise<string> {
  const roster = await w.callers.admin('GET', `${s(w)}/staff/${w.a.volunteerStaffId}/roster?${JUNE}`);
  const first = roster.body.items[0] as { id: string; date: string; classId: string };
  const db = makeDb({ tableName: w.app.tableName, endpoint: w.app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const seats = { schoolId: w.a.schoolId, id: classSeatsId(first.classId), what: '故事会 基础班' };
  const capacity = new Capacity(db);
  await capacity.setCapacity(seats, 30);
  await capacity.claim(seats, { id: w.a.studentNo, what: '小明' }, '2026-08-20T00:00:00.000Z');
  return `${s(w)}/dated-sessions/${first.date}/${first.id}`;
}

export const MATRIX: Record<string, Row> = {
  health: { right: 'anyone', ok: 200, req: () => ({ method: 'GET', path: '/health' }) },
  openapi: { right: 'anyone', ok: 200, req: () => ({ method: 'GET', path: '/openapi.json' }) },
  createSchool: {
    right: 'bureau',
    ok: 201,
    req: (w) => ({ method: 'POST', path: '/schools', body: { name: '丙小学', districtId: w.district } }),
    others: all(403),
  },
  listSchools: { right: 'bureau', ok: 200, req: () => ({ method: 'GET', path: '/schools' }), others: all(200) },
  getSchool: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: s(w) }), others: membersRead },
  replaceSchool: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({ method: 'PUT', path: s(w), body: await putBody(w, s(w), { address: '德阳' }) }),
  },
  getHistory: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/history/room/${w.a.roomId}` }) },

  listGrades: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/grades` }), others: membersRead },
  createGrade: {
    right: 'admin',
    ok: 201,
    req: (w) => ({ method: 'POST', path: `${s(w)}/grades`, body: { level: 8, name: '八年级', dismissal: { MON: '15:50' } } }),
  },
  getGrade: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/grades/g1` }), others: membersRead },
  replaceGrade: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({
      method: 'PUT',
      path: `${s(w)}/grades/g1`,
      body: await putBody(w, `${s(w)}/grades/g1`, { name: '一年级 ' }),
    }),
  },
  deleteGrade: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/grades/${w.a.spare.grade}`) },

  listRooms: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/rooms` }), others: membersRead },
  createRoom: {
    right: 'admin',
    ok: 201,
    req: (w) => ({ method: 'POST', path: `${s(w)}/rooms`, body: { name: '新教室', capacity: 20 } }),
  },
  getRoom: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/rooms/${w.a.roomId}` }), others: membersRead },
  replaceRoom: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/rooms/${w.a.roomId}`;
      return { method: 'PUT', path, body: await putBody(w, path, { capacity: 41 }) };
    },
  },
  deleteRoom: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/rooms/${w.a.spare.room}`) },

  listTerms: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/terms` }), others: membersRead },
  createTerm: {
    right: 'admin',
    ok: 201,
    req: (w) => ({
      method: 'POST',
      path: `${s(w)}/terms`,
      body: { name: '夏季', startDate: '2028-07-01', endDate: '2028-08-31' },
    }),
  },
  getTerm: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.termId}` }), others: membersRead },
  replaceTerm: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/terms/${w.a.springId}`;
      return { method: 'PUT', path, body: await putBody(w, path, { name: '2027 春季' }) };
    },
  },
  deleteTerm: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/terms/${w.a.spare.term}`) },

  listStaffMembers: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/staff` }) },
  createStaffMember: {
    right: 'admin',
    ok: 201,
    req: (w) => ({ method: 'POST', path: `${s(w)}/staff`, body: { name: '新老师', kind: 'teacher' } }),
  },
  getStaffMember: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/staff/${w.a.volunteerStaffId}` }) },
  replaceStaffMember: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/staff/${w.a.spare.staff}`;
      return { method: 'PUT', path, body: await putBody(w, path, { skills: ['go'] }) };
    },
  },
  deleteStaffMember: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/staff/${w.a.spare.staff}`) },

  listStudents: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/students?grade=1` }) },
  createStudent: {
    right: 'admin',
    ok: 201,
    req: (w) => ({
      method: 'POST',
      path: `${s(w)}/students`,
      body: { studentNo: '1004', name: '小新', gradeLevel: 1, homeroom: '2' },
    }),
  },
  getStudent: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/students/${w.a.studentNo}` }),
    // a guardian of another family: the child is not there for them
    others: { parentOther: 404 },
  },
  replaceStudent: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/students/${w.a.spare.student}`;
      return { method: 'PUT', path, body: await putBody(w, path, { homeroom: '3' }) };
    },
  },
  deleteStudent: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/students/${w.a.spare.student}`) },

  listGuardians: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/guardians` }) },
  createGuardian: {
    right: 'admin',
    ok: 201,
    req: (w) => ({
      method: 'POST',
      path: `${s(w)}/guardians`,
      body: { name: '新家长', phone: '13800000009', children: ['1004'] },
    }),
  },
  getGuardian: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/guardians/${w.a.guardianId}` }) },
  replaceGuardian: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/guardians/${w.a.spare.guardian}`;
      return { method: 'PUT', path, body: await putBody(w, path, { relation: 'grandmother' }) };
    },
  },
  deleteGuardian: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/guardians/${w.a.spare.guardian}`) },

  importStudents: {
    right: 'admin',
    ok: 202,
    req: (w) => ({
      method: 'POST',
      path: `${s(w)}/students/import`,
      body: { mode: 'upsert', rows: [{ studentNo: '1005', name: '小导', gradeLevel: 1, homeroom: '1' }] },
    }),
  },
  getImport: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/imports/${w.a.importId}` }),
  },
  listImports: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/imports` }) },
  importRooms: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'POST', path: `${s(w)}/rooms/import`, body: { rows: [{ name: '导入室', capacity: 12 }] } }),
  },
  importStaff: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'POST', path: `${s(w)}/staff/import`, body: { rows: [{ name: '导入老师', kind: 'teacher' }] } }),
  },
  importClubs: {
    right: 'admin',
    ok: 200,
    req: (w) => ({
      method: 'POST',
      path: `${s(w)}/terms/${w.a.springId}/clubs/import`,
      body: {
        rows: [
          {
            club: '导入社团',
            nameEn: 'Imported',
            category: 'other',
            descriptionZh: '导入',
            descriptionEn: 'Imported',
            skill: 'chess',
            class: '基础班',
            tier: 'basic',
            grades: [1],
            capacity: 20,
            sessionsPerWeek: 1,
            minutesPerSession: 45,
          },
        ],
      },
    }),
  },
  getImportTemplate: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/import-templates/clubs.csv` }) },
  getMe: { right: 'admin', ok: 200, req: () => ({ method: 'GET', path: '/me' }), others: all(200) },

  listClubs: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/clubs?termId=${w.a.termId}` }),
    others: membersRead,
  },
  createClub: {
    right: 'admin',
    ok: 201,
    req: async (w) => {
      const club = await putBody(w, `${s(w)}/clubs/${w.a.clubId}`, { name: '绘本会' });
      const { version: _v, status: _st, classes, ...rest } = club as { classes: Array<{ id: string }> } & Record<string, unknown>;
      return { method: 'POST', path: `${s(w)}/clubs`, body: { ...rest, classes: classes.map(({ id: _x, ...k }) => k) } };
    },
  },
  getClub: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/clubs/${w.a.clubId}` }), others: membersRead },
  replaceClub: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/clubs/${w.a.spare.club}`;
      return { method: 'PUT', path, body: await putBody(w, path, { descriptionEn: 'A spare club' }) };
    },
  },
  deleteClub: { right: 'admin', ok: 204, req: (w) => del(w, `${s(w)}/clubs/${w.a.spare.club}`) },
  copyClubs: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'POST', path: `${s(w)}/terms/${w.a.springId}/clubs/copy`, body: { fromTermId: w.a.termId } }),
  },

  generateTimetable: { right: 'admin', ok: 202, req: (w) => ({ method: 'POST', path: `${tt(w)}/generate`, body: {} }) },
  getTimetableGeneration: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.generation.termId}/timetable/jobs/${w.a.generation.jobId}` }),
  },
  getTimetable: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: tt(w) }) },
  listTimetableVersions: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions` }) },
  getTimetableVersion: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions/1` }) },
  listTimetableChanges: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions/1/changes` }) },
  getTimetableBench: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions/1/bench` }) },
  exportTimetableCsv: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions/1/export.csv` }) },
  getTimetableDates: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${tt(w)}/versions/1/dated?${JUNE}` }) },
  editDraftSession: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const d = await draft(w);
      return {
        method: 'PATCH',
        path: `${tt(w)}/draft/sessions/${d.sessions[0]!.id}`,
        body: { version: d.version, locked: false },
      };
    },
  },
  swapDraftSessions: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const d = await draft(w);
      return {
        method: 'POST',
        path: `${tt(w)}/draft/swap`,
        body: { version: d.version, a: d.sessions[0]!.id, b: d.sessions[1]!.id },
      };
    },
  },
  publishTimetable: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({ method: 'POST', path: `${tt(w)}/publish`, body: { version: (await draft(w)).version } }),
  },

  getMyRoster: { right: 'volunteer', ok: 200, req: () => ({ method: 'GET', path: `/me/roster?${JUNE}` }), others: all(200) },
  getStaffRoster: {
    right: 'volunteer',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/staff/${w.a.volunteerStaffId}/roster?${JUNE}` }),
  },
  rotateMyCalendarFeeds: {
    right: 'volunteer',
    ok: 200,
    req: () => ({ method: 'POST', path: '/me/calendar-feeds' }),
    // the other volunteer and the other school's teacher rotate their own feeds
    others: { parentOther: 403, volunteerOther: 200, teacherOtherSchool: 200, adminOtherSchool: 403, districtOther: 403 },
  },
  rotateStaffCalendarFeed: {
    right: 'volunteer',
    ok: 200,
    req: (w) => ({ method: 'POST', path: `${s(w)}/staff/${w.a.volunteerStaffId}/calendar-feed` }),
  },
  getOpenIdConfiguration: { right: 'anyone', ok: 200, req: () => ({ method: 'GET', path: '/.well-known/openid-configuration' }) },
  getJwks: { right: 'anyone', ok: 200, req: () => ({ method: 'GET', path: '/.well-known/jwks.json' }) },
  createInvitations: {
    right: 'admin',
    ok: 201,
    req: (w) => ({ method: 'POST', path: `${s(w)}/invitations`, body: { scope: 'guardian', guardianId: w.a.guardianId } }),
  },
  listInvitations: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/invitations?grade=1&homeroom=1` }) },
  getInvitation: { right: 'anyone', ok: 200, req: async (w) => ({ method: 'GET', path: `/invitations/${await invitation(w)}` }) },
  sendInvitationCode: {
    right: 'anyone',
    ok: 200,
    fresh: true,
    req: async (w) => {
      // an invitation confirmed by SMS: made while the school has an SMS signature
      const settings = `${s(w)}/sign-in-settings`;
      const { version } = (await w.callers.admin('GET', settings)).body;
      await w.callers.admin('PUT', settings, { smsSignature: '甲小学', version });
      const token = await invitation(w);
      await w.callers.admin('PUT', settings, { smsSignature: null, version: version + 1 });
      return { method: 'POST', path: `/invitations/${token}/code` };
    },
  },
  redeemInvitation: {
    right: 'anyone',
    ok: 200,
    fresh: true,
    req: async (w) => ({
      method: 'POST',
      path: `/invitations/${await invitation(w)}/redeem`,
      body: { code: await phoneDigits(w) },
    }),
  },
  refreshSession: {
    right: 'anyone',
    ok: 200,
    fresh: true,
    req: async (w) => ({ method: 'POST', path: '/tokens/refresh', body: { refreshToken: await signedIn(w) } }),
  },
  signOut: {
    right: 'anyone',
    ok: 204,
    req: async (w) => ({ method: 'POST', path: '/tokens/sign-out', body: { refreshToken: await signedIn(w) } }),
  },
  getGuardianSignIn: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/guardians/${w.a.guardianId}/sign-in` }),
  },
  revokeGuardianSessions: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'POST', path: `${s(w)}/guardians/${w.a.guardianId}/sessions/revoke` }),
  },
  getSignInSettings: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/sign-in-settings` }) },
  replaceSignInSettings: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/sign-in-settings`;
      return { method: 'PUT', path, body: { smsSignature: null, version: (await w.callers.admin('GET', path)).body.version } };
    },
  },
  calendarFeed: {
    right: 'anyone',
    ok: 200,
    req: async (w) => {
      const link = await w.callers.volunteer('POST', `${s(w)}/staff/${w.a.volunteerStaffId}/calendar-feed`);
      return { method: 'GET', path: link.body.path };
    },
  },

  publishNotice: {
    right: 'admin',
    ok: 201,
    req: async (w) => {
      const term = (
        await w.callers.admin('POST', `${s(w)}/terms`, { name: '冬令营', startDate: '2028-01-20', endDate: '2028-02-20' })
      ).body;
      return { method: 'POST', path: `${s(w)}/terms/${term.id}/notice`, body: notice() };
    },
  },
  reviseNotice: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${s(w)}/terms/${w.a.termId}/notice`;
      return { method: 'PUT', path, body: await putBody(w, path, { titleEn: 'A letter to parents' }) };
    },
  },
  getNotice: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.termId}/notice` }) },
  getNoticeProgress: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.termId}/notice/progress?grade=1` }),
  },
  submitOptOut: {
    right: 'parent',
    ok: 201,
    req: (w) => ({ method: 'POST', path: optouts(w), body: { studentNo: w.a.studentNo, ...WORLD_FORM } }),
    others: notTheirs,
  },
  amendOptOut: {
    right: 'parent',
    ok: 200,
    req: async (w) => {
      const path = `${optouts(w)}/${w.a.studentNo}`;
      const { version } = (await w.callers.parent('GET', path)).body;
      return { method: 'PUT', path, body: { ...WORLD_FORM, days: ['WED', 'FRI'], version } };
    },
    others: notTheirs,
  },
  withdrawOptOut: {
    right: 'parent',
    ok: 200,
    req: async (w) => {
      const path = `${optouts(w)}/${w.a.studentNo}`;
      return { method: 'POST', path: `${path}/withdraw`, body: { version: (await w.callers.parent('GET', path)).body.version } };
    },
    others: notTheirs,
  },
  decideOptOutRequest: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const path = `${optouts(w, w.a.springId)}/${w.a.studentNo}`;
      const { version } = (await w.callers.admin('GET', path)).body;
      return { method: 'POST', path: `${path}/decision`, body: { version, decision: 'approve' } };
    },
  },
  getOptOut: {
    right: 'parent',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${optouts(w)}/${w.a.studentNo}` }),
    others: notTheirs,
  },
  getOptOutHistory: {
    right: 'parent',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${optouts(w)}/${w.a.studentNo}/history` }),
    others: notTheirs,
  },
  listOptOuts: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${optouts(w)}?grade=1&day=WED` }) },
  listOptOutRequests: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.springId}/optout-requests` }),
  },
  listChildNotices: { right: 'parent', ok: 200, req: (w) => ({ method: 'GET', path: `${child(w)}/notices` }), others: notTheirs },
  getChildNotice: {
    right: 'parent',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${child(w)}/notices/${w.a.termId}` }),
    others: notTheirs,
  },
  getChildWeek: {
    right: 'parent',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${child(w)}/week?date=2026-10-14` }),
    others: notTheirs,
  },
  setEnrolmentWindow: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      const now = await w.callers.admin('GET', `${enrol(w)}/window`);
      const version = now.status === 200 ? now.body.version : 0;
      return { method: 'PUT', path: `${enrol(w)}/window`, body: openWindow({ version }) };
    },
  },
  getEnrolmentWindow: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      await enrolWindow(w, 'fcfs');
      return { method: 'GET', path: `${enrol(w)}/window` };
    },
    others: membersRead,
  },
  getChildEnrolment: {
    right: 'parent',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${enrol(w)}/students/${w.a.studentNo}` }),
    others: notTheirs,
  },
  getChildEnrolmentHistory: {
    right: 'parent',
    ok: 200,
    req: async (w) => {
      await enrolled(w);
      return { method: 'GET', path: `${enrol(w)}/students/${w.a.studentNo}/history` };
    },
    others: notTheirs,
  },
  saveEnrolmentChoices: {
    right: 'parent',
    ok: 200,
    req: async (w) => {
      const { view, classId } = await enrolChild(w, 'ranked');
      const body = { choices: [classId], version: view.choices?.version ?? 0 };
      return { method: 'PUT', path: `${enrol(w)}/students/${w.a.studentNo}/choices`, body };
    },
    others: notTheirs,
  },
  requestEnrolmentPlace: {
    right: 'parent',
    ok: 200,
    req: async (w) => {
      const { classId, places } = await enrolChild(w, 'fcfs');
      return { method: 'POST', path: places, body: { classId } };
    },
    others: notTheirs,
  },
  withdrawEnrolmentPlace: {
    right: 'parent',
    ok: 200,
    fresh: true,
    req: async (w) => ({
      method: 'POST',
      path: `${enrol(w)}/students/${w.a.studentNo}/places/${await enrolled(w)}/withdraw`,
    }),
    others: notTheirs,
  },
  removeFromClass: {
    right: 'admin',
    ok: 200,
    fresh: true,
    req: async (w) => ({
      method: 'POST',
      path: `${enrol(w)}/classes/${await enrolled(w)}/remove`,
      body: { studentNo: w.a.studentNo },
    }),
  },
  getClassEnrolment: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({ method: 'GET', path: `${enrol(w)}/classes/${await enrolled(w)}` }),
  },
  getClassEnrolmentHistory: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({ method: 'GET', path: `${enrol(w)}/classes/${await enrolled(w)}/history` }),
  },
  approveEnrolment: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({
      method: 'POST',
      path: `${enrol(w)}/approvals`,
      body: { studentNo: w.a.studentNo, classId: (await enrolChild(w, 'fcfs')).classId },
    }),
  },
  runEnrolmentAllocation: {
    right: 'admin',
    ok: 202,
    fresh: true,
    req: async (w) => ({ method: 'POST', path: `${enrol(w)}/allocation`, body: { version: await closedRanked(w) } }),
  },
  getEnrolmentAllocationJob: {
    right: 'admin',
    ok: 200,
    req: async (w) => ({ method: 'GET', path: await allocationRun(w) }),
  },
  getEnrolmentAllocation: {
    right: 'admin',
    ok: 200,
    req: async (w) => {
      await allocationDraft(w);
      return { method: 'GET', path: `${enrol(w)}/allocation` };
    },
  },
  publishEnrolmentAllocation: {
    right: 'admin',
    ok: 202,
    req: async (w) => ({ method: 'POST', path: `${enrol(w)}/allocation/publish`, body: { version: await allocationDraft(w) } }),
  },
  getParticipation: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/terms/${w.a.termId}/participation` }),
  },
  getDistrictParticipation: {
    right: 'bureau',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `/districts/${w.district}/participation?date=2026-10-14` }),
    // a bureau's figures: another district is not there; anyone else is refused
    others: { ...all(403), districtOther: 404 },
  },
  getDismissalList: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/dismissal?${HOMEROOM}` }) },
  exportDismissalList: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/dismissal/export.csv?${HOMEROOM}` }),
  },

  listDatedSessions: {
    right: 'volunteer',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/dated-sessions?${JUNE}` }),
    // the other volunteer has a staff record and no session: an empty list
    others: { volunteerOther: 200 },
  },
  getClassList: { right: 'volunteer', ok: 200, req: async (w) => ({ method: 'GET', path: await volunteerSession(w) }) },
  saveAttendance: {
    right: 'volunteer',
    ok: 200,
    req: async (w) => ({
      method: 'POST',
      path: `${await volunteerSession(w)}/attendance`,
      body: { marks: [{ studentNo: w.a.studentNo, status: 'present' }] },
    }),
  },
  getAttendanceHistory: {
    right: 'volunteer',
    ok: 200,
    req: async (w) => ({ method: 'GET', path: `${await volunteerSession(w)}/attendance/history` }),
  },
  getUnaccountedFor: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/unaccounted?date=2026-09-16` }) },
  getStaffHours: { right: 'admin', ok: 200, req: (w) => ({ method: 'GET', path: `${s(w)}/hours?month=2026-09` }) },
  exportStaffHours: {
    right: 'admin',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/hours/export.csv?month=2026-09&statement=remuneration` }),
  },
  getStaffMemberHours: {
    right: 'volunteer',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/staff/${w.a.volunteerStaffId}/hours?month=2026-09` }),
  },
  exportStaffMemberHours: {
    right: 'volunteer',
    ok: 200,
    req: (w) => ({ method: 'GET', path: `${s(w)}/staff/${w.a.volunteerStaffId}/hours/export.csv?month=2026-09` }),
  },
};

/** What an identity is answered on a route, unless its row says otherwise. */
export function expected(spec: RouteSpec, row: Row, who: Identity): number {
  if (spec.auth === 'public') return row.ok;
  if ((BAD_TOKENS as readonly string[]).includes(who)) return 401;
  if (row.others?.[who] !== undefined) return row.others[who]!;
  if (!spec.path.startsWith('/schools/{schoolId}')) throw new Error(`${spec.operationId}: say what ${who} gets`);
  return FOREIGN.includes(who) ? 404 : 403;
}

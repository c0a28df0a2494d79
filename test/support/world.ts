/**
 * A small world for the guardrail tests (authorisation matrix, hostile input), made through
 * the API: school 甲 (district d-1) with an admin, a teacher, two volunteers (one takes a
 * published session, one does not), two families (the first has opted its child out on
 * WED in the term's notice, and asks late to opt out in the spring term's closed one), and a
 * spare record of every kind to delete; school 乙 of the same district with its own admin and teacher; the bureau of d-1
 * and the bureau of d-2. Every identity the tests use, with its caller: the right users,
 * and the wrong ones an attacker would try (bad tokens of every sort, another family,
 * another school, another district).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDevKey, DEV_AUDIENCE, DEV_ISSUER, gatewayClient, httpClient, signToken, type Call } from '@kehou/local';
import { makeDb } from '@kehou/store';
import { importJWK, SignJWT } from 'jose';
import { startTestApp, type TestApp } from './app';
import { TEST_CURSOR_KEY } from './db';
import { basicClass, clubBody } from './clubs';
import { daysFromToday, form, notice } from './families';

/** The form the first family's guardian submits (and the matrix submits again: the same, so stored once). */
export const WORLD_FORM = form({ days: ['WED'], guardianSignature: { name: '明妈' } });

export const BAD_TOKENS = ['none', 'garbage', 'expired', 'otherKey', 'algNone', 'wrongAudience'] as const;
export const IDENTITIES = [
  ...BAD_TOKENS,
  /** a parent at 甲 of another family */
  'parentOther',
  /** a volunteer at 甲 who takes no session */
  'volunteerOther',
  'teacherOtherSchool',
  'adminOtherSchool',
  'districtOther',
] as const;
export type Identity = (typeof IDENTITIES)[number];
/** who the right user of a route is (`parent`: a guardian of the child `a.studentNo`) */
export type RightUser = 'admin' | 'bureau' | 'volunteer' | 'parent' | 'anyone';

/** Names that belong to school 甲 and must never reach someone with no relation to it. */
export const SCHOOL_A_MARKERS = ['甲小学', '小明', '小红', '明妈', '红爸', '李阿姨', '赵叔叔', '甲活动室'];
/** Children's and guardians' names: for admins only. */
export const CHILD_MARKERS = ['小明', '小红', '明妈', '红爸'];

const week = (from: string, to: string) =>
  Object.fromEntries(['MON', 'TUE', 'WED', 'THU', 'FRI'].map((d) => [d, [{ start: from, end: to }]]));

export interface World {
  app: TestApp;
  /** the district of school 甲, whose bureau is the right user for a new school */
  district: string;
  a: {
    schoolId: string;
    termId: string;
    springId: string;
    roomId: string;
    volunteerStaffId: string;
    studentNo: string;
    guardianId: string;
    clubId: string;
    importId: string;
    /** a generation of a term's timetable (of `termId`; in the demo world, of `springId`) */
    generation: { termId: string; jobId: string };
    spare: { grade: string; room: string; term: string; staff: string; student: string; guardian: string; club: string };
  };
  b: { schoolId: string };
  callers: Record<Identity, Call> & Record<Exclude<RightUser, 'anyone'>, Call>;
  /** the table's items, to tell whether a request wrote anything */
  snapshot(): Promise<string>;
}

function ok<T = any>(r: { status: number; body: T }, what: string): T {
  if (r.status >= 300) throw new Error(`world: ${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function badToken(app: TestApp, kind: (typeof BAD_TOKENS)[number], schoolId: string): Promise<string | null> {
  const claims = { role: 'admin' as const, userId: 'admin-a', schools: [schoolId] };
  switch (kind) {
    case 'none':
      return null;
    case 'garbage':
      return 'garbage.garbage.garbage';
    case 'expired':
      return signToken(app.key, { ...claims, issuedAt: new Date(Date.now() - 48 * 3600_000), seconds: 3600 });
    case 'otherKey':
      return signToken(await createDevKey(), claims);
    case 'algNone': {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      return `${part({ alg: 'none', typ: 'JWT' })}.${part({
        sub: 'admin-a',
        'cognito:groups': ['admin'],
        'custom:schools': `${schoolId}:admin`,
        iss: DEV_ISSUER,
        aud: DEV_AUDIENCE,
        iat: now,
        exp: now + 3600,
      })}.`;
    }
    case 'wrongAudience':
      return new SignJWT({ 'cognito:groups': ['admin'], 'custom:schools': `${schoolId}:admin`, token_use: 'id' })
        .setProtectedHeader({ alg: 'ES256', kid: app.key.kid })
        .setSubject('admin-a')
        .setIssuer(DEV_ISSUER)
        .setAudience('another-app')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(await importJWK(app.key.privateJwk, 'ES256'));
  }
}

/** JSON with keys in order at every depth, so that equal items print equal. */
function stable(v: unknown): string {
  if (v instanceof Set) return stable([...v].sort());
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

export async function makeWorld(): Promise<World> {
  const app = await startTestApp();
  const bureau = await app.as('district', { user: 'bureau-1', district: 'd-1' });
  const schoolId = ok(await bureau('POST', '/schools', { name: '甲小学', districtId: 'd-1' }), 'school 甲').id as string;
  const bSchool = ok(await bureau('POST', '/schools', { name: '乙小学', districtId: 'd-1' }), 'school 乙').id as string;
  const admin = await app.as('admin', { user: 'admin-a', schools: [schoolId] });
  const adminB = await app.as('admin', { user: 'admin-b', schools: [bSchool] });
  const at = (path: string) => `/schools/${schoolId}${path}`;

  const dismissal = { MON: '15:30', TUE: '15:30', WED: '15:30', THU: '15:30', FRI: '15:30' };
  ok(await admin('POST', at('/grades'), { level: 1, name: '一年级', dismissal, homeworkMinutes: 30 }), 'grade 1');
  ok(await admin('POST', at('/grades'), { level: 2, name: '二年级', dismissal }), 'grade 2');
  const roomId = ok(await admin('POST', at('/rooms'), { name: '甲活动室', capacity: 40 }), 'room').id;
  const spareRoom = ok(await admin('POST', at('/rooms'), { name: '备用室', capacity: 10 }), 'spare room').id;
  const term = (name: string, startDate: string, endDate: string) =>
    admin('POST', at('/terms'), { name, startDate, endDate }).then((r) => ok(r, name).id as string);
  const termId = await term('秋季', '2026-09-01', '2027-01-22');
  const springId = await term('春季', '2027-02-22', '2027-07-02');
  const spareTerm = await term('备用学期', '2027-09-01', '2028-01-20');
  const staff = (body: object) => admin('POST', at('/staff'), body).then((r) => ok(r, 'staff').id as string);
  const teacher = await staff({
    name: '甲王老师',
    kind: 'teacher',
    skills: ['chess'],
    availability: week('16:00', '18:00'),
    userId: 'teacher-a',
  });
  const volunteerStaffId = await staff({
    name: '李阿姨',
    kind: 'volunteer',
    skills: ['storytelling'],
    availability: week('16:00', '18:00'),
    backgroundCheckExpiresOn: '2027-12-31',
    userId: 'vol-a',
  });
  await staff({
    name: '赵叔叔',
    kind: 'volunteer',
    skills: ['origami'],
    availability: week('16:00', '18:00'),
    backgroundCheckExpiresOn: '2027-12-31',
    userId: 'vol-a2',
  });
  const spareStaff = await staff({ name: '备用老师', kind: 'teacher' });
  for (const [studentNo, name] of [
    ['1001', '小明'],
    ['1002', '小红'],
    ['1003', '小备'],
  ])
    ok(await admin('POST', at('/students'), { studentNo, name, gradeLevel: 1, homeroom: '1' }), name!);
  const guardianId = ok(
    await admin('POST', at('/guardians'), {
      name: '明妈',
      phone: '13800000001',
      relation: 'mother',
      children: ['1001'],
      userId: 'parent-a',
    }),
    'guardian',
  ).id;
  ok(
    await admin('POST', at('/guardians'), {
      name: '红爸',
      phone: '13800000002',
      relation: 'father',
      children: ['1002'],
      userId: 'parent-a2',
    }),
    'other family',
  );
  const spareGuardian = ok(
    await admin('POST', at('/guardians'), { name: '备用家长', phone: '13800000003', children: ['1002'] }),
    'spare guardian',
  ).id;
  const club = (name: string, skill: string, fixedStaffId: string | null) =>
    admin('POST', at('/clubs'), clubBody(termId, name, skill, [basicClass({ fixedStaffId })])).then(
      (r) => ok(r, name).id as string,
    );
  const clubId = await club('故事会', 'storytelling', volunteerStaffId);
  await club('国际象棋', 'chess', teacher);
  const spareClub = await club('备用社团', 'chess', null);
  const importId = ok(
    await admin('POST', at('/students/import'), { rows: [{ studentNo: '1006', name: '小导', gradeLevel: 1, homeroom: '1' }] }),
    'import',
  ).importId as string;
  await app.worker.idle();
  const tt = `/terms/${termId}/timetable`;
  const generation = { termId, jobId: ok(await admin('POST', at(`${tt}/generate`), {}), 'timetable').jobId as string };
  await app.worker.idle();
  const { draft } = ok(await admin('GET', at(`${tt}/jobs/${generation.jobId}`)), 'generation');
  if (!draft) throw new Error('world: the timetable was not generated');
  ok(await admin('POST', at(`${tt}/publish`), { version: draft.version }), 'publication');

  return finish(app, {
    a: {
      schoolId,
      termId,
      springId,
      roomId,
      volunteerStaffId,
      studentNo: '1001',
      guardianId,
      clubId,
      importId,
      generation,
      spare: {
        grade: 'g2',
        room: spareRoom,
        term: spareTerm,
        staff: spareStaff,
        student: '1003',
        guardian: spareGuardian,
        club: spareClub,
      },
    },
    bSchool,
    admin,
    adminB,
    bureau,
    district: 'd-1',
    client: (token) => httpClient(app.url, token),
  });
}

/**
 * The world on the demo school (`npm start -- --seed demo`, seeded in `app`): its admin,
 * bureau and volunteer are the right users; the spare records, a second term, another
 * family's parent, a volunteer without sessions and school 乙 are added here.
 */
export async function demoWorld(app: TestApp, demo: { schoolId: string; districtId: string }): Promise<World> {
  const schoolId = demo.schoolId;
  const at = (path: string) => `/schools/${schoolId}${path}`;
  const admin = await app.as('admin', { user: 'demo-admin', schools: [schoolId] });
  const bureau = await app.as('district', { user: 'demo-bureau', district: demo.districtId });
  const first = async <T = any>(path: string): Promise<T> => ok(await admin('GET', at(path)), path).items[0] as T;
  const termId = (await first<{ id: string }>('/terms')).id;
  const staffAll = ok(await admin('GET', at('/staff?limit=500')), 'staff').items as Array<{
    id: string;
    userId: string | null;
    kind: string;
  }>;
  const volunteerStaffId = staffAll.find((x) => x.userId === 'demo-volunteer')!.id;
  const otherVolunteer = staffAll.find((x) => x.kind === 'volunteer' && x.userId === null)!;
  const students = ok(await admin('GET', at('/students?limit=3')), 'students').items as Array<{
    id: string;
    guardianIds: string[];
  }>;
  const [mine, others] = students as [(typeof students)[0], (typeof students)[0]];
  const link = async (path: string, userId: string) =>
    ok(await admin('PUT', at(path), { ...(await body(admin, at(path))), userId }), `link ${path}`);
  await link(`/staff/${otherVolunteer.id}`, 'vol-a2');
  await link(`/guardians/${others.guardianIds[0]}`, 'parent-a2');
  const term = (name: string, startDate: string, endDate: string) =>
    admin('POST', at('/terms'), { name, startDate, endDate }).then((r) => ok(r, name).id as string);
  const springId = await term('2027 春季学期', '2027-02-22', '2027-07-02');
  const spareTerm = await term('备用学期', '2027-09-01', '2028-01-20');
  ok(await admin('POST', at('/grades'), { level: 7, name: '七年级', dismissal: {} }), 'spare grade');
  const spareRoom = ok(await admin('POST', at('/rooms'), { name: '备用室', capacity: 10 }), 'spare room').id as string;
  const spareStaff = ok(await admin('POST', at('/staff'), { name: '备用老师', kind: 'teacher' }), 'spare staff').id as string;
  ok(await admin('POST', at('/students'), { studentNo: '2099001', name: '小备', gradeLevel: 1, homeroom: '1' }), 'spare student');
  const spareGuardian = ok(
    await admin('POST', at('/guardians'), { name: '备用家长', phone: '13900000003', children: [others.id] }),
    'spare guardian',
  ).id as string;
  const clubId = (await first<{ id: string }>(`/clubs?termId=${termId}`)).id;
  const {
    version: _v,
    status: _s,
    classes,
    ...club
  } = (await body(admin, at(`/clubs/${clubId}`))) as {
    classes: Array<{ id: string }>;
  } & Record<string, unknown>;
  const spareClub = ok(
    await admin('POST', at('/clubs'), {
      ...club,
      name: '备用社团',
      // one small class nobody in particular must take: the school's timetable stays possible
      classes: classes
        .slice(0, 1)
        .map(({ id: _x, ...k }) => ({ ...k, fixedStaffId: null, preferredStaffId: null, sessionsPerWeek: 1 })),
    }),
    'spare club',
  ).id as string;
  const importId = (await first<{ importId: string }>('/imports')).importId;
  // a generation of its own: of the spring term, which has no clubs yet (it fails, saying so)
  const generation = {
    termId: springId,
    jobId: ok(await admin('POST', at(`/terms/${springId}/timetable/generate`), {}), 'generation').jobId as string,
  };
  await app.worker.idle();
  const bSchool = ok(await bureau('POST', '/schools', { name: '乙小学', districtId: demo.districtId }), 'school 乙').id as string;
  const adminB = await app.as('admin', { user: 'admin-b', schools: [bSchool] });
  return finish(app, {
    a: {
      schoolId,
      termId,
      springId,
      roomId: (await first<{ id: string }>('/rooms')).id,
      volunteerStaffId,
      studentNo: mine.id,
      guardianId: mine.guardianIds[0]!,
      clubId,
      importId,
      generation,
      spare: {
        grade: 'g7',
        room: spareRoom,
        term: spareTerm,
        staff: spareStaff,
        student: '2099001',
        guardian: spareGuardian,
        club: spareClub,
      },
    },
    bSchool,
    admin,
    adminB,
    bureau,
    volunteerUser: 'demo-volunteer',
    parentUser: 'demo-parent',
    district: demo.districtId,
    client: (token) => gatewayClient(app.gateway, token),
  });
}

/** A record as read, without what the server owns: the body of a PUT (with the version read). */
export async function body(admin: Call, path: string): Promise<Record<string, unknown>> {
  const {
    id: _i,
    schoolId: _s,
    createdAt: _c,
    updatedAt: _u,
    updatedBy: _b,
    lineageId: _l,
    guardianIds: _g,
    districtId: _d,
    ...rest
  } = ok(await admin('GET', path), path);
  return rest;
}

/** The callers of every identity, and the table's snapshot. */
async function finish(
  app: TestApp,
  o: {
    a: World['a'];
    bSchool: string;
    admin: Call;
    adminB: Call;
    bureau: Call;
    volunteerUser?: string;
    parentUser?: string;
    district: string;
    client: (token: string | null) => Call;
  },
): Promise<World> {
  const { a, bSchool, admin, adminB, bureau } = o;
  const schoolId = a.schoolId;
  ok(await adminB('POST', `/schools/${bSchool}/staff`, { name: '乙钱老师', kind: 'teacher', userId: 'teacher-b' }), 'teacher 乙');

  const callers = {
    admin,
    bureau,
    volunteer: await app.as('volunteer', { user: o.volunteerUser ?? 'vol-a', schools: [schoolId] }),
    parent: await app.as('parent', { user: o.parentUser ?? 'parent-a', schools: [schoolId] }),
    parentOther: await app.as('parent', { user: 'parent-a2', schools: [schoolId] }),
    volunteerOther: await app.as('volunteer', { user: 'vol-a2', schools: [schoolId] }),
    teacherOtherSchool: await app.as('teacher', { user: 'teacher-b', schools: [bSchool] }),
    adminOtherSchool: adminB,
    districtOther: await app.as('district', { user: 'bureau-2', district: 'd-2' }),
  } as World['callers'];
  for (const kind of BAD_TOKENS) callers[kind] = o.client(await badToken(app, kind, schoolId));

  // the term's notice, open, with the first family's form; the spring term's, closed, with its late request
  const terms = `/schools/${schoolId}/terms`;
  ok(await admin('POST', `${terms}/${a.termId}/notice`, notice()), 'notice');
  ok(await callers.parent('POST', `${terms}/${a.termId}/optouts`, { studentNo: a.studentNo, ...WORLD_FORM }), 'form');
  ok(
    await admin('POST', `${terms}/${a.springId}/notice`, notice({ opensOn: daysFromToday(-20), closesOn: daysFromToday(-1) })),
    'closed notice',
  );
  ok(
    await callers.parent('POST', `${terms}/${a.springId}/optouts`, { studentNo: a.studentNo, ...WORLD_FORM, asRequest: true }),
    'late request',
  );

  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const snapshot = async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.doc.send(
        new ScanCommand({ TableName: app.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return JSON.stringify(items.map(stable).sort());
  };

  return { app, district: o.district, a, b: { schoolId: bSchool }, callers, snapshot };
}

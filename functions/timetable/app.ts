/** Implementations of the timetable routes. */
import {
  assertEditKeepsRules,
  assertMovable,
  assertPublishable,
  buildInstance,
  created,
  datedViews,
  diffVersions,
  expectVersion,
  Forbidden,
  generateSessions,
  InvalidInput,
  memberOf,
  moveSession,
  NotFound,
  revised,
  RuleViolation,
  timetableCsv,
  timetableVersionId,
  toSolverSessions,
  viewSessions,
  type DatedSessionView,
  type Principal,
  type School,
  type TimetableData,
  type TimetableSession,
  type TimetableVersion,
} from '@kehou/domain';
import { bind, Reply, schoolFor, type Bound } from '@kehou/http';
import { loadRoster, loadTermData, type Runtime } from '@kehou/store';
import { rosterRoutes, timetableRoutes as r } from './api';

async function termData(rt: Runtime, school: School, termId: string): Promise<TimetableData> {
  const data = await loadTermData(rt.store, school, termId);
  if (!data) throw new NotFound('term');
  return data;
}

const summary = (v: TimetableVersion) => {
  const { sessions, changes, ...rest } = v;
  return { ...rest, sessionCount: sessions.length, changeCount: changes ? changes.length : null };
};

async function versionOrNotFound(rt: Runtime, schoolId: string, termId: string, number: number) {
  const v = await rt.store.timetables.version(schoolId, termId, number);
  if (!v) throw new NotFound('timetable version');
  return v;
}

/** The draft to edit: the current draft, or a new one made from the published version. */
async function editableDraft(rt: Runtime, school: School, termId: string, principal: Principal, expectedVersion: number) {
  const head = await rt.store.timetables.head(school.id, termId);
  if (head?.draft) {
    const draft = await versionOrNotFound(rt, school.id, termId, head.draft);
    expectVersion(draft, expectedVersion, 'the draft timetable');
    return { head, draft, save: (next: TimetableVersion) => rt.store.timetables.replace(school.id, draft, next) };
  }
  if (!head?.published) throw new NotFound('draft timetable');
  const published = await versionOrNotFound(rt, school.id, termId, head.published);
  expectVersion(published, expectedVersion, 'the timetable');
  const number = head.latest + 1;
  const base = created(
    {
      ...published,
      id: timetableVersionId(termId, number),
      number,
      status: 'draft' as const,
      basedOn: published.number,
      publishedAt: null,
      publishedBy: null,
      changes: null,
    },
    { by: principal.userId, now: rt.clock() },
  );
  return {
    head,
    draft: base,
    save: async (next: TimetableVersion) => {
      await rt.store.timetables.addDraft(school.id, head, { ...next, version: 1 });
      return { ...next, version: 1 };
    },
  };
}

/** A version to read, with the term's set-up it is viewed against. */
async function readVersion(rt: Runtime, principal: Principal, params: { schoolId: string; termId: string; number: number }) {
  const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.read');
  const [v, data] = await Promise.all([
    versionOrNotFound(rt, school.id, params.termId, params.number),
    termData(rt, school, params.termId),
  ]);
  return { school, v, data };
}

/** What an edit of the draft needs: the term's set-up and the draft (from the published version when there is none). */
async function editing(rt: Runtime, principal: Principal, params: { schoolId: string; termId: string }, version: number) {
  const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
  const [data, ctx] = await Promise.all([
    termData(rt, school, params.termId),
    editableDraft(rt, school, params.termId, principal, version),
  ]);
  return { data, ctx };
}

/** Saves an edit of the draft after checking it breaks no hard rule that held before. */
async function applyEdit(
  rt: Runtime,
  data: TimetableData,
  principal: Principal,
  ctx: Awaited<ReturnType<typeof editableDraft>>,
  edited: TimetableSession[],
  editedIds: string[],
) {
  assertEditKeepsRules(data, ctx.draft.sessions, edited, editedIds);
  return ctx.save(
    revised(ctx.draft, { sessions: edited }, ctx.draft.version, { by: principal.userId, now: rt.clock() }, 'draft timetable'),
  );
}

const timetable: Bound<Runtime>[] = [
  bind(r.generate, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
    const [data, head] = await Promise.all([
      termData(rt, school, params.termId),
      rt.store.timetables.head(school.id, params.termId),
    ]);
    const basisNumber = head?.draft ?? head?.published ?? null;
    const basis = basisNumber ? await versionOrNotFound(rt, school.id, params.termId, basisNumber) : null;
    const { sessions, generation, warnings } = generateSessions(data, basis, { ...body, clock: () => performance.now() });
    const stamp = { by: principal.userId, now: rt.clock() };
    if (head?.draft && basis) {
      return rt.store.timetables.replace(
        school.id,
        basis,
        revised(basis, { sessions, generation, warnings }, basis.version, stamp, 'draft timetable'),
      );
    }
    const number = (head?.latest ?? 0) + 1;
    const draft: TimetableVersion = created(
      {
        id: timetableVersionId(params.termId, number),
        termId: params.termId,
        number,
        status: 'draft' as const,
        sessions,
        basedOn: head?.published ?? null,
        generation,
        warnings,
        publishedAt: null,
        publishedBy: null,
        changes: null,
      },
      stamp,
    );
    await rt.store.timetables.addDraft(school.id, head, draft);
    return new Reply(201, draft);
  }),

  bind(r.overview, async ({ params, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.read');
    const [term, head] = await Promise.all([
      rt.store.terms.get(school.id, params.termId),
      rt.store.timetables.head(school.id, params.termId),
    ]);
    if (!term) throw new NotFound('term');
    const get = (n: number | null | undefined) =>
      n ? versionOrNotFound(rt, school.id, params.termId, n).then(summary) : Promise.resolve(null);
    const [draft, published] = await Promise.all([get(head?.draft), get(head?.published)]);
    return { draft, published };
  }),

  bind(r.versions, async ({ params, query, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.read');
    const [term, page] = await Promise.all([
      rt.store.terms.get(school.id, params.termId),
      rt.store.timetables.versions(school.id, params.termId, query),
    ]);
    if (!term) throw new NotFound('term');
    return { items: page.items.map(summary), next: page.next };
  }),

  bind(r.version, async ({ params, query, principal }, rt) => {
    const { v, data } = await readVersion(rt, principal, params);
    return { ...summary(v), sessions: viewSessions(data, v.sessions, query), changes: v.changes };
  }),

  bind(r.bench, async ({ params, principal }, rt) => {
    const { v, data } = await readVersion(rt, principal, params);
    return { instance: buildInstance(data).instance, answer: { sessions: toSolverSessions(v.sessions) } };
  }),

  bind(r.csv, async ({ params, principal }, rt) => {
    const { v, data } = await readVersion(rt, principal, params);
    const name = `timetable-${params.termId}-v${v.number}.csv`;
    return new Reply(200, timetableCsv(viewSessions(data, v.sessions)), {
      'content-disposition': `attachment; filename="${name}"`,
    });
  }),

  bind(r.dated, async ({ params, query, principal }, rt) => {
    const { school, v, data } = await readVersion(rt, principal, params);
    const { from, to, ...filter } = query;
    const range = { start: from ?? data.term.startDate, end: to ?? data.term.endDate };
    return {
      items: datedViews(
        { schoolId: school.id, term: data.term, zone: school.timezone },
        viewSessions(data, v.sessions, filter),
        range,
      ),
    };
  }),

  bind(r.edit, async ({ params, body, principal }, rt) => {
    const { data, ctx } = await editing(rt, principal, params, body.version);
    const target = ctx.draft.sessions.find((s) => s.id === params.sessionId);
    if (!target) throw new NotFound('session');
    const moves = body.day !== undefined || body.start !== undefined || body.roomId !== undefined || body.staffId !== undefined;
    if (!moves && body.locked === undefined)
      throw InvalidInput.at([], 'say what to change: day, start, roomId, staffId or locked');
    if (moves && body.locked !== false) assertMovable(data, target);
    const { version: _v, locked, ...to } = body;
    const moved = { ...moveSession(target, to), locked: locked ?? target.locked };
    const edited = ctx.draft.sessions.map((s) => (s.id === target.id ? moved : s));
    return applyEdit(rt, data, principal, ctx, edited, moves ? [target.id] : []);
  }),

  bind(r.swap, async ({ params, body, principal }, rt) => {
    const { data, ctx } = await editing(rt, principal, params, body.version);
    const a = ctx.draft.sessions.find((s) => s.id === body.a);
    const b = ctx.draft.sessions.find((s) => s.id === body.b);
    if (!a) throw InvalidInput.at(['a'], 'no such session in the draft');
    if (!b) throw InvalidInput.at(['b'], 'no such session in the draft');
    for (const s of [a, b]) assertMovable(data, s);
    const swapped = ctx.draft.sessions.map((s) =>
      s.id === a.id
        ? moveSession(a, { day: b.day, start: b.start })
        : s.id === b.id
          ? moveSession(b, { day: a.day, start: a.start })
          : s,
    );
    return applyEdit(rt, data, principal, ctx, swapped, [a.id, b.id]);
  }),

  bind(r.publish, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
    const head = await rt.store.timetables.head(school.id, params.termId);
    if (!head?.draft) throw new RuleViolation('no-draft', 'there is no draft to publish; generate or edit one first');
    const [draft, data] = await Promise.all([
      versionOrNotFound(rt, school.id, params.termId, head.draft),
      termData(rt, school, params.termId),
    ]);
    expectVersion(draft, body.version, 'the draft timetable');
    assertPublishable(data, draft.sessions);
    const before = head.published ? await versionOrNotFound(rt, school.id, params.termId, head.published) : null;
    const stamp = { by: principal.userId, now: rt.clock() };
    const at = stamp.now.toISOString();
    const published = revised(
      draft,
      {
        status: 'published' as const,
        publishedAt: at,
        publishedBy: principal.userId,
        changes: diffVersions(before?.sessions ?? [], draft.sessions),
      },
      draft.version,
      stamp,
      'draft timetable',
    );
    const superseded = before
      ? { prev: before, next: revised(before, { status: 'superseded' as const }, before.version, stamp, 'timetable') }
      : null;
    await rt.store.timetables.publish(school.id, head, draft, published, superseded);
    return published;
  }),
];

// ---------------------------------------------------------------- rosters and calendar feeds

/** The staff member of the school the principal may see the roster of: their own, or any for an admin. */
async function staffFor(rt: Runtime, principal: Principal, schoolId: string, staffId: string) {
  const [school, staff] = await Promise.all([
    schoolFor(rt.store, principal, schoolId, 'roster.read', { kind: 'staff', staffId }),
    rt.store.staff.get(schoolId, staffId),
  ]);
  if (!staff) throw new NotFound('staff member');
  return { school, staff };
}

const feedLink = (headers: Readonly<Record<string, string | undefined>>, schoolId: string, staffId: string, token: string) => {
  const path = `/calendar/${token}`;
  const host = headers['x-forwarded-host'] ?? headers.host;
  const proto = headers['x-forwarded-proto'] ?? (host?.startsWith('localhost') || host?.startsWith('127.') ? 'http' : 'https');
  return { schoolId, staffId, path, url: host ? `${proto}://${host}${path}` : path };
};

const rosters: Bound<Runtime>[] = [
  bind(rosterRoutes.mine, async ({ query, principal }, rt) => {
    const mine = await rt.store.staff.ofUser(principal.userId);
    const items: DatedSessionView[] = [];
    for (const s of mine) {
      const school = await rt.store.schools.get(s.schoolId, s.schoolId);
      if (school && memberOf(principal, school.id))
        items.push(...(await loadRoster(rt.store, school, s.id, query.from, query.to)));
    }
    return { items: items.sort((a, b) => a.startsAt.localeCompare(b.startsAt)) };
  }),
  bind(rosterRoutes.staff, async ({ params, query, principal }, rt) => {
    const { school, staff } = await staffFor(rt, principal, params.schoolId, params.staffId);
    return { items: await loadRoster(rt.store, school, staff.id, query.from, query.to) };
  }),
  bind(rosterRoutes.myFeeds, async ({ principal, headers }, rt) => {
    const mine = (await rt.store.staff.ofUser(principal.userId)).filter((s) => memberOf(principal, s.schoolId));
    if (mine.length === 0) throw new Forbidden('You have no staff record, so no roster to subscribe to');
    const at = rt.clock().toISOString();
    const items = [];
    for (const s of mine) {
      const token = rt.newSecret();
      await rt.store.feeds.rotate({ schoolId: s.schoolId, staffId: s.id }, token, at, principal.userId);
      items.push(feedLink(headers, s.schoolId, s.id, token));
    }
    return { items };
  }),
  bind(rosterRoutes.staffFeed, async ({ params, principal, headers }, rt) => {
    const { school, staff } = await staffFor(rt, principal, params.schoolId, params.staffId);
    const token = rt.newSecret();
    await rt.store.feeds.rotate({ schoolId: school.id, staffId: staff.id }, token, rt.clock().toISOString(), principal.userId);
    return feedLink(headers, school.id, staff.id, token);
  }),
];

export const bound: Bound<Runtime>[] = [...timetable, ...rosters];

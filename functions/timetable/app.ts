/** Implementations of the timetable routes. */
import {
  assertMovable,
  buildInstance,
  datedViews,
  Forbidden,
  InvalidInput,
  memberOf,
  moveSession,
  NotFound,
  queuedGeneration,
  rosterDates,
  timetableCsv,
  toSolverSessions,
  versionSummary,
  viewSessions,
  type Principal,
  type School,
  type SessionView,
  type TimetableHead,
  type TimetableVersion,
  type ViewFilter,
} from '@kehou/domain';
import { bind, publicLink, Reply, schoolFor, type Bound } from '@kehou/http';
import {
  draftToEdit,
  generationJob,
  Jobs,
  loadRoster,
  loadTermData,
  publishDraft,
  saveEdit,
  submitGeneration,
  type Runtime,
  type Writer,
} from '@kehou/store';
import { CHANGES_SHOWN, rosterRoutes, timetableRoutes as r } from './api';

const writer = (rt: Runtime, principal: Principal): Writer => ({
  stamp: { by: principal.userId, now: rt.clock() },
  newId: rt.newId,
});

/** A version's summary with the first changes it made (a published one). */
async function withChanges(rt: Runtime, schoolId: string, v: TimetableVersion) {
  const page = v.status === 'draft' ? null : await rt.store.timetables.changes(schoolId, v, { limit: CHANGES_SHOWN });
  return { ...versionSummary(v), changes: page?.items ?? null, changesNext: page?.next ?? null };
}

/** Version `number` of the term: from the head when it is the draft or the published one, else its own record. */
async function versionOf(rt: Runtime, schoolId: string, termId: string, head: TimetableHead | null, number: number) {
  const known = [head?.summaries.draft, head?.summaries.published].find((v) => v?.number === number);
  const v = known ?? (await rt.store.timetables.version(schoolId, termId, number));
  if (!v) throw new NotFound('timetable version');
  return v;
}

/**
 * A version's sessions in a view. The published version by class, staff member, grade or
 * day comes from the read models (one query, names as published); anything else is the
 * version's sessions with the term's set-up, read whole.
 */
async function viewOf(
  rt: Runtime,
  school: School,
  head: TimetableHead | null,
  v: TimetableVersion,
  filter: ViewFilter,
): Promise<SessionView[]> {
  if (v.status === 'published' && head?.views === v.number) {
    const views = await rt.store.timetables.publishedView(school.id, v.termId, filter);
    if (views) return views;
  }
  const { sessions, data } = await withSessions(rt, school, v);
  return viewSessions(data, sessions, filter);
}

/** A version's sessions and the term's set-up. */
async function withSessions(rt: Runtime, school: School, v: TimetableVersion) {
  const [sessions, data] = await Promise.all([
    rt.store.timetables.sessions(school.id, v.sessionSet),
    loadTermData(rt.store, school, v.termId),
  ]);
  if (!data) throw new NotFound('term');
  return { sessions, data };
}

/** The school (the caller may read its timetable), the term and the timetable's head: one round trip. */
async function reading(rt: Runtime, principal: Principal, params: { schoolId: string; termId: string }) {
  const [school, { head, term }] = await Promise.all([
    schoolFor(rt.store, principal, params.schoolId, 'timetable.read'),
    rt.store.timetables.headAndTerm(params.schoolId, params.termId),
  ]);
  if (!term) throw new NotFound('term');
  return { school, head, term };
}

const timetable: Bound<Runtime>[] = [
  // accepts the generation; the jobs function solves and writes the draft (generate-job.ts)
  bind(r.generate, async ({ params, body, principal }, rt) => {
    const [school, term] = await Promise.all([
      schoolFor(rt.store, principal, params.schoolId, 'timetable.write'),
      rt.store.terms.get(params.schoolId, params.termId),
    ]);
    if (!term) throw new NotFound('term');
    const now = rt.clock();
    const job = queuedGeneration(rt.newId(), term.id, body, { by: principal.userId, now });
    await submitGeneration(rt.store, school.id, job, now, rt.jobs);
    return new Reply(202, job, { location: `/schools/${school.id}/terms/${term.id}/timetable/jobs/${job.jobId}` });
  }),

  bind(r.generation, async ({ params, principal }, rt) => {
    const [, job] = await Promise.all([
      schoolFor(rt.store, principal, params.schoolId, 'timetable.read'),
      generationJob(rt.store, params.schoolId, params.jobId),
    ]);
    if (!job || job.termId !== params.termId) throw new NotFound('generation');
    return Jobs.view(job);
  }),

  bind(r.overview, async ({ params, principal }, rt) => {
    const { head } = await reading(rt, principal, params);
    const { draft, published } = head?.summaries ?? { draft: null, published: null };
    return { draft: draft && versionSummary(draft), published: published && versionSummary(published) };
  }),

  bind(r.versions, async ({ params, query, principal }, rt) => {
    const [, term, page] = await Promise.all([
      schoolFor(rt.store, principal, params.schoolId, 'timetable.read'),
      rt.store.terms.get(params.schoolId, params.termId),
      rt.store.timetables.versions(params.schoolId, params.termId, query),
    ]);
    if (!term) throw new NotFound('term');
    return { items: page.items.map(versionSummary), next: page.next };
  }),

  bind(r.version, async ({ params, query, principal }, rt) => {
    const { school, head } = await reading(rt, principal, params);
    const v = await versionOf(rt, school.id, params.termId, head, params.number);
    const [views, shown] = await Promise.all([viewOf(rt, school, head, v, query), withChanges(rt, school.id, v)]);
    return { ...shown, sessions: views };
  }),

  bind(r.changes, async ({ params, query, principal }, rt) => {
    const { school, head } = await reading(rt, principal, params);
    const v = await versionOf(rt, school.id, params.termId, head, params.number);
    return rt.store.timetables.changes(school.id, v, query);
  }),

  bind(r.bench, async ({ params, principal }, rt) => {
    const { school, head } = await reading(rt, principal, params);
    const v = await versionOf(rt, school.id, params.termId, head, params.number);
    const { sessions, data } = await withSessions(rt, school, v);
    return { instance: buildInstance(data).instance, answer: { sessions: toSolverSessions(sessions) } };
  }),

  bind(r.csv, async ({ params, principal }, rt) => {
    const { school, head } = await reading(rt, principal, params);
    const v = await versionOf(rt, school.id, params.termId, head, params.number);
    const { sessions, data } = await withSessions(rt, school, v);
    const name = `timetable-${params.termId}-v${v.number}.csv`;
    return new Reply(200, timetableCsv(viewSessions(data, sessions)), {
      'content-disposition': `attachment; filename="${name}"`,
    });
  }),

  bind(r.dated, async ({ params, query, principal }, rt) => {
    const { school, head, term } = await reading(rt, principal, params);
    const { from, to, ...filter } = query;
    const v = await versionOf(rt, school.id, params.termId, head, params.number);
    const views = await viewOf(rt, school, head, v, filter);
    const range = { start: from ?? term.startDate, end: to ?? term.endDate };
    return { items: datedViews({ schoolId: school.id, term, zone: school.timezone }, views, range) };
  }),

  bind(r.edit, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
    const ctx = await draftToEdit(rt.store, school, params.termId, body.version);
    const target = ctx.sessions.find((s) => s.id === params.sessionId);
    if (!target) throw new NotFound('session');
    const moves = body.day !== undefined || body.start !== undefined || body.roomId !== undefined || body.staffId !== undefined;
    if (!moves && body.locked === undefined)
      throw InvalidInput.at([], 'say what to change: day, start, roomId, staffId or locked');
    if (moves && body.locked !== false) assertMovable(ctx.data, target);
    const { version: _v, locked, ...to } = body;
    const moved = { ...moveSession(target, to), locked: locked ?? target.locked };
    const edited = ctx.sessions.map((s) => (s.id === target.id ? moved : s));
    return versionSummary(await saveEdit(rt.store, school, ctx, edited, moves ? [target.id] : [], writer(rt, principal)));
  }),

  bind(r.swap, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
    const ctx = await draftToEdit(rt.store, school, params.termId, body.version);
    const a = ctx.sessions.find((s) => s.id === body.a);
    const b = ctx.sessions.find((s) => s.id === body.b);
    if (!a) throw InvalidInput.at(['a'], 'no such session in the draft');
    if (!b) throw InvalidInput.at(['b'], 'no such session in the draft');
    for (const s of [a, b]) assertMovable(ctx.data, s);
    const swapped = ctx.sessions.map((s) =>
      s.id === a.id
        ? moveSession(a, { day: b.day, start: b.start })
        : s.id === b.id
          ? moveSession(b, { day: a.day, start: a.start })
          : s,
    );
    return versionSummary(await saveEdit(rt.store, school, ctx, swapped, [a.id, b.id], writer(rt, principal)));
  }),

  bind(r.publish, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'timetable.write');
    const published = await publishDraft(rt.store, school, params.termId, body.version, writer(rt, principal));
    return withChanges(rt, school.id, published);
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

const feedLink = (headers: Readonly<Record<string, string | undefined>>, schoolId: string, staffId: string, token: string) => ({
  schoolId,
  staffId,
  ...publicLink(headers, `/calendar/${token}`),
});

const rosters: Bound<Runtime>[] = [
  bind(rosterRoutes.mine, async ({ query, principal }, rt) => {
    const mine = (await rt.store.staff.ofUser(principal.userId)).filter((s) => memberOf(principal, s.schoolId));
    const range = { start: query.from, end: query.to };
    const per = await Promise.all(
      mine.map(async (s) => {
        const [school, roster] = await Promise.all([
          rt.store.schools.get(s.schoolId, s.schoolId),
          loadRoster(rt.store, s.schoolId, s.id),
        ]);
        return school ? rosterDates(school, roster.terms, roster.sessions, range) : [];
      }),
    );
    return { items: per.flat().sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.id.localeCompare(b.id)) };
  }),
  bind(rosterRoutes.staff, async ({ params, query, principal }, rt) => {
    const [{ school }, roster] = await Promise.all([
      staffFor(rt, principal, params.schoolId, params.staffId),
      loadRoster(rt.store, params.schoolId, params.staffId),
    ]);
    return { items: rosterDates(school, roster.terms, roster.sessions, { start: query.from, end: query.to }) };
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

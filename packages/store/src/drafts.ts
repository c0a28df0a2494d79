/**
 * The work of the timetable's write routes once the caller is authorised: generate the
 * draft (a job: the route accepts it, the jobs function runs it), edit it, publish it. Each
 * is a function of the store and plain values, so that a job runner can call it as well as
 * a route. Sessions are written as sets (timetables.ts): a new set first, then one small
 * transaction that points the version at it; an edit writes only the sessions it changes.
 */
import {
  assertEditKeepsRules,
  assertPublishable,
  countChanges,
  created,
  diffVersions,
  DomainError,
  expectVersion,
  generateSessions,
  NotFound,
  revised,
  RuleViolation,
  timetableVersionId,
  type GenerateJob,
  type GenerateRequest,
  type School,
  type SessionEdit,
  type Stamp,
  type TimetableData,
  type TimetableHead,
  type TimetableSession,
  type TimetableVersion,
} from '@kehou/domain';
import { termJobs } from './jobs';
import { publishViews } from './published-views';
import type { Store } from './store';
import { loadTermData } from './term-data';
import type { TransactWrite } from './transact';

export interface Writer {
  stamp: Stamp;
  /** a new unique id (for a set of records) */
  newId: () => string;
}

async function termData(store: Store, school: School, termId: string, enrolments = false): Promise<TimetableData> {
  const data = await loadTermData(store, school, termId, { enrolments });
  if (!data) throw new NotFound('term');
  return data;
}

/**
 * Whether a write that failed surely changed nothing: refused by the database or before it
 * was sent. A write lost on its way (a timeout, a crash) may have happened.
 */
const refused = (e: unknown) => e instanceof DomainError || (e as { name?: unknown }).name === 'TransactionCanceledException';

/**
 * Writes a new set of sessions, then `point` (a transaction naming it); the set is dropped
 * if that was refused (if it may have happened, the set stays: at worst nobody points at it).
 */
async function inNewSet<T>(
  store: Store,
  schoolId: string,
  setId: string,
  sessions: readonly TimetableSession[],
  point: () => Promise<T>,
) {
  await store.timetables.writeSessions(schoolId, setId, sessions);
  try {
    return await point();
  } catch (e) {
    if (refused(e)) await store.timetables.dropSet(schoolId, 'sessions', setId).catch(() => undefined);
    throw e;
  }
}

const generatedRevision = { kind: 'generated' as const, sessions: [] };

/** What a generation made: a new draft (created), or a new revision of the draft. */
export interface GeneratedDraft {
  created: boolean;
  version: TimetableVersion;
}

/**
 * Solves the term from its stored set-up into the draft: a new draft (created) when there is
 * none, else a new revision of the draft with its sessions in a new set (the revision before
 * keeps its own, in history). Locked sessions stay; the others move as little as they can
 * unless `fresh`. `finish`: writes that must happen with the draft's (the job's end, which
 * records it), sent first in its transaction, so that a generation run again after a crash
 * either finds them done or writes the draft itself: never two.
 */
export async function generateDraft(
  store: Store,
  school: School,
  termId: string,
  o: Writer & GenerateRequest & { clock?: () => number; finish?: (made: GeneratedDraft) => readonly TransactWrite[] },
): Promise<GeneratedDraft> {
  const [data, head] = await Promise.all([
    termData(store, school, termId, o.withEnrolments),
    store.timetables.head(school.id, termId),
  ]);
  const basis = head?.summaries.draft ?? head?.summaries.published ?? null;
  const basisSessions = basis ? await store.timetables.sessions(school.id, basis.sessionSet) : null;
  const { sessions, generation, warnings } = generateSessions(data, basisSessions, {
    seed: o.seed,
    fresh: o.fresh,
    ...(o.clock ? { clock: o.clock } : {}),
  });
  const setId = o.newId();
  const made = { sessionSet: setId, sessionCount: sessions.length, generation, warnings, revision: generatedRevision };
  return inNewSet(store, school.id, setId, sessions, async () => {
    const draft = head?.summaries.draft;
    if (head && draft) {
      const next = revised(draft, made, draft.version, o.stamp, 'the draft timetable');
      const done = { created: false, version: next };
      await store.timetables.reviseDraft(school.id, head, draft, next, [], o.finish?.(done));
      return done;
    }
    const number = (head?.latest ?? 0) + 1;
    const fresh: TimetableVersion = created(
      {
        id: timetableVersionId(termId, number),
        termId,
        number,
        status: 'draft' as const,
        basedOn: head?.published ?? null,
        publishedAt: null,
        publishedBy: null,
        changeCounts: null,
        changeSet: null,
        ...made,
      },
      o.stamp,
    );
    const done = { created: true, version: fresh };
    await store.timetables.addDraft(school.id, head, fresh, o.finish?.(done));
    return done;
  });
}

/** Generations as jobs (jobs.ts), one of a term at a time. */
const generations = termJobs<GenerateJob>(
  'generate',
  "Another generation of this term's timetable is in progress; try again when it has finished",
);
export const generationRef = generations.ref;
/** Accepts a generation: 409 with Retry-After while another of the term is queued or running. */
export const submitGeneration = generations.submit;
/** A generation, with what its runner needs. */
export const generationJob = generations.get;
/** What an edit works on: the term's set-up, the head, and the draft with its sessions (the published version's when there is no draft). */
export interface EditContext {
  data: TimetableData;
  head: TimetableHead;
  /** the draft, or the published version a new draft is made from */
  base: TimetableVersion;
  sessions: TimetableSession[];
}

/** The draft to edit, if `expectedVersion` is still its version (else 409). */
export async function draftToEdit(store: Store, school: School, termId: string, expectedVersion: number): Promise<EditContext> {
  const [data, head] = await Promise.all([termData(store, school, termId), store.timetables.head(school.id, termId)]);
  const base = head?.summaries.draft ?? head?.summaries.published;
  if (!head || !base) throw new NotFound('draft timetable');
  expectVersion(base, expectedVersion, head.draft ? 'the draft timetable' : 'the timetable');
  return { data, head, base, sessions: await store.timetables.sessions(school.id, base.sessionSet) };
}

/**
 * Saves an edit of the draft (`after`: its sessions with the edit) if it breaks no hard
 * rule that held before, at one of the `touched` sessions (else 422 naming the rule). Only
 * the sessions that changed are written, and the new revision of the draft says which, as
 * they were and as they are. With no draft, the edit makes one from the published version.
 */
export async function saveEdit(
  store: Store,
  school: School,
  ctx: EditContext,
  after: readonly TimetableSession[],
  touched: readonly string[],
  o: Writer,
): Promise<TimetableVersion> {
  assertEditKeepsRules(ctx.data, ctx.sessions, after, touched);
  const before = new Map(ctx.sessions.map((s) => [s.id, s]));
  const edits: SessionEdit[] = after.flatMap((s) => {
    const b = before.get(s.id);
    return b && JSON.stringify(b) !== JSON.stringify(s) ? [{ before: b, after: s }] : [];
  });
  const revision = { kind: 'edited' as const, sessions: edits };
  const { head, base } = ctx;
  if (head.draft) {
    const next = revised(base, { revision }, base.version, o.stamp, 'the draft timetable');
    await store.timetables.reviseDraft(
      school.id,
      head,
      base,
      next,
      edits.map((e) => e.after),
    );
    return next;
  }
  const number = head.latest + 1;
  const setId = o.newId();
  const draft: TimetableVersion = created(
    {
      id: timetableVersionId(base.termId, number),
      termId: base.termId,
      number,
      status: 'draft' as const,
      basedOn: base.number,
      generation: base.generation,
      warnings: base.warnings,
      sessionCount: after.length,
      publishedAt: null,
      publishedBy: null,
      changeCounts: null,
      revision,
      sessionSet: setId,
      changeSet: null,
    },
    o.stamp,
  );
  return inNewSet(store, school.id, setId, after, async () => {
    await store.timetables.addDraft(school.id, head, draft);
    return draft;
  });
}

/**
 * Publishes the draft if `expectedVersion` is still its version: the draft, checked against
 * the hard rules again (the set-up may have changed since), becomes the published version,
 * with what changed since the version published before kept beside it; then the read
 * models are brought to it. Publishing again a draft already published (a retry) completes
 * its read models and answers the same.
 */
export async function publishDraft(
  store: Store,
  school: School,
  termId: string,
  expectedVersion: number,
  o: Writer,
): Promise<TimetableVersion> {
  const head = await store.timetables.head(school.id, termId);
  const draft = head?.summaries.draft;
  if (!head || !draft) {
    const done = head?.summaries.published;
    if (done?.revision.kind === 'published' && done.version === expectedVersion + 1) {
      if (head!.views !== done.number) await publishViews(store, school, termId);
      return done;
    }
    throw new RuleViolation('no-draft', 'there is no draft to publish; generate or edit one first');
  }
  expectVersion(draft, expectedVersion, 'the draft timetable');
  const before = head.summaries.published;
  const [sessions, previous, data] = await Promise.all([
    store.timetables.sessions(school.id, draft.sessionSet),
    before ? store.timetables.sessions(school.id, before.sessionSet) : null,
    termData(store, school, termId),
  ]);
  assertPublishable(data, sessions);
  const changes = previous ? diffVersions(previous, sessions) : null;
  const changeSet = changes ? o.newId() : null;
  if (changes && changeSet) await store.timetables.writeChanges(school.id, changeSet, changes);
  const at = o.stamp.now.toISOString();
  const published = revised(
    draft,
    {
      status: 'published' as const,
      publishedAt: at,
      publishedBy: o.stamp.by,
      changeCounts: changes ? countChanges(changes) : { added: sessions.length, moved: 0, removed: 0 },
      changeSet,
      revision: { kind: 'published' as const, sessions: [] },
    },
    draft.version,
    o.stamp,
    'the draft timetable',
  );
  const superseded = before
    ? {
        prev: before,
        next: revised(
          before,
          { status: 'superseded' as const, revision: { kind: 'superseded' as const, sessions: [] } },
          before.version,
          o.stamp,
          'the timetable',
        ),
      }
    : null;
  const next = await store.timetables.publish(school.id, head, draft, published, superseded).catch(async (e: unknown) => {
    if (changeSet) await store.timetables.dropSet(school.id, 'changes', changeSet).catch(() => undefined);
    throw e;
  });
  await publishViews(store, school, termId, { head: next, sessions, data });
  return published;
}

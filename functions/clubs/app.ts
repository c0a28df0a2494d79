/** Implementations of the club routes. */
import {
  assignClassIds,
  classSeatsId,
  clubIssuesAgainstSchool,
  Conflict,
  copyClub,
  created,
  InvalidInput,
  NotFound,
  planClubs,
  readSetupImport,
  setupImportResult,
  whyCannotTeach,
  type Club,
  type ClubInput,
  type Issue,
  type School,
} from '@kehou/domain';
import { bind, crudRoutes, schoolFor, type Bound } from '@kehou/http';
import type { Runtime } from '@kehou/store';
import { giveOnRaised, resourceOf } from '../enrolment/offers';
import { clubMeta, clubRoutes, copyRoute, importRoute } from './api';

/** A club against the school: its term, grades and staff exist; a fixed staff member can teach it. */
async function checkAgainstSchool(rt: Runtime, school: School, c: ClubInput): Promise<Issue[]> {
  const [term, grades, staff] = await Promise.all([
    rt.store.terms.get(school.id, c.termId),
    rt.store.grades.all(school.id),
    rt.store.staff.all(school.id),
  ]);
  const issues: Issue[] = term ? [] : [{ path: ['termId'], message: 'the school has no such term' }];
  issues.push(
    ...clubIssuesAgainstSchool(c, {
      gradeLevels: new Set(grades.map((g) => g.level)),
      staff: new Map(staff.map((s) => [s.id, s])),
    }),
  );
  return issues;
}

/** The classes a club keeps whose capacity changes. */
const capacityChanges = (prev: Club, next: Club) =>
  next.classes.filter((k) => prev.classes.some((p) => p.id === k.id && p.capacity !== k.capacity));

/**
 * A club saved with its classes' places following their capacity (the capacity primitive's
 * queues, when first come, first served has opened them), in the same transaction: raised,
 * the first eligible waiters move up at once; lowered, never below the places taken (409).
 */
async function replaceClub(rt: Runtime, schoolId: string, prev: Club, next: Club): Promise<Club> {
  const changed = capacityChanges(prev, next);
  const plans = await Promise.all(
    changed.map((k) =>
      rt.store.capacity.capacityWrites(
        resourceOf(schoolId, { classId: k.id, clubName: next.name, className: k.name }),
        k.capacity,
      ),
    ),
  );
  await rt.store.clubs.replace(
    schoolId,
    prev,
    next,
    plans.map((p) => p.writes),
  );
  const raised = changed.filter((_, i) => plans[i]!.raised > 0).map((k) => ({ classId: k.id, capacity: k.capacity }));
  await giveOnRaised(rt, schoolId, next.termId, raised, next.updatedAt, {
    id: next.updatedBy,
    name: `${next.updatedBy} (school)`,
  });
  return next;
}

const clubs = crudRoutes(clubMeta, clubRoutes, {
  repo: (rt: Runtime) => ({
    get: (s, id) => rt.store.clubs.get(s, id),
    list: async (s, q: { limit: number; cursor?: string; termId?: string }) => {
      const [term, page] = await Promise.all([rt.store.terms.get(s, q.termId!), rt.store.clubs.ofTerm(s, q.termId!, q)]);
      if (!term) throw new NotFound('term');
      return page;
    },
    create: (s, e) => rt.store.clubs.create(s, e),
    replace: (s, prev, next) => replaceClub(rt, s, prev, next),
    delete: (s, prev, at, by) => rt.store.clubs.delete(s, prev, at, by),
  }),
  prepare: async (input, { rt, school, prev }) => {
    const issues = await checkAgainstSchool(rt, school as School, input);
    if (prev && prev.termId !== input.termId)
      issues.push({ path: ['termId'], message: 'a club belongs to its term; copy it to another term instead' });
    const ids = assignClassIds(input.classes, prev?.classes ?? [], rt.newId);
    issues.push(...ids.issues);
    if (issues.length) throw new InvalidInput(issues);
    return { classes: ids.classes, lineageId: prev?.lineageId ?? rt.newId() };
  },
});

const copy = bind(copyRoute, async ({ params, body, principal }, rt: Runtime) => {
  const school = await schoolFor(rt.store, principal, params.schoolId, 'setup.write');
  const [to, from] = await Promise.all([
    rt.store.terms.get(school.id, params.termId),
    rt.store.terms.get(school.id, body.fromTermId),
  ]);
  if (!to) throw new NotFound('term');
  if (!from) throw InvalidInput.at(['fromTermId'], 'the school has no such term');
  if (from.id === to.id) throw InvalidInput.at(['fromTermId'], 'is the term itself');
  const [source, target] = await Promise.all([
    rt.store.clubs.allOfTerm(school.id, from.id),
    rt.store.clubs.allOfTerm(school.id, to.id),
  ]);
  const present = new Set(target.map((c) => c.lineageId));
  const staff = new Map((await rt.store.staff.all(school.id)).map((s) => [s.id, s]));
  const stamp = { by: principal.userId, now: rt.clock() };
  const skipped: { clubId: string; name: string; reason: string }[] = [];
  let copied = 0;
  for (const club of source) {
    if (present.has(club.lineageId)) {
      skipped.push({ clubId: club.id, name: club.name, reason: 'already in the term' });
      continue;
    }
    const copy = copyClub(club, to.id, rt.newId);
    // staff who left, or no longer teach this, are dropped from the copy rather than blocking it
    for (const k of copy.classes) {
      for (const field of ['fixedStaffId', 'preferredStaffId'] as const) {
        const id = k[field];
        if (id !== null && whyCannotTeach(staff.get(id), copy.skill)) k[field] = null;
      }
    }
    const next: Club = created({ ...copy, schoolId: school.id, status: club.status }, stamp);
    await rt.store.clubs.create(school.id, next);
    copied++;
  }
  return { copied, skipped };
});

/** A term's clubs from a file, all or nothing: checked against the term's clubs and the school's grades and staff. */
const imports = bind(importRoute, async ({ params, body, principal }, rt: Runtime) => {
  const school = await schoolFor(rt.store, principal, params.schoolId, 'setup.write');
  const [term, existing, staff, grades] = await Promise.all([
    rt.store.terms.get(school.id, params.termId),
    rt.store.clubs.allOfTerm(school.id, params.termId),
    rt.store.staff.all(school.id),
    rt.store.grades.all(school.id),
  ]);
  if (!term) throw new NotFound('term');
  const file = readSetupImport('clubs', body);
  const plan = planClubs(file, {
    schoolId: school.id,
    termId: term.id,
    existing,
    staff,
    gradeLevels: new Set(grades.map((g) => g.level)),
    stamp: { by: principal.userId, now: rt.clock() },
    newId: rt.newId,
  });
  // places being given follow a capacity changed on the club itself (PUT), with its waitlist; not in a file
  const resized = plan.changes.flatMap((c) => (c.prev ? capacityChanges(c.prev, c.next).map((k) => ({ club: c.next, k })) : []));
  const seats = await rt.store.capacity.seatsOfMany(
    school.id,
    resized.map(({ k }) => classSeatsId(k.id)),
  );
  const opened = resized.filter(({ k }) => seats.has(classSeatsId(k.id)));
  if (opened.length)
    throw new Conflict(
      `${opened.map(({ club, k }) => `${club.name} ${k.name}`).join(', ')} already ${opened.length === 1 ? 'has' : 'have'} ` +
        'places given or asked for: change a capacity on its club, where the waitlist follows it, not in a file',
      'state',
    );
  await rt.store.setupImports.clubs(school.id, plan.changes, file.label);
  return setupImportResult(plan, file.rows.length);
});

export const bound: Bound<Runtime>[] = [...clubs, copy, imports];

/** Implementations of the club routes. */
import {
  assignClassIds,
  clubIssuesAgainstSchool,
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

const clubs = crudRoutes(clubMeta, clubRoutes, {
  repo: (rt: Runtime) => ({
    get: (s, id) => rt.store.clubs.get(s, id),
    list: async (s, q: { limit: number; cursor?: string; termId?: string }) => {
      const [term, page] = await Promise.all([rt.store.terms.get(s, q.termId!), rt.store.clubs.ofTerm(s, q.termId!, q)]);
      if (!term) throw new NotFound('term');
      return page;
    },
    create: (s, e) => rt.store.clubs.create(s, e),
    replace: (s, prev, next) => rt.store.clubs.replace(s, prev, next),
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
  await rt.store.setupImports.clubs(school.id, plan.changes, file.label);
  return setupImportResult(plan, file.rows.length);
});

export const bound: Bound<Runtime>[] = [...clubs, copy, imports];

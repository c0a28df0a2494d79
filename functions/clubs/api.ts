/** Routes for clubs and their tiered classes. */
import { Club, ClubInput, columnsInWords, Id, PageQuery } from '@kehou/domain';
import { crudSpecs, mayRefuse, route, type CrudMeta } from '@kehou/http';
import * as z from 'zod';
import { SETUP_IMPORT_TERMS, setupImportRoute } from '../setup/import-route';

export const clubMeta = {
  what: 'club',
  plural: 'clubs',
  idParam: 'clubId',
  tag: 'Clubs',
  input: ClubInput,
  entity: Club,
  archivable: true,
  read: 'setup.read',
  write: 'setup.write',
} satisfies CrudMeta<typeof ClubInput, typeof Club>;

const crud = crudSpecs(clubMeta);
export const clubRoutes = {
  ...crud,
  replace: route({
    ...crud.replace,
    description:
      `${crud.replace.description} A class's places follow its capacity: raised, the first children waiting for it (first come, ` +
      'first served) move up at once, in order; lowered, only places nobody holds go — below the places taken it is 409, naming ' +
      'the class and the count, and nothing is saved.',
  }),
  list: route({
    ...crud.list,
    summary: 'List the clubs of a term, with their classes',
    description:
      'The clubs of one term (`termId`), with their classes, a page at a time: pass `next` as `cursor` for the following page.',
    query: PageQuery.extend({ termId: Id }),
  }),
};

export const CopyResult = z.object({
  copied: z.number().int(),
  skipped: z.array(z.object({ clubId: z.string(), name: z.string(), reason: z.string() })),
});
export const copyRoute = route({
  operationId: 'copyClubs',
  method: 'POST',
  path: '/schools/{schoolId}/terms/{termId}/clubs/copy',
  summary: "Copy another term's clubs and classes into this term (clubs already copied are skipped)",
  description:
    'Copies each club of `fromTermId`, with its classes, unless a copy of it is in this term already (then it is listed ' +
    "under `skipped`). Fixed or preferred staff who have left or lack the club's skill are left out of the copy rather than blocking it.",
  tag: 'Clubs',
  auth: 'jwt',
  errors: mayRefuse('setup.write'),
  params: z.object({ schoolId: Id, termId: Id }),
  body: z.object({ fromTermId: Id }),
  response: CopyResult,
  idempotent: true,
});

export const importRoute = setupImportRoute(
  {
    operationId: 'importClubs',
    path: '/schools/{schoolId}/terms/{termId}/clubs/import',
    summary: "Import a term's clubs and their tiered classes from JSON rows or a CSV file",
    description:
      `One class a row (${columnsInWords('clubs')}), its club's fields on the club's first row (later rows may leave them ` +
      'empty). A club the term has (by name) is updated, and its classes become those of the file: a class of the same name ' +
      'keeps its id, one the file leaves out is removed. Grades as 3; 4 or 3-5; staff by name or id, who must be staff of the ' +
      "school (import them first) with the club's skill; a prerequisite is a tier of the same club. Categories: 舞蹈 dance, " +
      `音乐 music, 美术 arts, 手工 crafts, 体育 sport, 益智 mind, 科学 science, 语言 language, 其他 other. ${SETUP_IMPORT_TERMS}`,
    tag: 'Clubs',
    params: z.object({ schoolId: Id, termId: Id }),
  },
  'clubs',
  'setup.write',
);

export const routes = [...Object.values(clubRoutes), copyRoute, importRoute];

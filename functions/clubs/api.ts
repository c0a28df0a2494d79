/** Routes for clubs and their tiered classes. */
import { Club, ClubInput, Id, PageQuery } from '@kehou/domain';
import { crudSpecs, mayRefuse, route, type CrudMeta } from '@kehou/http';
import * as z from 'zod';

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

export const routes = [...Object.values(clubRoutes), copyRoute];

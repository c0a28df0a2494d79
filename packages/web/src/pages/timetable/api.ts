/** The timetable's calls and their types (from the API's OpenAPI document), and the queries the page shares. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
export const TT = '/schools/{schoolId}/terms/{termId}/timetable' as const;

export type Term = Json<paths['/schools/{schoolId}/terms']['get']['responses'][200]>['items'][number];
export type Overview = Json<paths[typeof TT]['get']['responses'][200]>;
export type Summary = NonNullable<Overview['draft']>;
export type VersionView = Json<paths[`${typeof TT}/versions/{number}`]['get']['responses'][200]>;
export type Session = VersionView['sessions'][number];
export type SessionChange = Json<paths[`${typeof TT}/versions/{number}/changes`]['get']['responses'][200]>['items'][number];
export type Job = Json<paths[`${typeof TT}/jobs/{jobId}`]['get']['responses'][200]>;
export type Published = Json<paths[`${typeof TT}/publish`]['post']['responses'][200]>;

export interface Where {
  schoolId: string;
  termId: string;
}

export const keys = {
  terms: (schoolId: string) => ['terms', schoolId] as const,
  overview: (w: Where) => ['timetable', w.schoolId, w.termId] as const,
  versions: (w: Where) => ['timetable', w.schoolId, w.termId, 'versions'] as const,
  version: (w: Where, n: number) => ['timetable', w.schoolId, w.termId, 'version', n] as const,
  changes: (w: Where, n: number) => ['timetable', w.schoolId, w.termId, 'changes', n] as const,
  job: (w: Where, jobId: string) => ['timetable', w.schoolId, w.termId, 'job', jobId] as const,
};

/** Every term of the school (a school has a few a year: one page of 100 holds years of them). */
export const useTerms = (schoolId: string) =>
  useQuery({
    queryKey: keys.terms(schoolId),
    queryFn: () => data(api().GET('/schools/{schoolId}/terms', { params: { path: { schoolId }, query: { limit: 100 } } })),
  });

/** The draft and the published version of the term. */
export const useOverview = (w: Where) =>
  useQuery({ queryKey: keys.overview(w), queryFn: () => data(api().GET(TT, { params: { path: w } })) });

/** A version with all its sessions (the page filters them to a view itself). */
export const useVersion = (w: Where, number: number | null) =>
  useQuery({
    queryKey: keys.version(w, number ?? 0),
    enabled: number !== null,
    queryFn: () => data(api().GET(`${TT}/versions/{number}`, { params: { path: { ...w, number: number! } } })),
  });

/** Every item of a paged list, page after page (a term's versions, a publication's changes). */
async function allPages<T>(page: (cursor?: string) => Promise<{ items: T[]; next: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    items.push(...p.items);
    cursor = p.next ?? undefined;
  } while (cursor);
  return items;
}
const pageQuery = (cursor?: string) => ({ limit: 500, ...(cursor ? { cursor } : {}) });

/** Every change of a published version since the one published before. */
export const useChanges = (w: Where, number: number | null) =>
  useQuery({
    queryKey: keys.changes(w, number ?? 0),
    enabled: number !== null,
    queryFn: () =>
      allPages((cursor) =>
        data(
          api().GET(`${TT}/versions/{number}/changes`, {
            params: { path: { ...w, number: number! }, query: pageQuery(cursor) },
          }),
        ),
      ),
  });

/** Every version of the term, the latest first. */
export const useVersions = (w: Where) =>
  useQuery({
    queryKey: keys.versions(w),
    queryFn: async () =>
      (
        await allPages((cursor) => data(api().GET(`${TT}/versions`, { params: { path: w, query: pageQuery(cursor) } })))
      ).reverse(),
  });

/** After a write: the term's timetable is read again (its overview, versions and the version shown). */
export const reloadTimetable = (queries: QueryClient, w: Where) =>
  queries.invalidateQueries({ queryKey: ['timetable', w.schoolId, w.termId] });

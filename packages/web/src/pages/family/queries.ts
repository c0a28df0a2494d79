/** What a guardian's pages read of a child, and what a change of the child's form makes stale. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { ChildRef } from './words';

const childKey = (c: ChildRef) => [c.schoolId, c.studentNo] as const;

export function useChildNotices(child: ChildRef) {
  return useQuery({
    queryKey: ['child-notices', ...childKey(child)],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/students/{studentNo}/notices', {
          params: { path: { schoolId: child.schoolId, studentNo: child.studentNo } },
        }),
      ),
  });
}

/** A term's notice with the child's form (reading it as a guardian marks it opened). */
export function useChildNotice(child: ChildRef, termId: string | undefined) {
  return useQuery({
    queryKey: ['child-notice', ...childKey(child), termId],
    enabled: termId !== undefined,
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/students/{studentNo}/notices/{termId}', {
          params: { path: { schoolId: child.schoolId, studentNo: child.studentNo, termId: termId! } },
        }),
      ),
  });
}

export function useChildWeek(child: ChildRef, date: string) {
  return useQuery({
    queryKey: ['child-week', ...childKey(child), date],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/students/{studentNo}/week', {
          params: { path: { schoolId: child.schoolId, studentNo: child.studentNo }, query: { date } },
        }),
      ),
  });
}

/** Every version of a child's form, oldest first (a form has a few dozen at most: pages of 100 until the last). */
export function useFormHistory(schoolId: string, termId: string, studentNo: string, enabled = true) {
  return useQuery({
    queryKey: ['optout-history', schoolId, termId, studentNo],
    enabled,
    queryFn: async () => {
      const path = { schoolId, termId, studentNo };
      const all = [];
      let cursor: string | undefined;
      do {
        const page = await data(
          api().GET('/schools/{schoolId}/terms/{termId}/optouts/{studentNo}/history', {
            params: { path, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
          }),
        );
        all.push(...page.items);
        cursor = page.next ?? undefined;
      } while (cursor);
      return all;
    },
  });
}

/** After a form changed: everything that shows it, its history, and the figures and lists it counts in. */
export function formChanged(queries: QueryClient, schoolId: string) {
  for (const key of [
    'child-notices',
    'child-notice',
    'child-week',
    'optout-history',
    'optout',
    'optouts',
    'optout-requests',
    'notice-progress',
  ])
    void queries.invalidateQueries({ queryKey: [key] });
  void queries.invalidateQueries({ queryKey: ['participation', schoolId] });
  void queries.invalidateQueries({ queryKey: ['dismissal', schoolId] });
}

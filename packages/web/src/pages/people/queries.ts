/** What several pages of this area read: the school's grades, terms and staff (admins). */
import { useQuery } from '@tanstack/react-query';
import { api, data } from '../../api/client';
import type { StaffMember } from './types';

export function useGrades(schoolId: string) {
  return useQuery({
    queryKey: ['grades', schoolId],
    queryFn: () => data(api().GET('/schools/{schoolId}/grades', { params: { path: { schoolId }, query: { limit: 100 } } })),
    select: (p) => [...p.items].sort((a, b) => a.level - b.level),
  });
}

/** The school's terms, latest first. */
export function useTerms(schoolId: string) {
  return useQuery({
    queryKey: ['terms', schoolId],
    queryFn: () => data(api().GET('/schools/{schoolId}/terms', { params: { path: { schoolId }, query: { limit: 100 } } })),
    select: (p) => [...p.items].sort((a, b) => b.startDate.localeCompare(a.startDate)),
  });
}

/** Every staff member of the school (a school has a few hundred at most: pages of 500 until the last). */
export function useStaff(schoolId: string) {
  return useQuery({
    queryKey: ['staff', schoolId],
    queryFn: async () => {
      const all: StaffMember[] = [];
      let cursor: string | undefined;
      do {
        const page = await data(
          api().GET('/schools/{schoolId}/staff', {
            params: { path: { schoolId }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
          }),
        );
        all.push(...page.items);
        cursor = page.next ?? undefined;
      } while (cursor);
      return all;
    },
  });
}

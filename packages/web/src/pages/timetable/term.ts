/** Which term the page opens on, pure: the one under way on the school's today, else the next to start, else the last to end. */
export function currentTerm<T extends { startDate: string; endDate: string }>(terms: readonly T[], today: string): T | undefined {
  const byStart = [...terms].sort((a, b) => a.startDate.localeCompare(b.startDate));
  return (
    byStart.find((t) => t.startDate <= today && today <= t.endDate) ?? byStart.find((t) => today < t.startDate) ?? byStart.at(-1)
  );
}

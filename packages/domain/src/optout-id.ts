/** A child's opt-out form of a term is one record: its id, which the store keys it by (kept apart from the schemas, so the store carries no more). */
export const formId = (termId: string, studentNo: string) => `${termId}#${studentNo}`;

export function parseFormId(id: string): { termId: string; studentNo: string } | null {
  const [termId, studentNo, ...rest] = id.split('#');
  return termId && studentNo && rest.length === 0 ? { termId, studentNo } : null;
}

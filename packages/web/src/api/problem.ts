/**
 * What an error answer says, for a form: `application/problem+json` (errors[{path, message}]
 * beside the fields, a 409's who-and-when, a 422's rule) or API Gateway's own `{message}`.
 */
export interface ProblemInfo {
  status: number;
  /** for people: what went wrong */
  detail: string;
  /** the server's message for each field, by path joined with "." (e.g. "dismissal.MON") */
  fields: Record<string, string>;
  /** a 409's reason: "version" when someone else changed the record meanwhile */
  reason?: string;
  /** a stale version's 409: the record as stored now */
  current?: { version: number; updatedBy: string; updatedAt: string };
  /** a 422's rule */
  rule?: string;
}

export const fieldKey = (path: ReadonlyArray<string | number>) => path.join('.');

export function readProblem(status: number, body: unknown): ProblemInfo {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const detail =
    typeof b.detail === 'string' ? b.detail : typeof b.message === 'string' ? b.message : typeof body === 'string' ? body : '';
  const fields: Record<string, string> = {};
  if (Array.isArray(b.errors))
    for (const e of b.errors as Array<{ path?: unknown; message?: unknown }>)
      if (Array.isArray(e.path) && typeof e.message === 'string') {
        const key = fieldKey(e.path as Array<string | number>);
        fields[key] = fields[key] ? `${fields[key]}; ${e.message}` : e.message;
      }
  const c = b.current as Record<string, unknown> | undefined;
  return {
    status,
    detail,
    fields,
    ...(typeof b.reason === 'string' ? { reason: b.reason } : {}),
    ...(c && typeof c.version === 'number'
      ? { current: { version: c.version, updatedBy: String(c.updatedBy ?? ''), updatedAt: String(c.updatedAt ?? '') } }
      : {}),
    ...(typeof b.rule === 'string' ? { rule: b.rule } : {}),
  };
}

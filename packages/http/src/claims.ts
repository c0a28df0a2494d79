/**
 * The principal, from the claims that API Gateway's JWT authorizer (or the local server,
 * in its place) verified and put on the event. Cognito puts groups in `cognito:groups`
 * (API Gateway hands arrays over as "[a b]" strings). The custom attribute
 * `custom:schools` lists the user's role at each school as `schoolId:role` pairs,
 * comma-separated ("s1:admin,s2:parent"); an entry without a role grants nothing.
 * `custom:district` is a bureau user's district.
 */
import { ROLES, type Principal, type Role } from '@kehou/domain';

export const CLAIM = { groups: 'cognito:groups', schools: 'custom:schools', district: 'custom:district' } as const;

/** The `custom:schools` value for memberships. */
export const membershipsClaim = (memberships: ReadonlyArray<readonly [school: string, role: Role]>) =>
  memberships.map(([s, r]) => `${s}:${r}`).join(',');

/**
 * The claims a token carries for one role (besides sub, iss, aud, iat and exp): the shape of
 * Cognito's ID tokens, which the local dev key's tokens and guardians' session tokens share.
 */
export const roleClaims = (req: { role: Role; schools?: readonly string[]; district?: string }): Record<string, unknown> => ({
  [CLAIM.groups]: [req.role],
  token_use: 'id',
  ...(req.schools?.length ? { [CLAIM.schools]: membershipsClaim(req.schools.map((s) => [s, req.role] as const)) } : {}),
  ...(req.district ? { [CLAIM.district]: req.district } : {}),
});

const list = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v !== 'string') return [];
  const s = v.trim().replace(/^\[/, '').replace(/\]$/, '');
  return s.split(/[\s,]+/).filter(Boolean);
};

export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal | null {
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return null;
  const roles = new Set<Role>(list(claims[CLAIM.groups]).filter((g): g is Role => (ROLES as readonly string[]).includes(g)));
  const district =
    typeof claims[CLAIM.district] === 'string' && claims[CLAIM.district] !== '' ? (claims[CLAIM.district] as string) : null;
  const memberships = new Map<string, Set<Role>>();
  for (const entry of list(claims[CLAIM.schools])) {
    const i = entry.lastIndexOf(':');
    const school = entry.slice(0, i);
    const role = entry.slice(i + 1);
    if (i <= 0 || !(ROLES as readonly string[]).includes(role)) continue;
    if (!memberships.has(school)) memberships.set(school, new Set());
    memberships.get(school)!.add(role as Role);
  }
  return { userId: claims.sub, roles, memberships, district };
}

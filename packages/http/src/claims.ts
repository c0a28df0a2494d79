/**
 * The principal, from the claims that API Gateway's JWT authorizer (or the local server,
 * in its place) verified and put on the event. Cognito puts groups in `cognito:groups`
 * (API Gateway hands arrays over as "[a b]" strings); the user's schools and district are
 * the custom attributes `custom:schools` (comma-separated) and `custom:district`.
 */
import { ROLES, type Principal, type Role } from '@kehou/domain';

export const CLAIM = { groups: 'cognito:groups', schools: 'custom:schools', district: 'custom:district' } as const;

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
  return { userId: claims.sub, roles, schools: list(claims[CLAIM.schools]), district };
}

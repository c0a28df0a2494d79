/**
 * The token's expiry (ms since the epoch) from its `exp` claim; 0 when it has none or is not a JWT.
 * The only thing the app reads from a token itself: the API decides everything else.
 */
export function jwtExpiry(token: string): number {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/**
 * OAuth 2.0 authorization code with PKCE (RFC 7636) against Cognito's managed sign-in:
 * pure URL and request building, tested without a network (test/pkce.test.ts).
 */
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A random string of `bytes` bytes, base64url (32 bytes: a 43-character code verifier). */
export function randomToken(bytes = 32, random: (b: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64url(random(new Uint8Array(bytes)));
}

/** S256: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export interface Client {
  /** https://<prefix>.auth.<region>.amazoncognito.com */
  domain: string;
  clientId: string;
}

export function authorizeUrl(
  c: Client & { redirectUri: string; scopes: readonly string[]; state: string; challenge: string },
): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: c.clientId,
    redirect_uri: c.redirectUri,
    scope: c.scopes.join(' '),
    state: c.state,
    code_challenge: c.challenge,
    code_challenge_method: 'S256',
  });
  return `${c.domain}/oauth2/authorize?${q}`;
}

/** The token request that trades the code (and the verifier only this tab knows) for tokens. */
export function tokenRequest(c: Client & { redirectUri: string; code: string; verifier: string }): {
  url: string;
  init: RequestInit;
} {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: c.clientId,
    code: c.code,
    redirect_uri: c.redirectUri,
    code_verifier: c.verifier,
  });
  return {
    url: `${c.domain}/oauth2/token`,
    init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() },
  };
}

export function logoutUrl(c: Client & { logoutUri: string }): string {
  return `${c.domain}/logout?${new URLSearchParams({ client_id: c.clientId, logout_uri: c.logoutUri })}`;
}

/**
 * The runtime configuration, `/config.json` beside the app: the same build deploys anywhere
 * (the local server writes its own; on AWS it is written next to the app). See ../README.md.
 */
export type AuthConfig =
  /** npm start: the local server signs demo users with its development key */
  | { mode: 'dev' }
  /** AWS: Cognito's managed sign-in, authorization code with PKCE (auth/cognito.ts) */
  | { mode: 'cognito'; domain: string; clientId: string; scopes: string[] };

export interface AppConfig {
  /** "" for the app's own origin, else an absolute URL without a trailing slash */
  apiBase: string;
  /**
   * where a guardian signed in with an invitation sends their requests, if not to `apiBase`:
   * on AWS the guardians' API (output GuardianApiUrl), whose authorizer trusts their tokens
   */
  guardianApiBase?: string;
  auth: AuthConfig;
}

const DEFAULT_SCOPES = ['openid', 'email', 'profile'];

/** Checks the file's content; throws, naming the field, on anything else. */
export function parseConfig(raw: unknown): AppConfig {
  const fail = (what: string): never => {
    throw new Error(`config.json: ${what}`);
  };
  if (!raw || typeof raw !== 'object') fail('is not a JSON object');
  const o = raw as Record<string, unknown>;
  const apiBase = o.apiBase ?? '';
  const URL_RE = /^https?:\/\/[^/]+(\/.*[^/])?$/;
  if (typeof apiBase !== 'string' || (apiBase !== '' && !URL_RE.test(apiBase)))
    fail('apiBase must be "" or an absolute URL without a trailing slash');
  const { guardianApiBase } = o;
  if (guardianApiBase !== undefined && (typeof guardianApiBase !== 'string' || !URL_RE.test(guardianApiBase)))
    fail('guardianApiBase must be an absolute URL without a trailing slash');
  const bases = { apiBase: apiBase as string, ...(guardianApiBase ? { guardianApiBase: guardianApiBase as string } : {}) };
  const auth = o.auth as Record<string, unknown> | undefined;
  if (!auth || typeof auth !== 'object') return fail('auth is missing');
  switch (auth.mode) {
    case 'dev':
      return { ...bases, auth: { mode: 'dev' } };
    case 'cognito': {
      const { domain, clientId, scopes = DEFAULT_SCOPES } = auth;
      if (typeof domain !== 'string' || !/^https:\/\/[^/]+$/.test(domain))
        fail('auth.domain must be the sign-in domain, https://… without a path');
      if (typeof clientId !== 'string' || !clientId) fail('auth.clientId is missing');
      if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) fail('auth.scopes must be a list of strings');
      return {
        ...bases,
        auth: { mode: 'cognito', domain: domain as string, clientId: clientId as string, scopes: scopes as string[] },
      };
    }
    default:
      return fail(`auth.mode must be "dev" or "cognito"`);
  }
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: ${res.status}`);
  return parseConfig(await res.json());
}

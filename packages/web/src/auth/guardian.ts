/**
 * A guardian's session, begun with an invitation (/invite/{token}): its access token lives 15
 * minutes, so it is renewed with the refresh token a minute before it ends — by a timer, when a
 * sleeping tab wakes, and when the app starts (before anything reads the token). Each refresh
 * token works once (the answer brings the next). Signing out ends the session on the server too.
 * Both tokens stay in the tab's sessionStorage, like staff tokens (session.ts).
 */
import { api } from '../api/client';
import { session } from './session';

const REFRESH = 'kehou.refresh';
const EXPIRES = 'kehou.access-expires';
/** renew this long before the access token ends */
const EARLY_MS = 60_000;
/** after a failure that may pass (the network, the server), try again this much later */
const AGAIN_MS = 15_000;

export interface GuardianTokens {
  accessToken: string;
  /** seconds the access token lives */
  expiresIn: number;
  refreshToken: string;
}

let refreshToken: string | null = sessionStorage.getItem(REFRESH);
let expiresAt = Number(sessionStorage.getItem(EXPIRES) ?? 0);
/** the access token of this session (read as stored, expired or not: a clock of -∞ never expires it) */
let ours: string | null = refreshToken ? session.token(-Infinity) : null;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | null = null;

/** Whether the signed-in user is a guardian with a session of the product's (not a staff token). */
export const isGuardianSession = () => refreshToken !== null;

export function beginGuardianSession(t: GuardianTokens, now = Date.now()) {
  refreshToken = t.refreshToken;
  expiresAt = now + t.expiresIn * 1000;
  ours = t.accessToken;
  session.set(t.accessToken);
  sessionStorage.setItem(REFRESH, t.refreshToken);
  sessionStorage.setItem(EXPIRES, String(expiresAt));
  schedule();
}

function forget() {
  clearTimeout(timer);
  refreshToken = ours = null;
  expiresAt = 0;
}

function schedule() {
  clearTimeout(timer);
  if (refreshToken) timer = setTimeout(() => void refresh(), Math.max(0, expiresAt - EARLY_MS - Date.now()));
}

/** New tokens for the refresh token; a refusal (401: revoked, ended, copied) ends the session here too. */
function refresh(): Promise<void> {
  running ??= (async () => {
    const sent = refreshToken;
    if (!sent) return;
    try {
      const out = await api().POST('/tokens/refresh', { body: { refreshToken: sent } });
      if (out.data) beginGuardianSession(out.data);
      else if (out.response.status >= 400 && out.response.status < 500) {
        forget();
        session.clear();
      } else timer = setTimeout(() => void refresh(), AGAIN_MS);
    } catch {
      timer = setTimeout(() => void refresh(), AGAIN_MS);
    }
  })().finally(() => (running = null));
  return running;
}

// the access token ended (expired, refused) while the session may still live: renew it; someone
// else signed in in this tab (a staff member on the sign-in page): this session is not theirs
session.subscribe(() => {
  if (!refreshToken) return;
  const now = session.token();
  if (now === null) void refresh();
  else if (now !== ours) forget();
});

/** When the app starts: renews a session that is about to end (or has, while the tab slept), then keeps it. */
export async function resumeGuardianSession(): Promise<void> {
  if (!refreshToken) return;
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && refreshToken && expiresAt - EARLY_MS <= Date.now()) void refresh();
  });
  if (expiresAt - EARLY_MS <= Date.now()) await refresh();
  else schedule();
}

/** Signing out: the server ends the session (its refresh token stops working), then the tab forgets it. */
export async function endGuardianSession(): Promise<void> {
  const sent = refreshToken;
  forget();
  if (sent)
    await api()
      .POST('/tokens/sign-out', { body: { refreshToken: sent } })
      .catch(() => undefined);
}

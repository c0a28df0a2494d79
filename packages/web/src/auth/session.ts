/**
 * The signed-in user's token: in memory, mirrored in sessionStorage so that a reload keeps
 * the tab signed in. Never localStorage: sessionStorage belongs to one tab and is gone when
 * it closes (why not an HttpOnly cookie: packages/web/README.md).
 */
import { jwtExpiry } from './jwt';

const KEY = 'kehou.token';
const listeners = new Set<() => void>();

let token: string | null = sessionStorage.getItem(KEY);

const changed = () => listeners.forEach((l) => l());

export const session = {
  /** the bearer token, or null when signed out or expired */
  token(now = Date.now()): string | null {
    if (token && jwtExpiry(token) <= now) session.clear();
    return token;
  },
  set(t: string) {
    token = t;
    sessionStorage.setItem(KEY, t);
    changed();
  },
  clear() {
    if (token === null) return;
    token = null;
    // and whatever else this tab kept for the user (the chosen school, a calendar link)
    sessionStorage.clear();
    changed();
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => void listeners.delete(l);
  },
};

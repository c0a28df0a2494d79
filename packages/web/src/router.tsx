/** A router of a few lines: the History API, one path at a time (the app's routes: routes.ts). */
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const NAVIGATED = 'kehou:navigated';
const subscribe = (l: () => void) => {
  window.addEventListener('popstate', l);
  window.addEventListener(NAVIGATED, l);
  return () => {
    window.removeEventListener('popstate', l);
    window.removeEventListener(NAVIGATED, l);
  };
};

export const usePath = () => useSyncExternalStore(subscribe, () => location.pathname);
/** The query of the URL ("?a=1"): a page's own state (a filter, the record shown) that a link or Back restores. */
export const useSearch = () => useSyncExternalStore(subscribe, () => location.search);

export function navigate(to: string, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} aria-current={usePath() === to ? 'page' : undefined} {...rest} />;
}

/** Goes to `to` instead of rendering anything (after render: never navigate while rendering). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

/** A table that scrolls sideways inside its own box (never the page), reachable by keyboard, named by its caption. */
import type { ReactNode } from 'react';

export function ScrollTable({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

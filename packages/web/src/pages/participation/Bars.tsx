/**
 * A bar chart in plain SVG: a row per item with its label, its bar and its figure in words
 * (so the list itself is what a screen reader reads; the bars are decoration).
 */
import { percentText } from './figures';

export interface Bar {
  label: string;
  percent: number | null;
  /** the counts behind the figure, e.g. "148 / 149" */
  detail: string;
}

export function Bars({ id, title, bars }: { id: string; title: string; bars: readonly Bar[] }) {
  return (
    <figure className="bars" aria-labelledby={id}>
      <figcaption id={id}>{title}</figcaption>
      <ul className="plain">
        {bars.map((b) => (
          <li key={b.label}>
            <span className="bar-label">{b.label}</span>
            <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
              <rect className="bar-track" width="100" height="10" />
              <rect className="bar-fill" width={b.percent ?? 0} height="10" />
            </svg>
            <span className="bar-value">
              <strong>{percentText(b.percent)}</strong> <span className="hint">{b.detail}</span>
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

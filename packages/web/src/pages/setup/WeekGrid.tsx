/**
 * Weekly availability as a week grid: Monday–Friday columns, half-hour rows up to 18:00.
 * Each cell is a toggle button ("周一 15:30–16:00 可用", pressed when available, mixed when
 * only part of the half hour is). A click or tap toggles a cell; with a mouse, dragging paints
 * the cells passed over the way the first one went; with the keyboard, the arrow keys move
 * between cells (one tab stop for the grid) and Space or Enter toggles. The windows it makes
 * are listed below it in words, those of Saturday and Sunday too (kept as they are).
 */
import { useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  coverage,
  daysWith,
  GRID_DAYS,
  gridRows,
  hhmm,
  setSlot,
  SLOT_MINUTES,
  type Availability,
  type Coverage,
} from './availability';

const PRESSED: Record<Coverage, boolean | 'mixed'> = { all: true, some: 'mixed', none: false };

export function WeekGrid({
  id,
  label,
  hint,
  error,
  errorId,
  value,
  onChange,
}: {
  /** of the group (focused when the server names the availability) */
  id: string;
  label: string;
  hint: string;
  error?: string | undefined;
  errorId: string;
  value: Availability;
  onChange(a: Availability): void;
}) {
  const { t } = useTranslation();
  const rows = gridRows(value);
  const [at, setAt] = useState<[number, number]>([0, 0]);
  const cells = useRef(new Map<string, HTMLButtonElement>());
  // the latest value, for several paints between two renders (a fast drag)
  const latest = useRef(value);
  latest.current = value;
  /** a mouse drag: whether it makes cells available, until the button is released */
  const painting = useRef<boolean | null>(null);
  /** what pressed last: the click that follows a mouse's press was handled by the press */
  const pointer = useRef('');

  const day = (d: string) => t(`setup.days.${d}`);
  const paint = (d: string, from: number, on: boolean) => {
    latest.current = setSlot(latest.current, d, from, on);
    onChange(latest.current);
  };
  const isOn = (d: string, from: number) => coverage(value[d], from, from + SLOT_MINUTES) === 'all';

  const onPointerDown = (e: PointerEvent, d: string, from: number) => {
    pointer.current = e.pointerType;
    if (e.pointerType !== 'mouse' || e.button !== 0) return; // a finger scrolls the page; its tap is a click
    painting.current = !isOn(d, from);
    paint(d, from, painting.current);
    const stop = () => {
      painting.current = null;
      window.removeEventListener('pointerup', stop);
    };
    window.addEventListener('pointerup', stop);
  };
  const onPointerEnter = (d: string, from: number) => {
    if (painting.current !== null) paint(d, from, painting.current);
  };
  const onClick = (e: MouseEvent, d: string, from: number) => {
    // detail 0: Space or Enter
    if (e.detail === 0 || pointer.current !== 'mouse') paint(d, from, !isOn(d, from));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const [r, c] = at;
    const to: Record<string, [number, number]> = {
      ArrowUp: [Math.max(0, r - 1), c],
      ArrowDown: [Math.min(rows.length - 1, r + 1), c],
      ArrowLeft: [r, Math.max(0, c - 1)],
      ArrowRight: [r, Math.min(GRID_DAYS.length - 1, c + 1)],
    };
    const next = to[e.key];
    if (!next) return;
    e.preventDefault();
    setAt(next);
    cells.current.get(`${next[0]}:${next[1]}`)?.focus();
  };

  const days = daysWith(value);
  return (
    <div
      className="field"
      role="group"
      id={id}
      tabIndex={-1}
      aria-labelledby={`${id}-label`}
      aria-describedby={[`${id}-hint`, error ? errorId : ''].filter(Boolean).join(' ')}
    >
      <p className="label" id={`${id}-label`}>
        <strong>{label}</strong>
      </p>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <table className="week-grid" onKeyDown={onKeyDown}>
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">{t('setup.staff.time')}</span>
            </th>
            {GRID_DAYS.map((d) => (
              <th key={d} scope="col">
                {day(d)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((from, r) => (
            <tr key={from}>
              <th scope="row">{hhmm(from)}</th>
              {GRID_DAYS.map((d, c) => (
                <td key={d}>
                  <button
                    type="button"
                    ref={(b) => {
                      if (b) cells.current.set(`${r}:${c}`, b);
                      else cells.current.delete(`${r}:${c}`);
                    }}
                    tabIndex={at[0] === r && at[1] === c ? 0 : -1}
                    aria-pressed={PRESSED[coverage(value[d], from, from + SLOT_MINUTES)]}
                    aria-label={t('setup.staff.slot', { day: day(d), from: hhmm(from), to: hhmm(from + SLOT_MINUTES) })}
                    onFocus={() => setAt([r, c])}
                    onPointerDown={(e) => onPointerDown(e, d, from)}
                    onPointerEnter={() => onPointerEnter(d, from)}
                    onClick={(e) => onClick(e, d, from)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="windows" aria-label={t('setup.staff.windows')}>
        {days.length === 0 ? (
          <li>{t('setup.staff.noWindows')}</li>
        ) : (
          days.map((d) => (
            <li key={d}>
              {day(d)} {value[d]!.map((w) => `${w.start}–${w.end}`).join(t('listSeparator'))}
            </li>
          ))
        )}
      </ul>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

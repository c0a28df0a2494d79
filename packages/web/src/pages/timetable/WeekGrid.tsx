/**
 * The week as a table: columns Monday to Friday, rows of half an hour up to 18:00, each
 * session in the row its start falls in (grid.ts). On a phone one day at a time, chosen with
 * day tabs, so nothing scrolls sideways; from 48rem the whole week.
 */
import { useId, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GRID_DAYS, SERVICE_END, type GridDay, type Placed, type Row } from './grid';

const WIDE = '(min-width: 48rem)';
const subscribe = (l: () => void) => {
  const m = matchMedia(WIDE);
  m.addEventListener('change', l);
  return () => m.removeEventListener('change', l);
};
const useWide = () => useSyncExternalStore(subscribe, () => matchMedia(WIDE).matches);

export function WeekGrid<S extends Placed>({
  rows,
  caption,
  firstDay,
  cell,
}: {
  rows: Row<S>[];
  caption: string;
  /** the day a phone shows first */
  firstDay: GridDay;
  cell: (s: S) => ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const wide = useWide();
  const [day, setDay] = useState<GridDay>(firstDay);
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const days = wide ? GRID_DAYS : [day];
  const dayName = (d: GridDay) => t(`timetable.days.${d}`);
  const empty = !wide && rows.every((r) => r.cells[day].length === 0);

  // arrow keys move along the tabs, as a tab list does
  const onKey = (e: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowLeft: -1, Home: -GRID_DAYS.length, End: GRID_DAYS.length }[e.key];
    if (!step) return;
    e.preventDefault();
    const i = Math.min(GRID_DAYS.length - 1, Math.max(0, GRID_DAYS.indexOf(day) + step));
    setDay(GRID_DAYS[i]!);
    tabs.current[GRID_DAYS[i]!]?.focus();
  };

  const table = (
    <table className="week">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="time">
            {t('timetable.grid.time')}
          </th>
          {days.map((d) => (
            <th scope="col" key={d}>
              {dayName(d)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.start}>
            <th scope="row" className="time">
              <time>{r.start}</time>
            </th>
            {days.map((d) => (
              <td key={d}>
                {r.cells[d].length > 0 && (
                  <ul className="plain cell">
                    {r.cells[d].map((s) => (
                      <li key={s.id}>{cell(s)}</li>
                    ))}
                  </ul>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" className="time">
            <time>{SERVICE_END}</time>
          </th>
          <td colSpan={days.length}>{t('timetable.grid.end')}</td>
        </tr>
      </tfoot>
    </table>
  );
  if (wide) return <div className="week-wrap">{table}</div>;
  return (
    <div className="week-wrap">
      <div role="tablist" aria-label={t('timetable.grid.dayTabs')} className="day-tabs" onKeyDown={onKey}>
        {GRID_DAYS.map((d) => (
          <button
            key={d}
            type="button"
            role="tab"
            id={`${id}-${d}`}
            ref={(b) => {
              tabs.current[d] = b;
            }}
            aria-selected={d === day}
            aria-controls={`${id}-panel`}
            tabIndex={d === day ? 0 : -1}
            onClick={() => setDay(d)}
          >
            {dayName(d)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${day}`}>
        {empty && <p className="hint">{t('timetable.grid.empty')}</p>}
        {table}
      </div>
    </div>
  );
}

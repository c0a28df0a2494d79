/**
 * Adjusting a draft session, in a dialog: move it (day and start; it keeps its length), lock or
 * unlock it, or swap its time with another session of the view. A refusal is shown under the
 * session, in words, and announced; what was typed stays.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from './api';
import { GRID_DAYS, minutesOf, startChoices, type GridDay } from './grid';
import type { Edit } from './words';

export function Editor({
  session,
  others,
  refusal,
  busy,
  onEdit,
  onClose,
}: {
  session: Session;
  /** the sessions it may swap with */
  others: Session[];
  /** why its last edit was refused, line by line */
  refusal: string[] | undefined;
  busy: boolean;
  onEdit: (edit: Edit<Session>) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [day, setDay] = useState<GridDay>(session.day as GridDay);
  const [start, setStart] = useState(session.start);
  const [other, setOther] = useState(others[0]?.id ?? '');
  // modal while it is there (leaving the document ends it)
  useEffect(() => {
    if (!dialog.current!.open) dialog.current!.showModal();
  }, []);
  const dayName = (d: string) => t(`timetable.days.${d}`);
  const club = i18n.language === 'en' ? session.clubNameEn : session.clubName;
  const minutes = minutesOf(session.end) - minutesOf(session.start);
  const label = (s: Session) =>
    `${dayName(s.day)} ${s.start}–${s.end} ${i18n.language === 'en' ? s.clubNameEn : s.clubName} ${s.className}`;

  return (
    <dialog ref={dialog} className="editor" aria-labelledby="tt-edit-h" onClose={onClose}>
      <h2 id="tt-edit-h">{t('timetable.editor.title')}</h2>
      <p className="session-summary">
        <strong>
          {club} {session.className}
        </strong>{' '}
        {dayName(session.day)} {session.start}–{session.end} · {session.roomName} · {session.staffName}
        {session.locked && ` · ${t('timetable.grid.locked')}`}
      </p>
      <div role="alert" className="refusal" id="tt-edit-refusal">
        {refusal && (
          <>
            <p>{t('timetable.editor.refused')}</p>
            <ul>
              {refusal.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <form
        className="move"
        onSubmit={(e) => {
          e.preventDefault();
          onEdit({ kind: 'move', session, day, start });
        }}
      >
        <div className="field">
          <label htmlFor="tt-edit-day">{t('timetable.editor.day')}</label>
          <select id="tt-edit-day" value={day} onChange={(e) => setDay(e.target.value as GridDay)}>
            {GRID_DAYS.map((d) => (
              <option key={d} value={d}>
                {dayName(d)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tt-edit-start">{t('timetable.editor.start')}</label>
          <p className="hint" id="tt-edit-start-hint">
            {t('timetable.editor.startHint', { minutes })}
          </p>
          <select
            id="tt-edit-start"
            value={start}
            aria-describedby={`tt-edit-start-hint${refusal ? ' tt-edit-refusal' : ''}`}
            onChange={(e) => setStart(e.target.value)}
          >
            {startChoices(session.start).map((time) => (
              <option key={time} value={time}>
                {time}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('timetable.editor.saving') : t('timetable.editor.move')}
        </button>
      </form>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => onEdit({ kind: 'lock', session, locked: !session.locked })}>
          {session.locked ? t('timetable.editor.unlock') : t('timetable.editor.lock')}
        </button>
      </div>
      <form
        className="swap"
        onSubmit={(e) => {
          e.preventDefault();
          const b = others.find((s) => s.id === other);
          if (b) onEdit({ kind: 'swap', session, other: b });
        }}
      >
        {others.length ? (
          <>
            <div className="field">
              <label htmlFor="tt-edit-swap">{t('timetable.editor.swapWith')}</label>
              <select id="tt-edit-swap" value={other} onChange={(e) => setOther(e.target.value)}>
                {others.map((s) => (
                  <option key={s.id} value={s.id}>
                    {label(s)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" disabled={busy}>
              {t('timetable.editor.swap')}
            </button>
          </>
        ) : (
          <p className="hint">{t('timetable.editor.noOther')}</p>
        )}
      </form>
      <div className="actions end">
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('timetable.editor.close')}
        </button>
      </div>
    </dialog>
  );
}

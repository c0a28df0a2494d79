/**
 * A version as a week grid, by grade, room or staff member. The draft's sessions open the
 * editor; a refused edit leaves its reason, in words, beside the session in the grid too.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { readProblem } from '../../api/problem';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { reloadTimetable, TT, useVersion, type Session, type Where } from './api';
import { Editor } from './Editor';
import { endIfStarting, gridStart, inView, layoutWeek, VIEW_KINDS, viewChoices, type GridDay, type ViewKind } from './grid';
import { refusalLines, violationsOf, type Edit } from './words';
import { WeekGrid } from './WeekGrid';

export function Board({
  id,
  w,
  number,
  editable,
  heading,
  zone,
  dayEnd,
  firstDay,
}: {
  /** prefix of the ids of its elements */
  id: string;
  w: Where;
  number: number;
  /** the draft: its sessions can be moved, locked and swapped */
  editable: boolean;
  heading: string;
  zone: string;
  dayEnd: string;
  firstDay: GridDay;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const version = useVersion(w, number);
  const [kind, setKind] = useState<ViewKind>('grade');
  const [value, setValue] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState(false);
  const [announce, setAnnounce] = useState('');

  if (version.error) return <LoadError error={version.error} />;
  if (!version.data) return <Loading />;
  const { sessions, version: revision } = version.data;
  const choices = viewChoices(sessions, kind);
  const chosen = choices.find((c) => c.value === value) ?? choices[0];
  const shown = chosen ? sessions.filter((s) => inView(s, kind, chosen.value)) : [];
  const rows = layoutWeek(shown, gridStart(sessions));
  const nameOf = (c: { value: string; name: string }) =>
    kind === 'grade' ? t('timetable.board.grade', { level: c.value }) : c.name;
  const current = editing ? sessions.find((s) => s.id === editing) : undefined;
  const dayName = (d: string) => t(`timetable.days.${d}`);

  const refuse = (sessionId: string, lines: string[]) => setRefusals((r) => ({ ...r, [sessionId]: lines }));
  const run = async (edit: Edit<Session>) => {
    setBusy(true);
    let out: { response: Response; error?: unknown };
    try {
      out =
        edit.kind === 'swap'
          ? await api().POST(`${TT}/draft/swap`, {
              params: { path: w },
              body: { version: revision, a: edit.session.id, b: edit.other.id },
            })
          : await api().PATCH(`${TT}/draft/sessions/{sessionId}`, {
              params: { path: { ...w, sessionId: edit.session.id } },
              body:
                edit.kind === 'move'
                  ? { version: revision, day: edit.day, start: edit.start }
                  : { version: revision, locked: edit.locked },
            });
    } catch {
      refuse(edit.session.id, [t('timetable.editor.offline')]);
      return;
    } finally {
      setBusy(false);
    }
    if (out.response.ok) {
      const touched = edit.kind === 'swap' ? [edit.session.id, edit.other.id] : [edit.session.id];
      setRefusals((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !touched.includes(k))));
      setAnnounce(
        edit.kind === 'move'
          ? t('timetable.editor.moved', {
              day: dayName(edit.day),
              start: edit.start,
              end: endIfStarting(edit.session, edit.start),
            })
          : edit.kind === 'lock'
            ? t(edit.locked ? 'timetable.editor.lockedDone' : 'timetable.editor.unlockedDone')
            : t('timetable.editor.swapped'),
      );
      setEditing(null);
      await reloadTimetable(queries, w);
      document.getElementById(`${id}-${edit.session.id}`)?.focus();
      return;
    }
    const p = readProblem(out.response.status, out.error);
    const violations = p.status === 422 ? violationsOf(out.error) : [];
    const lines = violations.length
      ? refusalLines(violations, edit, { dayEnd }, sessions, t, i18n.language)
      : p.status === 409 && p.current
        ? [
            t('timetable.editor.conflict', {
              who: p.current.updatedBy,
              when: formatInstant(p.current.updatedAt, zone, i18n.language),
            }),
          ]
        : p.status === 409
          ? [t('timetable.refusal.stale-draft')]
          : Object.keys(p.fields).length
            ? Object.entries(p.fields).map(([k, m]) => `${k}: ${m}`)
            : [t('form.problem', { detail: p.detail })];
    if (p.status === 409 || violations.some((v) => v.rule === 'stale-draft')) await reloadTimetable(queries, w);
    refuse(edit.session.id, lines);
  };

  return (
    <section className="card board" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{heading}</h2>
      {sessions.length === 0 ? (
        <p>{t('timetable.board.none')}</p>
      ) : (
        <>
          <div className="view-by">
            <div className="field">
              <label htmlFor={`${id}-kind`}>{t('timetable.board.viewBy')}</label>
              <select
                id={`${id}-kind`}
                value={kind}
                onChange={(e) => {
                  setKind(e.target.value as ViewKind);
                  setValue(null);
                }}
              >
                {VIEW_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`timetable.board.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-which`}>{t(`timetable.board.which.${kind}`)}</label>
              <select id={`${id}-which`} value={chosen?.value ?? ''} onChange={(e) => setValue(e.target.value)}>
                {choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {nameOf(c)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {editable && <p className="hint">{t('timetable.board.editHint')}</p>}
          <WeekGrid
            rows={rows}
            firstDay={firstDay}
            caption={t('timetable.grid.caption', { view: chosen ? nameOf(chosen) : '' })}
            cell={(s) => (
              <SessionCard
                s={s}
                id={`${id}-${s.id}`}
                refusal={refusals[s.id]}
                {...(editable ? { onOpen: () => setEditing(s.id) } : {})}
              />
            )}
          />
        </>
      )}
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      {editable && current && (
        <Editor
          key={current.id}
          session={current}
          others={shown.filter((s) => s.id !== current.id)}
          refusal={refusals[current.id]}
          busy={busy}
          onEdit={(e) => void run(e)}
          onClose={() => {
            setEditing(null);
            document.getElementById(`${id}-${current.id}`)?.focus();
          }}
        />
      )}
    </section>
  );
}

function SessionCard({ s, id, refusal, onOpen }: { s: Session; id: string; refusal: string[] | undefined; onOpen?: () => void }) {
  const { t, i18n } = useTranslation();
  const body = (
    <>
      <span className="when">
        {s.start}–{s.end}
      </span>
      <span className="what">
        {i18n.language === 'en' ? s.clubNameEn : s.clubName} {s.className}
      </span>
      <span className="where">
        {s.roomName} · {s.staffName}
      </span>
      <span className="grades">
        {t('timetable.grid.grades', { grades: s.grades.join(t('listSeparator')) })}
        {s.locked && ` · ${t('timetable.grid.locked')}`}
      </span>
    </>
  );
  return (
    <div className={`tt-session${s.locked ? ' locked' : ''}${refusal ? ' refused' : ''}`}>
      {onOpen ? (
        <button type="button" id={id} onClick={onOpen} aria-describedby={refusal ? `${id}-refusal` : undefined}>
          {body}
        </button>
      ) : (
        <p id={id}>{body}</p>
      )}
      {refusal && (
        <p className="refusal" id={`${id}-refusal`}>
          {refusal.join(' ')}
        </p>
      )}
    </div>
  );
}

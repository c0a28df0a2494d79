/**
 * What the set-up pages share: a list of a school's records (all pages of it) as a compact
 * table on a PC and as cards on a phone, with a filter; an editor in place of the list (its
 * heading takes focus; closing it returns focus to the record's row); the version line; and
 * deleting, which asks first and shows the server's refusal in words.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { data } from '../../api/client';
import { readProblem, type ProblemInfo } from '../../api/problem';
import { Field } from '../../forms/Field';
import { useForm, type Form, type Outcome, type Values } from '../../forms/useForm';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { FormProblem } from '../../ui/FormProblem';
import './setup.css';

/** Every record of a school has these. */
export interface Rec {
  id: string;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

type Listed<E> = Outcome<{ items: E[]; next: string | null }>;

/** All of a list, page after page (500 a page: a school's rooms or staff fit in one). */
export async function allPages<E>(page: (query: { limit: number; cursor?: string }) => Promise<Listed<E>>): Promise<E[]> {
  const out: E[] = [];
  let cursor: string | undefined;
  do {
    const p = await data(page({ limit: 500, ...(cursor ? { cursor } : {}) }));
    out.push(...p.items);
    cursor = p.next ?? undefined;
  } while (cursor);
  return out;
}

export interface Column<E> {
  label: string;
  cell(e: E): ReactNode;
}

/**
 * A set-up page: the list, or the editor of one record (`editing`: a record, or 'new').
 * `editor` gets `done(message)` (saved or deleted: the message is announced) and `cancel()`;
 * either way the list is read again.
 */
export function SetupPage<E extends Rec>({
  title,
  intro,
  queryKey,
  load,
  sort,
  nameOf,
  matches,
  columns,
  newLabel,
  filterLabel,
  editor,
}: {
  title: string;
  intro: string;
  queryKey: readonly unknown[];
  load(): Promise<E[]>;
  sort(a: E, b: E): number;
  nameOf(e: E): string;
  /** does the record match what was typed in the filter (lower-cased) */
  matches(e: E, text: string): boolean;
  columns: Column<E>[];
  newLabel: string;
  /** says what the filter looks at */
  filterLabel: string;
  editor(editing: E | null, done: (message: string) => void, cancel: () => void): ReactNode;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const list = useQuery({ queryKey, queryFn: load });
  const [editing, setEditing] = useState<E | 'new' | null>(null);
  const [announce, setAnnounce] = useState('');
  const [filter, setFilter] = useState('');
  const returnTo = useRef<string | null>(null);
  const ids = useId();
  const newId = `${ids}-new`;
  const rowId = (e: E) => `${ids}-row-${e.id}`;

  useEffect(() => {
    if (editing === null && returnTo.current) {
      (document.getElementById(returnTo.current) ?? document.getElementById(newId))?.focus();
      returnTo.current = null;
    }
  }, [editing, newId]);

  const open = (e: E | 'new') => {
    setAnnounce('');
    returnTo.current = e === 'new' ? newId : rowId(e);
    setEditing(e);
  };
  // back to the list, read again: someone may have changed it meanwhile (a refused delete says so)
  const close = (message = '') => {
    void queries.invalidateQueries({ queryKey });
    setAnnounce(message);
    setEditing(null);
  };

  const items = [...(list.data ?? [])].sort(sort);
  const text = filter.trim().toLowerCase();
  const shown = text ? items.filter((e) => matches(e, text)) : items;

  return (
    <Page title={title}>
      {editing !== null ? (
        editor(editing === 'new' ? null : editing, close, () => close())
      ) : (
        <>
          <p>{intro}</p>
          <div className="actions">
            <button type="button" className="primary" id={newId} onClick={() => open('new')}>
              {newLabel}
            </button>
          </div>
          {list.error ? (
            <LoadError error={list.error} />
          ) : !list.data ? (
            <Loading />
          ) : items.length === 0 ? (
            <p>{t('setup.none')}</p>
          ) : (
            <>
              {items.length > 8 && (
                <div className="field setup-filter">
                  <label htmlFor={`${ids}-filter`}>{filterLabel}</label>
                  <input id={`${ids}-filter`} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
                </div>
              )}
              <p className="hint" aria-live="polite">
                {text
                  ? t('setup.countFiltered', { shown: shown.length, count: items.length })
                  : t('setup.count', { count: items.length })}
              </p>
              <table className="setup-table">
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c.label} scope="col">
                        {c.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((e) => (
                    <tr key={e.id}>
                      {columns.map((c, i) =>
                        i === 0 ? (
                          <th key={c.label} scope="row">
                            <button
                              type="button"
                              className="link"
                              id={rowId(e)}
                              aria-label={t('setup.edit', { name: nameOf(e) })}
                              onClick={() => open(e)}
                            >
                              {c.cell(e)}
                            </button>
                          </th>
                        ) : (
                          <td key={c.label} data-label={c.label}>
                            {c.cell(e)}
                          </td>
                        ),
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </>
      )}
      <p role="status" className="visually-hidden">
        {announce}
      </p>
    </Page>
  );
}

/** The editor in place of the list: its heading takes focus; "back" returns to the list. */
function Editor({
  title,
  record,
  zone,
  onBack,
  children,
}: {
  title: string;
  /** the record as read (none for a new one): its version line */
  record: Rec | null;
  zone: string;
  onBack(): void;
  children: ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card editor" aria-labelledby={id}>
      <div className="editor-head">
        <h2 id={id} tabIndex={-1} ref={heading}>
          {title}
        </h2>
        <button type="button" onClick={onBack}>
          {t('setup.back')}
        </button>
      </div>
      {record && (
        <p className="hint">
          {t('setup.version', {
            version: record.version,
            who: record.updatedBy,
            when: formatInstant(record.updatedAt, zone, i18n.language),
          })}
        </p>
      )}
      {children}
    </section>
  );
}

/**
 * Delete, after asking: `what` names the record ("教室“舞蹈室 1”"). A refusal stays in the
 * dialog in the server's words; a stale version says who changed it and when.
 */
function DeleteButton({
  what,
  zone,
  remove,
  onDeleted,
}: {
  what: string;
  zone: string;
  remove(): Promise<Outcome<unknown>>;
  onDeleted(): void;
}) {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const confirm = async () => {
    setBusy(true);
    try {
      const out = await remove();
      if (out.response.ok) {
        dialog.current?.close();
        onDeleted();
      } else setProblem(readProblem(out.response.status, out.error));
    } catch {
      setProblem({ status: 0, detail: '', fields: {} });
    } finally {
      setBusy(false);
    }
  };
  const refusal = !problem
    ? ''
    : problem.current
      ? t('setup.deleteStale', {
          who: problem.current.updatedBy,
          when: formatInstant(problem.current.updatedAt, zone, i18n.language),
          version: problem.current.version,
        })
      : problem.status
        ? t('setup.deleteRefused', { detail: problem.detail })
        : t('setup.deleteOffline');
  return (
    <>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setProblem(null);
          dialog.current?.showModal();
        }}
      >
        {t('setup.delete')}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-h`} aria-describedby={`${id}-d`}>
        <h3 id={`${id}-h`}>{t('setup.deleteTitle', { what })}</h3>
        <p id={`${id}-d`}>{t('setup.deleteText')}</p>
        <p role="alert" className="form-problem">
          {refusal}
        </p>
        <div className="actions">
          <button type="button" autoFocus onClick={() => dialog.current?.close()}>
            {t('cancel')}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
            {t('setup.deleteConfirm')}
          </button>
        </div>
      </dialog>
    </>
  );
}

/** How a form reads and writes its kind of record. */
export interface RecordIo<E extends Rec, V extends Values> {
  create(values: V, idempotencyKey: string): Promise<Outcome<E>>;
  replace(values: V, id: string, version: number): Promise<Outcome<E>>;
  get(id: string): Promise<Outcome<E>>;
}

/**
 * A record's form: a new one is created with one Idempotency-Key for the form's life (a
 * retried POST creates it once); one that exists is saved with the version it was read at,
 * and after a stale version's 409 either over the version now stored or dropped for it.
 */
export function useRecordForm<E extends Rec, V extends Values>(
  prefix: string,
  record: E | null,
  valuesOf: (e: E | null) => V,
  io: RecordIo<E, V>,
  onSaved: (e: E) => void,
) {
  const [current, setCurrent] = useState(record);
  const form = useForm(prefix, valuesOf(record));
  const [key] = useState(() => crypto.randomUUID());
  const save = (version = current?.version) =>
    form.submit((v) => (current && version ? io.replace(v, current.id, version) : io.create(v, key)), onSaved);
  const theirs = async () => {
    if (!current) return;
    const latest = await data(io.get(current.id));
    setCurrent(latest);
    form.reset(valuesOf(latest));
  };
  return { form, current, save, theirs };
}
export type RecordForm<E extends Rec, V extends Values> = ReturnType<typeof useRecordForm<E, V>>;

/** The editor of a record: its fields (children), why it was not saved, save, and delete for one that exists. */
export function RecordEditor<E extends Rec, V extends Values>({
  title,
  zone,
  rf,
  onBack,
  deletion,
  children,
}: {
  title: string;
  zone: string;
  rf: RecordForm<E, V>;
  onBack(): void;
  deletion?: { what: string; remove(e: E): Promise<Outcome<unknown>>; onDeleted(): void };
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { form, current } = rf;
  return (
    <Editor title={title} record={current} zone={zone} onBack={onBack}>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void rf.save();
        }}
      >
        {children}
        <FormProblem form={form} zone={zone} onOverwrite={(v) => void rf.save(v)} onDiscard={() => void rf.theirs()} />
        <div className="actions form-actions">
          <button type="submit" className="primary" disabled={form.saving}>
            {form.saving ? t('form.saving') : t('form.save')}
          </button>
          {current && deletion && (
            <DeleteButton
              what={deletion.what}
              zone={zone}
              remove={() => deletion.remove(current)}
              onDeleted={deletion.onDeleted}
            />
          )}
        </div>
      </form>
    </Editor>
  );
}

/** Slugs (features, skills) as tags. */
export const Tags = ({ items }: { items: readonly string[] }) => (
  <>
    {items.map((s) => (
      <span key={s} className="tag">
        {s}
      </span>
    ))}
  </>
);

/** In use or archived (rooms and staff): archived ones keep their history and get no sessions. */
export function StatusField<V extends Values & { status: string }>({ form, hint }: { form: Form<V>; hint: string }) {
  const { t } = useTranslation();
  return (
    <Field form={form} name="status" label={t('setup.status.label')} hint={hint}>
      {(props) => (
        <select {...props}>
          <option value="active">{t('setup.status.active')}</option>
          <option value="archived">{t('setup.status.archived')}</option>
        </select>
      )}
    </Field>
  );
}

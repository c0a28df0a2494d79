/**
 * The form helper every page uses: the typed values stay as typed whatever the server
 * answers; a 4xx puts the server's message beside each field it names (the rest above the
 * form), announces it, and moves focus to the first field in error.
 */
import { useCallback, useRef, useState, type ChangeEvent } from 'react';
import { readProblem, type ProblemInfo } from '../api/problem';

export type Values = Record<string, string>;

/** What an openapi-fetch call resolves to: data on success, else the error body and the response. */
export interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface Form<V extends Values> {
  values: V;
  /** the server's last answer when it was an error */
  problem: ProblemInfo | null;
  saving: boolean;
  /** set after a success, until the next edit */
  saved: boolean;
  /** props for an input of field `name` (its `id` is the form's prefix + name) */
  input(name: keyof V & string): {
    id: string;
    name: string;
    value: string;
    onChange(e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>): void;
    'aria-invalid': boolean;
    'aria-describedby'?: string;
  };
  /** the server's message for a field (its path joined with "."), if any */
  error(name: string): string | undefined;
  errorId(name: string): string;
  /** the server's messages about paths no input shows */
  otherErrors(): string[];
  /** runs `send` with the values; on success `onSaved`, on an error the problem, the values kept */
  submit<T>(send: (values: V) => Promise<Outcome<T>>, onSaved?: (data: T) => void): Promise<void>;
  /** sets fields that are not one input each (a group of checkboxes, a list of rows), the server's messages kept */
  set(values: Partial<V>): void;
  /** replaces the values (after loading, or to drop what was typed) */
  reset(values: V): void;
}

export function useForm<V extends Values>(prefix: string, initial: V): Form<V> {
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const shown = useRef(new Set<string>());
  const errorId = (name: string) => `${prefix}-${name}-error`;
  const error = (name: string) => problem?.fields[name];

  const input: Form<V>['input'] = (name) => {
    shown.current.add(name);
    const message = error(name);
    return {
      id: `${prefix}-${name}`,
      name,
      value: values[name] as string,
      onChange: (e) => {
        setValues((v) => ({ ...v, [name]: e.target.value }));
        setSaved(false);
      },
      'aria-invalid': Boolean(message),
      ...(message ? { 'aria-describedby': errorId(name) } : {}),
    };
  };

  const submit = useCallback(
    async <T>(send: (values: V) => Promise<Outcome<T>>, onSaved?: (data: T) => void) => {
      setSaving(true);
      setSaved(false);
      try {
        const out = await send(values);
        if (out.response.ok) {
          setProblem(null);
          setSaved(true);
          onSaved?.(out.data as T);
          return;
        }
        const p = readProblem(out.response.status, out.error);
        setProblem(p);
        const first = Object.keys(p.fields).find((k) => shown.current.has(k));
        if (first) document.getElementById(`${prefix}-${first}`)?.focus();
      } catch {
        // the network, not the server: nothing was sent back, the values stay
        setProblem({ status: 0, detail: '', fields: {} });
      } finally {
        setSaving(false);
      }
    },
    [values, prefix],
  );

  return {
    values,
    problem,
    saving,
    saved,
    input,
    error,
    errorId,
    otherErrors: () =>
      Object.entries(problem?.fields ?? {})
        .filter(([k]) => !shown.current.has(k))
        .map(([k, m]) => `${k}: ${m}`),
    submit,
    set: (v) => {
      setValues((old) => ({ ...old, ...v }));
      setSaved(false);
    },
    reset: (v) => {
      setValues(v);
      setProblem(null);
    },
  };
}

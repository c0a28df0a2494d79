/**
 * The set-up forms' values are the strings typed (useForm); these turn them into the API's
 * bodies (lists, numbers, rows of a list) and the server's messages about an item of a list
 * back into a message beside the control that shows the list. Pure.
 */
import type { ChangeEvent } from 'react';
import type { Form, Outcome, Values } from '../../forms/useForm';

type Path = Array<string | number>;

/** "street-dance, chess  choir" → ["street-dance", "chess", "choir"] (commas, 、 and spaces separate). */
export const splitList = (text: string): string[] => text.split(/[\s,，、;；]+/).filter(Boolean);
export const joinList = (items: readonly string[]): string => items.join(', ');

/** A number typed, or NaN for anything else (sent as null, which the server names beside the field). */
export const toNumber = (text: string): number => (text.trim() === '' ? NaN : Number(text));

/** A date typed, or null when left empty. */
export const orNull = (text: string): string | null => text || null;

/** Sets a value the way typing does (for controls that are not one input: the week grid, rows added). */
export const setValue = <V extends Values>(form: Form<V>, name: keyof V & string, value: string) =>
  form.input(name).onChange({ target: { value } } as ChangeEvent<HTMLInputElement>);

// ---------------------------------------------------------------- rows of a list, flattened
/** The values of a list's rows, kept as "holidays.0.start", "holidays.0.end", … (the server's paths). */
export function rowsOf(values: Values, list: string, cols: readonly string[]): Array<Record<string, string>> {
  const count = Object.keys(values).filter((k) => k.startsWith(`${list}.`) && k.endsWith(`.${cols[0]}`)).length;
  return Array.from({ length: count }, (_, i) => Object.fromEntries(cols.map((c) => [c, values[`${list}.${i}.${c}`] ?? ''])));
}

/** The values with the list's rows replaced by `rows`. */
export function withRows<V extends Values>(values: V, list: string, rows: ReadonlyArray<Record<string, string>>): V {
  const rest = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith(`${list}.`)));
  rows.forEach((row, i) => Object.entries(row).forEach(([c, v]) => (rest[`${list}.${i}.${c}`] = v)));
  return rest as V;
}

// ---------------------------------------------------------------- the server's messages
/** How to read a message's path: a new path (and message) for useForm, or unchanged. */
export type Fold = (path: Path, message: string) => { path: Path; message: string } | undefined;

/** The error answer with each message's path folded (the first fold that applies wins). */
export function foldErrors<T>(out: Outcome<T>, ...folds: Fold[]): Outcome<T> {
  const body = out.error as { errors?: Array<{ path?: unknown; message?: unknown }> } | undefined;
  if (out.response.ok || !Array.isArray(body?.errors)) return out;
  const errors = body.errors.map((e) => {
    if (!Array.isArray(e.path) || typeof e.message !== 'string') return e;
    for (const fold of folds) {
      const folded = fold(e.path as Path, e.message);
      if (folded) return folded;
    }
    return e;
  });
  return { ...out, error: { ...body, errors } };
}

/** A message about a part of `name` (path [name, …rest]) goes beside `name`'s control, the part named by `which`. */
export const into =
  (name: string, which: (rest: Path) => string): Fold =>
  (path, message) =>
    path[0] === name && path.length > 1 ? { path: [name], message: `${which(path.slice(1))}: ${message}` } : undefined;

/** A message about item i of the list `name` goes beside the list's one input, naming the item. */
export const itemOf = (name: string, items: readonly string[]): Fold =>
  into(name, ([i]) => `“${typeof i === 'number' ? (items[i] ?? i) : i}”`);

/** A message about a whole row of `list` goes beside the row's `col`. */
export const rowAt =
  (list: string, col: string): Fold =>
  (path, message) =>
    path[0] === list && path.length === 2 ? { path: [list, path[1]!, col], message } : undefined;

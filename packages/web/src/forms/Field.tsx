/** A labelled input with its hint and the server's message beside it. */
import type { ReactNode } from 'react';
import type { Form, Values } from './useForm';

export function Field<V extends Values>({
  form,
  name,
  label,
  hint,
  children,
  ...rest
}: {
  form: Form<V>;
  name: keyof V & string;
  label: string;
  hint?: string;
  /** a <select> or other control instead of an <input>: given the input props */
  children?: (props: ReturnType<Form<V>['input']>) => ReactNode;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, 'form' | 'name' | 'children'>) {
  const props = form.input(name);
  const message = form.error(name);
  const hintId = hint ? `${props.id}-hint` : undefined;
  const describedBy = [hintId, props['aria-describedby']].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={props.id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children ? (
        children({ ...props, 'aria-describedby': describedBy })
      ) : (
        <input {...rest} {...props} aria-describedby={describedBy} />
      )}
      {message && (
        <p className="field-error" id={form.errorId(name)}>
          {message}
        </p>
      )}
    </div>
  );
}

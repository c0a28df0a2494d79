/**
 * Below a form: why it was not saved (announced), or that it was. A stale version's 409 says
 * who changed the record and when (in the school's zone) and offers to save what was typed
 * over it or to drop it and load theirs; other problems show the server's words, and its
 * messages about fields no input shows.
 */
import { useTranslation } from 'react-i18next';
import type { Form, Values } from '../forms/useForm';
import { formatInstant } from '../time';

export function FormProblem<V extends Values>({
  form,
  zone,
  onOverwrite,
  onDiscard,
  others = form.otherErrors(),
}: {
  form: Form<V>;
  /** the school's zone, for when the record was changed */
  zone: string;
  /** saves what was typed over the record at this version */
  onOverwrite: (version: number) => void;
  /** drops what was typed and loads the record as it is now */
  onDiscard: () => void;
  /** the server's messages about fields no input shows (default: the form's own account) */
  others?: string[];
}) {
  const { t, i18n } = useTranslation();
  const conflict = form.problem?.reason === 'version' ? form.problem.current : undefined;
  return (
    <>
      <div role="alert" className="form-problem">
        {conflict ? (
          <>
            <p>
              {t('form.conflict', {
                who: conflict.updatedBy,
                when: formatInstant(conflict.updatedAt, zone, i18n.language),
                version: conflict.version,
              })}
            </p>
            <div className="actions">
              <button type="button" onClick={() => onOverwrite(conflict.version)}>
                {t('form.overwrite')}
              </button>
              <button type="button" onClick={onDiscard}>
                {t('form.discard')}
              </button>
            </div>
          </>
        ) : form.problem ? (
          <>
            <p>{form.problem.status ? t('form.problem', { detail: form.problem.detail }) : t('form.offline')}</p>
            {others.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </>
        ) : null}
      </div>
      <p role="status" className="form-saved">
        {form.saved ? t('form.saved') : ''}
      </p>
    </>
  );
}

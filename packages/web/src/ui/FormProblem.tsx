/**
 * Why a form was not saved, announced: a stale version's 409 says who changed the record and
 * when (in the school's zone), and offers to save over it or to load theirs; any other answer
 * gives the server's words, and its messages about fields the form does not show.
 */
import { useTranslation } from 'react-i18next';
import type { Form, Values } from '../forms/useForm';
import { formatInstant } from '../time';

export function FormProblem<V extends Values>({
  form,
  zone,
  onOverwrite,
  onDiscard,
}: {
  form: Form<V>;
  zone: string;
  /** save again, over the version now stored */
  onOverwrite(version: number): void;
  /** drop what was typed and load the record as stored now */
  onDiscard(): void;
}) {
  const { t, i18n } = useTranslation();
  const conflict = form.problem?.reason === 'version' ? form.problem.current : undefined;
  return (
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
          {form.otherErrors().map((m) => (
            <p key={m}>{m}</p>
          ))}
        </>
      ) : null}
    </div>
  );
}

/** A question before something that cannot be undone (a delete): modal, focus on "cancel". */
import type { ReactNode, RefObject } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export function Confirm({
  dialog,
  title,
  children,
  action,
  onConfirm,
}: {
  /** open it with dialog.current.showModal() */
  dialog: RefObject<HTMLDialogElement | null>;
  title: string;
  children?: ReactNode;
  /** the button that does it */
  action: string;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <dialog ref={dialog} aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{title}</h3>
      {children}
      <div className="actions">
        <button type="button" autoFocus onClick={() => dialog.current?.close()}>
          {t('cancel')}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            dialog.current?.close();
            onConfirm();
          }}
        >
          {action}
        </button>
      </div>
    </dialog>
  );
}

/** Publishing the draft, after a confirmation: teachers' rosters, calendar feeds and parents' times follow it. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data } from '../../api/client';
import { reloadTimetable, TT, type Summary, type Where } from './api';

export function Publish({ w, draft, onPublished }: { w: Where; draft: Summary; onPublished: (number: number) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const confirm = useRef<HTMLDialogElement>(null);
  const publish = useMutation({
    mutationFn: () =>
      data(
        api().POST(`${TT}/publish`, {
          params: { path: w, header: { 'Idempotency-Key': crypto.randomUUID() } },
          body: { version: draft.version },
        }),
      ),
    onSuccess: async (published) => {
      onPublished(published.number);
      await reloadTimetable(queries, w);
    },
    onError: () => void reloadTimetable(queries, w),
  });
  const why = publish.error instanceof ApiError ? publish.error.problem.detail : publish.error?.message;

  return (
    <div className="publish">
      <p className="hint" id="tt-publish-hint">
        {t('timetable.publish.hint')}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          aria-describedby="tt-publish-hint"
          disabled={publish.isPending}
          onClick={() => confirm.current?.showModal()}
        >
          {publish.isPending ? t('timetable.publish.publishing') : t('timetable.publish.button')}
        </button>
      </div>
      <div role="alert" className="error">
        {publish.error && <p>{t('timetable.publish.failed', { why })}</p>}
      </div>
      <dialog ref={confirm} aria-labelledby="tt-publish-h" aria-describedby="tt-publish-d">
        <h2 id="tt-publish-h">{t('timetable.publish.confirmTitle', { number: draft.number })}</h2>
        <p id="tt-publish-d">{t('timetable.publish.confirmText')}</p>
        <form method="dialog" className="actions">
          <button type="submit" value="cancel" autoFocus>
            {t('cancel')}
          </button>
          <button type="submit" value="publish" className="primary" onClick={() => publish.mutate()}>
            {t('timetable.publish.confirm')}
          </button>
        </form>
      </dialog>
    </div>
  );
}

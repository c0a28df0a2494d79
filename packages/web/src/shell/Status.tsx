/** How a page says it is loading, or why it could not. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t('loading')}</p>;
}

export function LoadError({ error }: { error: Error }) {
  const { t } = useTranslation();
  const detail = error instanceof ApiError ? error.problem.detail : '';
  return (
    <p role="alert" className="error">
      {t('error.load')} {detail}
    </p>
  );
}

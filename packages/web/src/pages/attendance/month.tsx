/** What the hours pages share: the month shown (`?month=`, this month by default), its picker, a CSV download. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { zoneOf, type School } from '../../api/client';
import { PATHS } from '../../paths';
import { navigate, useSearch } from '../../router';
import { todayIn } from '../../time';

export const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The month asked for, or this month in the school's zone. */
export const useMonth = (school: School) =>
  new URLSearchParams(useSearch()).get('month') ?? todayIn(zoneOf(school), new Date()).slice(0, 7);

export function MonthForm({ month }: { month: string }) {
  const { t } = useTranslation();
  return (
    <form
      className="actions"
      onSubmit={(e) => {
        e.preventDefault();
        navigate(`${PATHS.hours}?month=${String(new FormData(e.currentTarget).get('month'))}`);
      }}
    >
      <label>
        {t('attendance.hours.month')} <input type="month" name="month" defaultValue={month} required />
      </label>
      <button type="submit">{t('attendance.hours.show')}</button>
    </form>
  );
}

/** Saves a file the API answers; `failed` says (role=alert) when it could not. */
export function useDownload() {
  const [failed, setFailed] = useState(false);
  const download = async (fetchFile: () => Promise<Blob>, name: string) => {
    setFailed(false);
    try {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(await fetchFile());
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch {
      setFailed(true);
    }
  };
  return { failed, download };
}

export function DownloadFailed({ failed }: { failed: boolean }) {
  const { t } = useTranslation();
  return (
    <p role="alert" className="error">
      {failed ? t('attendance.hours.csvFailed') : ''}
    </p>
  );
}

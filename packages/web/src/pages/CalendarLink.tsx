/**
 * The calendar subscription link. The API keeps only a fingerprint of it, so it cannot show
 * an existing link: asking makes a new one and the one before stops working. So nothing is
 * asked on a visit: the user asks; the link is then kept for this tab (sessionStorage) so
 * coming back to the page does not replace it; making a new one asks for confirmation.
 */
import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, type FeedLink, type School } from '../api/client';
import { LoadError } from '../shell/Status';
import { QrCode } from './QrCode';

const KEY = 'kehou.feeds';
const stored = (): FeedLink[] | null => JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as FeedLink[] | null;

export function CalendarLink({ schools }: { schools: ReadonlyMap<string, School> }) {
  const { t } = useTranslation();
  const [links, setLinks] = useState(stored);
  const [announce, setAnnounce] = useState('');
  const confirm = useRef<HTMLDialogElement>(null);
  const rotate = useMutation({
    mutationFn: () => data(api().POST('/me/calendar-feeds')),
    onSuccess: ({ items }) => {
      sessionStorage.setItem(KEY, JSON.stringify(items));
      setAnnounce(links ? t('calendar.rotated') : t('calendar.shown'));
      setLinks(items);
    },
  });
  const copy = (url: string) =>
    navigator.clipboard.writeText(url).then(
      () => setAnnounce(t('calendar.copied')),
      () => setAnnounce(t('calendar.copyFailed')),
    );

  return (
    <section className="card" aria-labelledby="calendar-h">
      <h2 id="calendar-h">{t('calendar.title')}</h2>
      <p>{t('calendar.about')}</p>
      {!links && (
        <>
          <p className="hint" id="calendar-get-hint">
            {t('calendar.getHint')}
          </p>
          <button
            type="button"
            className="primary"
            aria-describedby="calendar-get-hint"
            disabled={rotate.isPending}
            onClick={() => rotate.mutate()}
          >
            {t('calendar.get')}
          </button>
        </>
      )}
      {links?.map((l) => (
        <div key={l.schoolId} className="feed">
          {links.length > 1 && <h3>{schools.get(l.schoolId)?.name ?? l.schoolId}</h3>}
          <label htmlFor={`feed-${l.schoolId}`}>{t('calendar.link')}</label>
          <input id={`feed-${l.schoolId}`} className="feed-url" readOnly value={l.url} onFocus={(e) => e.target.select()} />
          <div className="actions">
            {'clipboard' in navigator && (
              <button type="button" onClick={() => void copy(l.url)}>
                {t('calendar.copy')}
              </button>
            )}
            <a className="button" href={l.url.replace(/^https?:/, 'webcal:')}>
              {t('calendar.open')}
            </a>
          </div>
          <QrCode text={l.url} label={t('calendar.qr')} />
        </div>
      ))}
      {links && (
        <button type="button" disabled={rotate.isPending} onClick={() => confirm.current?.showModal()}>
          {t('calendar.rotate')}
        </button>
      )}
      {rotate.error && <LoadError error={rotate.error} />}
      <p role="status" className="visually-hidden">
        {announce}
      </p>
      <dialog ref={confirm} aria-labelledby="rotate-h" aria-describedby="rotate-d">
        <h3 id="rotate-h">{t('calendar.rotateTitle')}</h3>
        <p id="rotate-d">{t('calendar.rotateWarning')}</p>
        <form method="dialog" className="actions">
          <button type="submit" value="cancel" autoFocus>
            {t('cancel')}
          </button>
          <button type="submit" value="rotate" className="danger" onClick={() => rotate.mutate()}>
            {t('calendar.rotateConfirm')}
          </button>
        </form>
      </dialog>
    </section>
  );
}

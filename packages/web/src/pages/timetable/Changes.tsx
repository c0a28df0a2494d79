/**
 * What a publication changed since the one before, in words, and as a notice ready to copy
 * and send to parents and staff. Names come from the version and from the one it was based on
 * (a removed session is only in the latter).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { useChanges, useVersion, type Where } from './api';
import { changeLine, changesNotice, namesOf, sortChanges } from './words';

export function Changes({
  id,
  w,
  number,
  term,
  zone,
  focus = false,
}: {
  /** prefix of the ids of its elements */
  id: string;
  /** takes the focus when it appears (just published: the button that published is gone) */
  focus?: boolean;
  w: Where;
  number: number;
  term: string;
  zone: string;
}) {
  const { t, i18n } = useTranslation();
  const version = useVersion(w, number);
  const before = useVersion(w, version.data?.basedOn ?? null);
  const changes = useChanges(w, version.data?.publishedAt ? number : null);
  const [announce, setAnnounce] = useState('');
  const v = version.data;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);

  const body = () => {
    const error = version.error ?? changes.error ?? before.error;
    if (error) return <LoadError error={error} />;
    if (!v) return <Loading />;
    if (!v.publishedAt) return <p>{t('timetable.changes.notPublished')}</p>;
    if (!changes.data || (v.basedOn !== null && !before.data)) return <Loading />;
    const names = namesOf([v.sessions, before.data?.sessions ?? []], i18n.language);
    const counts = v.changeCounts ?? { added: changes.data.length, moved: 0, removed: 0 };
    const notice = changesNotice(
      { term, number, when: formatInstant(v.publishedAt, zone, i18n.language) },
      changes.data,
      names,
      t,
    );
    const copy = () =>
      navigator.clipboard.writeText(notice).then(
        () => setAnnounce(t('timetable.changes.copied')),
        () => setAnnounce(t('timetable.changes.copyFailed')),
      );
    return (
      <>
        <p>
          {changes.data.length === 0
            ? t('timetable.changes.none')
            : counts.moved === 0 && counts.removed === 0 && v.basedOn === null
              ? t('timetable.changes.first', { count: counts.added })
              : t('timetable.changes.counts', counts)}
        </p>
        {changes.data.length > 0 && (
          <>
            <ul className="changes">
              {sortChanges(changes.data).map((c) => (
                <li key={c.sessionId} className={c.kind}>
                  {changeLine(c, names, t)}
                </li>
              ))}
            </ul>
            <div className="field">
              <label htmlFor={`${id}-notice`}>{t('timetable.changes.notice')}</label>
              <textarea
                id={`${id}-notice`}
                className="notice"
                readOnly
                rows={Math.min(12, changes.data.length + 2)}
                value={notice}
                onFocus={(e) => e.target.select()}
              />
            </div>
            {'clipboard' in navigator && (
              <div className="actions">
                <button type="button" onClick={() => void copy()}>
                  {t('timetable.changes.copy')}
                </button>
              </div>
            )}
          </>
        )}
        <p role="status" className="visually-hidden">
          {announce}
        </p>
      </>
    );
  };

  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} tabIndex={-1} ref={heading}>
        {t('timetable.changes.title', { number })}
      </h2>
      {body()}
    </section>
  );
}

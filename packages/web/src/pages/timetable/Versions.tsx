/** Every version of the term, the latest first: who made and published it, when; one opens read-only below. */
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { useVersions, type Where } from './api';

export function Versions({
  w,
  zone,
  opened,
  onOpen,
}: {
  w: Where;
  zone: string;
  opened: number | null;
  onOpen: (number: number | null) => void;
}) {
  const { t, i18n } = useTranslation();
  const versions = useVersions(w);
  const when = (iso: string) => formatInstant(iso, zone, i18n.language);
  return (
    <section className="card" aria-labelledby="tt-versions-h">
      <h2 id="tt-versions-h">{t('timetable.versions.title')}</h2>
      {versions.error ? (
        <LoadError error={versions.error} />
      ) : !versions.data ? (
        <Loading />
      ) : versions.data.length === 0 ? (
        <p>{t('timetable.versions.none')}</p>
      ) : (
        <>
          <p className="hint">{t('timetable.versions.readOnly')}</p>
          <ul className="plain versions">
            {versions.data.map((v) => (
              <li key={v.number}>
                <p>
                  <strong>
                    {t('timetable.versions.item', {
                      number: v.number,
                      status: t(`timetable.versions.status.${v.status}`),
                      count: v.sessionCount,
                    })}
                  </strong>
                </p>
                <p className="hint">
                  {v.publishedAt && v.publishedBy
                    ? t('timetable.versions.publishedBy', { who: v.publishedBy, when: when(v.publishedAt) })
                    : t('timetable.versions.changedBy', { who: v.updatedBy, when: when(v.updatedAt) })}
                </p>
                <button
                  type="button"
                  aria-expanded={opened === v.number}
                  aria-controls={opened === v.number ? 'tt-opened' : undefined}
                  onClick={() => onOpen(opened === v.number ? null : v.number)}
                >
                  {t(opened === v.number ? 'timetable.versions.close' : 'timetable.versions.open', { number: v.number })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

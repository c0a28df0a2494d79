/** A page about one term of the school (`?term=`): the choice of term, then what is shown of it. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import type { Term } from '../people/types';
import { useTerm } from '../people/TermChoice';

export function TermSelect({
  id,
  schoolId,
  zone,
  asked,
  onChange,
  children,
}: {
  id: string;
  schoolId: string;
  zone: string;
  /** the term asked for (the URL's); else the one today is in, else the latest */
  asked: string | null;
  onChange: (termId: string) => void;
  children: (term: Term) => ReactNode;
}) {
  const { t } = useTranslation();
  const { terms, term } = useTerm(schoolId, zone, asked);
  if (terms.error) return <LoadError error={terms.error} />;
  if (!terms.data) return <Loading />;
  if (!term) return <p>{t('family.admin.noTerm')}</p>;
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{t('family.admin.term')}</label>
        <select id={id} value={term.id} onChange={(e) => onChange(e.target.value)}>
          {terms.data.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      {children(term)}
    </>
  );
}

/** A part of a page that is about one term (clubs, their import): the term chosen, and the choice. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import { todayIn } from '../../time';
import { defaultTerm } from './clubValues';
import { useTerms } from './queries';
import type { Term } from './types';

/** The school's terms, and the one shown: the one asked for (the URL's `term`), else the one today is in, else the latest. */
export function useTerm(schoolId: string, zone: string, asked: string | null) {
  const terms = useTerms(schoolId);
  const term = terms.data?.find((x) => x.id === asked) ?? defaultTerm(terms.data ?? [], todayIn(zone, new Date()));
  return { terms, term };
}

/** The term's select (once the terms are read), then what is shown of the term. */
export function TermChoice({
  id,
  chosen: { terms, term },
  onChange,
  none,
  children,
}: {
  id: string;
  chosen: ReturnType<typeof useTerm>;
  onChange: (termId: string) => void;
  /** what to say when the school has no term (default: add one, then clubs) */
  none?: string;
  children: (term: Term) => ReactNode;
}) {
  const { t } = useTranslation();
  if (terms.error) return <LoadError error={terms.error} />;
  if (!terms.data) return <Loading />;
  if (!term) return <p>{none ?? t('people.clubs.noTerm')}</p>;
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{t('people.clubs.term')}</label>
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

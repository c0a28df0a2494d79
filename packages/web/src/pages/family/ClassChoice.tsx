/**
 * The class a page shows (its grade and homeroom, and a date where the page asks one), typed
 * here and kept in the page's URL (`?date=&grade=&homeroom=`), so a link or a reload shows it again.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../router';
import { useGrades } from '../people/queries';
import { Choose } from './Choose';

export function ClassChoice({
  id,
  schoolId,
  path,
  asked,
  submit,
}: {
  id: string;
  schoolId: string;
  /** the page's path */
  path: string;
  /** what the URL asks now: grade and homeroom, and a date if the page has one */
  asked: { grade: string; homeroom: string; date?: string };
  submit: string;
}) {
  const { t } = useTranslation();
  const grades = useGrades(schoolId);
  const [typed, setTyped] = useState(asked);
  return (
    <form
      className="filters no-print"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        navigate(`${path}?${new URLSearchParams(typed).toString()}`);
      }}
    >
      {typed.date !== undefined && (
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('family.dismissal.date')}</label>
          <input
            id={`${id}-date`}
            type="date"
            value={typed.date}
            onChange={(e) => setTyped({ ...typed, date: e.target.value })}
          />
        </div>
      )}
      <Choose
        id={`${id}-grade`}
        label={t('family.admin.grade')}
        value={typed.grade}
        empty={t('people.choose')}
        options={(grades.data ?? []).map((g) => [String(g.level), g.name] as const)}
        onChange={(grade) => setTyped({ ...typed, grade })}
      />
      <div className="field">
        <label htmlFor={`${id}-homeroom`}>{t('family.admin.homeroomField')}</label>
        <input
          id={`${id}-homeroom`}
          value={typed.homeroom}
          maxLength={20}
          onChange={(e) => setTyped({ ...typed, homeroom: e.target.value })}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          {submit}
        </button>
      </div>
    </form>
  );
}

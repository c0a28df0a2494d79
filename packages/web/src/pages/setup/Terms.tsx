/**
 * The school's terms (admins): first and last day, holidays (days without school, both ends
 * inclusive) and make-up days (调休: a weekend day that runs a weekday's timetable).
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, zoneOf } from '../../api/client';
import type { paths } from '../../api/schema';
import { Field } from '../../forms/Field';
import type { Form } from '../../forms/useForm';
import type { PageProps } from '../../routes';
import { GRID_DAYS } from './availability';
import { allPages, RecordEditor, SetupPage, useRecordForm } from './common';
import { foldErrors, rowAt, rowsOf, setValue, withRows } from './fields';

type Term = paths['/schools/{schoolId}/terms/{termId}']['get']['responses'][200]['content']['application/json'];

const LISTS = {
  holidays: ['name', 'start', 'end'],
  makeUpDays: ['date', 'runsAs', 'name'],
} as const;
type List = keyof typeof LISTS;
const EMPTY: Record<List, Record<string, string>> = {
  holidays: { name: '', start: '', end: '' },
  makeUpDays: { date: '', runsAs: 'MON', name: '' },
};

const valuesOf = (term: Term | null) => {
  const base = { name: term?.name ?? '', startDate: term?.startDate ?? '', endDate: term?.endDate ?? '' };
  const holidays = (term?.holidays ?? []).map((h) => ({ name: h.name, start: h.start, end: h.end }));
  const makeUpDays = (term?.makeUpDays ?? []).map((m) => ({ date: m.date, runsAs: m.runsAs, name: m.name ?? '' }));
  return withRows(withRows<Record<string, string>>(base, 'holidays', holidays), 'makeUpDays', makeUpDays) as typeof base &
    Record<string, string>;
};
type Values = ReturnType<typeof valuesOf>;

const bodyOf = (v: Values) => ({
  name: v.name,
  startDate: v.startDate,
  endDate: v.endDate,
  holidays: rowsOf(v, 'holidays', LISTS.holidays).map((h) => ({ name: h.name!, start: h.start!, end: h.end! })),
  makeUpDays: rowsOf(v, 'makeUpDays', LISTS.makeUpDays).map((m) => ({
    date: m.date!,
    runsAs: m.runsAs as (typeof GRID_DAYS)[number],
    ...(m.name ? { name: m.name } : {}),
  })),
});

export default function Terms({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school!.id;
  const zone = zoneOf(ctx.school);
  const sep = t('listSeparator');
  return (
    <SetupPage<Term>
      title={t('setup.terms.title')}
      intro={t('setup.terms.intro')}
      newLabel={t('setup.terms.new')}
      filterLabel={t('setup.terms.filter')}
      queryKey={['terms', schoolId]}
      load={() => allPages((query) => api().GET('/schools/{schoolId}/terms', { params: { path: { schoolId }, query } }))}
      sort={(a, b) => b.startDate.localeCompare(a.startDate)}
      nameOf={(term) => term.name}
      matches={(term, text) => term.name.toLowerCase().includes(text)}
      columns={[
        { label: t('setup.terms.name'), cell: (term) => term.name },
        { label: t('setup.terms.dates'), cell: (term) => `${term.startDate} – ${term.endDate}` },
        {
          label: t('setup.terms.holidays'),
          cell: (term) =>
            term.holidays.map((h) => `${h.name} ${h.start === h.end ? h.start : `${h.start} – ${h.end}`}`).join(sep),
        },
        {
          label: t('setup.terms.makeUpDays'),
          cell: (term) =>
            term.makeUpDays.map((m) => t('setup.terms.runsAsDay', { date: m.date, day: t(`setup.days.${m.runsAs}`) })).join(sep),
        },
      ]}
      editor={(term, done, cancel) => <TermForm schoolId={schoolId} zone={zone} term={term} done={done} cancel={cancel} />}
    />
  );
}

function TermForm({
  schoolId,
  zone,
  term,
  done,
  cancel,
}: {
  schoolId: string;
  zone: string;
  term: Term | null;
  done(message: string): void;
  cancel(): void;
}) {
  const { t } = useTranslation();
  const item = (termId: string) => ({ params: { path: { schoolId, termId } } });
  // a message about a whole holiday ("must lie inside the term") goes beside its first day
  const fold = rowAt('holidays', 'start');
  const rf = useRecordForm(
    'term',
    term,
    valuesOf,
    {
      create: (v, key) =>
        api()
          .POST('/schools/{schoolId}/terms', {
            params: { path: { schoolId }, header: { 'Idempotency-Key': key } },
            body: bodyOf(v),
          })
          .then((out) => foldErrors(out, fold)),
      replace: (v, termId, version) =>
        api()
          .PUT('/schools/{schoolId}/terms/{termId}', { ...item(termId), body: { ...bodyOf(v), version } })
          .then((out) => foldErrors(out, fold)),
      get: (termId) => api().GET('/schools/{schoolId}/terms/{termId}', item(termId)),
    },
    (saved) => done(t('setup.saved', { what: t('setup.terms.what', { name: saved.name }) })),
  );
  const { form, current } = rf;
  const title = current ? t('setup.editTitle', { what: t('setup.terms.what', { name: current.name }) }) : t('setup.terms.new');
  return (
    <RecordEditor title={title} zone={zone} rf={rf} onBack={cancel}>
      <Field form={form} name="name" label={t('setup.terms.name')} required maxLength={60} />
      <Field form={form} name="startDate" label={t('setup.terms.startDate')} type="date" required />
      <Field form={form} name="endDate" label={t('setup.terms.endDate')} type="date" required />
      <Rows form={form} list="holidays" hint={t('setup.terms.holidaysHint')}>
        {(i) => (
          <>
            <Field form={form} name={`holidays.${i}.name`} label={t('setup.terms.holidayName')} maxLength={60} />
            <Field form={form} name={`holidays.${i}.start`} label={t('setup.terms.from')} type="date" />
            <Field form={form} name={`holidays.${i}.end`} label={t('setup.terms.to')} type="date" />
          </>
        )}
      </Rows>
      <Rows form={form} list="makeUpDays" hint={t('setup.terms.makeUpDaysHint')}>
        {(i) => (
          <>
            <Field form={form} name={`makeUpDays.${i}.date`} label={t('setup.terms.date')} type="date" />
            <Field form={form} name={`makeUpDays.${i}.runsAs`} label={t('setup.terms.runsAs')}>
              {(props) => (
                <select {...props}>
                  {GRID_DAYS.map((d) => (
                    <option key={d} value={d}>
                      {t(`setup.days.${d}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field form={form} name={`makeUpDays.${i}.name`} label={t('setup.terms.makeUpName')} maxLength={60} />
          </>
        )}
      </Rows>
    </RecordEditor>
  );
}

/** The rows of a list (holidays, make-up days): each with its fields and a button that removes it; a button adds one. */
function Rows({
  form,
  list,
  hint,
  children,
}: {
  form: Form<Values>;
  list: List;
  hint: string;
  children(i: number): React.ReactNode;
}) {
  const { t } = useTranslation();
  const rows = rowsOf(form.values, list, LISTS[list]);
  const focus = useRef<string | null>(null);
  const addId = `term-${list}-add`;
  useEffect(() => {
    if (focus.current) document.getElementById(focus.current)?.focus();
    focus.current = null;
  }, [rows.length]);
  const add = () => {
    const i = rows.length;
    for (const [c, value] of Object.entries(EMPTY[list])) setValue(form, `${list}.${i}.${c}`, value);
    focus.current = `term-${list}.${i}.${LISTS[list][0]}`;
  };
  // the rows after it move up: what the server said of them no longer fits, so it is dropped
  const remove = (i: number) => {
    form.reset(withRows(form.values, list, rows.toSpliced(i, 1)));
    focus.current = addId;
  };
  return (
    <fieldset>
      <legend>{t(`setup.terms.${list}`)}</legend>
      <p className="hint">{hint}</p>
      {rows.length > 0 && (
        <ol className="row-list">
          {rows.map((_, i) => (
            <li key={i}>
              {children(i)}
              <div className="field">
                <button type="button" aria-label={t(`setup.terms.remove_${list}`, { n: i + 1 })} onClick={() => remove(i)}>
                  {t('setup.terms.remove')}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <div className="actions">
        <button type="button" id={addId} onClick={add}>
          {t(`setup.terms.add_${list}`)}
        </button>
      </div>
    </fieldset>
  );
}

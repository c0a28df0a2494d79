/**
 * The term's forms, filtered by grade, homeroom, weekday (forms in effect that take the child
 * out that day) and status, as the API filters them (the URL's query holds the filter); a form
 * (`&form=<studentNo>`) shows every version of it: who did what, when, and what was signed.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { Link, navigate } from '../../router';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { Choose } from '../family/Choose';
import { FormHistory } from '../family/FormHistory';
import { FormState } from '../family/FormState';
import { SCHOOL_DAYS, type OptOutForm } from '../family/types';
import { daysText } from '../family/words';
import { useGrades } from '../people/queries';
import type { TabProps } from './OptOuts';
import { ScrollTable } from '../family/ScrollTable';

const STATUSES = ['opted-out', 'withdrawn', 'requested', 'declined'] as const;
const FILTERS = ['grade', 'homeroom', 'day', 'status'] as const;

export function Forms(p: TabProps & { query: URLSearchParams }) {
  const studentNo = p.query.get('form');
  return studentNo ? <FormVersions {...p} studentNo={studentNo} /> : <FormList {...p} />;
}

function FormList({ schoolId, zone, termId, to, query }: TabProps & { query: URLSearchParams }) {
  const { t, i18n } = useTranslation();
  const grades = useGrades(schoolId);
  const filter = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const [typed, setTyped] = useState(filter);
  const forms = useInfiniteQuery({
    queryKey: ['optouts', schoolId, termId, filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/optouts', {
          params: {
            path: { schoolId, termId },
            query: {
              limit: 100,
              ...(filter.grade ? { grade: Number(filter.grade) } : {}),
              ...(filter.grade && filter.homeroom ? { homeroom: filter.homeroom } : {}),
              ...(filter.day ? { day: filter.day as (typeof SCHOOL_DAYS)[number] } : {}),
              ...(filter.status ? { status: filter.status as (typeof STATUSES)[number] } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const items = forms.data?.pages.flatMap((x) => x.items) ?? [];
  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(to(Object.fromEntries(FILTERS.map((k) => [k, typed[k] || null]))));
  };
  const select = (name: 'grade' | 'day' | 'status', label: string, options: ReadonlyArray<readonly [string, string]>) => (
    <Choose
      id={`forms-${name}`}
      label={label}
      value={typed[name]}
      empty={t('family.admin.any')}
      options={options}
      onChange={(v) => setTyped({ ...typed, [name]: v })}
    />
  );
  return (
    <section aria-labelledby="forms-title">
      <h2 id="forms-title">{t('family.admin.forms.title')}</h2>
      <form className="filters" onSubmit={apply} aria-label={t('family.admin.forms.filter')}>
        {select(
          'grade',
          t('family.admin.grade'),
          (grades.data ?? []).map((g) => [String(g.level), g.name]),
        )}
        <div className="field">
          <label htmlFor="forms-homeroom">{t('family.admin.homeroomField')}</label>
          <input
            id="forms-homeroom"
            value={typed.homeroom}
            maxLength={20}
            aria-describedby="forms-homeroom-hint"
            onChange={(e) => setTyped({ ...typed, homeroom: e.target.value })}
          />
          <p className="hint" id="forms-homeroom-hint">
            {t('family.admin.forms.homeroomHint')}
          </p>
        </div>
        {select(
          'day',
          t('family.admin.forms.day'),
          SCHOOL_DAYS.map((d) => [d, t(`family.day.${d}`)]),
        )}
        {select(
          'status',
          t('family.admin.forms.status'),
          STATUSES.map((s) => [s, t(`family.status.${s}`)]),
        )}
        <div className="actions">
          <button type="submit">{t('family.admin.forms.apply')}</button>
        </div>
      </form>
      {forms.error ? (
        <LoadError error={forms.error} />
      ) : !forms.data ? (
        <Loading />
      ) : items.length === 0 && !forms.hasNextPage ? (
        <p>{t('family.admin.forms.none')}</p>
      ) : (
        <ScrollTable caption={t('family.admin.forms.title')}>
          <thead>
            <tr>
              <th scope="col">{t('family.admin.forms.student')}</th>
              <th scope="col">{t('family.admin.class')}</th>
              <th scope="col">{t('family.admin.forms.status')}</th>
              <th scope="col">{t('family.admin.forms.out')}</th>
              <th scope="col">{t('family.admin.forms.reason')}</th>
              <th scope="col">{t('family.admin.forms.changed')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((f) => (
              <tr key={f.studentNo}>
                <th scope="row">
                  <Link to={to({ form: f.studentNo })}>{t('family.child', { name: f.studentName, no: f.studentNo })}</Link>
                </th>
                <td>{t('family.class', { grade: f.gradeLevel, homeroom: f.homeroom })}</td>
                <td>
                  {t(`family.status.${f.status}`)}
                  {f.request?.state === 'pending' && <span className="tag">{t('family.admin.forms.pending')}</span>}
                </td>
                <td>
                  {f.optOut
                    ? `${daysText(t, f.optOut)}${f.optOut.homeworkHelp ? t('family.admin.forms.withHomework') : ''}`
                    : '—'}
                </td>
                <td className="note">{reasonOf(t, f)}</td>
                <td>
                  {t('family.admin.forms.by', {
                    who: f.actor.name ?? f.actor.userId,
                    when: formatInstant(f.updatedAt, zone, i18n.language),
                    version: f.version,
                  })}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      )}
      {forms.hasNextPage && (
        <button type="button" disabled={forms.isFetchingNextPage} onClick={() => void forms.fetchNextPage()}>
          {t('people.more')}
        </button>
      )}
    </section>
  );
}

const reasonOf = (t: (k: string) => string, f: OptOutForm) => {
  const o = f.optOut ?? f.request?.optOut;
  return o ? [t(`family.reason.${o.reason.category}`), o.reason.text].filter(Boolean).join(t('family.admin.forms.colon')) : '—';
};

function FormVersions({ schoolId, zone, termId, to, studentNo }: TabProps & { studentNo: string }) {
  const { t } = useTranslation();
  const form = useQuery({
    queryKey: ['optout', schoolId, termId, studentNo],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/optouts/{studentNo}', {
          params: { path: { schoolId, termId, studentNo } },
        }),
      ),
  });
  return (
    <section aria-labelledby="versions-title">
      <p>
        <Link to={to({ form: null })}>{t('family.admin.forms.back')}</Link>
      </p>
      {form.error ? (
        <LoadError error={form.error} />
      ) : !form.data ? (
        <Loading />
      ) : (
        <>
          <h2 id="versions-title">
            {t('family.admin.forms.versionsOf', {
              child: t('family.child', { name: form.data.studentName, no: form.data.studentNo }),
              room: t('family.class', { grade: form.data.gradeLevel, homeroom: form.data.homeroom }),
            })}
          </h2>
          <FormState form={form.data} name={form.data.studentName} />
          <FormHistory schoolId={schoolId} termId={termId} studentNo={studentNo} zone={zone} />
        </>
      )}
    </section>
  );
}

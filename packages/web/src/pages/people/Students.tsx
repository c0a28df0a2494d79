/**
 * Students and their guardians (admins). The list is the school's, or a grade's (and a
 * class's), a page at a time with the API's cursors (a school has up to 20,000 students); a
 * student is found by number. The URL's query holds what is shown (`?grade=3&homeroom=2`,
 * `?student=20260301`, `?new`), so a link, a reload or Back brings it again.
 */
import './people.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data, zoneOf } from '../../api/client';
import { PATHS } from '../../paths';
import type { PageProps } from '../../routes';
import { Link, navigate, useSearch } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { useGrades } from './queries';
import { pageTrail, withQuery } from './query';
import { StudentDetail, NewStudent } from './StudentDetail';
import type { Grade } from './types';

const PAGE_SIZE = 50;

export default function Students({ ctx }: PageProps) {
  const { t } = useTranslation();
  const search = useSearch();
  const query = new URLSearchParams(search);
  const school = ctx.school!;
  const student = query.get('student');
  const list = withQuery(PATHS.students, query, { student: null, new: null });
  if (student !== null) return <StudentDetail schoolId={school.id} zone={zoneOf(school)} studentNo={student} back={list} />;
  if (query.has('new')) return <NewStudent schoolId={school.id} zone={zoneOf(school)} back={list} />;
  return (
    <Page title={t('people.students.title')}>
      <div className="actions">
        <Link className="button" to={withQuery(PATHS.students, query, { new: '' })}>
          {t('people.students.add')}
        </Link>
        <Link className="button" to={`${PATHS.import}?kind=students`}>
          {t('people.students.import')}
        </Link>
      </div>
      <StudentList schoolId={school.id} query={query} />
    </Page>
  );
}

function StudentList({ schoolId, query }: { schoolId: string; query: URLSearchParams }) {
  const { t } = useTranslation();
  const grades = useGrades(schoolId);
  const grade = query.get('grade') ?? '';
  const homeroom = query.get('homeroom') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const page = useQuery({
    queryKey: ['students', schoolId, grade, homeroom, cursor],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/students', {
          params: {
            path: { schoolId },
            query: {
              limit: PAGE_SIZE,
              ...(grade ? { grade: Number(grade) } : {}),
              ...(grade && homeroom ? { homeroom } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
  });
  const list = `${schoolId}|${grade}|${homeroom}`;
  const trail = pageTrail(list);
  const next = page.data?.next;
  useEffect(() => {
    if (next) pageTrail(list).step(cursor ?? null, next);
  }, [list, cursor, next]);
  const to = (c: string | null | undefined) => withQuery(PATHS.students, query, { cursor: c ?? null });
  const gradeName = (level: number) => grades.data?.find((g) => g.level === level)?.name ?? t('people.grade', { level });

  return (
    <>
      <Filters key={`${grade}|${homeroom}`} grades={grades.data ?? []} grade={grade} homeroom={homeroom} query={query} />
      <FindByNumber query={query} />
      <section aria-labelledby="students-list-h">
        <h2 id="students-list-h">
          {!grade
            ? t('people.students.all')
            : homeroom
              ? t('people.students.ofClass', { grade: gradeName(Number(grade)), homeroom })
              : t('people.students.ofGrade', { grade: gradeName(Number(grade)) })}
        </h2>
        {page.error ? (
          <LoadError error={page.error} />
        ) : !page.data ? (
          <Loading />
        ) : page.data.items.length === 0 ? (
          <p>{cursor ? t('people.students.noMore') : t('people.students.none')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby="students-list-h" tabIndex={0}>
            <table className="list">
              <thead>
                <tr>
                  <th scope="col">{t('people.students.studentNo')}</th>
                  <th scope="col">{t('people.students.name')}</th>
                  <th scope="col">{t('people.students.class')}</th>
                  <th scope="col">{t('people.students.guardians')}</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={withQuery(PATHS.students, query, { student: s.id })}>{s.studentNo}</Link>
                    </td>
                    <td>
                      {s.name}
                      {s.status === 'archived' && <span className="tag">{t('people.students.archived')}</span>}
                    </td>
                    <td>{t('people.students.classOf', { grade: gradeName(s.gradeLevel), homeroom: s.homeroom })}</td>
                    <td>{s.guardianIds.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="actions" aria-label={t('people.pages')}>
          {cursor && <Link to={to(null)}>{t('people.first')}</Link>}
          {cursor && trail.before(cursor) !== undefined && (
            <Link className="button" to={to(trail.before(cursor))}>
              {t('people.previous')}
            </Link>
          )}
          {page.data?.next && (
            <Link className="button" to={to(page.data.next)}>
              {t('people.next')}
            </Link>
          )}
        </nav>
      </section>
    </>
  );
}

function Filters({
  grades,
  grade,
  homeroom,
  query,
}: {
  grades: Grade[];
  grade: string;
  homeroom: string;
  query: URLSearchParams;
}) {
  const { t } = useTranslation();
  const [g, setG] = useState(grade);
  const [h, setH] = useState(homeroom);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery(PATHS.students, query, { grade: g || null, homeroom: g && h.trim() ? h.trim() : null, cursor: null }));
  };
  return (
    <form className="filters" onSubmit={apply} aria-label={t('people.students.filter')}>
      <div className="field">
        <label htmlFor="students-grade">{t('people.students.grade')}</label>
        <select id="students-grade" value={g} onChange={(e) => setG(e.target.value)}>
          <option value="">{t('people.students.allGrades')}</option>
          {grades.map((x) => (
            <option key={x.level} value={String(x.level)}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="students-homeroom">{t('people.students.homeroom')}</label>
        <p className="hint" id="students-homeroom-hint">
          {t('people.students.homeroomHint')}
        </p>
        <input
          id="students-homeroom"
          value={h}
          disabled={!g}
          onChange={(e) => setH(e.target.value)}
          aria-describedby="students-homeroom-hint"
          maxLength={20}
        />
      </div>
      <div className="actions">
        <button type="submit">{t('people.students.apply')}</button>
      </div>
    </form>
  );
}

function FindByNumber({ query }: { query: URLSearchParams }) {
  const { t } = useTranslation();
  const [no, setNo] = useState('');
  return (
    <form
      className="filters"
      role="search"
      aria-label={t('people.students.find')}
      onSubmit={(e) => {
        e.preventDefault();
        if (no.trim()) navigate(withQuery(PATHS.students, query, { student: no.trim() }));
      }}
    >
      <div className="field">
        <label htmlFor="students-find">{t('people.students.findNo')}</label>
        <input id="students-find" value={no} onChange={(e) => setNo(e.target.value)} maxLength={40} inputMode="text" />
      </div>
      <div className="actions">
        <button type="submit">{t('people.students.show')}</button>
      </div>
    </form>
  );
}

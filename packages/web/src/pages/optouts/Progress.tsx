/**
 * Who has not opened or answered the notice, per homeroom (of the school, or of one grade):
 * counts in a table, then each homeroom's children still to chase, by name.
 */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data } from '../../api/client';
import { navigate } from '../../router';
import { LoadError, Loading } from '../../shell/Status';
import { useGrades } from '../people/queries';
import type { TabProps } from './OptOuts';
import { Choose } from '../family/Choose';
import { ScrollTable } from '../family/ScrollTable';

export function Progress({ schoolId, termId, to, query }: TabProps & { query: URLSearchParams }) {
  const { t } = useTranslation();
  const grade = query.get('grade') ?? '';
  const grades = useGrades(schoolId);
  const progress = useQuery({
    queryKey: ['notice-progress', schoolId, termId, grade],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/terms/{termId}/notice/progress', {
          params: { path: { schoolId, termId }, query: grade ? { grade: Number(grade) } : {} },
        }),
      ),
  });
  const gradeName = (level: number) => grades.data?.find((g) => g.level === level)?.name ?? t('people.grade', { level });
  const room = (h: { grade: number; homeroom: string }) =>
    t('family.admin.homeroom', { grade: gradeName(h.grade), homeroom: h.homeroom });
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('family.admin.progress.title')}</h2>
      <p className="hint">{t('family.admin.progress.about')}</p>
      <Choose
        id="progress-grade"
        label={t('family.admin.grade')}
        value={grade}
        empty={t('family.admin.allGrades')}
        options={(grades.data ?? []).map((g) => [String(g.level), g.name] as const)}
        onChange={(v) => navigate(to({ grade: v || null }))}
      />
      {progress.error ? (
        progress.error instanceof ApiError && progress.error.problem.status === 404 ? (
          <p>{t('family.admin.progress.noNotice')}</p>
        ) : (
          <LoadError error={progress.error} />
        )
      ) : !progress.data ? (
        <Loading />
      ) : progress.data.homerooms.length === 0 ? (
        <p>{t('family.admin.progress.noStudents')}</p>
      ) : (
        <>
          <ScrollTable caption={t('family.admin.progress.title')}>
            <thead>
              <tr>
                <th scope="col">{t('family.admin.class')}</th>
                <th scope="col">{t('family.admin.progress.students')}</th>
                <th scope="col">{t('family.admin.progress.opened')}</th>
                <th scope="col">{t('family.admin.progress.answered')}</th>
              </tr>
            </thead>
            <tbody>
              {progress.data.homerooms.map((h) => (
                <tr key={`${h.grade}-${h.homeroom}`}>
                  <th scope="row">{room(h)}</th>
                  <td>{h.students}</td>
                  <td>{h.opened}</td>
                  <td>{h.answered}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
          {progress.data.homerooms
            .filter((h) => h.notOpened.length + h.notAnswered.length > 0)
            .map((h) => (
              <details key={`${h.grade}-${h.homeroom}`} className="history-box">
                <summary>
                  {t('family.admin.progress.chase', {
                    room: room(h),
                    notOpened: h.notOpened.length,
                    notAnswered: h.notAnswered.length,
                  })}
                </summary>
                <h3>{t('family.admin.progress.notOpened')}</h3>
                <p>
                  {h.notOpened.map((c) => t('family.child', { name: c.name, no: c.studentNo })).join(t('listSeparator')) ||
                    t('family.admin.progress.nobody')}
                </p>
                <h3>{t('family.admin.progress.notAnswered')}</h3>
                <p>
                  {h.notAnswered.map((c) => t('family.child', { name: c.name, no: c.studentNo })).join(t('listSeparator')) ||
                    t('family.admin.progress.nobody')}
                </p>
              </details>
            ))}
        </>
      )}
    </section>
  );
}

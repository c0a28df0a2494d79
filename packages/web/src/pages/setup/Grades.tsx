/** The school's grades (admins): dismissal per weekday and homework help, by which clubs start. */
import { useTranslation } from 'react-i18next';
import { api, zoneOf } from '../../api/client';
import type { paths } from '../../api/schema';
import { Field } from '../../forms/Field';
import type { PageProps } from '../../routes';
import { GRID_DAYS } from './availability';
import { allPages, RecordEditor, SetupPage, useRecordForm } from './common';
import { toNumber } from './fields';

type Grade = paths['/schools/{schoolId}/grades/{gradeId}']['get']['responses'][200]['content']['application/json'];

type Dismissal = Record<`dismissal.${(typeof GRID_DAYS)[number]}`, string>;
const valuesOf = (g: Grade | null) => ({
  level: g ? String(g.level) : '',
  name: g?.name ?? '',
  homeworkMinutes: String(g?.homeworkMinutes ?? 30),
  ...(Object.fromEntries(GRID_DAYS.map((d) => [`dismissal.${d}`, g?.dismissal[d] ?? ''])) as Dismissal),
});
type Values = ReturnType<typeof valuesOf>;

const bodyOf = (v: Values) => ({
  level: toNumber(v.level),
  name: v.name,
  homeworkMinutes: toNumber(v.homeworkMinutes),
  dismissal: Object.fromEntries(GRID_DAYS.filter((d) => v[`dismissal.${d}`]).map((d) => [d, v[`dismissal.${d}`]])),
});

export default function Grades({ ctx }: PageProps) {
  const { t } = useTranslation();
  const schoolId = ctx.school!.id;
  const zone = zoneOf(ctx.school);
  return (
    <SetupPage<Grade>
      title={t('setup.grades.title')}
      intro={t('setup.grades.intro')}
      newLabel={t('setup.grades.new')}
      filterLabel={t('setup.grades.filter')}
      queryKey={['grades', schoolId]}
      load={() => allPages((query) => api().GET('/schools/{schoolId}/grades', { params: { path: { schoolId }, query } }))}
      sort={(a, b) => a.level - b.level}
      nameOf={(g) => g.name}
      matches={(g, text) => g.name.toLowerCase().includes(text)}
      columns={[
        { label: t('setup.grades.name'), cell: (g) => g.name },
        { label: t('setup.grades.level'), cell: (g) => g.level },
        ...GRID_DAYS.map((d) => ({
          label: t(`setup.days.${d}`),
          cell: (g: Grade) => g.dismissal[d] ?? t('setup.grades.noService'),
        })),
        { label: t('setup.grades.homework'), cell: (g) => t('setup.minutes', { count: g.homeworkMinutes }) },
      ]}
      editor={(grade, done, cancel) => <GradeForm schoolId={schoolId} zone={zone} grade={grade} done={done} cancel={cancel} />}
    />
  );
}

function GradeForm({
  schoolId,
  zone,
  grade,
  done,
  cancel,
}: {
  schoolId: string;
  zone: string;
  grade: Grade | null;
  done(message: string): void;
  cancel(): void;
}) {
  const { t } = useTranslation();
  const item = (gradeId: string) => ({ params: { path: { schoolId, gradeId } } });
  const rf = useRecordForm(
    'grade',
    grade,
    valuesOf,
    {
      create: (v, key) =>
        api().POST('/schools/{schoolId}/grades', {
          params: { path: { schoolId }, header: { 'Idempotency-Key': key } },
          body: bodyOf(v),
        }),
      replace: (v, gradeId, version) =>
        api().PUT('/schools/{schoolId}/grades/{gradeId}', { ...item(gradeId), body: { ...bodyOf(v), version } }),
      get: (gradeId) => api().GET('/schools/{schoolId}/grades/{gradeId}', item(gradeId)),
    },
    (g) => done(t('setup.saved', { what: t('setup.grades.what', { name: g.name }) })),
  );
  const { form, current } = rf;
  const what = t('setup.grades.what', { name: current?.name ?? '' });
  return (
    <RecordEditor
      title={current ? t('setup.editTitle', { what }) : t('setup.grades.new')}
      zone={zone}
      rf={rf}
      onBack={cancel}
      deletion={{
        what,
        remove: (g) =>
          api().DELETE('/schools/{schoolId}/grades/{gradeId}', {
            params: { path: { schoolId, gradeId: g.id }, query: { version: g.version } },
          }),
        onDeleted: () => done(t('setup.deleted', { what })),
      }}
    >
      <Field
        form={form}
        name="level"
        label={t('setup.grades.level')}
        hint={current ? t('setup.grades.levelFixed') : t('setup.grades.levelHint')}
        type="number"
        inputMode="numeric"
        min={1}
        max={12}
        required
        readOnly={current !== null}
      />
      <Field form={form} name="name" label={t('setup.grades.name')} required maxLength={40} />
      <fieldset>
        <legend>{t('setup.grades.dismissal')}</legend>
        <p className="hint">{t('setup.grades.dismissalHint')}</p>
        <div className="days">
          {GRID_DAYS.map((d) => (
            <Field key={d} form={form} name={`dismissal.${d}`} label={t(`setup.days.${d}`)} type="time" max="18:00" step={300} />
          ))}
        </div>
      </fieldset>
      <Field
        form={form}
        name="homeworkMinutes"
        label={t('setup.grades.homework')}
        hint={t('setup.grades.homeworkHint')}
        type="number"
        inputMode="numeric"
        min={0}
        max={180}
        step={5}
      />
    </RecordEditor>
  );
}

/**
 * A club's form: its own fields, and its classes (tiers) as the API models them: tier, name,
 * grades allowed, capacity, sessions a week, minutes a session, a fixed or preferred staff
 * member with the club's skill, a prerequisite tier. The server's message shows beside each
 * field; what was typed stays on a 4xx; a stale version says who changed the club and when.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data } from '../../api/client';
import { Field } from '../../forms/Field';
import { useForm, type Form, type Values } from '../../forms/useForm';
import { Link, navigate } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { FormProblem } from '../../ui/FormProblem';
import {
  addedClass,
  atFormFields,
  CATEGORIES,
  classCount,
  classKey,
  clubBody,
  clubValues,
  gradesOf,
  toggledGrade,
  withoutClass,
  type ClassField,
} from './clubValues';
import { useGrades, useStaff } from './queries';
import type { Club, Grade, StaffMember, Term } from './types';

const clubKey = (schoolId: string, clubId: string) => ['club', schoolId, clubId];

export function ClubEditor({
  schoolId,
  zone,
  term,
  clubId,
  back,
}: {
  schoolId: string;
  zone: string;
  term: Term;
  /** null: a new club */
  clubId: string | null;
  back: string;
}) {
  const { t } = useTranslation();
  const club = useQuery({
    queryKey: clubKey(schoolId, clubId ?? ''),
    enabled: clubId !== null,
    queryFn: () => data(api().GET('/schools/{schoolId}/clubs/{clubId}', { params: { path: { schoolId, clubId: clubId! } } })),
  });
  const missing = club.error instanceof ApiError && club.error.problem.status === 404;
  return (
    <Page title={clubId ? t('people.club.edit') : t('people.club.new')}>
      <p>
        <Link to={back}>{t('people.club.back', { term: term.name })}</Link>
      </p>
      {clubId === null ? (
        <ClubForm schoolId={schoolId} zone={zone} term={term} back={back} />
      ) : missing ? (
        <p role="alert">{t('people.club.notFound')}</p>
      ) : club.error ? (
        <LoadError error={club.error} />
      ) : !club.data ? (
        <Loading />
      ) : (
        <ClubForm
          schoolId={schoolId}
          zone={zone}
          term={term}
          back={back}
          club={club.data}
          reload={() => club.refetch().then((r) => r.data)}
        />
      )}
    </Page>
  );
}

function ClubForm({
  schoolId,
  zone,
  term,
  back,
  club,
  reload,
}: {
  schoolId: string;
  zone: string;
  term: Term;
  back: string;
  club?: Club;
  reload?: () => Promise<Club | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const grades = useGrades(schoolId);
  const staff = useStaff(schoolId);
  const form = useForm('club', clubValues(club));
  const count = classCount(form.values);

  const save = (version?: number) =>
    form.submit(
      async (v) => {
        const body = clubBody(v, term.id);
        const out =
          club && version !== undefined
            ? await api().PUT('/schools/{schoolId}/clubs/{clubId}', {
                params: { path: { schoolId, clubId: club.id } },
                body: { ...body, version },
              })
            : await api().POST('/schools/{schoolId}/clubs', { params: { path: { schoolId } }, body });
        return { ...out, error: atFormFields(out.error) };
      },
      (saved) => {
        queries.setQueryData(clubKey(schoolId, saved.id), saved);
        void queries.invalidateQueries({ queryKey: ['clubs', schoolId, term.id] });
        if (club) form.reset(clubValues(saved));
        else navigate(`${back}&saved=${encodeURIComponent(saved.id)}`);
      },
    );
  const theirs = async () => {
    const latest = await reload?.();
    if (latest) form.reset(clubValues(latest));
  };
  // the fields shown as inputs, and the lists shown as one; any other path's message shows above the button
  const shown = (k: string) => k in form.values || /^classes\.\d+\.prerequisite$/.test(k);
  const others = Object.entries(form.problem?.fields ?? {})
    .filter(([k]) => !shown(k))
    .map(([k, m]) => `${k}: ${m}`);

  return (
    <form
      className="card form club-form"
      noValidate
      aria-label={club ? t('people.club.editOf', { name: club.name }) : t('people.club.new')}
      onSubmit={(e) => {
        e.preventDefault();
        void save(club?.version);
      }}
    >
      {club && (
        <p className="hint">
          {t('people.version', {
            version: club.version,
            who: club.updatedBy,
            when: formatInstant(club.updatedAt, zone, i18n.language),
          })}
        </p>
      )}
      <Field form={form} name="name" label={t('people.club.name')} required maxLength={40} />
      <Field form={form} name="nameEn" label={t('people.club.nameEn')} required maxLength={80} lang="en" />
      <Field form={form} name="category" label={t('people.club.category')}>
        {(props) => (
          <select {...props}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`people.category.${c}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} name="descriptionZh" label={t('people.club.descriptionZh')}>
        {(props) => <textarea {...props} required maxLength={2000} rows={3} />}
      </Field>
      <Field form={form} name="descriptionEn" label={t('people.club.descriptionEn')}>
        {(props) => <textarea {...props} required maxLength={2000} rows={3} lang="en" />}
      </Field>
      <Field
        form={form}
        name="skill"
        label={t('people.club.skill')}
        hint={t('people.club.skillHint')}
        required
        maxLength={40}
        list="club-skills"
        autoCapitalize="none"
      />
      <datalist id="club-skills">
        {[...new Set((staff.data ?? []).flatMap((s) => s.skills))].sort().map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <Field
        form={form}
        name="roomFeatures"
        label={t('people.club.roomFeatures')}
        hint={t('people.club.roomFeaturesHint')}
        autoCapitalize="none"
      />
      <datalist id="club-tiers">
        <option value="basic" />
        <option value="advanced" />
      </datalist>
      <h2>{t('people.club.classes')}</h2>
      <p className="hint">{t('people.club.classesHint')}</p>
      {Array.from({ length: count }, (_, i) => (
        <ClassFields key={i} form={form} i={i} count={count} grades={grades.data ?? []} staff={staff.data ?? []} />
      ))}
      <div className="actions">
        <button type="button" onClick={() => form.set(addedClass(form.values))}>
          {t('people.club.addClass')}
        </button>
      </div>
      <FormProblem form={form} zone={zone} others={others} onOverwrite={(v) => void save(v)} onDiscard={() => void theirs()} />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : club ? t('form.save') : t('people.club.create')}
        </button>
      </div>
    </form>
  );
}

function ClassFields({
  form,
  i,
  count,
  grades,
  staff,
}: {
  form: Form<Values>;
  i: number;
  count: number;
  grades: Grade[];
  staff: StaffMember[];
}) {
  const { t } = useTranslation();
  const key = (f: ClassField) => classKey(i, f);
  const value = (f: ClassField) => form.values[key(f)] ?? '';
  const legend = t('people.club.classN', { n: i + 1 });
  const otherTiers = Array.from({ length: count }, (_, j) => form.values[classKey(j, 'tier')] ?? '').filter(
    (tier, j) => j !== i && tier,
  );
  const skill = form.values.skill?.trim() ?? '';
  const able = (id: string) =>
    staff.filter((s) => s.id === id || (s.status === 'active' && (!skill || s.skills.includes(skill))));
  const staffSelect = (f: 'fixedStaffId' | 'preferredStaffId', label: string) => (
    <Field form={form} name={key(f)} label={label} hint={t('people.club.staffHint')}>
      {(props) => (
        <select {...props}>
          <option value="">{t('people.club.noStaff')}</option>
          {able(value(f)).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );

  return (
    <fieldset className="tier">
      <legend>{legend}</legend>
      <div className="tier-grid">
        <Field
          form={form}
          name={key('tier')}
          label={t('people.club.tier')}
          hint={t('people.club.tierHint')}
          required
          maxLength={40}
          list="club-tiers"
          autoCapitalize="none"
        />
        <Field form={form} name={key('name')} label={t('people.club.className')} required maxLength={40} />
      </div>
      <GradeChoice form={form} name={key('grades')} grades={grades} />
      <div className="tier-grid">
        <Field form={form} name={key('capacity')} label={t('people.club.capacity')} type="number" min={1} max={200} required />
        <Field
          form={form}
          name={key('sessionsPerWeek')}
          label={t('people.club.sessionsPerWeek')}
          type="number"
          min={1}
          max={5}
          required
        />
        <Field
          form={form}
          name={key('minutesPerSession')}
          label={t('people.club.minutesPerSession')}
          type="number"
          min={15}
          max={240}
          step={5}
          required
        />
      </div>
      <div className="tier-grid">
        {staffSelect('fixedStaffId', t('people.club.fixedStaff'))}
        {staffSelect('preferredStaffId', t('people.club.preferredStaff'))}
      </div>
      <Field
        form={form}
        name={key('prerequisite.tier')}
        label={t('people.club.prerequisite')}
        hint={t('people.club.prerequisiteHint')}
      >
        {(props) => (
          <select {...props}>
            <option value="">{t('people.club.noPrerequisite')}</option>
            {[...new Set([...otherTiers, value('prerequisite.tier')])].filter(Boolean).map((tier) => (
              <option key={tier} value={tier}>
                {tier}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value('prerequisite.tier') && (
        <div className="check">
          <input
            type="checkbox"
            id={`club-${key('prerequisite.orTeacherApproval')}`}
            checked={value('prerequisite.orTeacherApproval') !== 'false'}
            onChange={(e) => form.set({ [key('prerequisite.orTeacherApproval')]: String(e.target.checked) })}
          />
          <label htmlFor={`club-${key('prerequisite.orTeacherApproval')}`}>{t('people.club.orTeacherApproval')}</label>
        </div>
      )}
      {count > 1 && (
        <div className="actions">
          <button type="button" onClick={() => form.reset(withoutClass(form.values, i))}>
            {t('people.club.removeClass', { n: i + 1 })}
          </button>
        </div>
      )}
    </fieldset>
  );
}

/** The grades a class is open to: a checkbox a grade of the school, the server's message below them. */
function GradeChoice({ form, name, grades }: { form: Form<Values>; name: string; grades: Grade[] }) {
  const { t } = useTranslation();
  const props = form.input(name); // the field counts as shown; its id goes to the first box (focus on an error)
  const message = form.error(name);
  const chosen = gradesOf(props.value);
  const levels = [...new Set([...grades.map((g) => g.level), ...chosen])].sort((a, b) => a - b);
  return (
    <fieldset className="grades" aria-describedby={message ? form.errorId(name) : undefined}>
      <legend>{t('people.club.grades')}</legend>
      <div className="checks">
        {levels.map((level, j) => {
          const id = j === 0 ? props.id : `${props.id}-${level}`;
          return (
            <div className="check" key={level}>
              <input
                type="checkbox"
                id={id}
                checked={chosen.includes(level)}
                aria-invalid={Boolean(message)}
                onChange={(e) => form.set({ [name]: toggledGrade(props.value, level, e.target.checked) })}
              />
              <label htmlFor={id}>{grades.find((g) => g.level === level)?.name ?? t('people.grade', { level })}</label>
            </div>
          );
        })}
      </div>
      {message && (
        <p className="field-error" id={form.errorId(name)}>
          {message}
        </p>
      )}
    </fieldset>
  );
}

/**
 * A student (admins): their record, and their guardians, each its own form. Every form keeps
 * what was typed on a 4xx, shows the server's message beside the field, and on a stale
 * version says who changed the record and when.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, data } from '../../api/client';
import { readProblem, type ProblemInfo } from '../../api/problem';
import { Field } from '../../forms/Field';
import { useForm, type Form } from '../../forms/useForm';
import { PATHS } from '../../paths';
import { Link, navigate } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { FormProblem } from '../../ui/FormProblem';
import { Confirm } from './Confirm';
import { useGrades } from './queries';
import type { Guardian, Student } from './types';
import { wholeOr } from './values';

const RELATIONS = ['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other'] as const;

interface Where {
  schoolId: string;
  /** the school's zone: when records were changed */
  zone: string;
}

const studentKey = (schoolId: string, no: string) => ['student', schoolId, no];

export function StudentDetail({ schoolId, zone, studentNo, back }: Where & { studentNo: string; back: string }) {
  const { t } = useTranslation();
  const student = useQuery({
    queryKey: studentKey(schoolId, studentNo),
    queryFn: () => data(api().GET('/schools/{schoolId}/students/{studentNo}', { params: { path: { schoolId, studentNo } } })),
  });
  const missing = student.error instanceof ApiError && [400, 404].includes(student.error.problem.status);
  return (
    <Page title={t('people.student.title')}>
      <p>
        <Link to={back}>{t('people.student.back')}</Link>
      </p>
      {missing ? (
        <p role="alert">{t('people.student.notFound', { no: studentNo })}</p>
      ) : student.error ? (
        <LoadError error={student.error} />
      ) : !student.data ? (
        <Loading />
      ) : (
        <>
          <StudentForm where={{ schoolId, zone }} student={student.data} reload={() => student.refetch().then((r) => r.data)} />
          <Guardians where={{ schoolId, zone }} student={student.data} />
        </>
      )}
    </Page>
  );
}

export function NewStudent({ schoolId, zone, back }: Where & { back: string }) {
  const { t } = useTranslation();
  return (
    <Page title={t('people.student.new')}>
      <p>
        <Link to={back}>{t('people.student.back')}</Link>
      </p>
      <StudentForm where={{ schoolId, zone }} />
    </Page>
  );
}

const studentValues = (s?: Student) => ({
  studentNo: s?.studentNo ?? '',
  name: s?.name ?? '',
  gradeLevel: s ? String(s.gradeLevel) : '',
  homeroom: s?.homeroom ?? '',
  status: s?.status ?? 'active',
});

/** A new student (no `student`), or one as read; saved with the version it was read at. */
function StudentForm({
  where: { schoolId, zone },
  student,
  reload,
}: {
  where: Where;
  student?: Student;
  reload?: () => Promise<Student | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const grades = useGrades(schoolId);
  const form = useForm('student', studentValues(student));
  // the record the form was filled from: a later read (a guardian linked) refills it only if nothing was typed
  const [base, setBase] = useState(student);
  const untouched = JSON.stringify(form.values) === JSON.stringify(studentValues(base));
  useEffect(() => {
    if (student && base && student.version !== base.version && untouched) {
      setBase(student);
      form.reset(studentValues(student));
    }
  }, [student, base, untouched, form]);

  const saved = (s: Student) => {
    queries.setQueryData(studentKey(schoolId, s.id), s);
    void queries.invalidateQueries({ queryKey: ['students', schoolId] });
    setBase(s);
    form.reset(studentValues(s));
  };
  const save = (version?: number) =>
    form.submit(
      (v) => {
        const fields = {
          studentNo: v.studentNo,
          name: v.name,
          gradeLevel: wholeOr(v.gradeLevel) as number,
          homeroom: v.homeroom,
        };
        return base && version !== undefined
          ? api().PUT('/schools/{schoolId}/students/{studentNo}', {
              params: { path: { schoolId, studentNo: base.id } },
              body: { ...fields, version, status: v.status as 'active' | 'archived' },
            })
          : api().POST('/schools/{schoolId}/students', { params: { path: { schoolId } }, body: fields });
      },
      base ? saved : (s: Student) => navigate(`${PATHS.students}?student=${encodeURIComponent(s.id)}`, { replace: true }),
    );
  const theirs = async () => {
    const latest = await reload?.();
    if (latest) {
      setBase(latest);
      form.reset(studentValues(latest));
    }
  };

  return (
    <form
      className="card form"
      noValidate
      aria-label={t('people.student.record')}
      onSubmit={(e) => {
        e.preventDefault();
        void save(base?.version);
      }}
    >
      {base && (
        <p className="hint">
          {t('people.version', {
            version: base.version,
            who: base.updatedBy,
            when: formatInstant(base.updatedAt, zone, i18n.language),
          })}
        </p>
      )}
      <Field
        form={form}
        name="studentNo"
        label={t('people.students.studentNo')}
        hint={base ? t('people.student.noFixed') : t('people.student.noHint')}
        readOnly={Boolean(base)}
        required
        maxLength={40}
      />
      <Field form={form} name="name" label={t('people.students.name')} required maxLength={40} autoComplete="off" />
      <Field form={form} name="gradeLevel" label={t('people.students.grade')}>
        {(props) => (
          <select {...props} required>
            <option value="">{t('people.choose')}</option>
            {(grades.data ?? []).map((g) => (
              <option key={g.level} value={String(g.level)}>
                {g.name}
              </option>
            ))}
            {form.values.gradeLevel && !grades.data?.some((g) => String(g.level) === form.values.gradeLevel) && (
              <option value={form.values.gradeLevel}>{t('people.grade', { level: form.values.gradeLevel })}</option>
            )}
          </select>
        )}
      </Field>
      <Field form={form} name="homeroom" label={t('people.students.homeroom')} required maxLength={20} />
      {base && (
        <Field form={form} name="status" label={t('people.student.status')}>
          {(props) => (
            <select {...props}>
              <option value="active">{t('people.student.active')}</option>
              <option value="archived">{t('people.students.archived')}</option>
            </select>
          )}
        </Field>
      )}
      <FormProblem form={form} zone={zone} onOverwrite={(v) => void save(v)} onDiscard={() => void theirs()} />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : base ? t('form.save') : t('people.student.create')}
        </button>
      </div>
    </form>
  );
}

function Guardians({ where, student }: { where: Where; student: Student }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="guardians-h">
      <h2 id="guardians-h">{t('people.guardians.title', { name: student.name })}</h2>
      {student.guardianIds.length === 0 && <p>{t('people.guardians.none')}</p>}
      {student.guardianIds.map((id) => (
        <GuardianCard key={id} where={where} guardianId={id} student={student} />
      ))}
      <AddGuardian where={where} student={student} />
    </section>
  );
}

/** After a guardian's links change, the student (their guardians, their version) is read again. */
function useRelinked(schoolId: string, studentNo: string) {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: studentKey(schoolId, studentNo) });
}

// the document leaves a phone number's type open (the API normalises it): it is a string
const guardianValues = (g?: Guardian) => ({
  name: g?.name ?? '',
  phone: g ? String(g.phone) : '',
  relation: g?.relation ?? 'guardian',
});

function GuardianCard({ where, guardianId, student }: { where: Where; guardianId: string; student: Student }) {
  const guardian = useQuery({
    queryKey: ['guardian', where.schoolId, guardianId],
    queryFn: () =>
      data(
        api().GET('/schools/{schoolId}/guardians/{guardianId}', { params: { path: { schoolId: where.schoolId, guardianId } } }),
      ),
  });
  return (
    <div className="card">
      {guardian.error ? (
        <LoadError error={guardian.error} />
      ) : !guardian.data ? (
        <Loading />
      ) : (
        <GuardianForm
          where={where}
          guardian={guardian.data}
          student={student}
          reload={() => guardian.refetch().then((r) => r.data)}
        />
      )}
    </div>
  );
}

function GuardianForm({
  where: { schoolId, zone },
  guardian,
  student,
  reload,
}: {
  where: Where;
  guardian: Guardian;
  student: Student;
  reload: () => Promise<Guardian | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const relinked = useRelinked(schoolId, student.id);
  const form = useForm(`guardian-${guardian.id}`, guardianValues(guardian));
  const [unlinkProblem, setUnlinkProblem] = useState<ProblemInfo | null>(null);
  const confirm = useRef<HTMLDialogElement>(null);
  const others = guardian.children.filter((c) => c !== student.id);

  const save = (version: number) =>
    form.submit(
      (v) =>
        api().PUT('/schools/{schoolId}/guardians/{guardianId}', {
          params: { path: { schoolId, guardianId: guardian.id } },
          body: {
            name: v.name,
            phone: v.phone,
            relation: v.relation as Guardian['relation'],
            children: guardian.children,
            userId: guardian.userId,
            version,
          },
        }),
      (g) => {
        queries.setQueryData(['guardian', schoolId, g.id], g);
        form.reset(guardianValues(g));
      },
    );
  const theirs = async () => {
    const latest = await reload();
    if (latest) form.reset(guardianValues(latest));
  };
  /** takes this student off the guardian; a guardian left with no child is deleted */
  const unlink = async () => {
    const path = { schoolId, guardianId: guardian.id };
    const out = others.length
      ? await api().PUT('/schools/{schoolId}/guardians/{guardianId}', {
          params: { path },
          body: { ...guardianValues(guardian), children: others, userId: guardian.userId, version: guardian.version },
        })
      : await api().DELETE('/schools/{schoolId}/guardians/{guardianId}', {
          params: { path, query: { version: guardian.version } },
        });
    if (!out.response.ok) return setUnlinkProblem(readProblem(out.response.status, out.error));
    setUnlinkProblem(null);
    await relinked();
  };
  const stale = unlinkProblem?.current;

  return (
    <form
      noValidate
      aria-label={t('people.guardians.of', { name: guardian.name })}
      onSubmit={(e) => {
        e.preventDefault();
        void save(guardian.version);
      }}
    >
      <h3>{guardian.name}</h3>
      <p className="hint">
        {t('people.version', {
          version: guardian.version,
          who: guardian.updatedBy,
          when: formatInstant(guardian.updatedAt, zone, i18n.language),
        })}
        {others.length > 0 && ` ${t('people.guardians.alsoOf', { count: others.length, nos: others.join(t('listSeparator')) })}`}
      </p>
      <GuardianFields form={form} />
      <FormProblem form={form} zone={zone} onOverwrite={(v) => void save(v)} onDiscard={() => void theirs()} />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : t('form.save')}
        </button>
        <button type="button" onClick={() => confirm.current?.showModal()}>
          {t('people.guardians.unlink')}
        </button>
      </div>
      {unlinkProblem && (
        <p role="alert" className="error">
          {stale
            ? t('people.guardians.unlinkStale', {
                who: stale.updatedBy,
                when: formatInstant(stale.updatedAt, zone, i18n.language),
              })
            : t('form.problem', { detail: unlinkProblem.detail })}
        </p>
      )}
      <Confirm
        dialog={confirm}
        title={
          others.length
            ? t('people.guardians.unlinkTitle', { name: guardian.name, student: student.name })
            : t('people.guardians.deleteTitle', { name: guardian.name, student: student.name })
        }
        action={t('people.guardians.unlinkConfirm')}
        onConfirm={() => void unlink()}
      />
    </form>
  );
}

/** A guardian's name, mobile number and relation to the student. */
function GuardianFields({ form }: { form: Form<ReturnType<typeof guardianValues>> }) {
  const { t } = useTranslation();
  return (
    <>
      <Field form={form} name="name" label={t('people.guardians.name')} required maxLength={40} autoComplete="off" />
      <Field
        form={form}
        name="phone"
        label={t('people.guardians.phone')}
        type="tel"
        required
        inputMode="tel"
        autoComplete="off"
      />
      <Field form={form} name="relation" label={t('people.guardians.relation')}>
        {(props) => <RelationSelect {...props} />}
      </Field>
    </>
  );
}

function RelationSelect(props: React.SelectHTMLAttributes<HTMLSelectElement>) {
  const { t } = useTranslation();
  return (
    <select {...props}>
      {RELATIONS.map((r) => (
        <option key={r} value={r}>
          {t(`people.relation.${r}`)}
        </option>
      ))}
    </select>
  );
}

/** A new guardian of the student (one already at the school, by phone, is a 409 at the phone). */
function AddGuardian({ where: { schoolId, zone }, student }: { where: Where; student: Student }) {
  const { t } = useTranslation();
  const relinked = useRelinked(schoolId, student.id);
  const form = useForm('new-guardian', guardianValues());
  const add = () =>
    form.submit(
      (v) =>
        api().POST('/schools/{schoolId}/guardians', {
          params: { path: { schoolId } },
          body: { name: v.name, phone: v.phone, relation: v.relation as Guardian['relation'], children: [student.id] },
        }),
      () => {
        form.reset(guardianValues());
        void relinked();
      },
    );
  return (
    <form
      className="card form"
      noValidate
      aria-labelledby="new-guardian-h"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h3 id="new-guardian-h">{t('people.guardians.add')}</h3>
      <GuardianFields form={form} />
      <FormProblem form={form} zone={zone} onOverwrite={() => void add()} onDiscard={() => form.reset(guardianValues())} />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : t('people.guardians.addButton')}
        </button>
      </div>
    </form>
  );
}

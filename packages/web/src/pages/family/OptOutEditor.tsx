/**
 * The opt-out form: the whole term or chosen weekdays (toggle buttons), homework help, the
 * reason, the guardian's signature (their typed name) and the child's (drawn on the screen, or
 * typed), unless the school switched it off; after the notice closed, a request with a note.
 * A new form is posted with an Idempotency-Key (the same request, the same key: a double tap
 * or a retry stores one form); one that exists is amended with the version read. The server's
 * message shows beside its field and nothing typed is lost.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { Field } from '../../forms/Field';
import { useForm } from '../../forms/useForm';
import { FormProblem } from '../../ui/FormProblem';
import { SignaturePad } from './SignaturePad';
import { REASONS, SCHOOL_DAYS, type ChildNotice, type OptOutForm } from './types';
import { bodyOf, daysOf, idempotencyKeys, toggleDay, valuesOf, type OptOutValues } from './values';
import { formatDate, type ChildRef } from './words';

export function OptOutEditor({
  child,
  cn,
  zone,
  reload,
  onSaved,
  onCancel,
}: {
  child: ChildRef;
  cn: ChildNotice;
  zone: string;
  /** reads the notice and the form again (after a conflict) */
  reload: () => Promise<ChildNotice | undefined>;
  onSaved: (form: OptOutForm) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation();
  const form = useForm<OptOutValues>('optout', valuesOf(cn.form));
  const [keyFor] = useState(() => idempotencyKeys());
  const v = form.values;
  const closed = cn.window === 'closed';
  const needsChild = cn.notice.childSignature;
  const termPath = { schoolId: child.schoolId, termId: cn.termId };

  const save = (version = cn.form?.version) =>
    form.submit((values) => {
      const body = bodyOf(values, { childSignature: needsChild, closed });
      if (cn.form && version !== undefined)
        return api().PUT('/schools/{schoolId}/terms/{termId}/optouts/{studentNo}', {
          params: { path: { ...termPath, studentNo: child.studentNo } },
          body: { ...body, version },
        });
      const request = { ...body, studentNo: child.studentNo };
      return api().POST('/schools/{schoolId}/terms/{termId}/optouts', {
        params: { path: termPath, header: { 'Idempotency-Key': keyFor(request) } },
        body: request,
      });
    }, onSaved);
  // a form made meanwhile (by the other guardian), or a request waiting: read it again; what was typed stays
  const problem = form.problem;
  // once per answer (reload is a new function each render)
  useEffect(() => {
    if (problem?.status === 409 && problem.reason !== 'version') void reload();
  }, [problem]);

  const days = form.input('days');
  const childError = ['childSignature', 'childSignature.image', 'childSignature.name']
    .map((k) => form.error(k))
    .filter(Boolean)
    .join('; ');
  const childErrorId = form.errorId('childSignature');

  return (
    <form
      className="card form optout-form"
      noValidate
      aria-labelledby="optout-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="optout-title">
        {t(closed ? 'family.form.titleLate' : cn.form ? 'family.form.titleAmend' : 'family.form.titleNew', {
          name: child.name,
        })}
      </h2>
      {closed && <p className="hint">{t('family.form.lateHint', { date: formatDate(cn.notice.closesOn, i18n.language) })}</p>}

      <fieldset>
        <legend>{t('family.form.scope')}</legend>
        <Radios
          name="optout-scope"
          value={v.scope}
          options={(['days', 'term'] as const).map((x) => [x, t(`family.form.scope_${x}`)])}
          onChange={(scope) => form.set({ scope })}
        />
      </fieldset>

      {v.scope === 'days' && (
        <div
          className="field"
          role="group"
          id={days.id}
          tabIndex={-1}
          aria-labelledby="optout-days-label"
          aria-describedby={days['aria-describedby']}
        >
          <p className="label" id="optout-days-label">
            {t('family.form.days')}
          </p>
          <div className="day-toggles">
            {SCHOOL_DAYS.map((d) => (
              <button
                key={d}
                type="button"
                className="toggle"
                aria-pressed={daysOf(v.days).includes(d)}
                onClick={() => form.set({ days: toggleDay(v.days, d) })}
              >
                {t(`family.day.${d}`)}
              </button>
            ))}
          </div>
          {form.error('days') && (
            <p className="field-error" id={form.errorId('days')}>
              {form.error('days')}
            </p>
          )}
        </div>
      )}

      <div className="homework">
        <label className="check">
          <input
            type="checkbox"
            checked={v.homeworkHelp === 'yes'}
            onChange={(e) => form.set({ homeworkHelp: e.target.checked ? 'yes' : 'no' })}
          />
          {t('family.form.homeworkHelp')}
        </label>
      </div>

      <Field form={form} name="reason.category" label={t('family.form.reason')}>
        {(props) => (
          <select {...props}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`family.reason.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={form}
        name="reason.text"
        label={t('family.form.reasonText')}
        hint={v['reason.category'] === 'other' ? t('family.form.reasonTextOther') : t('family.form.reasonTextHint')}
      >
        {(props) => <textarea {...props} rows={2} maxLength={500} />}
      </Field>

      <Field
        form={form}
        name="guardianSignature.name"
        label={t('family.form.guardianSignature')}
        hint={t('family.form.guardianSignatureHint')}
        autoComplete="name"
        maxLength={40}
      />

      {needsChild && (
        <fieldset
          className="child-signature"
          id={form.input('childSignature').id}
          tabIndex={-1}
          aria-describedby={childError ? childErrorId : undefined}
        >
          <legend>{t('family.form.childSignature', { name: child.name })}</legend>
          <Radios
            name="optout-child-kind"
            value={v.childKind}
            options={(['drawn', 'typed'] as const).map((x) => [x, t(`family.form.child_${x}`)])}
            onChange={(childKind) => form.set({ childKind })}
          />
          {/* hidden, not gone, while the name is typed: a drawing is kept if they switch back */}
          <div hidden={v.childKind !== 'drawn'}>
            <p className="hint" id="optout-pad-hint">
              {t('family.form.padHint')}
            </p>
            <SignaturePad
              id={form.input('childSignature.image').id}
              label={t('family.form.pad', { name: child.name })}
              invalid={Boolean(childError)}
              describedBy="optout-pad-hint"
              onChange={(image) => form.set({ 'childSignature.image': image })}
            />
          </div>
          {v.childKind === 'typed' && (
            <Field form={form} name="childSignature.name" label={t('family.form.childName')} maxLength={40} />
          )}
          {childError && (
            <p className="field-error" id={childErrorId}>
              {childError}
            </p>
          )}
        </fieldset>
      )}

      {closed && (
        <Field form={form} name="note" label={t('family.form.note')} hint={t('family.form.noteHint')}>
          {(props) => <textarea {...props} rows={2} maxLength={500} />}
        </Field>
      )}

      <FormProblem
        form={form}
        zone={zone}
        onOverwrite={(version) => void save(version)}
        onDiscard={() =>
          void reload().then((latest) => {
            if (latest) form.reset(valuesOf(latest.form));
          })
        }
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : t(closed ? 'family.form.sendRequest' : 'family.form.sign')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

/** A choice of one among a few, each a radio button with its label. */
function Radios<T extends string>({
  name,
  value,
  options,
  onChange,
}: {
  name: string;
  value: T;
  options: ReadonlyArray<readonly [T, string]>;
  onChange: (value: T) => void;
}) {
  return options.map(([x, label]) => (
    <label key={x} className="check">
      <input type="radio" name={name} value={x} checked={value === x} onChange={() => onChange(x)} />
      {label}
    </label>
  ));
}

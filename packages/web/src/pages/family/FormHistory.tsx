/**
 * Every version of a child's form, oldest first: who did what and when (in the school's zone),
 * what was in effect or asked for, the signatures and the school's answers. Guardians see it
 * under their child's form; the school's admins beside each form.
 */
import { useTranslation } from 'react-i18next';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import { useFormHistory } from './queries';
import { SignatureShown } from './SignaturePad';
import type { OptOutForm, SignedOptOut } from './types';
import { choiceText } from './words';

export function FormHistory({
  schoolId,
  termId,
  studentNo,
  zone,
}: {
  schoolId: string;
  termId: string;
  studentNo: string;
  zone: string;
}) {
  const { t, i18n } = useTranslation();
  const history = useFormHistory(schoolId, termId, studentNo);
  if (history.error) return <LoadError error={history.error} />;
  if (!history.data) return <Loading />;
  return (
    <ol className="history">
      {history.data.map((h) => {
        const f = h.data as OptOutForm;
        const who =
          f.actor.as === 'guardian' ? (f.actor.name ?? f.actor.userId) : t('family.history.school', { user: f.actor.userId });
        const asked = f.action === 'requested' ? f.request : null;
        const shown = asked ? asked.optOut : f.action === 'withdrawn' || f.action === 'declined' ? null : f.optOut;
        return (
          <li key={h.version}>
            <p>
              <strong>{formatInstant(h.at, zone, i18n.language)}</strong>{' '}
              {t(`family.history.${f.action}`, { who, version: h.version })}
            </p>
            {asked && <p>{t(`family.history.asked.${asked.action}`)}</p>}
            {shown && <Signed o={shown} zone={zone} />}
            {asked?.note && <p>{t('family.history.note', { note: asked.note })}</p>}
            {(f.action === 'approved' || f.action === 'declined') && f.request?.decisionReason && (
              <p>{t('family.state.because', { reason: f.request.decisionReason })}</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** A signed choice: the days and homework help (unless said above it), the reason, and both signatures. */
export function Signed({ o, zone, choice = true }: { o: SignedOptOut; zone: string; choice?: boolean }) {
  const { t, i18n } = useTranslation();
  const reason = t(`family.reason.${o.reason.category}`);
  return (
    <div className="signed">
      {choice && <p>{choiceText(t, o)}</p>}
      <p>
        {o.reason.text ? t('family.form.reasonWithText', { reason, text: o.reason.text }) : t('family.form.reasonIs', { reason })}
      </p>
      <p>
        {t('family.form.guardianSigned', {
          name: o.guardianSignature.name,
          when: formatInstant(o.guardianSignature.signedAt, zone, i18n.language),
        })}
      </p>
      {o.childSignature && (
        <p className="child-signed">
          <span>{t('family.form.childSigned')}</span>{' '}
          <SignatureShown signature={o.childSignature} label={t('family.form.childDrawn')} />
        </p>
      )}
    </div>
  );
}

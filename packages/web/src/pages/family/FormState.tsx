/** A child's form in a line: in the service (by default, or again), out on which days, or a late request and its answer. */
import { useTranslation } from 'react-i18next';
import type { OptOutForm } from './types';
import { choiceText } from './words';

export function FormState({ form, name }: { form: OptOutForm | null; name: string }) {
  const { t } = useTranslation();
  const request = form?.request;
  return (
    <>
      <p className={`form-state ${form?.status === 'opted-out' ? 'out' : 'in'}`}>
        {!form || form.status === 'withdrawn' || form.status === 'requested' || form.status === 'declined'
          ? t(form?.status === 'withdrawn' ? 'family.state.rejoined' : 'family.state.in', { name })
          : choiceText(t, form.optOut!)}
      </p>
      {request?.state === 'pending' && (
        <p className="request-state">
          {t(`family.state.pending.${request.action}`)}
          {request.optOut && ` ${choiceText(t, request.optOut)}`}
        </p>
      )}
      {request && request.state !== 'pending' && (
        <p className="request-state">
          {t(`family.state.${request.state}`, { action: t(`family.state.asked.${request.action}`) })}
          {request.decisionReason && ` ${t('family.state.because', { reason: request.decisionReason })}`}
        </p>
      )}
    </>
  );
}

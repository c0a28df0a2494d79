/**
 * An invitation opened on a guardian's phone (/invite/{token}, no one signed in needed): what
 * it is for (the school, the guardian's and children's names masked), then the confirmation
 * only that guardian knows — the last four digits of the phone the school has, or a code sent
 * to it by SMS — and the session begins: their children's page. A used, replaced, expired or
 * void invitation, or one paused after wrong codes, says so and what to do.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, data } from '../../api/client';
import { beginGuardianSession } from '../../auth/guardian';
import { Field } from '../../forms/Field';
import { useForm } from '../../forms/useForm';
import { PATHS } from '../../paths';
import { navigate } from '../../router';
import { Page } from '../../shell/Page';
import { LoadError, Loading } from '../../shell/Status';
import { formatInstant } from '../../time';
import type { InvitationPreview } from './types';

/** Invitations are China's schools': their times are Beijing time (the preview names no zone). */
const CHINA = 'Asia/Shanghai';

export default function Invite({ token }: { token: string }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => data(api().GET('/invitations/{token}', { params: { path: { token } } })),
  });
  return (
    <Page title={t('family.invite.title')}>
      {preview.error ? (
        <LoadError error={preview.error} />
      ) : !preview.data ? (
        <Loading />
      ) : (
        <Confirm token={token} p={preview.data} />
      )}
    </Page>
  );
}

function Confirm({ token, p }: { token: string; p: InvitationPreview }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const form = useForm('invite', { code: '' });
  const [sent, setSent] = useState<{ sentTo: string; resendAfter: string } | null>(null);
  const [smsProblem, setSmsProblem] = useState('');
  const when = (iso: string) => formatInstant(iso, CHINA, i18n.language);
  const sms = p.confirmBy === 'sms-code';
  const about = (
    <p>
      {t('family.invite.about', {
        school: p.schoolName,
        guardian: p.guardianName,
        children: p.children.join(t('listSeparator')),
      })}
    </p>
  );
  if (p.state !== 'open' && p.state !== 'paused')
    return (
      <>
        {about}
        <p role="alert">{t(`family.invite.state.${p.state}`)}</p>
      </>
    );
  const sendCode = async () => {
    setSmsProblem('');
    const out = await api().POST('/invitations/{token}/code', { params: { path: { token } } });
    if (out.data) setSent(out.data);
    else setSmsProblem((out.error as { detail?: string } | undefined)?.detail ?? t('form.offline'));
  };
  const problem = form.problem && !form.error('code') ? form.problem.detail || t('form.offline') : '';
  return (
    <>
      {about}
      {p.state === 'paused' && p.pausedUntil && <p role="alert">{t('family.invite.paused', { when: when(p.pausedUntil) })}</p>}
      <form
        className="card form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit(
            (v) => api().POST('/invitations/{token}/redeem', { params: { path: { token } }, body: { code: v.code.trim() } }),
            (tokens) => {
              queries.clear();
              beginGuardianSession(tokens);
              navigate(PATHS.family, { replace: true });
            },
          );
        }}
      >
        {sms && (
          <div className="actions">
            <button type="button" onClick={() => void sendCode()}>
              {t(sent ? 'family.invite.resend' : 'family.invite.send', { phone: p.phoneHint })}
            </button>
          </div>
        )}
        <p role="status">{sent ? t('family.invite.sent', { phone: sent.sentTo }) : ''}</p>
        {smsProblem && (
          <p role="alert" className="error">
            {smsProblem}
          </p>
        )}
        <Field
          form={form}
          name="code"
          label={t(sms ? 'family.invite.smsCode' : 'family.invite.digits')}
          hint={sms ? t('family.invite.smsHint') : t('family.invite.digitsHint', { phone: p.phoneHint })}
          inputMode="numeric"
          autoComplete={sms ? 'one-time-code' : 'off'}
          maxLength={sms ? 6 : 4}
        />
        <p role="alert" className="form-problem">
          {problem}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={form.saving}>
            {form.saving ? t('family.invite.signingIn') : t('family.invite.signIn')}
          </button>
        </div>
        <p className="hint">{t('family.invite.expires', { when: when(p.expiresAt) })}</p>
      </form>
    </>
  );
}

/**
 * Cognito's managed sign-in for staff: authorization code with PKCE. The verifier and state
 * live in sessionStorage only between leaving for Cognito and coming back to /auth/callback;
 * the ID token (it carries the groups and schools the API reads) goes to the session.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthConfig } from '../config';
import { PATHS } from '../paths';
import { Page } from '../shell/Page';
import type { Auth } from './index';
import { authorizeUrl, codeChallenge, logoutUrl, randomToken, tokenRequest } from './pkce';
import { session } from './session';

const PENDING = 'kehou.pkce';
interface Pending {
  state: string;
  verifier: string;
  returnTo: string;
}

export function cognitoAuth(c: Extract<AuthConfig, { mode: 'cognito' }>): Auth {
  const redirectUri = `${location.origin}${PATHS.callback}`;

  async function startSignIn() {
    const pending: Pending = { state: randomToken(), verifier: randomToken(), returnTo: location.pathname };
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    const challenge = await codeChallenge(pending.verifier);
    location.assign(authorizeUrl({ ...c, redirectUri, state: pending.state, challenge }));
  }

  function SignIn() {
    const { t } = useTranslation();
    const [busy, setBusy] = useState(false);
    return (
      <Page title={t('signIn.title')}>
        <p>{t('signIn.cognitoIntro')}</p>
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void startSignIn();
          }}
        >
          {t('signIn.cognitoButton')}
        </button>
      </Page>
    );
  }

  return {
    mode: 'cognito',
    SignIn,
    async completeSignIn(url) {
      const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as Pending | null;
      sessionStorage.removeItem(PENDING);
      const code = url.searchParams.get('code');
      if (url.searchParams.get('error')) throw new Error(url.searchParams.get('error_description') ?? 'sign-in refused');
      if (!pending || !code || url.searchParams.get('state') !== pending.state) throw new Error('sign-in state mismatch');
      const req = tokenRequest({ ...c, redirectUri, code, verifier: pending.verifier });
      const res = await fetch(req.url, req.init);
      if (!res.ok) throw new Error(`token endpoint: ${res.status}`);
      const { id_token: idToken } = (await res.json()) as { id_token?: string };
      if (!idToken) throw new Error('token endpoint: no id_token');
      session.set(idToken);
      return pending.returnTo === PATHS.callback ? PATHS.home : pending.returnTo;
    },
    signOut() {
      session.clear();
      location.assign(logoutUrl({ ...c, logoutUri: `${location.origin}/` }));
    },
  };
}

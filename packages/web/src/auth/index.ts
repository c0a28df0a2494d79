/**
 * Sign-in, by the mode /config.json names: `dev` (npm start: demo users signed by the local
 * key) or `cognito` (AWS: Cognito's managed sign-in for staff). Guardians sign in with an
 * invitation (/invite/{token}: pages/family/Invite.tsx, sessions: guardian.ts), whatever the mode.
 */
import type { ComponentType } from 'react';
import type { AppConfig } from '../config';
import { cognitoAuth } from './cognito';
import { PATHS } from '../paths';
import { navigate } from '../router';
import { devAuth } from './dev';
import { endGuardianSession, isGuardianSession } from './guardian';
import { session } from './session';

export interface Auth {
  mode: AppConfig['auth']['mode'];
  /** what the sign-in page shows */
  SignIn: ComponentType;
  /** finishes a redirect back to /auth/callback; resolves to the path to open */
  completeSignIn?: (url: URL) => Promise<string>;
  signOut(): void;
}

export function createAuth(config: AppConfig): Auth {
  const staff = config.auth.mode === 'dev' ? devAuth() : cognitoAuth(config.auth);
  // a guardian signed in with an invitation: the server ends their session, then the tab forgets it
  return {
    ...staff,
    signOut: () => {
      if (!isGuardianSession()) return staff.signOut();
      void endGuardianSession().finally(() => {
        session.clear();
        navigate(PATHS.signIn, { replace: true });
      });
    },
  };
}

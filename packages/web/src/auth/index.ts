/**
 * Sign-in, by the mode /config.json names: `dev` (npm start: demo users signed by the local
 * key) or `cognito` (AWS: Cognito's managed sign-in for staff). Guardians' own sign-in
 * (#28) is a third mode here: its SignIn page and, if it redirects, its completeSignIn.
 */
import type { ComponentType } from 'react';
import type { AppConfig } from '../config';
import { cognitoAuth } from './cognito';
import { devAuth } from './dev';

export interface Auth {
  mode: AppConfig['auth']['mode'];
  /** what the sign-in page shows */
  SignIn: ComponentType;
  /** finishes a redirect back to /auth/callback; resolves to the path to open */
  completeSignIn?: (url: URL) => Promise<string>;
  signOut(): void;
}

export function createAuth(config: AppConfig): Auth {
  switch (config.auth.mode) {
    case 'dev':
      return devAuth();
    case 'cognito':
      return cognitoAuth(config.auth);
  }
}

/**
 * What the sign-in function needs beyond the common runtime, read once at start-up from its
 * environment (a missing value fails fast):
 * - SESSION_ISSUER, SESSION_AUDIENCE: the `iss` and `aud` of the tokens it signs (on AWS the
 *   guardians' API and its JWT authorizer's audience; locally the dev key's);
 * - SESSION_KMS_KEY_ID (AWS: the KMS key that signs) or SESSION_SIGNING_KEY (locally: the dev
 *   key, `{kid, privateJwk}`), one of the two;
 * - SIGNIN_KEY: derives invitations' secrets and guardians' account ids (32+ characters);
 * - SMS_SENDER: `log` (locally: codes go to the log); unset, no SMS sender (see sms.ts).
 */
import { randomInt } from 'node:crypto';
import { kmsSigner, localKeySigner, runtimeFromEnv, type Runtime, type TokenSigner } from '@kehou/store';
import { loggingSmsSender, type SmsSender } from './sms';

export interface SigninRuntime extends Runtime {
  signing: { signer: TokenSigner; issuer: string; audience: string };
  signInKey: string;
  sms: SmsSender | null;
  /** a one-time code: six digits */
  newCode: () => string;
}

export interface SigninConfig {
  issuer: string;
  audience: string;
  signer: { kmsKeyId: string; region: string } | { localKey: { kid: string; privateJwk: Record<string, unknown> } };
  signInKey: string;
  sms: 'log' | null;
}

const MIN_KEY_LENGTH = 32;

export function signinConfigFromEnv(env: NodeJS.ProcessEnv): SigninConfig {
  const need = (name: string) => {
    const v = env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const issuer = need('SESSION_ISSUER');
  const audience = need('SESSION_AUDIENCE');
  const signInKey = need('SIGNIN_KEY');
  if (signInKey.length < MIN_KEY_LENGTH) throw new Error(`SIGNIN_KEY needs ${MIN_KEY_LENGTH}+ characters`);
  const kmsKeyId = env.SESSION_KMS_KEY_ID;
  const local = env.SESSION_SIGNING_KEY;
  if (Boolean(kmsKeyId) === Boolean(local))
    throw new Error('set one of SESSION_KMS_KEY_ID (AWS) and SESSION_SIGNING_KEY (local)');
  let signer: SigninConfig['signer'];
  if (kmsKeyId) signer = { kmsKeyId, region: env.AWS_REGION ?? 'cn-north-1' };
  else {
    const key = JSON.parse(local!) as { kid?: unknown; privateJwk?: unknown };
    if (typeof key.kid !== 'string' || typeof key.privateJwk !== 'object' || key.privateJwk === null)
      throw new Error('SESSION_SIGNING_KEY must be {"kid": …, "privateJwk": {…}}');
    signer = { localKey: { kid: key.kid, privateJwk: key.privateJwk as Record<string, unknown> } };
  }
  const sms = env.SMS_SENDER;
  if (sms !== undefined && sms !== '' && sms !== 'log') throw new Error(`SMS_SENDER must be "log" or unset, not ${sms}`);
  return { issuer, audience, signer, signInKey, sms: sms === 'log' ? 'log' : null };
}

export function signinRuntimeOf(
  base: Runtime,
  config: SigninConfig,
  newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0'),
): SigninRuntime {
  const signer =
    'kmsKeyId' in config.signer
      ? kmsSigner(config.signer.kmsKeyId, config.signer.region)
      : localKeySigner(config.signer.localKey);
  return {
    ...base,
    signing: { signer, issuer: config.issuer, audience: config.audience },
    signInKey: config.signInKey,
    sms: config.sms === 'log' ? loggingSmsSender : null,
    newCode,
  };
}

export const signinRuntimeFromEnv = (env: NodeJS.ProcessEnv = process.env): SigninRuntime =>
  signinRuntimeOf(runtimeFromEnv(env), signinConfigFromEnv(env));

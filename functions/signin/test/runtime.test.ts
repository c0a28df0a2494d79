/** The sign-in function's configuration: read once from the environment, refused at start-up when incomplete. */
import { describe, expect, it } from 'vitest';
import { signinConfigFromEnv } from '../runtime';

const AWS = {
  SESSION_ISSUER: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn',
  SESSION_AUDIENCE: 'kehou-guardians',
  SESSION_KMS_KEY_ID: 'arn:aws-cn:kms:cn-north-1:123456789012:key/k-1',
  SIGNIN_KEY: 's'.repeat(64),
  AWS_REGION: 'cn-north-1',
};
const LOCAL = {
  ...AWS,
  SESSION_KMS_KEY_ID: undefined,
  SESSION_SIGNING_KEY: JSON.stringify({ kid: 'dev-1', privateJwk: { kty: 'EC' } }),
  SMS_SENDER: 'log',
};

describe('the sign-in configuration', () => {
  it('on AWS: a KMS key, no SMS sender', () => {
    expect(signinConfigFromEnv(AWS)).toEqual({
      issuer: AWS.SESSION_ISSUER,
      audience: 'kehou-guardians',
      signer: { kmsKeyId: AWS.SESSION_KMS_KEY_ID, region: 'cn-north-1' },
      signInKey: AWS.SIGNIN_KEY,
      sms: null,
    });
  });

  it('locally: the development key, codes to the log', () => {
    expect(signinConfigFromEnv(LOCAL)).toMatchObject({ signer: { localKey: { kid: 'dev-1' } }, sms: 'log' });
  });

  it.each([
    ['no issuer', { ...AWS, SESSION_ISSUER: undefined }, /SESSION_ISSUER/],
    ['no audience', { ...AWS, SESSION_AUDIENCE: '' }, /SESSION_AUDIENCE/],
    ['no sign-in key', { ...AWS, SIGNIN_KEY: undefined }, /SIGNIN_KEY/],
    ['a short sign-in key', { ...AWS, SIGNIN_KEY: 'short' }, /32\+ characters/],
    ['no signing key', { ...AWS, SESSION_KMS_KEY_ID: undefined }, /one of/],
    ['two signing keys', { ...LOCAL, SESSION_KMS_KEY_ID: 'k' }, /one of/],
    ['a malformed local key', { ...LOCAL, SESSION_SIGNING_KEY: '{"kid":1}' }, /SESSION_SIGNING_KEY/],
    ['an unknown SMS sender', { ...AWS, SMS_SENDER: 'sns' }, /SMS_SENDER/],
  ])('refuses %s', (_what, env, message) => {
    expect(() => signinConfigFromEnv(env)).toThrow(message);
  });
});

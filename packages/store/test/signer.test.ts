/**
 * Session tokens signed by the local development key and by KMS (its client mocked: KMS
 * signs with an RSA key the test holds) verify as JWTs against the JWKS the signer publishes,
 * with the algorithm each API Gateway accepts; KMS's throttling is a 503 to retry.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { Unavailable } from '@kehou/domain';
import { kmsSigner, localKeySigner, signJwt } from '../src/signer';

const claims = { sub: 'gu-1', 'cognito:groups': ['parent'], iss: 'https://issuer.test', aud: 'kehou-test', exp: 4_000_000_000 };
const KEY_ARN = 'arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('the local signer', () => {
  it('signs ES256 JWTs that verify against its JWKS', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const signer = localKeySigner({ kid: 'dev-1', privateJwk: await exportJWK(privateKey) });
    const jwt = await signJwt(signer, claims);
    const jwk = await signer.publicJwk();
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'dev-1', alg: 'ES256', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet({ keys: [jwk] }), {
      issuer: claims.iss,
      audience: claims.aud,
    });
    expect(protectedHeader).toEqual({ alg: 'ES256', kid: 'dev-1', typ: 'JWT' });
    expect(payload).toEqual(claims);
  });
});

describe('the KMS signer', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kmsSigns = () =>
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array; SigningAlgorithm: string; MessageType: string }) => {
      expect(input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' });
      return { Signature: sign('sha256', input.Message, rsa.privateKey), KeyId: KEY_ARN };
    });
  const publicKey = () => ({ PublicKey: rsa.publicKey.export({ format: 'der', type: 'spki' }), KeyId: KEY_ARN });

  it('signs RS256 JWTs (what API Gateway verifies) that verify against the JWKS of its public key', async () => {
    kmsSigns();
    kms.on(GetPublicKeyCommand).resolves(publicKey());
    const signer = kmsSigner(KEY_ARN, 'cn-north-1');
    const jwt = await signJwt(signer, claims);
    const jwk = await signer.publicJwk();
    expect(jwk).toMatchObject({ kty: 'RSA', kid: '1234abcd-12ab-34cd-56ef-1234567890ab', alg: 'RS256', use: 'sig' });
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet({ keys: [jwk] }), { algorithms: ['RS256'] });
    expect(protectedHeader.kid).toBe(jwk.kid);
    expect(payload).toEqual(claims);
    // the public key is asked for once per container
    await signer.publicJwk();
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('answers 503 when KMS throttles, and asks for the public key again after a failure', async () => {
    kms.on(SignCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    kms
      .on(GetPublicKeyCommand)
      .rejectsOnce(Object.assign(new Error('busy'), { name: 'KMSInternalException' }))
      .resolves(publicKey());
    const signer = kmsSigner(KEY_ARN, 'cn-north-1');
    await expect(signJwt(signer, claims)).rejects.toBeInstanceOf(Unavailable);
    await expect(signer.publicJwk()).rejects.toBeInstanceOf(Unavailable);
    await expect(signer.publicJwk()).resolves.toMatchObject({ kty: 'RSA' });
  });

  it('lets other failures through (a key it may not use is a fault to see, not a busy service)', async () => {
    kms.on(SignCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(signJwt(kmsSigner(KEY_ARN, 'cn-north-1'), claims)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

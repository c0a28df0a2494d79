/**
 * What signs guardians' session tokens (JWS, compact): a key the product controls. On AWS an
 * asymmetric KMS key — RSA 2048, RS256, as API Gateway's JWT authorizers verify only RSA
 * signatures — whose private half never leaves KMS; locally the development key (ES256), which
 * the local gateway trusts. The public half is published as a JWKS (GET /.well-known/jwks.json).
 */
import { createPrivateKey, createPublicKey, sign, type JsonWebKey } from 'node:crypto';
import { Unavailable } from '@kehou/domain';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: 'sig';
}

export interface TokenSigner {
  alg: 'RS256' | 'ES256';
  kid: string;
  /** the signature of a JWS signing input */
  sign(input: Buffer): Promise<Buffer>;
  publicJwk(): Promise<PublicJwk>;
}

const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A JWT of these claims, signed. */
export async function signJwt(signer: TokenSigner, claims: Record<string, unknown>): Promise<string> {
  const input = `${part({ alg: signer.alg, kid: signer.kid, typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${(await signer.sign(Buffer.from(input))).toString('base64url')}`;
}

/** A P-256 private key in JWK form (the local development key): ES256, signatures as JWS wants them (r‖s). */
export function localKeySigner(key: { kid: string; privateJwk: JsonWebKey }): TokenSigner {
  const privateKey = createPrivateKey({ key: key.privateJwk, format: 'jwk' });
  const jwk: PublicJwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: key.kid, alg: 'ES256', use: 'sig' };
  return {
    alg: 'ES256',
    kid: key.kid,
    sign: async (input) => sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
    publicJwk: async () => jwk,
  };
}

/** KMS's refusals that pass: the caller may retry. */
const BUSY = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException', 'LimitExceededException']);
async function kmsCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw BUSY.has((e as { name?: string }).name ?? '') ? new Unavailable('Signing in is busy; please retry shortly', 1) : e;
  }
}

/**
 * An asymmetric KMS key (key spec RSA_2048, usage SIGN_VERIFY). The KMS client is imported at
 * the first use, not at start-up: most requests of the function sign nothing. The public key is
 * asked for once per container.
 */
export function kmsSigner(keyId: string, region: string): TokenSigner {
  type Kms = typeof import('@aws-sdk/client-kms');
  let kms: Promise<{ m: Kms; client: InstanceType<Kms['KMSClient']> }> | undefined;
  const client = () =>
    (kms ??= import('@aws-sdk/client-kms').then((m) => ({ m, client: new m.KMSClient({ region, maxAttempts: 3 }) })));
  const kid = keyId.slice(keyId.lastIndexOf('/') + 1);
  let jwk: Promise<PublicJwk> | undefined;
  const publicJwk = async (): Promise<PublicJwk> => {
    const { m, client: c } = await client();
    const out = await kmsCall(() => c.send(new m.GetPublicKeyCommand({ KeyId: keyId })));
    const key = createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
    return { ...key.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  };
  return {
    alg: 'RS256',
    kid,
    async sign(input) {
      const { m, client: c } = await client();
      const out = await kmsCall(() =>
        c.send(
          new m.SignCommand({ KeyId: keyId, Message: input, MessageType: 'RAW', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }),
        ),
      );
      return Buffer.from(out.Signature!);
    },
    publicJwk: () =>
      (jwk ??= publicJwk().catch((e: unknown) => {
        jwk = undefined; // asked again next time
        throw e;
      })),
  };
}

/**
 * Local sign-in: tokens signed by a development key, shaped like Cognito ID tokens
 * (`sub`, `cognito:groups`, `custom:schools`, `custom:district`). The local server
 * verifies them exactly where API Gateway's JWT authorizer would. The key is made on first
 * use and kept in the data folder; it is trusted by nothing but the local server.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role } from '@kehou/domain';
import { roleClaims } from '@kehou/http';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export const DEV_ISSUER = 'https://kehou.local/dev';
export const DEV_AUDIENCE = 'kehou-local';

export interface DevKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function createDevKey(): Promise<DevKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

export async function loadOrCreateDevKey(file: string): Promise<DevKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevKey;
  const key = await createDevKey();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}

export interface TokenRequest {
  role: Role;
  userId?: string;
  /** the schools where the user has this role */
  schools?: string[];
  district?: string;
  /** lifetime, default 12 hours */
  seconds?: number;
  /** issue time, default now (tests pass a past time to make an expired token) */
  issuedAt?: Date;
}

export async function signToken(key: DevKey, req: TokenRequest): Promise<string> {
  const iat = Math.floor((req.issuedAt ?? new Date()).getTime() / 1000);
  return new SignJWT(roleClaims(req) as JWTPayload)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setSubject(req.userId ?? `dev-${req.role}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (req.seconds ?? 12 * 3600))
    .sign(await importJWK(key.privateJwk, 'ES256'));
}

/**
 * What API Gateway's JWT authorizer does: check signature, issuer, audience and expiry,
 * then hand the claims to the function as strings (arrays become "[a b]").
 */
export function jwtAuthorizer(key: DevKey) {
  const publicKey = importJWK(key.publicJwk, 'ES256');
  return async (authorization: string | undefined): Promise<Record<string, string> | null> => {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return null;
    try {
      const { payload } = await jwtVerify(m[1]!, await publicKey, {
        issuer: DEV_ISSUER,
        audience: DEV_AUDIENCE,
        algorithms: ['ES256'],
      });
      return Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
    } catch {
      return null;
    }
  };
}

import { describe, expect, it } from 'vitest';
import { authorizeUrl, codeChallenge, logoutUrl, randomToken, tokenRequest } from '../src/auth/pkce';

const client = { domain: 'https://kehou.auth.ap-east-1.amazoncognito.com', clientId: 'abc123' };

describe('PKCE', () => {
  it('derives the S256 challenge: base64url of the SHA-256 of the verifier, unpadded', async () => {
    // echo -n <verifier> | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '='
    expect(await codeChallenge('dBjftJeZ4CVP-mJ0kZfcBSkqeHh8s8lRuYK8vC7_8xA')).toBe(
      'gflPyDF9q1aDWda52Psl9LAm84_nmQA4lyCWWvwRqaQ',
    );
  });

  it('makes verifiers of 43 URL-safe characters from 32 random bytes, never the same twice', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
    expect(randomToken(32, (b) => (b.set(bytes), b))).toBe('__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA');
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
  });

  it('sends the user to the authorize endpoint with the code flow, the challenge and the state', () => {
    const url = new URL(
      authorizeUrl({
        ...client,
        redirectUri: 'https://app.example.cn/auth/callback',
        scopes: ['openid', 'email'],
        state: 'st',
        challenge: 'ch',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://kehou.auth.ap-east-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'abc123',
      redirect_uri: 'https://app.example.cn/auth/callback',
      scope: 'openid email',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('trades the code and the verifier at the token endpoint, form-encoded, with no secret', () => {
    const req = tokenRequest({ ...client, redirectUri: 'https://app.example.cn/auth/callback', code: 'c0de', verifier: 'v' });
    expect(req.url).toBe('https://kehou.auth.ap-east-1.amazoncognito.com/oauth2/token');
    expect(req.init.method).toBe('POST');
    expect(req.init.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(new URLSearchParams(req.init.body as string))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'abc123',
      code: 'c0de',
      redirect_uri: 'https://app.example.cn/auth/callback',
      code_verifier: 'v',
    });
  });

  it('signs out at the logout endpoint, back to the app', () => {
    expect(logoutUrl({ ...client, logoutUri: 'https://app.example.cn/' })).toBe(
      'https://kehou.auth.ap-east-1.amazoncognito.com/logout?client_id=abc123&logout_uri=https%3A%2F%2Fapp.example.cn%2F',
    );
  });
});

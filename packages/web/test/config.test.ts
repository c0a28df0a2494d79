import { describe, expect, it } from 'vitest';
import { jwtExpiry } from '../src/auth/jwt';
import { parseConfig } from '../src/config';

describe('the runtime configuration', () => {
  it('reads the local and the Cognito shapes, with the default scopes', () => {
    expect(parseConfig({ apiBase: '', auth: { mode: 'dev' } })).toEqual({ apiBase: '', auth: { mode: 'dev' } });
    expect(
      parseConfig({ auth: { mode: 'cognito', domain: 'https://k.auth.ap-east-1.amazoncognito.com', clientId: 'c1' } }),
    ).toEqual({
      apiBase: '',
      auth: {
        mode: 'cognito',
        domain: 'https://k.auth.ap-east-1.amazoncognito.com',
        clientId: 'c1',
        scopes: ['openid', 'email', 'profile'],
      },
    });
    expect(parseConfig({ apiBase: 'https://api.example.cn', auth: { mode: 'dev' } }).apiBase).toBe('https://api.example.cn');
    expect(parseConfig({ guardianApiBase: 'https://g.example.cn', auth: { mode: 'dev' } })).toEqual({
      apiBase: '',
      guardianApiBase: 'https://g.example.cn',
      auth: { mode: 'dev' },
    });
  });

  it('refuses what it cannot use, naming the field', () => {
    expect(() => parseConfig(null)).toThrow('config.json: is not a JSON object');
    expect(() => parseConfig({ apiBase: 'https://api.example.cn/', auth: { mode: 'dev' } })).toThrow('apiBase');
    expect(() => parseConfig({ apiBase: '' })).toThrow('auth is missing');
    expect(() => parseConfig({ guardianApiBase: '', auth: { mode: 'dev' } })).toThrow('guardianApiBase');
    expect(() => parseConfig({ auth: { mode: 'password' } })).toThrow('auth.mode');
    expect(() => parseConfig({ auth: { mode: 'cognito', domain: 'http://k.example', clientId: 'c' } })).toThrow('auth.domain');
    expect(() => parseConfig({ auth: { mode: 'cognito', domain: 'https://k.example' } })).toThrow('auth.clientId');
  });
});

describe('a token', () => {
  it('expires at its exp claim; anything unreadable is expired', () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(jwtExpiry(`${part({ alg: 'ES256' })}.${part({ sub: 'u', exp: 1_800_000_000 })}.sig`)).toBe(1_800_000_000_000);
    expect(jwtExpiry(`${part({ alg: 'ES256' })}.${part({ sub: 'u' })}.sig`)).toBe(0);
    expect(jwtExpiry('garbage')).toBe(0);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { CLAIM, principalFromClaims, roleClaims } from '@kehou/http';
import { claimsOf } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

describe('principalFromClaims', () => {
  it('reads groups given as a JSON array', () => {
    // Prepare
    const claims = claimsOf({ sub: 'u-1', groups: ['admin', 'teacher'], schools: 's-1' });
    // Act
    const p = principalFromClaims(claims);
    // Assess
    expect(p).not.toBeNull();
    expect([...p!.roles].sort()).toEqual(['admin', 'teacher']);
    expect(p!.userId).toBe('u-1');
  });

  it('reads groups as API Gateway hands arrays over: "[admin teacher]"', () => {
    const p = principalFromClaims(claimsOf({ sub: 'u-1', groups: '[admin teacher]' }));
    expect([...p!.roles].sort()).toEqual(['admin', 'teacher']);
  });

  it('reads a single group given as a plain string', () => {
    const p = principalFromClaims(claimsOf({ sub: 'u-1', groups: 'parent' }));
    expect([...p!.roles]).toEqual(['parent']);
  });

  it('ignores groups that are not roles, including near misses in case', () => {
    const p = principalFromClaims(claimsOf({ sub: 'u-1', groups: ['superuser', 'Admin', 'admin', 'us-east-1_pool'] }));
    expect([...p!.roles]).toEqual(['admin']);
  });

  it('gives no roles (but still a principal) when there are no groups, or groups of the wrong type', () => {
    expect([...principalFromClaims(claimsOf({ sub: 'u-1' }))!.roles]).toEqual([]);
    expect([...principalFromClaims(claimsOf({ sub: 'u-1', groups: 42 }))!.roles]).toEqual([]);
    expect([...principalFromClaims(claimsOf({ sub: 'u-1', groups: '[]' }))!.roles]).toEqual([]);
  });

  const memberships = (schools: unknown, groups: unknown = ['admin', 'parent']) =>
    Object.fromEntries(
      [...principalFromClaims({ sub: 'u', 'cognito:groups': groups, 'custom:schools': schools })!.memberships].map(([k, v]) => [
        k,
        [...v].sort(),
      ]),
    );

  it('reads custom:schools as schoolId:role pairs, comma-separated, with or without spaces', () => {
    expect(memberships('s-1:admin,s-2:parent')).toEqual({ 's-1': ['admin'], 's-2': ['parent'] });
    expect(memberships(' s-1:admin , s-1:parent ,')).toEqual({ 's-1': ['admin', 'parent'] });
    expect(memberships(['s-3:teacher'])).toEqual({ 's-3': ['teacher'] });
  });

  it('grants nothing for an entry without a known role', () => {
    expect(memberships('s-1')).toEqual({});
    expect(memberships('s-1:root,:admin,s-2:')).toEqual({});
  });

  it('has no schools when custom:schools is missing or empty', () => {
    expect(memberships(undefined)).toEqual({});
    expect(memberships('')).toEqual({});
  });

  it('reads custom:district, and takes an empty or non-string one as none', () => {
    expect(principalFromClaims(claimsOf({ sub: 'u', district: 'd-1' }))!.district).toBe('d-1');
    expect(principalFromClaims(claimsOf({ sub: 'u', district: '' }))!.district).toBeNull();
    expect(principalFromClaims(claimsOf({ sub: 'u', district: 7 }))!.district).toBeNull();
    expect(principalFromClaims(claimsOf({ sub: 'u' }))!.district).toBeNull();
  });

  it('returns null without a usable sub', () => {
    expect(principalFromClaims(undefined)).toBeNull();
    expect(principalFromClaims({})).toBeNull();
    expect(principalFromClaims(claimsOf({ groups: ['admin'], schools: 's-1' }))).toBeNull();
    expect(principalFromClaims({ sub: '' })).toBeNull();
    expect(principalFromClaims({ sub: 12345 })).toBeNull();
  });

  it('uses the claim names Cognito uses', () => {
    expect(CLAIM).toEqual({ groups: 'cognito:groups', schools: 'custom:schools', district: 'custom:district' });
  });
});

describe('roleClaims', () => {
  it("is what Cognito's ID tokens carry for one role, and reads back as that role at those schools", () => {
    const claims = roleClaims({ role: 'parent', schools: ['s-1', 's-2'] });
    expect(claims).toEqual({ [CLAIM.groups]: ['parent'], token_use: 'id', [CLAIM.schools]: 's-1:parent,s-2:parent' });
    const p = principalFromClaims({ sub: 'gu-1', ...claims })!;
    expect([...p.roles]).toEqual(['parent']);
    expect([...p.memberships.keys()]).toEqual(['s-1', 's-2']);
    expect(roleClaims({ role: 'district', district: 'd-1' })).toEqual({
      [CLAIM.groups]: ['district'],
      token_use: 'id',
      [CLAIM.district]: 'd-1',
    });
  });
});

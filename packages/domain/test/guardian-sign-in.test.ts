import { describe, expect, it } from 'vitest';
import {
  afterWrongCode,
  alreadyInvited,
  codeMatches,
  expectedCode,
  guardianUserId,
  InvitationRequest,
  invitationSecret,
  InvitationToken,
  invitationState,
  isLive,
  maskName,
  newInvitation,
  newSession,
  phoneDigits,
  phoneHint,
  RefreshToken,
  refreshOutcome,
  refreshParts,
  rotated,
  RuleViolation,
  sha256,
  SIGN_IN,
  smsCodeAllowed,
  smsSent,
  smsText,
  SmsSignature,
  TooManyAttempts,
  usableInvitation,
  type Invitation,
} from '../src/index';

const NOW = new Date('2026-09-01T08:00:00.000Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const later = (ms: number) => new Date(NOW.getTime() + ms);
const KEY = 'k'.repeat(40);

const invitation = (o: Partial<Invitation> = {}): Invitation => ({
  ...newInvitation(
    { invitationId: 'inv-1', schoolId: 's-1', guardianId: 'g-1', tokenHash: 'h', smsSignature: null },
    { by: 'admin-1', now: NOW },
  ),
  ...o,
});

/** What a refusal is: its rule, or 429 with its wait. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof RuleViolation) return e.rule;
    if (e instanceof TooManyAttempts) return `429 after ${e.retryAfterSeconds} s`;
    throw e;
  }
  return 'none';
}

describe('an invitation', () => {
  it('is open for 14 days, confirmed by phone digits unless the school has an SMS signature', () => {
    const inv = invitation();
    expect(inv).toMatchObject({
      status: 'open',
      confirmBy: 'phone-digits',
      failures: 0,
      validUntil: later(14 * DAY).toISOString(),
    });
    expect(invitationState(inv, later(14 * DAY - 1))).toBe('open');
    expect(invitationState(inv, later(14 * DAY))).toBe('expired');
    expect(refusal(() => usableInvitation(inv, later(14 * DAY)))).toBe('invitation-expired');
    const bySms = newInvitation(
      { invitationId: 'inv-2', schoolId: 's-1', guardianId: 'g-1', tokenHash: 'h', smsSignature: '德阳一小' },
      { by: 'admin-1', now: NOW },
    );
    expect(bySms.confirmBy).toBe('sms-code');
  });

  it('is used once, and a void one stays void', () => {
    expect(refusal(() => usableInvitation(invitation({ status: 'redeemed' }), NOW))).toBe('invitation-used');
    expect(refusal(() => usableInvitation(invitation({ status: 'void' }), NOW))).toBe('invitation-void');
    expect(refusal(() => usableInvitation(invitation(), NOW))).toBe('none');
  });

  it('counts wrong codes: 4 tell how many tries are left, the 5th pauses it 15 minutes, the 10th voids it', () => {
    let inv = invitation();
    const seen: string[] = [];
    let at = NOW;
    for (let i = 1; i <= SIGN_IN.triesInAll; i++) {
      const { next, refusal: r, action } = afterWrongCode(inv, at);
      inv = { ...inv, ...next };
      seen.push(
        r instanceof RuleViolation
          ? `${action} ${r.rule} ${(r.details as { triesLeft?: number } | undefined)?.triesLeft ?? ''}`.trim()
          : `${action} ${(r as TooManyAttempts).retryAfterSeconds}`,
      );
      if (inv.pausedUntil) {
        expect(refusal(() => usableInvitation(inv, at))).toBe('429 after 900 s');
        expect(invitationState(inv, at)).toBe('paused');
        at = new Date(Date.parse(inv.pausedUntil) + 1);
        expect(refusal(() => usableInvitation(inv, at))).toBe('none');
      }
    }
    expect(seen).toEqual([
      'wrong-code wrong-code 4',
      'wrong-code wrong-code 3',
      'wrong-code wrong-code 2',
      'wrong-code wrong-code 1',
      'paused 900',
      'wrong-code wrong-code 4',
      'wrong-code wrong-code 3',
      'wrong-code wrong-code 2',
      'wrong-code wrong-code 1',
      'voided invitation-void',
    ]);
    expect(inv.status).toBe('void');
  });

  it('is confirmed with the last four digits of the phone number, or the SMS code sent', () => {
    const inv = invitation();
    expect(phoneDigits('13800138000')).toBe('8000');
    expect(codeMatches(expectedCode(inv, '13800138000', NOW), '8000')).toBe(true);
    expect(codeMatches(expectedCode(inv, '13800138000', NOW), '8001')).toBe(false);
    expect(codeMatches(expectedCode(inv, '13800138000', NOW), '800')).toBe(false);

    const sms = invitation({ confirmBy: 'sms-code', smsSignature: '德阳一小' });
    expect(refusal(() => expectedCode(sms, '13800138000', NOW))).toBe('sms-code-missing');
    const sent = { ...sms, sms: smsSent(sms, '123456', NOW) };
    expect(codeMatches(expectedCode(sent, '13800138000', NOW), '123456')).toBe(true);
    expect(codeMatches(expectedCode(sent, '13800138000', NOW), '8000')).toBe(false);
    expect(refusal(() => expectedCode(sent, '13800138000', later(10 * MINUTE)))).toBe('sms-code-missing');
  });

  it('sends an SMS code once a minute, five in all, and only where it is confirmed so', () => {
    expect(refusal(() => smsCodeAllowed(invitation(), NOW))).toBe('no-sms-code');
    let inv = invitation({ confirmBy: 'sms-code', smsSignature: '德阳一小' });
    let at = NOW;
    for (let i = 0; i < SIGN_IN.smsCodesInAll; i++) {
      expect(refusal(() => smsCodeAllowed(inv, at))).toBe('none');
      inv = { ...inv, sms: smsSent(inv, '123456', at) };
      const soon = refusal(() => smsCodeAllowed(inv, new Date(at.getTime() + 30_000)));
      expect(soon).toBe(i < SIGN_IN.smsCodesInAll - 1 ? '429 after 30 s' : 'sms-codes-used-up');
      at = new Date(at.getTime() + MINUTE);
    }
    expect(refusal(() => smsCodeAllowed(inv, at))).toBe('sms-codes-used-up');
    expect(smsText('德阳一小', '123456')).toMatch(/^【德阳一小】.*123456.*10 分钟/);
  });

  it('leaves out of a bulk invitation whoever has signed in or holds one that can still be used', () => {
    expect(alreadyInvited({ userId: null }, undefined, NOW)).toBe(false);
    expect(alreadyInvited({ userId: 'u' }, undefined, NOW)).toBe(true);
    expect(alreadyInvited({ userId: null }, invitation(), NOW)).toBe(true);
    expect(alreadyInvited({ userId: null }, invitation({ pausedUntil: later(MINUTE).toISOString() }), NOW)).toBe(true);
    expect(alreadyInvited({ userId: null }, invitation(), later(15 * DAY))).toBe(false);
    expect(alreadyInvited({ userId: null }, invitation({ status: 'void' }), NOW)).toBe(false);
  });
});

describe('secrets and what is shown', () => {
  it("derives an invitation's secret from its id and the key: the same again, another for another id or key", () => {
    const s = invitationSecret(KEY, 'inv-1');
    expect(InvitationToken.safeParse(s).success).toBe(true);
    expect(invitationSecret(KEY, 'inv-1')).toBe(s);
    expect(invitationSecret(KEY, 'inv-2')).not.toBe(s);
    expect(invitationSecret('x'.repeat(40), 'inv-1')).not.toBe(s);
    expect(sha256(s)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a phone number one account in every school, which does not show the number', () => {
    const id = guardianUserId(KEY, '13800138000');
    expect(id).toBe(guardianUserId(KEY, '13800138000'));
    expect(id).not.toBe(guardianUserId(KEY, '13800138001'));
    expect(id).toMatch(/^gu-[A-Za-z0-9_-]{24}$/);
    expect(id).not.toContain('8000');
  });

  it('masks names and numbers', () => {
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('明妈')).toBe('明*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('李')).toBe('*');
    expect(phoneHint('13800138000', 'phone-digits')).toBe('138********');
    expect(phoneHint('13800138000', 'sms-code')).toBe('138****8000');
  });
});

describe('a session', () => {
  const session = () =>
    newSession({ sessionId: 'se-1', userId: 'u-1', schoolId: 's-1', guardianId: 'g-1', secretHash: sha256('secret-1') }, NOW);

  it('rotates with its secret; the secret before it ends it; another is nothing', () => {
    const s = session();
    expect(refreshOutcome(s, 'secret-1', NOW)).toBe('rotate');
    const r = rotated(s, sha256('secret-2'), later(DAY));
    expect(refreshOutcome(r, 'secret-2', later(DAY))).toBe('rotate');
    expect(refreshOutcome(r, 'secret-1', later(DAY))).toBe('reuse');
    expect(refreshOutcome(r, 'secret-0', later(DAY))).toBe('unknown');
    expect(refreshOutcome({ ...r, status: 'ended' }, 'secret-2', later(DAY))).toBe('ended');
  });

  it('ends 90 days after its last refresh, and a year after it began', () => {
    const s = session();
    expect(isLive(s, later(90 * DAY - 1))).toBe(true);
    expect(refreshOutcome(s, 'secret-1', later(90 * DAY))).toBe('ended');
    let r = s;
    for (let d = 80; d < 365; d += 80) r = rotated(r, r.secretHash, later(d * DAY));
    expect(r.idleUntil).toBe(r.endsAt); // the last refresh's 90 days reach past the year
    expect(refreshOutcome(r, 'secret-1', later(365 * DAY))).toBe('ended');
  });

  it('has refresh tokens of its id and a secret', () => {
    expect(refreshParts('se-1.abc')).toEqual({ sessionId: 'se-1', secret: 'abc' });
    expect(RefreshToken.safeParse(`se-1.${'a'.repeat(32)}`).success).toBe(true);
    for (const bad of ['se-1', `.${'a'.repeat(32)}`, `se 1.${'a'.repeat(32)}`, `se-1.${'a'.repeat(31)}`])
      expect(RefreshToken.safeParse(bad).success, bad).toBe(false);
  });
});

describe('the inputs', () => {
  it('say which field is wrong in a request for invitations', () => {
    const paths = (v: unknown) => InvitationRequest.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(InvitationRequest.safeParse({ scope: 'homeroom', grade: 3, homeroom: '2' }).success).toBe(true);
    expect(paths({ scope: 'homeroom', grade: 13 })).toEqual(expect.arrayContaining(['grade', 'homeroom']));
    expect(paths({ scope: 'guardian' })).toEqual(['guardianId']);
    expect(paths({ scope: 'everyone' })).toEqual(['scope']);
  });

  it('take an SMS signature of 2–12 letters or digits, without brackets', () => {
    expect(SmsSignature.safeParse('德阳一小').success).toBe(true);
    for (const bad of ['德', '【德阳一小】', 'x'.repeat(13)]) expect(SmsSignature.safeParse(bad).success, bad).toBe(false);
  });
});

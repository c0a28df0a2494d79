/**
 * Guardians sign in through the product, not a per-user identity service. The school invites
 * each guardian (a link: single use, expiring); the guardian opens it and confirms something
 * only they know — the last four digits of the phone number the school has for them, or a
 * one-time code sent to it by SMS where the school has a sender — and gets a session: a
 * short-lived access token and a rotating refresh token. Pure: the clock, randomness and keys
 * come in as arguments.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { Id, Instant, Page, Text } from './common';
import { RuleViolation, TooManyAttempts, type DomainError } from './errors';
import { Relation, StudentNo } from './people';

export const SIGN_IN = {
  /** how long an invitation can be used */
  invitationDays: 14,
  /** an access token's life */
  accessTokenSeconds: 15 * 60,
  /** a session not used for this long ends (longer than a summer holiday) */
  idleDays: 90,
  /** and every session after this */
  sessionDays: 365,
  /** wrong codes in a row before a pause */
  triesBeforePause: 5,
  pauseMinutes: 15,
  /**
   * wrong codes in all, after which the invitation is void and the school issues a new one:
   * someone holding a lost slip has 10 guesses of 10,000
   */
  triesInAll: 10,
  smsCodeMinutes: 10,
  smsResendSeconds: 60,
  smsCodesInAll: 5,
  /** invitations one request makes (its answer lists each link; ask again for the rest) */
  perRequest: 500,
} as const;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const plus = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

// ---------------------------------------------------------------- schemas

export const ConfirmBy = z.enum(['phone-digits', 'sms-code']).meta({
  description:
    'phone-digits: the guardian enters the last four digits of the phone number the school has for them; ' +
    'sms-code: a one-time code the product sends to that number by SMS',
});
export type ConfirmBy = z.infer<typeof ConfirmBy>;

const GradeLevel = z.number().int().min(1).max(12);

export const InvitationRequest = z
  .discriminatedUnion('scope', [
    z.object({ scope: z.literal('guardian'), guardianId: Id }),
    z.object({ scope: z.literal('homeroom'), grade: GradeLevel, homeroom: Text(20) }),
    z.object({ scope: z.literal('grade'), grade: GradeLevel }),
    z.object({ scope: z.literal('school') }),
  ])
  .meta({
    description:
      'Whom to invite: one guardian (always: a new invitation replaces one not yet used), or the guardians of a homeroom, ' +
      'a grade or the whole school who have neither signed in nor an invitation they can still use.',
  });
export type InvitationRequest = z.infer<typeof InvitationRequest>;

/** The secret of an invitation, as its link carries it. */
export const InvitationToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not an invitation link');

export const RedeemRequest = z.object({
  code: z
    .string()
    .regex(/^(\d{4}|\d{6})$/, 'must be the last 4 digits of your phone number, or the 6-digit code sent to it')
    .meta({ example: '8000' }),
});

/** `<sessionId>.<secret>` */
export const RefreshToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{32}$/, 'is not a refresh token')
  .meta({ description: 'the refresh token of your last sign-in or refresh' });
export const RefreshRequest = z.object({ refreshToken: RefreshToken });

export const ChildRef = z.object({ studentNo: StudentNo, name: z.string(), gradeLevel: z.number(), homeroom: z.string() });
export type ChildRef = z.infer<typeof ChildRef>;

export const InvitationState = z.enum(['open', 'paused', 'redeemed', 'expired', 'void']).meta({
  description:
    'open: can be used; paused: too many wrong codes in a row, usable again at `pausedUntil`; redeemed: used (each ' +
    'invitation signs in once); expired; void: too many wrong codes in all',
});
export type InvitationState = z.infer<typeof InvitationState>;

const InvitationLinks = {
  path: z.string().meta({ description: "the invitation's page in the web app, /invite/{token}" }),
  url: z.string().meta({ description: 'the same, absolute: the link to send, or to print as a QR code' }),
};

export const InvitationLink = z.object({
  invitationId: Id,
  guardianId: Id,
  guardianName: z.string(),
  relation: Relation,
  children: z.array(ChildRef),
  confirmBy: ConfirmBy,
  expiresAt: Instant,
  ...InvitationLinks,
});
export type InvitationLink = z.infer<typeof InvitationLink>;

export const InvitationsCreated = z.object({
  items: z.array(InvitationLink).meta({ description: 'each invitation made, with its link' }),
  skipped: z.number().int().meta({ description: 'guardians left out: signed in already, or with an invitation they can use' }),
  remaining: z
    .number()
    .int()
    .meta({ description: `guardians still to invite: one request makes at most ${SIGN_IN.perRequest}; ask again` }),
});

export const InvitationSummary = z.object({
  invitationId: Id,
  state: InvitationState,
  confirmBy: ConfirmBy,
  createdAt: Instant,
  createdBy: z.string(),
  expiresAt: Instant,
  pausedUntil: Instant.nullable(),
  path: InvitationLinks.path.nullable().meta({ description: 'while the invitation can be used: its page, /invite/{token}' }),
  url: InvitationLinks.url.nullable().meta({ description: 'while the invitation can be used: its link' }),
});
export type InvitationSummary = z.infer<typeof InvitationSummary>;

export const InvitationSheet = z.object({
  schoolName: z.string(),
  grade: z.number(),
  homeroom: z.string(),
  items: z.array(
    z.object({
      guardianId: Id,
      guardianName: z.string(),
      relation: Relation,
      children: z.array(ChildRef).meta({ description: "the guardian's children in this homeroom" }),
      signedIn: z.boolean().meta({ description: 'the guardian has an account (has signed in)' }),
      invitation: InvitationSummary.nullable().meta({ description: 'the latest invitation; none yet: null' }),
    }),
  ),
});

export const InvitationPreview = z.object({
  schoolName: z.string(),
  guardianName: z.string().meta({ description: 'masked: 王*明' }),
  children: z.array(z.string()).meta({ description: "the children's names, masked" }),
  confirmBy: ConfirmBy,
  phoneHint: z
    .string()
    .meta({ description: 'the phone number the school has, masked: 138********, or 138****8000 for an SMS code' }),
  expiresAt: Instant,
  state: z.enum([...InvitationState.options, 'replaced']).meta({
    description: 'as an invitation is (open, paused, redeemed, expired, void), or replaced: the school issued a newer one',
  }),
  pausedUntil: Instant.nullable(),
});

export const SmsCodeSent = z.object({
  sentTo: z.string().meta({ description: 'the number, masked' }),
  expiresAt: Instant,
  resendAfter: Instant,
});

export const SessionTokens = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string().meta({ description: 'a JWT for the Authorization header: Bearer <accessToken>' }),
  expiresIn: z.number().int().meta({ description: 'seconds the access token is valid' }),
  refreshToken: RefreshToken.meta({
    description: 'exchange it at POST /tokens/refresh for new tokens before the session ends; each works once',
  }),
  refreshExpiresAt: Instant.meta({ description: 'the session ends then unless refreshed' }),
  userId: Id,
  schools: z.array(Id).meta({ description: 'the schools where you are a guardian' }),
});
export type SessionTokens = z.infer<typeof SessionTokens>;

export const SIGN_IN_ACTIONS = [
  'invited',
  'code-sent',
  'wrong-code',
  'paused',
  'voided',
  'redeemed',
  'signed-out',
  'revoked',
  'reuse-detected',
] as const;
export const SignInEvent = z.object({
  at: Instant,
  action: z.enum(SIGN_IN_ACTIONS),
  by: z.string().nullable().meta({ description: "who: a user id; null: the invitation's holder, not signed in" }),
  detail: z.string().nullable(),
});
export type SignInEvent = z.infer<typeof SignInEvent>;

export const GuardianSession = z.object({
  sessionId: Id,
  createdAt: Instant,
  refreshedAt: Instant,
  idleUntil: Instant.meta({ description: 'the session ends then unless refreshed before' }),
  endsAt: Instant.meta({ description: 'the session ends then in any case' }),
});

export const GuardianSignIn = z.object({
  guardianId: Id,
  guardianName: z.string(),
  userId: z.string().nullable().meta({ description: "the guardian's account; null: never signed in" }),
  invitation: InvitationSummary.nullable(),
  sessions: z.array(GuardianSession).meta({ description: 'sessions that have not ended' }),
  history: Page(SignInEvent).meta({ description: 'what happened, newest first, a page at a time' }),
});

/** The school's choice of how guardians confirm an invitation. */
export const SmsSignature = z
  .string()
  .trim()
  .min(2, 'must be 2–12 letters or digits')
  .max(12, 'must be 2–12 letters or digits')
  // a refinement, not a pattern: JSON Schema's patterns are not read with Unicode classes everywhere
  .refine((s) => /^[\p{L}\p{N} ]+$/u.test(s), 'must be letters or digits only, without 【】 (they are added)')
  .meta({
    description: 'the sender name an SMS starts with, 【德阳一小】; registered with the SMS provider',
    example: '德阳一小',
  });
export const SignInSettingsInput = z.object({
  smsSignature: SmsSignature.nullable().meta({
    description: 'with a signature, invitations are confirmed with a code sent by SMS; null: with the last four digits',
  }),
  version: z.number().int().min(0).meta({ description: 'the version read (0: never set)' }),
});
export const SignInSettings = z.object({
  smsSignature: z.string().nullable(),
  smsAvailable: z.boolean().meta({ description: 'this deployment can send SMS' }),
  version: z.number().int().min(0),
  updatedAt: Instant.nullable(),
  updatedBy: z.string().nullable(),
});

// ---------------------------------------------------------------- records

/** The invitation of a guardian, as stored: one at a time per guardian. */
export interface Invitation {
  invitationId: string;
  schoolId: string;
  guardianId: string;
  /** SHA-256 of its secret: the table never holds the link */
  tokenHash: string;
  confirmBy: ConfirmBy;
  /** for an SMS code: the signature its messages start with (the school's when the invitation was made) */
  smsSignature: string | null;
  status: 'open' | 'redeemed' | 'void';
  createdAt: string;
  createdBy: string;
  validUntil: string;
  /** wrong codes so far */
  failures: number;
  pausedUntil: string | null;
  /** the last SMS code sent (its hash) */
  sms: { codeHash: string; validUntil: string; sentAt: string; sent: number } | null;
  redeemedAt: string | null;
  userId: string | null;
}

export interface Session {
  sessionId: string;
  userId: string;
  /** where it began: the school and guardian its events are told under */
  schoolId: string;
  guardianId: string;
  /** SHA-256 of the current refresh secret, and of the one it replaced */
  secretHash: string;
  previousHash: string | null;
  createdAt: string;
  refreshedAt: string;
  idleUntil: string;
  endsAt: string;
  status: 'active' | 'ended';
  endedAt: string | null;
  endedBy: string | null;
  endedHow: 'signed-out' | 'revoked' | 'reuse-detected' | 'no-school' | null;
}

export interface SignInSettings {
  smsSignature: string | null;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

// ---------------------------------------------------------------- secrets

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Equal, in constant time whatever the inputs. */
export const sameSecret = (a: string, b: string) => timingSafeEqual(Buffer.from(sha256(a)), Buffer.from(sha256(b)));

/**
 * An invitation's secret, derived from its id with the product's sign-in key: the school can
 * print a homeroom's links again, while the table keeps only their hash.
 */
export const invitationSecret = (key: string, invitationId: string) =>
  createHmac('sha256', key).update(`kehou invitation\u0000${invitationId}`).digest('base64url');

/**
 * A guardian's account: one per phone number, in every school (children in two schools, one
 * sign-in), and not the number itself to anyone without the key.
 */
export const guardianUserId = (key: string, phone: string) =>
  `gu-${createHmac('sha256', key).update(`kehou guardian account\u0000${phone}`).digest('base64url').slice(0, 24)}`;

/** The last four digits of a phone number: what a guardian confirms an invitation with. */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '').slice(-4);

/** 王小明 → 王*明, 明妈 → 明*: enough to recognise, not to learn. */
export function maskName(name: string): string {
  const c = [...name.trim()];
  if (c.length <= 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
}

/** The number masked: its last four digits only where they are not the secret (an SMS code is). */
export function phoneHint(phone: string, confirmBy: ConfirmBy): string {
  const d = phone.replace(/\D/g, '');
  return confirmBy === 'sms-code'
    ? `${d.slice(0, 3)}${'*'.repeat(Math.max(0, d.length - 7))}${d.slice(-4)}`
    : `${d.slice(0, 3)}${'*'.repeat(d.length - 3)}`;
}

// ---------------------------------------------------------------- invitations

/** An invitation confirmed by SMS code when the school has an SMS signature (and the product a sender), else by phone digits. */
export function newInvitation(
  o: { invitationId: string; schoolId: string; guardianId: string; tokenHash: string; smsSignature: string | null },
  stamp: { by: string; now: Date },
): Invitation {
  return {
    ...o,
    confirmBy: o.smsSignature === null ? 'phone-digits' : 'sms-code',
    status: 'open',
    createdAt: stamp.now.toISOString(),
    createdBy: stamp.by,
    validUntil: plus(stamp.now, SIGN_IN.invitationDays * DAY),
    failures: 0,
    pausedUntil: null,
    sms: null,
    redeemedAt: null,
    userId: null,
  };
}

export function invitationState(inv: Invitation, now: Date): InvitationState {
  if (inv.status !== 'open') return inv.status;
  const at = now.toISOString();
  if (inv.validUntil <= at) return 'expired';
  if (inv.pausedUntil !== null && inv.pausedUntil > at) return 'paused';
  return 'open';
}

/** Does a bulk invitation leave this guardian out (signed in, or holding an invitation they can still use)? */
export const alreadyInvited = (g: { userId: string | null }, current: Invitation | undefined, now: Date) =>
  g.userId !== null || (current !== undefined && ['open', 'paused'].includes(invitationState(current, now)));

const secondsUntil = (at: string, now: Date) => Math.max(1, Math.ceil((Date.parse(at) - now.getTime()) / 1000));

/** Refuses an invitation that cannot be used now, saying why and what to do. */
export function usableInvitation(inv: Invitation, now: Date): void {
  switch (invitationState(inv, now)) {
    case 'open':
      return;
    case 'redeemed':
      throw new RuleViolation(
        'invitation-used',
        'This invitation has been used already: each one signs in once. To sign in on another phone, ask the school for a new invitation.',
      );
    case 'expired':
      throw new RuleViolation(
        'invitation-expired',
        `This invitation expired (it could be used until ${inv.validUntil}); ask the school for a new one.`,
        { validUntil: inv.validUntil },
      );
    case 'void':
      throw new RuleViolation(
        'invitation-void',
        'Too many wrong codes were entered for this invitation, so it no longer works; ask the school for a new one.',
      );
    case 'paused': {
      const seconds = secondsUntil(inv.pausedUntil!, now);
      throw new TooManyAttempts(`Too many wrong codes in a row: try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    }
  }
}

/** An old link of a guardian whose school has issued a newer invitation. */
export const replacedInvitation = () =>
  new RuleViolation('invitation-replaced', 'The school has issued you a newer invitation: use the newest link.');

/** The code this invitation is confirmed with now, or why there is none (an SMS code not sent, or expired). */
export function expectedCode(inv: Invitation, phone: string, now: Date): { hash: string } | { digits: string } {
  if (inv.confirmBy === 'phone-digits') return { digits: phoneDigits(phone) };
  if (!inv.sms || inv.sms.validUntil <= now.toISOString())
    throw new RuleViolation(
      'sms-code-missing',
      inv.sms ? 'The code sent by SMS has expired: ask for a new one.' : 'Ask for a code by SMS first.',
    );
  return { hash: inv.sms.codeHash };
}

export const codeMatches = (expected: { hash: string } | { digits: string }, given: string) =>
  'digits' in expected ? sameSecret(expected.digits, given) : sameSecret(expected.hash, sha256(given));

/** What a wrong code does to the invitation (counted; a pause; void), and what the guardian is told. */
export function afterWrongCode(
  inv: Invitation,
  now: Date,
): { next: Pick<Invitation, 'failures' | 'pausedUntil' | 'status'>; refusal: DomainError; action: SignInEvent['action'] } {
  const failures = inv.failures + 1;
  if (failures >= SIGN_IN.triesInAll)
    return {
      next: { failures, pausedUntil: null, status: 'void' },
      action: 'voided',
      refusal: new RuleViolation(
        'invitation-void',
        `That code is not right, and it was the ${failures}th wrong one: this invitation no longer works. Ask the school for a new one.`,
      ),
    };
  if (failures % SIGN_IN.triesBeforePause === 0) {
    const seconds = SIGN_IN.pauseMinutes * 60;
    return {
      next: { failures, pausedUntil: plus(now, seconds * 1000), status: 'open' },
      action: 'paused',
      refusal: new TooManyAttempts(
        `That code is not right, ${SIGN_IN.triesBeforePause} times in a row: try again in ${SIGN_IN.pauseMinutes} minutes.`,
        seconds,
      ),
    };
  }
  const left = SIGN_IN.triesBeforePause - (failures % SIGN_IN.triesBeforePause);
  return {
    next: { failures, pausedUntil: null, status: 'open' },
    action: 'wrong-code',
    refusal: new RuleViolation(
      'wrong-code',
      `That code is not right: ${left} ${left === 1 ? 'try' : 'tries'} left before a ${SIGN_IN.pauseMinutes}-minute pause.`,
      { triesLeft: left },
    ),
  };
}

/** May a code be sent by SMS now? The invitation must be usable and ask for one; one a minute, five in all. */
export function smsCodeAllowed(inv: Invitation, now: Date): void {
  usableInvitation(inv, now);
  if (inv.confirmBy !== 'sms-code')
    throw new RuleViolation(
      'no-sms-code',
      'This invitation is confirmed with the last four digits of your phone number, not an SMS code.',
    );
  if (!inv.sms) return;
  if (inv.sms.sent >= SIGN_IN.smsCodesInAll)
    throw new RuleViolation(
      'sms-codes-used-up',
      `${SIGN_IN.smsCodesInAll} codes have been sent for this invitation; ask the school for a new one.`,
    );
  const resend = plus(new Date(inv.sms.sentAt), SIGN_IN.smsResendSeconds * 1000);
  if (resend > now.toISOString())
    throw new TooManyAttempts(
      'A code was sent less than a minute ago: wait for it, or ask again in a moment.',
      secondsUntil(resend, now),
    );
}

/** The invitation's SMS state once `code` is sent. */
export const smsSent = (inv: Invitation, code: string, now: Date): NonNullable<Invitation['sms']> => ({
  codeHash: sha256(code),
  validUntil: plus(now, SIGN_IN.smsCodeMinutes * MINUTE),
  sentAt: now.toISOString(),
  sent: (inv.sms?.sent ?? 0) + 1,
});

/** The text of the SMS, in Chinese as the rules for SMS in China want (the signature first). */
export const smsText = (signature: string, code: string) =>
  `【${signature}】课后服务登录验证码：${code}，${SIGN_IN.smsCodeMinutes} 分钟内有效。请勿告诉他人。`;

// ---------------------------------------------------------------- sessions

export function newSession(
  o: { sessionId: string; userId: string; schoolId: string; guardianId: string; secretHash: string },
  now: Date,
): Session {
  const endsAt = plus(now, SIGN_IN.sessionDays * DAY);
  return {
    ...o,
    previousHash: null,
    createdAt: now.toISOString(),
    refreshedAt: now.toISOString(),
    idleUntil: plus(now, SIGN_IN.idleDays * DAY),
    endsAt,
    status: 'active',
    endedAt: null,
    endedBy: null,
    endedHow: null,
  };
}

/**
 * What a refresh with this secret does: rotate it; or, for the secret it replaced, end the
 * session — a refresh token used twice has been copied, and the copy may be the thief's; or
 * nothing (ended, or a secret that was never this session's).
 */
export function refreshOutcome(s: Session, secret: string, now: Date): 'rotate' | 'reuse' | 'ended' | 'unknown' {
  const at = now.toISOString();
  if (s.status !== 'active' || s.idleUntil <= at || s.endsAt <= at) return 'ended';
  if (sameSecret(s.secretHash, sha256(secret))) return 'rotate';
  if (s.previousHash !== null && sameSecret(s.previousHash, sha256(secret))) return 'reuse';
  return 'unknown';
}

/** The session after a refresh: the new secret's hash, the old one kept to catch its reuse, a new idle limit. */
export const rotated = (s: Session, secretHash: string, now: Date): Session => {
  const idle = plus(now, SIGN_IN.idleDays * DAY);
  return {
    ...s,
    previousHash: s.secretHash,
    secretHash,
    refreshedAt: now.toISOString(),
    idleUntil: idle < s.endsAt ? idle : s.endsAt,
  };
};

export const isLive = (s: Session, now: Date) =>
  s.status === 'active' && s.idleUntil > now.toISOString() && s.endsAt > now.toISOString();

/** A refresh token's parts. */
export function refreshParts(token: string): { sessionId: string; secret: string } {
  const i = token.indexOf('.');
  return { sessionId: token.slice(0, i), secret: token.slice(i + 1) };
}

/**
 * Routes of guardians' sign-in: the school invites guardians (links to print or send); a
 * guardian opens the link — the web app's page /invite/{token} — and redeems it for a session;
 * sessions are refreshed and ended; the school sees and ends a guardian's sessions. The keys that
 * verify session tokens are published for API Gateway's JWT authorizer.
 */
import {
  GuardianSignIn,
  Id,
  InvitationPreview,
  InvitationRequest,
  InvitationSheet,
  InvitationsCreated,
  InvitationToken,
  PageQuery,
  RedeemRequest,
  RefreshRequest,
  SessionTokens,
  SignInSettings,
  SignInSettingsInput,
  SmsCodeSent,
  Text,
} from '@kehou/domain';
import { mayRefuse, route } from '@kehou/http';
import * as z from 'zod';

const tag = 'Sign-in';
const schoolParams = z.object({ schoolId: Id });
const guardianParams = z.object({ schoolId: Id, guardianId: Id });
const tokenParams = z.object({ token: InvitationToken });

/** What redeeming an invitation may be refused for (422), besides a wrong code. */
const UNUSABLE = ['invitation-used', 'invitation-expired', 'invitation-void', 'invitation-replaced'];

export const wellKnownRoutes = {
  openIdConfiguration: route({
    operationId: 'getOpenIdConfiguration',
    method: 'GET',
    path: '/.well-known/openid-configuration',
    summary: "Where the keys that sign guardians' session tokens are published (OpenID discovery)",
    description:
      "API Gateway's JWT authorizer of the guardians' API reads this document at the issuer's address, then the key set " +
      'it names, to verify session tokens.',
    tag,
    auth: 'public',
    response: z.object({
      issuer: z.string(),
      jwks_uri: z.string(),
      id_token_signing_alg_values_supported: z.array(z.string()),
      subject_types_supported: z.array(z.string()),
      response_types_supported: z.array(z.string()),
    }),
    responseHeaders: { 'Cache-Control': 'public, max-age=3600' },
  }),
  jwks: route({
    operationId: 'getJwks',
    method: 'GET',
    path: '/.well-known/jwks.json',
    summary: "The public keys that verify guardians' session tokens (a JWK set)",
    description: 'On AWS the public half of the KMS key that signs them (RS256); locally the development key (ES256).',
    tag,
    auth: 'public',
    response: z.object({
      keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.literal('sig') })),
    }),
    responseHeaders: { 'Cache-Control': 'public, max-age=3600' },
  }),
};

export const invitationRoutes = {
  create: route({
    operationId: 'createInvitations',
    method: 'POST',
    path: '/schools/{schoolId}/invitations',
    summary: 'Invite guardians to sign in: one, a homeroom, a grade or the whole school',
    description:
      'Each invitation is a link to the web app (/invite/{token}) to send or print (as a QR code), usable once, for 14 days. ' +
      'One guardian is always invited (a new invitation replaces one not yet used); a homeroom, a grade or the school invites ' +
      'those who have neither signed in nor an invitation they can still use, at most 500 a request (`remaining` says how ' +
      'many are left: ask again). Guardians confirm with the last four digits of their phone number, or an SMS code where ' +
      'the school has set an SMS signature. A retry with the same Idempotency-Key gets the first answer.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.write'),
    params: schoolParams,
    body: InvitationRequest,
    response: InvitationsCreated,
    status: 201,
    idempotent: true,
  }),
  sheet: route({
    operationId: 'listInvitations',
    method: 'GET',
    path: '/schools/{schoolId}/invitations',
    summary: "A homeroom's guardians with their invitations, to print: names, children, link (for the QR code), state",
    description:
      'Every guardian of the students of one homeroom, in the order of their children, with their latest invitation: its ' +
      'state and, while it can be used, its link (the same link each time: printing again changes nothing).',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.read'),
    params: schoolParams,
    query: z.object({ grade: z.coerce.number().int().min(1).max(12), homeroom: Text(20) }),
    response: InvitationSheet,
  }),
  preview: route({
    operationId: 'getInvitation',
    method: 'GET',
    path: '/invitations/{token}',
    summary: 'What an invitation link is for (the page /invite/{token} shows it): school, masked names, how to confirm',
    description:
      "For whoever holds the link: the school, the guardian's and children's names masked, how to confirm (phone digits or " +
      'an SMS code) and the state of the invitation. An unknown link is 404.',
    tag,
    auth: 'public',
    params: tokenParams,
    response: InvitationPreview,
  }),
  sendCode: route({
    operationId: 'sendInvitationCode',
    method: 'POST',
    path: '/invitations/{token}/code',
    summary: 'Send the one-time code of an invitation by SMS (where the school confirms invitations so)',
    description:
      'A six-digit code, valid 10 minutes, to the phone number the school has for the guardian. One a minute (else 429 ' +
      'with Retry-After), five per invitation.',
    tag,
    auth: 'public',
    errors: [409, 429],
    rules: [...UNUSABLE, 'no-sms-code', 'no-sms-sender', 'sms-codes-used-up'],
    params: tokenParams,
    response: SmsCodeSent,
  }),
  redeem: route({
    operationId: 'redeemInvitation',
    method: 'POST',
    path: '/invitations/{token}/redeem',
    summary: 'Sign in with an invitation: the last four digits of your phone number, or the SMS code → a session',
    description:
      'The right code links the guardian to their account and begins a session: an access token (15 minutes) and a ' +
      'refresh token. A wrong code is counted: after 5 in a row the invitation pauses for 15 minutes (429 with ' +
      'Retry-After), after 10 in all it is void. An invitation signs in once: used again, it is refused.',
    tag,
    auth: 'public',
    errors: [409, 429],
    rules: [...UNUSABLE, 'wrong-code', 'sms-code-missing'],
    refusalsRecorded: [422, 429],
    params: tokenParams,
    body: RedeemRequest,
    response: SessionTokens,
  }),
};

export const tokenRoutes = {
  refresh: route({
    operationId: 'refreshSession',
    method: 'POST',
    path: '/tokens/refresh',
    summary: 'New tokens for a refresh token (each refresh token works once)',
    description:
      'A new access token and a new refresh token; the one sent stops working. A refresh token used a second time ends its ' +
      'session (401): it has been copied. 401 too when the session has ended (signed out, revoked by the school, unused ' +
      'for 90 days, a year old) or the guardian is no longer linked to any school.',
    tag,
    auth: 'public',
    errors: [401, 409],
    refusalsRecorded: [401],
    body: RefreshRequest,
    response: SessionTokens,
  }),
  signOut: route({
    operationId: 'signOut',
    method: 'POST',
    path: '/tokens/sign-out',
    summary: 'End the session of a refresh token',
    description: 'The refresh token stops working at once; the access token lasts until it expires (at most 15 minutes).',
    tag,
    auth: 'public',
    body: RefreshRequest,
    status: 204,
  }),
};

export const guardianSignInRoutes = {
  status: route({
    operationId: 'getGuardianSignIn',
    method: 'GET',
    path: '/schools/{schoolId}/guardians/{guardianId}/sign-in',
    summary: "A guardian's sign-in: account, latest invitation, sessions, and what happened (who, when)",
    description:
      'The latest invitation and its state, the sessions that have not ended, and the history — invitations, codes sent, ' +
      'wrong codes, sign-ins, sign-outs, revocations — newest first, a page at a time.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.read'),
    params: guardianParams,
    query: PageQuery,
    response: GuardianSignIn,
  }),
  revoke: route({
    operationId: 'revokeGuardianSessions',
    method: 'POST',
    path: '/schools/{schoolId}/guardians/{guardianId}/sessions/revoke',
    summary: "End every session of a guardian's account (a lost phone)",
    description:
      "Every session of the guardian's account ends: its refresh tokens stop working at once, its access tokens within 15 " +
      'minutes. The history says who did it, when. To sign in again the guardian needs a new invitation.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.write'),
    params: guardianParams,
    response: z.object({ revoked: z.number().int().meta({ description: 'sessions ended' }) }),
  }),
  settings: route({
    operationId: 'getSignInSettings',
    method: 'GET',
    path: '/schools/{schoolId}/sign-in-settings',
    summary: 'How guardians confirm invitations at this school: phone digits, or an SMS code',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.read'),
    params: schoolParams,
    response: SignInSettings,
  }),
  replaceSettings: route({
    operationId: 'replaceSignInSettings',
    method: 'PUT',
    path: '/schools/{schoolId}/sign-in-settings',
    summary: 'Choose how guardians confirm invitations: an SMS signature (codes by SMS), or none (phone digits)',
    description:
      'Applies to invitations made from now on. An SMS signature needs a deployment that can send SMS (else 422). Send the ' +
      'version you read (0 if never set); a stale one is 409.',
    tag,
    auth: 'jwt',
    errors: mayRefuse('signin.write'),
    rules: ['no-sms-sender'],
    params: schoolParams,
    body: SignInSettingsInput,
    response: SignInSettings,
  }),
};

export const routes = [
  ...Object.values(wellKnownRoutes),
  ...Object.values(invitationRoutes),
  ...Object.values(tokenRoutes),
  ...Object.values(guardianSignInRoutes),
];

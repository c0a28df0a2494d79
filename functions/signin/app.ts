/** Implementations of guardians' sign-in (routes: api.ts; rules: packages/domain/src/guardian-sign-in.ts). */
import {
  afterWrongCode,
  alreadyInvited,
  codeMatches,
  Conflict,
  expectedCode,
  guardianUserId,
  invitationSecret,
  invitationState,
  isLive,
  maskName,
  newInvitation,
  newSession,
  NotFound,
  phoneHint,
  refreshOutcome,
  refreshParts,
  replacedInvitation,
  rotated,
  RuleViolation,
  sha256,
  SIGN_IN,
  smsCodeAllowed,
  smsSent,
  smsText,
  Unauthenticated,
  usableInvitation,
  type ChildRef,
  type Guardian,
  type Invitation,
  type InvitationRequest,
  type InvitationSummary,
  type Session,
  type SessionTokens,
  type SignInEvent,
  type Student,
} from '@kehou/domain';
import { bind, publicLink, Reply, roleClaims, schoolFor, type Bound } from '@kehou/http';
import { inParallel, signJwt, type SignInHistoryLine } from '@kehou/store';
import { guardianSignInRoutes, invitationRoutes, tokenRoutes, wellKnownRoutes } from './api';
import type { SigninRuntime } from './runtime';

type Rt = SigninRuntime;
type Headers = Readonly<Record<string, string | undefined>>;

const line = (
  rt: Rt,
  at: { schoolId: string; guardianId: string },
  now: Date,
  action: SignInEvent['action'],
  by: string | null,
  detail: string | null = null,
): SignInHistoryLine => ({
  schoolId: at.schoolId,
  guardianId: at.guardianId,
  id: rt.newId(),
  event: { at: now.toISOString(), action, by, detail },
});

const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];

/** The invitation's page in the web app, on the origin the request came by. */
const inviteLink = (rt: Rt, headers: Headers, invitationId: string) =>
  publicLink(headers, `/invite/${invitationSecret(rt.signInKey, invitationId)}`);

const childRef = (s: Student): ChildRef => ({ studentNo: s.id, name: s.name, gradeLevel: s.gradeLevel, homeroom: s.homeroom });
const byClass = (a: Student, b: Student) =>
  a.gradeLevel - b.gradeLevel || a.homeroom.localeCompare(b.homeroom, 'zh') || a.id.localeCompare(b.id);

/** A guardian's children among `students` (found by number), in class order. */
const childrenOf = (g: Guardian, students: ReadonlyMap<string, Student>) =>
  g.children.flatMap((no) => (students.has(no) ? [students.get(no)!] : [])).sort(byClass);

function summary(rt: Rt, headers: Headers, inv: Invitation, now: Date): InvitationSummary {
  const state = invitationState(inv, now);
  const usable = state === 'open' || state === 'paused';
  const link = usable ? inviteLink(rt, headers, inv.invitationId) : null;
  return {
    invitationId: inv.invitationId,
    state,
    confirmBy: inv.confirmBy,
    createdAt: inv.createdAt,
    createdBy: inv.createdBy,
    expiresAt: inv.validUntil,
    pausedUntil: state === 'paused' ? inv.pausedUntil : null,
    path: link?.path ?? null,
    url: link?.url ?? null,
  };
}

/** The guardians a request invites, in the order of their children's classes, with every child of theirs. */
async function invitees(rt: Rt, schoolId: string, req: InvitationRequest) {
  let guardians: Guardian[];
  if (req.scope === 'guardian') {
    const g = await rt.store.guardians.get(schoolId, req.guardianId);
    if (!g) throw new NotFound('guardian');
    guardians = [g];
  } else if (req.scope === 'school') guardians = await rt.store.guardians.all(schoolId);
  else {
    const students = await rt.store.students.allOfGrade(schoolId, req.grade, req.scope === 'homeroom' ? req.homeroom : undefined);
    guardians = await rt.store.guardians.many(schoolId, unique(students.flatMap((s) => s.guardianIds)));
  }
  const students = new Map(
    (await rt.store.students.many(schoolId, unique(guardians.flatMap((g) => g.children)))).map((s) => [s.id, s]),
  );
  const first = (g: Guardian) => childrenOf(g, students)[0];
  guardians.sort((a, b) => {
    const [x, y] = [first(a), first(b)];
    return x && y ? byClass(x, y) || a.name.localeCompare(b.name, 'zh') : x ? -1 : y ? 1 : 0;
  });
  return { guardians, students };
}

/** The invitation a link leads to, the guardian and the school; an unknown link (or a guardian since deleted) is 404. */
async function opened(rt: Rt, token: string) {
  const target = await rt.store.signIns.linkTarget(sha256(token));
  if (!target) throw new NotFound('invitation');
  const [inv, guardian, school] = await Promise.all([
    rt.store.signIns.invitation(target.schoolId, target.guardianId),
    rt.store.guardians.get(target.schoolId, target.guardianId),
    rt.store.schools.get(target.schoolId, target.schoolId),
  ]);
  if (!inv || !guardian || !school) throw new NotFound('invitation');
  return { inv, guardian, school, replaced: inv.invitationId !== target.invitationId };
}

/** The tokens of a session: an access token signed now, for the schools where the account is a guardian. */
async function tokensOf(rt: Rt, s: Session, secret: string, schools: string[], now: Date): Promise<SessionTokens> {
  const iat = Math.floor(now.getTime() / 1000);
  const accessToken = await signJwt(rt.signing.signer, {
    ...roleClaims({ role: 'parent', schools }),
    sub: s.userId,
    iss: rt.signing.issuer,
    aud: rt.signing.audience,
    iat,
    exp: iat + SIGN_IN.accessTokenSeconds,
  });
  return {
    tokenType: 'Bearer',
    accessToken,
    expiresIn: SIGN_IN.accessTokenSeconds,
    refreshToken: `${s.sessionId}.${secret}`,
    refreshExpiresAt: s.idleUntil,
    userId: s.userId,
    schools,
  };
}

/** The schools where the account is a guardian (and `also`). */
const guardianSchools = async (rt: Rt, userId: string, also?: string) =>
  unique([...(await rt.store.guardians.ofUser(userId)).map((g) => g.schoolId), ...(also ? [also] : [])]).sort();

const ended = () => new Unauthenticated('This sign-in has ended: open a new invitation from the school to sign in again');

const wellKnown: Bound<Rt>[] = [
  bind(wellKnownRoutes.openIdConfiguration, async ({ headers }, rt) => {
    const { signer, issuer } = rt.signing;
    return new Reply(
      200,
      {
        issuer,
        jwks_uri: publicLink(headers, wellKnownRoutes.jwks.path).url,
        id_token_signing_alg_values_supported: [signer.alg],
        subject_types_supported: ['public'],
        response_types_supported: ['id_token'],
      },
      { 'cache-control': 'public, max-age=3600' },
    );
  }),
  bind(
    wellKnownRoutes.jwks,
    async (_i, rt) =>
      new Reply(200, { keys: [await rt.signing.signer.publicJwk()] }, { 'cache-control': 'public, max-age=3600' }),
  ),
];

const invitations: Bound<Rt>[] = [
  bind(invitationRoutes.create, async ({ params, body, principal, headers }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'signin.write');
    const now = rt.clock();
    const [settings, { guardians, students }] = await Promise.all([
      rt.store.signIns.settings(school.id),
      invitees(rt, school.id, body),
    ]);
    const smsSignature = rt.sms ? settings.smsSignature : null;
    const current = await rt.store.signIns.invitationsOf(
      school.id,
      guardians.map((g) => g.id),
    );
    const wanted = body.scope === 'guardian' ? guardians : guardians.filter((g) => !alreadyInvited(g, current.get(g.id), now));
    const batch = wanted.slice(0, SIGN_IN.perRequest);
    const made = new Map<string, Invitation>();
    let raced = 0;
    await inParallel(batch, 8, async (g) => {
      const invitationId = rt.newId();
      const prev = current.get(g.id) ?? null;
      const inv = newInvitation(
        {
          invitationId,
          schoolId: school.id,
          guardianId: g.id,
          tokenHash: sha256(invitationSecret(rt.signInKey, invitationId)),
          smsSignature,
        },
        { by: principal.userId, now },
      );
      const detail = prev ? `replaces invitation ${prev.invitationId} (${invitationState(prev, now)})` : null;
      try {
        await rt.store.signIns.issue(inv, prev, line(rt, inv, now, 'invited', principal.userId, detail));
        made.set(g.id, inv);
      } catch (e) {
        // another request invited this guardian at the same moment: theirs stands
        if (body.scope === 'guardian' || !(e instanceof Conflict)) throw e;
        raced++;
      }
    });
    const items = batch.flatMap((g) => {
      const inv = made.get(g.id);
      if (!inv) return [];
      return [
        {
          invitationId: inv.invitationId,
          guardianId: g.id,
          guardianName: g.name,
          relation: g.relation,
          children: childrenOf(g, students).map(childRef),
          confirmBy: inv.confirmBy,
          expiresAt: inv.validUntil,
          ...inviteLink(rt, headers, inv.invitationId),
        },
      ];
    });
    return new Reply(201, {
      items,
      skipped: guardians.length - wanted.length + raced,
      remaining: wanted.length - batch.length,
    });
  }),

  bind(invitationRoutes.sheet, async ({ params, query, principal, headers }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'signin.read');
    const now = rt.clock();
    const students = await rt.store.students.allOfGrade(school.id, query.grade, query.homeroom);
    const here = new Map(students.map((s) => [s.id, s]));
    const ids = unique(students.flatMap((s) => s.guardianIds));
    const [guardians, invitationsOf] = await Promise.all([
      rt.store.guardians.many(school.id, ids),
      rt.store.signIns.invitationsOf(school.id, ids),
    ]);
    const order = new Map(ids.map((id, i) => [id, i])); // students come by homeroom and number: their guardians so
    return {
      schoolName: school.name,
      grade: query.grade,
      homeroom: query.homeroom,
      items: guardians
        .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
        .map((g) => {
          const inv = invitationsOf.get(g.id);
          return {
            guardianId: g.id,
            guardianName: g.name,
            relation: g.relation,
            children: childrenOf(g, here).map(childRef),
            signedIn: g.userId !== null,
            invitation: inv ? summary(rt, headers, inv, now) : null,
          };
        }),
    };
  }),

  bind(invitationRoutes.preview, async ({ params }, rt) => {
    const { inv, guardian, school, replaced } = await opened(rt, params.token);
    const now = rt.clock();
    const children = await rt.store.students.many(school.id, guardian.children);
    const state = replaced ? ('replaced' as const) : invitationState(inv, now);
    return {
      schoolName: school.name,
      guardianName: maskName(guardian.name),
      children: children.map((s) => maskName(s.name)),
      confirmBy: inv.confirmBy,
      phoneHint: phoneHint(guardian.phone, inv.confirmBy),
      expiresAt: inv.validUntil,
      state,
      pausedUntil: state === 'paused' ? inv.pausedUntil : null,
    };
  }),

  bind(invitationRoutes.sendCode, async ({ params }, rt) => {
    const { inv, guardian, replaced } = await opened(rt, params.token);
    if (replaced) throw replacedInvitation();
    const now = rt.clock();
    smsCodeAllowed(inv, now);
    if (!rt.sms || inv.smsSignature === null)
      throw new RuleViolation('no-sms-sender', 'Codes cannot be sent by SMS now: ask the school for a new invitation.');
    const code = rt.newCode();
    const sms = smsSent(inv, code, now);
    const sentTo = phoneHint(guardian.phone, 'sms-code');
    await rt.store.signIns.recordSmsCode(inv, sms, line(rt, inv, now, 'code-sent', null, `to ${sentTo}`));
    await rt.sms.send(guardian.phone, smsText(inv.smsSignature, code));
    return {
      sentTo,
      expiresAt: sms.validUntil,
      resendAfter: new Date(now.getTime() + SIGN_IN.smsResendSeconds * 1000).toISOString(),
    };
  }),

  bind(invitationRoutes.redeem, async ({ params, body }, rt) => {
    const { inv, guardian, school, replaced } = await opened(rt, params.token);
    if (replaced) throw replacedInvitation();
    const now = rt.clock();
    usableInvitation(inv, now);
    if (!codeMatches(expectedCode(inv, guardian.phone, now), body.code)) {
      const { next, refusal, action } = afterWrongCode(inv, now);
      await rt.store.signIns.recordFailure(
        inv,
        next,
        line(rt, inv, now, action, null, `wrong code ${next.failures} of ${SIGN_IN.triesInAll}`),
      );
      throw refusal;
    }
    // an account already linked (by an earlier invitation, or by the school) stays the guardian's
    const userId = guardian.userId ?? guardianUserId(rt.signInKey, guardian.phone);
    const schools = await guardianSchools(rt, userId, school.id);
    const secret = rt.newSecret();
    const session = newSession(
      { sessionId: rt.newId(), userId, schoolId: school.id, guardianId: guardian.id, secretHash: sha256(secret) },
      now,
    );
    const tokens = await tokensOf(rt, session, secret, schools, now);
    const link =
      guardian.userId === userId
        ? null
        : {
            prev: guardian,
            next: { ...guardian, userId, version: guardian.version + 1, updatedAt: now.toISOString(), updatedBy: userId },
          };
    await rt.store.signIns.redeem(inv, link, session, line(rt, inv, now, 'redeemed', userId, `session ${session.sessionId}`));
    return tokens;
  }),
];

const tokens: Bound<Rt>[] = [
  bind(tokenRoutes.refresh, async ({ body }, rt) => {
    const { sessionId, secret } = refreshParts(body.refreshToken);
    const s = await rt.store.signIns.session(sessionId);
    if (!s) throw ended();
    const now = rt.clock();
    const at = { schoolId: s.schoolId, guardianId: s.guardianId };
    const outcome = refreshOutcome(s, secret, now);
    if (outcome === 'reuse') {
      await rt.store.signIns.end(s, 'reuse-detected', null, line(rt, at, now, 'reuse-detected', null, `session ${sessionId}`));
      throw new Unauthenticated(
        'This refresh token had been used already, so it may have been copied: the session has ended. Ask the school for a new invitation.',
      );
    }
    if (outcome !== 'rotate') throw ended();
    const schools = await guardianSchools(rt, s.userId);
    if (schools.length === 0) {
      await rt.store.signIns.end(s, 'no-school', null, line(rt, at, now, 'revoked', null, 'no longer a guardian at any school'));
      throw new Unauthenticated('You are no longer a guardian at any school of this service');
    }
    const fresh = rt.newSecret();
    const next = rotated(s, sha256(fresh), now);
    // signed before the rotation is stored: a failure to sign leaves the old refresh token working
    const out = await tokensOf(rt, next, fresh, schools, now);
    await rt.store.signIns.rotate(s, next);
    return out;
  }),

  bind(tokenRoutes.signOut, async ({ body }, rt) => {
    const { sessionId, secret } = refreshParts(body.refreshToken);
    const s = await rt.store.signIns.session(sessionId);
    const now = rt.clock();
    // only the holder of its refresh token (the latest, or the one before) ends a session
    if (s && ['rotate', 'reuse'].includes(refreshOutcome(s, secret, now)))
      await rt.store.signIns.end(s, 'signed-out', s.userId, line(rt, s, now, 'signed-out', s.userId, `session ${sessionId}`));
    return new Reply(204, undefined);
  }),
];

/** The guardian of the school, if the principal may do `permission` with its sign-in. */
async function guardianFor(
  rt: Rt,
  principal: Parameters<typeof schoolFor>[1],
  schoolId: string,
  guardianId: string,
  permission: 'signin.read' | 'signin.write',
) {
  const [school, guardian] = await Promise.all([
    schoolFor(rt.store, principal, schoolId, permission),
    rt.store.guardians.get(schoolId, guardianId),
  ]);
  if (!guardian) throw new NotFound('guardian');
  return { school, guardian };
}

const admin: Bound<Rt>[] = [
  bind(guardianSignInRoutes.status, async ({ params, query, principal, headers }, rt) => {
    const { guardian } = await guardianFor(rt, principal, params.schoolId, params.guardianId, 'signin.read');
    const now = rt.clock();
    const [inv, sessions, history] = await Promise.all([
      rt.store.signIns.invitation(params.schoolId, guardian.id),
      guardian.userId ? rt.store.signIns.sessionsOf(guardian.userId) : Promise.resolve([]),
      rt.store.signIns.history(params.schoolId, guardian.id, query),
    ]);
    return {
      guardianId: guardian.id,
      guardianName: guardian.name,
      userId: guardian.userId,
      invitation: inv ? summary(rt, headers, inv, now) : null,
      sessions: sessions
        .filter((s) => isLive(s, now))
        .map(({ sessionId, createdAt, refreshedAt, idleUntil, endsAt }) => ({
          sessionId,
          createdAt,
          refreshedAt,
          idleUntil,
          endsAt,
        })),
      history,
    };
  }),

  bind(guardianSignInRoutes.revoke, async ({ params, principal }, rt) => {
    const { guardian } = await guardianFor(rt, principal, params.schoolId, params.guardianId, 'signin.write');
    if (!guardian.userId) return { revoked: 0 };
    const now = rt.clock();
    const live = (await rt.store.signIns.sessionsOf(guardian.userId)).filter((s) => isLive(s, now));
    const at = { schoolId: params.schoolId, guardianId: guardian.id };
    const done = await Promise.all(
      live.map((s) =>
        rt.store.signIns.end(
          s,
          'revoked',
          principal.userId,
          line(rt, at, now, 'revoked', principal.userId, `session ${s.sessionId}`),
        ),
      ),
    );
    return { revoked: done.filter(Boolean).length };
  }),

  bind(guardianSignInRoutes.settings, async ({ params, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'signin.read');
    return { ...(await rt.store.signIns.settings(school.id)), smsAvailable: rt.sms !== null };
  }),

  bind(guardianSignInRoutes.replaceSettings, async ({ params, body, principal }, rt) => {
    const school = await schoolFor(rt.store, principal, params.schoolId, 'signin.write');
    const prev = await rt.store.signIns.settings(school.id);
    if (body.version !== prev.version)
      throw new Conflict(
        `the sign-in settings were changed by someone else (now version ${prev.version}, you sent ${body.version}); reload and try again`,
        'version',
        { current: { version: prev.version, updatedBy: prev.updatedBy, updatedAt: prev.updatedAt } },
      );
    if (body.smsSignature !== null && !rt.sms)
      throw new RuleViolation(
        'no-sms-sender',
        'This deployment cannot send SMS yet (no SMS sender is set up): guardians confirm with the last four digits of their phone number.',
      );
    const next = {
      smsSignature: body.smsSignature,
      version: prev.version + 1,
      updatedAt: rt.clock().toISOString(),
      updatedBy: principal.userId,
    };
    await rt.store.signIns.saveSettings(school.id, prev, next);
    return { ...next, smsAvailable: rt.sms !== null };
  }),
];

export const bound: Bound<Rt>[] = [...wellKnown, ...invitations, ...tokens, ...admin];

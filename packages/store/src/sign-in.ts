/**
 * Guardians' sign-in in the table: each guardian's latest invitation (with its count of wrong
 * codes), the links that lead to invitations (by the hash of their secret: the table never holds
 * a link), sessions (by id, and by account in the user index), the history of what happened to
 * a guardian's sign-in, and each school's sign-in settings. Every change that can race is
 * conditional on what was read: two tries of one code are counted twice, an invitation is
 * redeemed once, a refresh token rotates once.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  Conflict,
  type Guardian,
  type Invitation,
  type Page,
  type PageQuery,
  type Session,
  type SignInEvent,
  type SignInSettings,
} from '@kehou/domain';
import { readMany } from './bulk';
import type { Db } from './client';
import { guardianSpec } from './entities';
import { mapped, type ConditionMeaning } from './errors';
import { indexKeys, keys } from './keys';
import { buildReplace, fromItem, queryAll, queryPage } from './repository';
import { Transaction, type TransactWrite } from './transact';

/** A line of a guardian's sign-in history, with the id that keeps lines of one instant apart. */
export interface SignInHistoryLine {
  schoolId: string;
  guardianId: string;
  id: string;
  event: SignInEvent;
}

/** Where a link leads. */
export interface InvitationLinkTarget {
  invitationId: string;
  schoolId: string;
  guardianId: string;
}

const DAY_SECONDS = 24 * 3600;
/** epoch seconds, for DynamoDB's TTL: `days` after `iso` */
const ttl = (iso: string, days: number) => Math.floor(Date.parse(iso) / 1000) + days * DAY_SECONDS;

const changedMeanwhile = (what: string): ConditionMeaning => ({
  kind: 'state',
  message: `${what} was changed by another request at the same moment; try again`,
});

export const NO_SETTINGS: SignInSettings = { smsSignature: null, version: 0, updatedAt: null, updatedBy: null };

export class SignIns {
  constructor(private readonly db: Db) {}

  private put(item: Record<string, unknown>, condition?: string): TransactWrite {
    return { Put: { TableName: this.db.table, Item: item, ...(condition ? { ConditionExpression: condition } : {}) } };
  }

  private line(l: SignInHistoryLine): TransactWrite {
    return this.put({ ...keys.signInEvent(l.schoolId, l.guardianId, l.event.at, l.id), type: 'signin-event', ...l.event });
  }

  // ---------------------------------------------------------------- invitations

  /** The latest invitation of each of these guardians that has one, by guardian. */
  async invitationsOf(schoolId: string, guardianIds: readonly string[]): Promise<Map<string, Invitation>> {
    const items = await readMany(
      this.db,
      [...new Set(guardianIds)].map((g) => keys.invitation(schoolId, g)),
    );
    return new Map(items.map((i) => [String(i.guardianId), fromItem<Invitation>(i)]));
  }

  async invitation(schoolId: string, guardianId: string): Promise<Invitation | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.invitation(schoolId, guardianId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<Invitation>(out.Item) : null;
  }

  /** The invitation a link was made for, or null (never made, or long expired). */
  async linkTarget(tokenHash: string): Promise<InvitationLinkTarget | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.invitationLink(tokenHash), ConsistentRead: true })),
    );
    if (!out.Item) return null;
    return {
      invitationId: String(out.Item.invitationId),
      schoolId: String(out.Item.schoolId),
      guardianId: String(out.Item.guardianId),
    };
  }

  /** Makes `inv` the guardian's invitation in place of `prev` (the latest, as read), with its link and history line. */
  async issue(inv: Invitation, prev: Invitation | null, line: SignInHistoryLine): Promise<void> {
    const tx = new Transaction();
    tx.add(
      {
        Put: {
          TableName: this.db.table,
          Item: { ...keys.invitation(inv.schoolId, inv.guardianId), type: 'invitation', ...inv },
          ...(prev
            ? {
                ConditionExpression: 'invitationId = :prev',
                ExpressionAttributeValues: { ':prev': prev.invitationId },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
      changedMeanwhile("the guardian's invitation"),
    );
    tx.add(
      this.put(
        {
          ...keys.invitationLink(inv.tokenHash),
          type: 'invitation-link',
          invitationId: inv.invitationId,
          schoolId: inv.schoolId,
          guardianId: inv.guardianId,
          // a link outlives its invitation a while, to say it expired or was replaced
          expiresAt: ttl(inv.validUntil, 90),
        },
        'attribute_not_exists(pk)',
      ),
      { kind: 'must-not-exist', what: 'invitation link' },
    );
    tx.add(this.line(line));
    await tx.send(this.db);
  }

  /** The invitation's condition on what was read: the same invitation, still open, no try counted since. */
  private unchanged(inv: Invitation) {
    return {
      ConditionExpression: 'invitationId = :id AND #status = :open AND failures = :failures',
      names: { '#status': 'status' },
      values: { ':id': inv.invitationId, ':open': 'open', ':failures': inv.failures },
    };
  }

  /** The update of attributes of the invitation, if nothing changed since `inv` was read (and `also` holds). */
  private invitationUpdate(
    inv: Invitation,
    set: Record<string, unknown>,
    also?: { condition: string; values: Record<string, unknown> },
  ): TransactWrite {
    const c = this.unchanged(inv);
    const names: Record<string, string> = { ...c.names };
    const values: Record<string, unknown> = { ...c.values, ...also?.values };
    const assignments = Object.entries(set).map(([k, v], i) => {
      names[`#s${i}`] = k;
      values[`:s${i}`] = v;
      return `#s${i} = :s${i}`;
    });
    return {
      Update: {
        TableName: this.db.table,
        Key: keys.invitation(inv.schoolId, inv.guardianId),
        UpdateExpression: `SET ${assignments.join(', ')}`,
        ConditionExpression: also ? `${c.ConditionExpression} AND ${also.condition}` : c.ConditionExpression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  private async changeInvitation(
    inv: Invitation,
    set: Record<string, unknown>,
    line: SignInHistoryLine,
    also?: { condition: string; values: Record<string, unknown> },
  ): Promise<void> {
    await new Transaction()
      .add(this.invitationUpdate(inv, set, also), changedMeanwhile('this invitation'))
      .add(this.line(line))
      .send(this.db);
  }

  /** Counts a wrong code (and pauses or voids the invitation), if no other try was counted since `inv` was read. */
  recordFailure(
    inv: Invitation,
    next: Pick<Invitation, 'failures' | 'pausedUntil' | 'status'>,
    line: SignInHistoryLine,
  ): Promise<void> {
    return this.changeInvitation(inv, next, line);
  }

  /** Keeps the hash of the SMS code just sent, if nothing changed (no other code sent) since `inv` was read. */
  recordSmsCode(inv: Invitation, sms: NonNullable<Invitation['sms']>, line: SignInHistoryLine): Promise<void> {
    return this.changeInvitation(
      inv,
      { sms },
      line,
      inv.sms
        ? { condition: 'sms.sent = :sent', values: { ':sent': inv.sms.sent } }
        : { condition: 'attribute_type(sms, :null)', values: { ':null': 'NULL' } },
    );
  }

  /**
   * Redeems `inv` (as read) in one transaction: the invitation used, the guardian linked to the
   * account (a new version of the guardian, the old one kept in its history; none when already
   * linked), the session begun, the history line. A second redemption finds the invitation used.
   */
  async redeem(
    inv: Invitation,
    link: { prev: Guardian; next: Guardian } | null,
    session: Session,
    line: SignInHistoryLine,
  ): Promise<void> {
    const tx = new Transaction().add(
      this.invitationUpdate(inv, { status: 'redeemed', redeemedAt: session.createdAt, userId: session.userId }),
      { kind: 'state', message: 'This invitation was used, or tried, by another request at the same moment' },
    );
    if (link) {
      const w = buildReplace(this.db.table, guardianSpec, inv.schoolId, link.prev, link.next);
      (w.input.TransactItems ?? []).forEach((item, i) => tx.add(item, w.meanings[i] ?? null));
    }
    tx.add(this.sessionPut(session), { kind: 'must-not-exist', what: 'session' });
    tx.add(this.line(line));
    await tx.send(this.db);
  }

  // ---------------------------------------------------------------- sessions

  private sessionPut(s: Session): TransactWrite {
    return this.put(
      {
        ...keys.session(s.sessionId),
        ...indexKeys.sessionOfUser(s.userId, s.sessionId),
        type: 'session',
        ...s,
        // kept a month after it ends, for whoever asks why they were signed out
        expiresAt: ttl(s.endsAt, 30),
      },
      'attribute_not_exists(pk)',
    );
  }

  async session(sessionId: string): Promise<Session | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.session(sessionId), ConsistentRead: true })),
    );
    return out.Item ? fromItem<Session>(out.Item) : null;
  }

  /** Every session of an account (ended ones until they are cleared away). */
  sessionsOf(userId: string): Promise<Session[]> {
    return queryAll<Session>(this.db, indexKeys.sessionsOfUser(userId));
  }

  /** Replaces the refresh secret, if it is still the one `prev` was read with. */
  async rotate(prev: Session, next: Session): Promise<void> {
    await mapped(
      () =>
        this.db.doc.send(
          new UpdateCommand({
            TableName: this.db.table,
            Key: keys.session(prev.sessionId),
            UpdateExpression: 'SET secretHash = :new, previousHash = :old, refreshedAt = :at, idleUntil = :idle',
            ConditionExpression: 'secretHash = :old AND #status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':new': next.secretHash,
              ':old': prev.secretHash,
              ':at': next.refreshedAt,
              ':idle': next.idleUntil,
              ':active': 'active',
            },
          }),
        ),
      [
        {
          kind: 'state',
          message: 'This session was refreshed by another request at the same moment: use the tokens that one got',
        },
      ],
    );
  }

  /** Ends a session with a history line; false if it had ended already. */
  async end(s: Session, how: NonNullable<Session['endedHow']>, by: string | null, line: SignInHistoryLine): Promise<boolean> {
    try {
      await new Transaction()
        .add(
          {
            Update: {
              TableName: this.db.table,
              Key: keys.session(s.sessionId),
              UpdateExpression: 'SET #status = :ended, endedAt = :at, endedBy = :by, endedHow = :how',
              ConditionExpression: '#status = :active',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':ended': 'ended', ':active': 'active', ':at': line.event.at, ':by': by, ':how': how },
            },
          },
          { kind: 'state', message: 'ended already' },
        )
        .add(this.line(line))
        .send(this.db);
      return true;
    } catch (e) {
      if (e instanceof Conflict && e.reason === 'state') return false;
      throw e;
    }
  }

  // ---------------------------------------------------------------- history and settings

  /** A guardian's sign-in history, newest first. */
  history(schoolId: string, guardianId: string, page: PageQuery): Promise<Page<SignInEvent>> {
    return queryPage<SignInEvent>(this.db, { ...keys.signInEventsOf(schoolId, guardianId), descending: true }, page);
  }

  async settings(schoolId: string): Promise<SignInSettings> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.signInSettings(schoolId), ConsistentRead: true })),
    );
    return out.Item ? fromItem<SignInSettings>(out.Item) : NO_SETTINGS;
  }

  /** Stores `next` (a version after `prev`), if `prev` is still the stored version. */
  async saveSettings(schoolId: string, prev: SignInSettings, next: SignInSettings): Promise<void> {
    await mapped(
      () =>
        this.db.doc.send(
          new PutCommand({
            TableName: this.db.table,
            Item: { ...keys.signInSettings(schoolId), type: 'signin-settings', ...next },
            ...(prev.version === 0
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': prev.version } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      [{ kind: 'version', what: "the school's sign-in settings" }],
    );
  }
}

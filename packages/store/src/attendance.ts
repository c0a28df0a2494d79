/**
 * Attendance of dated sessions, and what class lists are read from. A session's sheet (one
 * record per dated session, a mark per child) sits with the other sheets of its date (the
 * "unaccounted for" list reads a date in one query), under its month in the collection
 * index (the hours of a month, one query) and under its staff member and date in the user
 * index (a staff member's own hours of a month, one query). Each save is one transaction: the sheet, only if
 * it is still the version read, and the entry of its history (who changed which marks). A
 * save that lost the race to another is decided again on the sheet that won, so two staff
 * members marking at once both keep their marks (the latest mark of a child wins).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  classSeatsId,
  Conflict,
  Unavailable,
  type AttendanceEntry,
  type AttendanceSheet,
  type Page,
  type PageQuery,
  type PublishedSession,
} from '@kehou/domain';
import { queryItems } from './batch';
import { Capacity } from './capacity';
import type { Db } from './client';
import { mapped } from './errors';
import { indexKeys, keys } from './keys';
import { fromItem, queryPage } from './repository';
import { Transaction } from './transact';

/** Tries of a save that keeps losing to other saves of the same sheet, before 503. */
const SAVE_ATTEMPTS = 5;

export class Attendance {
  private readonly seats: Capacity;
  constructor(private readonly db: Db) {
    this.seats = new Capacity(db);
  }

  /** A session of a term's published timetable, as its read model keeps it (names as published). */
  async publishedSession(schoolId: string, termId: string, sessionId: string): Promise<PublishedSession | null> {
    const out = await mapped(() =>
      this.db.doc.send(new GetCommand({ TableName: this.db.table, Key: keys.publishedSession(schoolId, termId, sessionId) })),
    );
    return out.Item ? fromItem<PublishedSession>(out.Item) : null;
  }

  /** Every session of a term's published timetable. */
  async publishedSessions(schoolId: string, termId: string): Promise<PublishedSession[]> {
    return (await queryItems(this.db, keys.publishedSessionsOf(schoolId, termId))).map((i) => fromItem<PublishedSession>(i));
  }

  /** The student numbers holding a seat of a class (its enrolment), in order of arrival. */
  async enrolled(schoolId: string, classId: string): Promise<string[]> {
    const r = { schoolId, id: classSeatsId(classId), what: classId };
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.seats.holders(r, { limit: 500, ...(cursor ? { cursor } : {}) });
      out.push(...page.items.map((c) => c.holder));
      cursor = page.next ?? undefined;
    } while (cursor);
    return out;
  }

  async sheet(schoolId: string, date: string, sessionId: string): Promise<AttendanceSheet | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.attendanceSheet(schoolId, date, sessionId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<AttendanceSheet>(out.Item) : null;
  }

  /** The sheets of a date (sessions whose attendance was taken). */
  async ofDate(schoolId: string, date: string): Promise<AttendanceSheet[]> {
    return (await queryItems(this.db, keys.attendanceSheetsOf(schoolId, date))).map((i) => fromItem<AttendanceSheet>(i));
  }

  /** The sheets of a month (yyyy-MM), by date. */
  async ofMonth(schoolId: string, month: string): Promise<AttendanceSheet[]> {
    return (await queryItems(this.db, indexKeys.attendanceOfMonth(schoolId, month))).map((i) => fromItem<AttendanceSheet>(i));
  }

  /** A staff member's sheets of a month (yyyy-MM), by date: the sessions they ran whose attendance was taken. */
  async ofStaffMonth(schoolId: string, staffId: string, month: string): Promise<AttendanceSheet[]> {
    return (await queryItems(this.db, indexKeys.attendanceOfStaffMonth(schoolId, staffId, month))).map((i) =>
      fromItem<AttendanceSheet>(i),
    );
  }

  /** A sheet's history, oldest first. */
  history(schoolId: string, date: string, sessionId: string, page: PageQuery): Promise<Page<AttendanceEntry>> {
    return queryPage<AttendanceEntry>(this.db, keys.attendanceEntriesOf(schoolId, date, sessionId), page);
  }

  /**
   * Reads the sheet, lets `decide` make the next one from it, and writes it with its history
   * entry if it is still the version read; else decides again on the sheet that won. A
   * decision with no entry changes nothing and writes nothing.
   */
  async save<R extends { sheet: AttendanceSheet; entry: AttendanceEntry | null }>(
    schoolId: string,
    date: string,
    sessionId: string,
    decide: (prev: AttendanceSheet | null) => R,
  ): Promise<R> {
    for (let attempt = 1; attempt <= SAVE_ATTEMPTS; attempt++) {
      const prev = await this.sheet(schoolId, date, sessionId);
      const next = decide(prev);
      if (!next.entry) return next;
      try {
        await this.write(schoolId, prev, next.sheet, next.entry);
        return next;
      } catch (e) {
        if (!(e instanceof Conflict)) throw e;
      }
    }
    throw new Unavailable('Others are saving this attendance at the same moment; please retry', 1);
  }

  private async write(schoolId: string, prev: AttendanceSheet | null, sheet: AttendanceSheet, entry: AttendanceEntry) {
    const what = `the attendance of ${sheet.clubName} ${sheet.className} on ${sheet.date}`;
    await new Transaction()
      .add(
        {
          Put: {
            TableName: this.db.table,
            Item: {
              ...keys.attendanceSheet(schoolId, sheet.date, sheet.sessionId),
              ...indexKeys.attendanceInMonth(schoolId, sheet.date, sheet.sessionId),
              ...indexKeys.attendanceOfStaffMember(schoolId, sheet.staffId, sheet.date, sheet.sessionId),
              type: 'attendance-sheet',
              ...sheet,
            },
            ...(prev
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': prev.version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        { kind: 'state', message: `${what} was changed meanwhile` },
      )
      .add(
        {
          Put: {
            TableName: this.db.table,
            Item: {
              ...keys.attendanceEntry(schoolId, sheet.date, sheet.sessionId, entry.version),
              type: 'attendance-entry',
              ...entry,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { kind: 'state', message: `${what} was changed meanwhile` },
      )
      .send(this.db);
  }
}

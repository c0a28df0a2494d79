/**
 * Timetable versions of a term. Each version is a versioned entity (an edit of the draft
 * keeps the revision it replaces in history); the head item says which version is the
 * draft and which is published, and every change of it is conditional, so two admins
 * generating or publishing at once cannot both win.
 */
import { GetCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { timetableVersionId, type Page, type PageQuery, type TimetableHead, type TimetableVersion } from '@kehou/domain';
import type { Db } from './client';
import type { ConditionMeaning } from './errors';
import { mapped } from './errors';
import { keys } from './keys';
import { timetableSpec } from './entities';
import { buildCreate, buildReplace, fromItem, queryPage, Repository } from './repository';
import { Transaction } from './transact';

type Write = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function headPut(
  table: string,
  schoolId: string,
  prev: TimetableHead | null,
  next: TimetableHead,
): { write: Write; meaning: ConditionMeaning } {
  return {
    write: {
      Put: {
        TableName: table,
        Item: { ...keys.timetableHead(schoolId, next.termId), type: 'timetable-head', ...next },
        ...(prev
          ? { ConditionExpression: 'latest = :latest', ExpressionAttributeValues: { ':latest': prev.latest } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    meaning: { kind: 'must-not-exist', what: 'a newer timetable version (someone else changed the timetable meanwhile; reload)' },
  };
}

export class Timetables extends Repository<TimetableVersion> {
  constructor(db: Db) {
    super(db, timetableSpec);
  }

  async head(schoolId: string, termId: string): Promise<TimetableHead | null> {
    const out = await mapped(() =>
      this.db.doc.send(
        new GetCommand({ TableName: this.db.table, Key: keys.timetableHead(schoolId, termId), ConsistentRead: true }),
      ),
    );
    return out.Item ? fromItem<TimetableHead>(out.Item) : null;
  }

  version(schoolId: string, termId: string, number: number): Promise<TimetableVersion | null> {
    return this.get(schoolId, timetableVersionId(termId, number));
  }

  versions(schoolId: string, termId: string, page: PageQuery): Promise<Page<TimetableVersion>> {
    return queryPage<TimetableVersion>(this.db, keys.timetableVersionsOf(schoolId, termId), page);
  }

  /** Adds a new draft version; refused if the head moved since it was read. */
  async addDraft(schoolId: string, head: TimetableHead | null, draft: TimetableVersion): Promise<TimetableHead> {
    const next: TimetableHead = {
      termId: draft.termId,
      draft: draft.number,
      published: head?.published ?? null,
      latest: draft.number,
    };
    const create = buildCreate(this.db.table, this.spec, schoolId, draft);
    const h = headPut(this.db.table, schoolId, head, next);
    await this.sendAll([...create.input.TransactItems!, h.write], [...create.meanings, h.meaning]);
    return next;
  }

  /**
   * The draft becomes the published version; the one published before is superseded
   * (still readable); the head has no draft until the next edit or generation.
   */
  async publish(
    schoolId: string,
    head: TimetableHead,
    draft: TimetableVersion,
    published: TimetableVersion,
    superseded: { prev: TimetableVersion; next: TimetableVersion } | null,
  ): Promise<TimetableHead> {
    const next: TimetableHead = { ...head, draft: null, published: published.number };
    const a = buildReplace(this.db.table, this.spec, schoolId, draft, published);
    const b = superseded ? buildReplace(this.db.table, this.spec, schoolId, superseded.prev, superseded.next) : null;
    const h = headPut(this.db.table, schoolId, head, next);
    await this.sendAll(
      [...a.input.TransactItems!, ...(b?.input.TransactItems ?? []), h.write],
      [...a.meanings, ...(b?.meanings ?? []), h.meaning],
    );
    return next;
  }

  private async sendAll(items: Write[], meanings: Array<ConditionMeaning | null>): Promise<void> {
    await Transaction.of({ input: { TransactItems: items }, meanings }).send(this.db);
  }
}

/**
 * The kinds of import, each one the same page (ImportFile.tsx): how its file is posted and what
 * the answer says. The file goes as the person chose it, bytes and all (as
 * application/octet-stream: API Gateway would pass a text/csv body on as UTF-8 text); the
 * server decodes it (UTF-8, or GB18030/GBK as Chinese Excel saves it), never the browser.
 */
import type { TFunction } from 'i18next';
import { api } from '../../api/client';
import type { Outcome } from '../../forms/useForm';
import { outcomeNotes, type FieldLabel, type RowNotes } from './rowNotes';
import type { SetupImportResult } from './types';

export const IMPORT_KINDS = ['students', 'rooms', 'staff', 'clubs'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

export interface ImportKind {
  name: ImportKindName;
  /** posts the file: 202 with a job to poll (students), or the result */
  post(to: { schoolId: string; termId: string | undefined; file: Blob }): Promise<Outcome<unknown>>;
  /** what a finished import (200) says, overall and row by row */
  done?: (data: unknown, t: TFunction) => { summary: string; notes: RowNotes };
  /** names a row's field the server's messages do not name */
  label?: (t: TFunction) => FieldLabel;
  /** its records belong to a term (clubs) */
  needsTerm?: boolean;
}

/** The file's bytes as the body, as they are. */
const asFile = { bodySerializer: (file: unknown) => file as Blob, headers: { 'content-type': 'application/octet-stream' } };

/** A student file's columns by the field they fill: 学号 … 家长2电话, as a file heads them. */
const studentColumn =
  (t: TFunction): FieldLabel =>
  ([field, k, sub]) =>
    field === 'guardians' && k !== undefined && sub
      ? t(`people.import.studentColumns.guardian.${sub}`, { n: Number(k) + 1, defaultValue: '' }) || undefined
      : t(`people.import.studentColumns.${field}`, { defaultValue: '' }) || undefined;

/** A set-up import's messages lead with the row and the column ("row 14, 容量: …"). */
const namedByServer = () => () => '';

/** Counts, and beside each row what became of its record. */
const setupDone = (data: unknown, t: TFunction) => {
  const result = data as SetupImportResult;
  return {
    summary: t('people.import.setupDone', {
      rows: result.rows,
      created: result.created,
      updated: result.updated,
      unchanged: result.unchanged,
    }),
    notes: outcomeNotes(result, (action) => t(`people.import.action.${action}`)),
  };
};

export const KINDS: Record<ImportKindName, ImportKind> = {
  students: {
    name: 'students',
    post: ({ schoolId, file }) =>
      api().POST('/schools/{schoolId}/students/import', { params: { path: { schoolId } }, body: file as never, ...asFile }),
    label: studentColumn,
  },
  rooms: {
    name: 'rooms',
    post: ({ schoolId, file }) =>
      api().POST('/schools/{schoolId}/rooms/import', { params: { path: { schoolId } }, body: file as never, ...asFile }),
    done: setupDone,
    label: namedByServer,
  },
  staff: {
    name: 'staff',
    post: ({ schoolId, file }) =>
      api().POST('/schools/{schoolId}/staff/import', { params: { path: { schoolId } }, body: file as never, ...asFile }),
    done: setupDone,
    label: namedByServer,
  },
  clubs: {
    name: 'clubs',
    post: ({ schoolId, termId, file }) =>
      api().POST('/schools/{schoolId}/terms/{termId}/clubs/import', {
        params: { path: { schoolId, termId: termId! } },
        body: file as never,
        ...asFile,
      }),
    done: setupDone,
    label: namedByServer,
    needsTerm: true,
  },
};

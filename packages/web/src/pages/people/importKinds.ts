/**
 * The kinds of import, each one the same page (Import.tsx): how its file is posted and what
 * the answer says. The file goes as the person chose it, bytes and all: the server decodes it
 * (UTF-8, or GB18030/GBK as Chinese Excel saves it), never the browser.
 */
import type { TFunction } from 'i18next';
import { api } from '../../api/client';
import type { Outcome } from '../../forms/useForm';
import type { FieldLabel, RowNotes } from './rowNotes';

export const IMPORT_KINDS = ['students'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

export interface ImportKind {
  name: ImportKindName;
  /** posts the file: 202 with a job to poll (students), or the result */
  post(to: { schoolId: string; termId: string | undefined; file: Blob }): Promise<Outcome<unknown>>;
  /** what a finished import (200) says, overall and row by row */
  done?: (data: unknown, t: TFunction) => { summary: string; notes: RowNotes };
  /** names a row's field the server's messages do not name */
  label?: (t: TFunction) => FieldLabel;
  /** its path is under a term's */
  needsTerm?: boolean;
}

/** The file's bytes as the body, as they are. */
const asCsv = { bodySerializer: (file: unknown) => file as Blob, headers: { 'content-type': 'text/csv' } };

/** A student file's columns by the field they fill: 学号 … 家长2电话, as a file heads them. */
const studentColumn =
  (t: TFunction): FieldLabel =>
  ([field, k, sub]) =>
    field === 'guardians' && k !== undefined && sub
      ? t(`people.import.studentColumns.guardian.${sub}`, { n: Number(k) + 1, defaultValue: '' }) || undefined
      : t(`people.import.studentColumns.${field}`, { defaultValue: '' }) || undefined;

export const KINDS: Record<ImportKindName, ImportKind> = {
  students: {
    name: 'students',
    post: ({ schoolId, file }) =>
      api().POST('/schools/{schoolId}/students/import', { params: { path: { schoolId } }, body: file as never, ...asCsv }),
    label: studentColumn,
  },
};

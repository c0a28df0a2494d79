/**
 * The route of a set-up import (rooms and staff here, clubs in the clubs function): the
 * same shape and terms for each kind. Its own module, so that a function importing it
 * carries no other route.
 */
import { MAX_SETUP_IMPORT_ROWS, SetupImportRequest, SetupImportResult, type SetupImportKind } from '@kehou/domain';
import { mayRefuse, route, type RouteSpec } from '@kehou/http';

/** What a set-up import does, for the OpenAPI document: every import of rooms, staff or clubs alike. */
export const SETUP_IMPORT_TERMS =
  `Up to ${MAX_SETUP_IMPORT_ROWS.toLocaleString('en')} rows, as JSON rows or a CSV file with Chinese or English headers ` +
  '(UTF-8 with or without a BOM, or GB18030/GBK as Chinese Excel saves "CSV"; a `charset` in Content-Type is honoured). ' +
  'Send a file that may not be UTF-8 as application/octet-stream: API Gateway passes a text/csv body on as UTF-8 text. ' +
  'A column the file leaves out leaves that field of a record that exists as it is; an empty cell is the field left empty. ' +
  'Every row is checked first, with the schema of the create route: any problem and nothing is written (400, each problem at ' +
  '`["rows", i, field, …]`, i from 0 for the first row after the header, its message led by the row as Excel numbers it and ' +
  'the column as the file heads it: "row 14, 容量: …"; in JSON "row i + 1: …"). The import is all or nothing, and writes only ' +
  'what changes: the same file twice writes nothing. `GET …/import-templates/{file}` has a template to fill in.';

/** A set-up import's route: JSON rows or CSV, all or nothing, the answer says what each row did. */
export const setupImportRoute = <
  const S extends Pick<RouteSpec, 'operationId' | 'path' | 'summary' | 'description' | 'tag' | 'params'>,
>(
  spec: S,
  kind: SetupImportKind,
  permission: 'setup.write' | 'staff.write',
) =>
  route({
    ...spec,
    method: 'POST',
    auth: 'jwt',
    errors: mayRefuse(permission),
    body: SetupImportRequest[kind],
    bodyTypes: ['application/json', 'text/csv'],
    tooLarge: 'The file is larger than 1 MB: split it into parts of fewer rows and import each part',
    response: SetupImportResult,
    idempotent: true,
  });

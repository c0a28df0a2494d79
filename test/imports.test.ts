/**
 * Imports through HTTP, within Lambda's real limits: a whole school's roster of several MB
 * is accepted (202) and imported by the jobs worker; the request itself writes only the
 * job, its file and the school's import lock; one import of a school at a time (409 with
 * Retry-After); files over the row or size cap, or with a bad row, are refused whole.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { MAX_IMPORT_ROWS, type ImportJob, type ImportRow } from '@kehou/domain';
import { awaitJob, demoGrades, demoStudents, type Call } from '@kehou/local';
import { makeDb } from '@kehou/store';
import { MAX_IMPORT_BYTES } from '../functions/people/api';
import { startTestApp, type TestApp } from './support/app';
import { TEST_CURSOR_KEY } from './support/db';
import { toCsv } from './support/roster';

let app: TestApp;
let admin: Call;
let schoolId: string;
const CSV = { 'content-type': 'text/csv' };

/** Every item of the test's table, by the kind its sort key (or partition) names. */
async function tableKinds(): Promise<Map<string, number>> {
  const db = makeDb({ tableName: app.tableName, endpoint: app.dynamoEndpoint, region: 'local', cursorKey: TEST_CURSOR_KEY });
  const kinds = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.doc.send(new ScanCommand({ TableName: db.table, ExclusiveStartKey: start }));
    for (const i of page.Items ?? []) {
      const kind = String(i.pk).startsWith('JOBPART#') ? 'JOBPART' : String(i.sk).split('#')[0]!;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return kinds;
}

const importsOfSchool = async () => (await admin('GET', `/schools/${schoolId}/imports?limit=500`)).body.items as ImportJob[];

beforeAll(async () => {
  app = await startTestApp();
  const bureau = await app.as('district', { district: 'd-1' });
  schoolId = (await bureau('POST', '/schools', { name: '旌阳区实验小学', districtId: 'd-1' })).body.id;
  admin = await app.as('admin', { user: 'admin-1', schools: [schoolId] });
  for (const g of demoGrades()) expect((await admin('POST', `/schools/${schoolId}/grades`, g)).status).toBe(201);
}, 60_000);
afterAll(async () => app?.close());

it('documents the import: rows typed, 202 with the status resource, the status route', async () => {
  const doc = (await app.anonymous('GET', '/openapi.json')).body;
  const run = doc.paths['/schools/{schoolId}/students/import'].post;
  const rows = run.requestBody.content['application/json'].schema.properties.rows;
  expect(rows).toMatchObject({ type: 'array', maxItems: MAX_IMPORT_ROWS, items: { type: 'object' } });
  expect(Object.keys(rows.items.properties)).toEqual(['studentNo', 'name', 'gradeLevel', 'homeroom', 'guardians']);
  expect(Object.keys(run.requestBody.content)).toEqual(['application/json', 'text/csv', 'application/octet-stream']);
  expect(run.responses['202'].content['application/json'].schema.properties.state.enum).toEqual([
    'queued',
    'running',
    'finished',
    'failed',
  ]);
  expect(doc.paths['/schools/{schoolId}/imports/{importId}'].get.operationId).toBe('getImport');
});

describe('files refused whole, nothing written', () => {
  it('refuses a CSV of more rows than JSON may have', async () => {
    const before = await tableKinds();
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `S${i},学生,1,1`);
    const res = await admin(
      'POST',
      `/schools/${schoolId}/students/import`,
      `studentNo,name,grade,homeroom\n${rows.join('\n')}\n`,
      CSV,
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: ['rows'], message: expect.stringContaining('split the file') }]);
    expect(await tableKinds()).toEqual(before);
  });

  it('refuses a body over 5 MB with 413, saying how to split it', async () => {
    const before = await tableKinds();
    const line = `S1,${'学'.repeat(40)},1,1\n`;
    const csv = `studentNo,name,grade,homeroom\n${line.repeat(Math.ceil(MAX_IMPORT_BYTES / Buffer.byteLength(line)) + 1)}`;
    const res = await admin('POST', `/schools/${schoolId}/students/import`, csv, CSV);
    expect(res.status).toBe(413);
    expect(res.body.detail).toMatch(/split it into parts/);
    expect(await tableKinds()).toEqual(before);
  });

  it('refuses a 5,000-row file with one bad row, naming that row', async () => {
    const before = await tableKinds();
    const rows: ImportRow[] = demoStudents(5000);
    rows[3217] = { ...rows[3217]!, gradeLevel: 9 };
    const res = await admin('POST', `/schools/${schoolId}/students/import`, toCsv(rows), CSV);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: ['rows', 3217, 'gradeLevel'], message: 'the school has no grade 9' }]);
    expect(await tableKinds()).toEqual(before);
  });
});

describe('one import of a school at a time', () => {
  it('accepts one of three identical imports sent at once; the others get 409 with Retry-After; the request writes no student', async () => {
    const csv = toCsv(demoStudents(200));
    app.worker.pause();
    const answers = await Promise.all([1, 2, 3].map(() => admin('POST', `/schools/${schoolId}/students/import`, csv, CSV)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.headers['retry-after']).toBe('10');
      expect(refused.body.reason).toBe('in-progress');
    }
    const accepted = answers.find((a) => a.status === 202)!;
    expect(accepted.body).toMatchObject({ state: 'queued', rows: 200, progress: { done: 0, of: 200 } });
    expect(await importsOfSchool()).toHaveLength(1);

    // what the requests wrote, before the worker runs: the job, its lock and its file; no student, no guardian
    const kinds = await tableKinds();
    expect(kinds.get('JOB')).toBe(1);
    expect(kinds.get('LOCK')).toBe(1);
    expect(kinds.get('JOBPART')).toBeGreaterThan(0);
    expect(kinds.has('STUDENT')).toBe(false);
    expect(kinds.has('GUARDIAN')).toBe(false);

    app.worker.resume();
    expect(await awaitJob(admin, accepted.headers.location!)).toMatchObject({ state: 'finished', studentsWritten: 200 });
    expect((await tableKinds()).has('LOCK')).toBe(false);
  });

  it("shows an import only to the school's people: another school's admin gets 404, as does an unknown import", async () => {
    const [job] = await importsOfSchool();
    const bureau = await app.as('district', { district: 'd-1' });
    const other = (await bureau('POST', '/schools', { name: '第二小学', districtId: 'd-1' })).body.id;
    const stranger = await app.as('admin', { user: 'admin-x', schools: [other] });
    expect((await stranger('GET', `/schools/${schoolId}/imports/${job!.importId}`)).status).toBe(404);
    expect((await admin('GET', `/schools/${schoolId}/imports/nope`)).status).toBe(404);
  });
});

describe("a whole school's roster", () => {
  // long names, four guardians a child (families of four): several MB, within Lambda's 6 MB
  const rows: ImportRow[] = demoStudents(5600).map((r, i) => ({
    ...r,
    name: `${r.name}${'子'.repeat(36)}`.slice(0, 40),
    homeroom: `${r.homeroom}班${'级'.repeat(18)}`.slice(0, 20),
    guardians: [0, 1, 2, 3].map((k) => ({
      name: `家长${'长'.repeat(38)}`,
      phone: `139${String(Math.floor(i / 4) * 4 + k).padStart(8, '0')}`,
      relation: 'guardian' as const,
    })),
  }));
  const csv = toCsv(rows, 4);

  it('is imported as a job: 202 at once, then finished with every student and guardian', async () => {
    expect(Buffer.byteLength(csv)).toBeGreaterThan(4 * 1024 * 1024);
    expect(Buffer.byteLength(csv)).toBeLessThan(MAX_IMPORT_BYTES);
    const res = await admin('POST', `/schools/${schoolId}/students/import?mode=upsert`, csv, CSV);
    expect(res.status).toBe(202);
    const done = await awaitJob<ImportJob>(admin, res.headers.location!, 600_000);
    expect(done).toMatchObject({ state: 'finished', rows: 5600, studentsWritten: 5600, guardiansWritten: 5600, errorCount: 0 });
    expect(done.progress).toEqual({ done: 5600, of: 5600 });
    const child = (await admin('GET', `/schools/${schoolId}/students/${rows[4000]!.studentNo}`)).body;
    expect(child.guardianIds).toHaveLength(4);
  }, 900_000);

  it('writes nothing the second time', async () => {
    const res = await admin('POST', `/schools/${schoolId}/students/import`, csv, CSV);
    expect(res.status).toBe(202);
    expect(await awaitJob(admin, res.headers.location!, 600_000)).toMatchObject({
      state: 'finished',
      studentsWritten: 0,
      guardiansWritten: 0,
    });
    const child = (await admin('GET', `/schools/${schoolId}/students/${rows[4000]!.studentNo}`)).body;
    expect(child.version).toBe(1);
  }, 900_000);
});

/**
 * The five routes `crudRoutes` makes, through `lambdaHandler`, over an in-memory repository
 * and a fixed set of schools. Two made-up entities: a widget (server-made ids, archivable)
 * and a badge (id taken from its code, with a `prepare` step).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  Conflict,
  Id,
  InvalidInput,
  Meta,
  NO_RELATIONS,
  Slug,
  Status,
  Text,
  type Page,
  type PageQuery,
  type SchoolRef,
} from '@kehou/domain';
import { crudRoutes, crudSpecs, lambdaHandler, schoolFor, type CrudMeta, type CrudRepo, type CrudRuntime } from '@kehou/http';
import { call, claimsOf, type EventInit } from './support/events';

// @kehou/domain's calendar is not used here; see support/no-date-fns-tz.ts
vi.mock('date-fns-tz', () => import('./support/no-date-fns-tz'));

// ---------------------------------------------------------------- entities
const WidgetInput = z.object({ name: Text(40), size: z.number().int().min(1) });
const Widget = WidgetInput.extend({ id: Id, schoolId: Id, status: Status }).extend(Meta.shape);
type Widget = z.infer<typeof Widget>;
const widgetMeta = {
  what: 'widget',
  plural: 'widgets',
  idParam: 'widgetId',
  tag: 'Widgets',
  input: WidgetInput,
  entity: Widget,
  archivable: true,
  read: 'setup.read',
  write: 'setup.write',
} satisfies CrudMeta<typeof WidgetInput, typeof Widget>;

const BadgeInput = z.object({ code: Slug, name: Text(40) });
const Badge = BadgeInput.extend({ id: Id, schoolId: Id, label: z.string() }).extend(Meta.shape);
type Badge = z.infer<typeof Badge>;
const badgeMeta = {
  what: 'badge',
  plural: 'badges',
  idParam: 'badgeId',
  tag: 'Badges',
  input: BadgeInput,
  entity: Badge,
  read: 'staff.read',
  write: 'staff.write',
} satisfies CrudMeta<typeof BadgeInput, typeof Badge>;

// ---------------------------------------------------------------- fakes
class MemRepo<E extends { id: string; version: number }> implements CrudRepo<E> {
  readonly data = new Map<string, Map<string, E>>();
  readonly deletes: { schoolId: string; id: string; at: string; by: string }[] = [];
  readonly pages: PageQuery[] = [];
  private of(schoolId: string) {
    let m = this.data.get(schoolId);
    if (!m) this.data.set(schoolId, (m = new Map()));
    return m;
  }
  async get(schoolId: string, id: string) {
    return this.of(schoolId).get(id) ?? null;
  }
  async list(schoolId: string, page: PageQuery): Promise<Page<E>> {
    this.pages.push(page);
    const items = [...this.of(schoolId).values()].sort((a, b) => a.id.localeCompare(b.id));
    return { items: items.slice(0, page.limit), next: items.length > page.limit ? 'more' : null };
  }
  async create(schoolId: string, e: E) {
    if (this.of(schoolId).has(e.id)) throw new Conflict('exists', 'exists');
    this.of(schoolId).set(e.id, e);
    return e;
  }
  async replace(schoolId: string, prev: E, next: E) {
    if (this.of(schoolId).get(prev.id)?.version !== prev.version) throw new Conflict('raced', 'version');
    this.of(schoolId).set(prev.id, next);
    return next;
  }
  async delete(schoolId: string, prev: E, at: string, by: string) {
    this.deletes.push({ schoolId, id: prev.id, at, by });
    this.of(schoolId).delete(prev.id);
  }
}

const SCHOOLS: Record<string, SchoolRef & { name: string }> = {
  's-1': { id: 's-1', districtId: 'd-1', name: '一小' },
  's-2': { id: 's-2', districtId: 'd-1', name: '二小' },
  's-3': { id: 's-3', districtId: 'd-2', name: '三小' },
};

interface Rt extends CrudRuntime {
  widgets: MemRepo<Widget>;
  badges: MemRepo<Badge>;
}

const T0 = '2026-09-01T08:00:00.000Z';
const T1 = '2026-09-02T09:30:00.000Z';
let now: Date;
let ids: number;
let rt: Rt;
let prepareCalls: { input: unknown; prev: unknown; school: SchoolRef }[];
let handler: ReturnType<typeof lambdaHandler>;

const widgetRoutes = crudSpecs(widgetMeta);
const badgeRoutes = crudSpecs(badgeMeta);

beforeEach(() => {
  now = new Date(T0);
  ids = 0;
  prepareCalls = [];
  rt = {
    clock: () => new Date(now),
    newId: () => `w${++ids}`,
    store: {
      schools: { get: async (_s: string, id: string) => SCHOOLS[id] ?? null },
      relations: { at: async () => NO_RELATIONS },
    },
    widgets: new MemRepo<Widget>(),
    badges: new MemRepo<Badge>(),
  };
  const routes = [
    ...crudRoutes(widgetMeta, widgetRoutes, { repo: (r: Rt) => r.widgets }),
    ...crudRoutes(badgeMeta, badgeRoutes, {
      repo: (r: Rt) => r.badges,
      idFrom: { field: 'code', make: (b) => `b-${b.code}` },
      prepare: async (b, { school, prev }) => {
        prepareCalls.push({ input: b, prev, school });
        if (b.name === 'refused') throw InvalidInput.at(['name'], 'not at this school');
        return { label: `${b.name} (${school.id})` };
      },
    }),
  ];
  handler = lambdaHandler(routes, rt);
});

// ---------------------------------------------------------------- callers
const admin1 = claimsOf({ sub: 'u-admin-1', groups: ['admin'], schools: 's-1' });
const admin2 = claimsOf({ sub: 'u-admin-2', groups: ['admin'], schools: 's-2' });
const teacher1 = claimsOf({ sub: 'u-teacher-1', groups: ['teacher'], schools: 's-1' });
const bureau1 = claimsOf({ sub: 'u-bureau-1', groups: ['district'], district: 'd-1' });
const bureau2 = claimsOf({ sub: 'u-bureau-2', groups: ['district'], district: 'd-2' });

const J = { 'content-type': 'application/json' };
const W = '/schools/{schoolId}/widgets';
const WI = '/schools/{schoolId}/widgets/{widgetId}';
const B = '/schools/{schoolId}/badges';
const BI = '/schools/{schoolId}/badges/{badgeId}';

const createWidget = (claims: Record<string, unknown>, body: unknown, schoolId = 's-1') =>
  call(handler, { routeKey: `POST ${W}`, pathParameters: { schoolId }, headers: J, body: JSON.stringify(body), claims });
const getWidget = (claims: Record<string, unknown>, widgetId: string, schoolId = 's-1') =>
  call(handler, { routeKey: `GET ${WI}`, pathParameters: { schoolId, widgetId }, claims });
const replaceWidget = (claims: Record<string, unknown>, widgetId: string, body: unknown, schoolId = 's-1') =>
  call(handler, {
    routeKey: `PUT ${WI}`,
    pathParameters: { schoolId, widgetId },
    headers: J,
    body: JSON.stringify(body),
    claims,
  });
const deleteWidget = (claims: Record<string, unknown>, widgetId: string, query?: Record<string, string>, schoolId = 's-1') =>
  call(handler, {
    routeKey: `DELETE ${WI}`,
    pathParameters: { schoolId, widgetId },
    claims,
    ...(query ? { query } : {}),
  } as EventInit);
const listWidgets = (claims: Record<string, unknown>, query?: Record<string, string>, schoolId = 's-1') =>
  call(handler, { routeKey: `GET ${W}`, pathParameters: { schoolId }, claims, ...(query ? { query } : {}) } as EventInit);

// ---------------------------------------------------------------- specs
describe('crudSpecs', () => {
  it('makes five routes on the collection and item paths, with operation ids from the name', () => {
    expect(
      Object.fromEntries(Object.entries(widgetRoutes).map(([k, r]) => [k, `${r.method} ${r.path} ${r.operationId}`])),
    ).toEqual({
      list: `GET ${W} listWidgets`,
      create: `POST ${W} createWidget`,
      get: `GET ${WI} getWidget`,
      replace: `PUT ${WI} replaceWidget`,
      remove: `DELETE ${WI} deleteWidget`,
    });
    expect(Object.values(widgetRoutes).every((r) => r.auth === 'jwt')).toBe(true);
    expect(widgetRoutes.create).toMatchObject({ status: 201, idempotent: true });
    expect(widgetRoutes.remove.status).toBe(204);
  });

  it('names a two-word entity in camel case', () => {
    const specs = crudSpecs({ ...widgetMeta, what: 'staff member', plural: 'staff', idParam: 'staffId' });
    expect(specs.list.operationId).toBe('listStaffMembers');
    expect(specs.create.operationId).toBe('createStaffMember');
    expect(specs.get.path).toBe('/schools/{schoolId}/staff/{staffId}');
  });

  it('lets only archivable entities take a status on replace', () => {
    const body = { name: 'x', size: 1, version: 1, status: 'archived' };
    expect(widgetRoutes.replace.body.parse(body)).toMatchObject({ status: 'archived' });
    const nonArchivable = crudSpecs({ ...widgetMeta, archivable: false });
    expect(nonArchivable.replace.body.parse(body)).not.toHaveProperty('status');
  });
});

// ---------------------------------------------------------------- create
describe('create', () => {
  it('stamps version 1, time and author, a made-up id, and answers 201 with its location', async () => {
    const res = await createWidget(admin1, { name: '象棋桌', size: 4 });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/schools/s-1/widgets/w1');
    expect(res.body).toEqual({
      name: '象棋桌',
      size: 4,
      id: 'w1',
      schoolId: 's-1',
      status: 'active',
      version: 1,
      createdAt: T0,
      updatedAt: T0,
      updatedBy: 'u-admin-1',
    });
    expect(await rt.widgets.get('s-1', 'w1')).toEqual(res.body);
  });

  it('ignores fields the input does not have: id, school, version, status cannot be chosen', async () => {
    const res = await createWidget(admin1, { name: 'n', size: 1, id: 'mine', schoolId: 's-2', version: 9, status: 'archived' });
    expect(res.body).toMatchObject({ id: 'w1', schoolId: 's-1', version: 1, status: 'active' });
    expect(rt.widgets.data.get('s-2')).toBeUndefined();
  });

  it('refuses invalid input with 400 and writes nothing', async () => {
    const res = await createWidget(admin1, { name: '', size: 0 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual(expect.arrayContaining([['name'], ['size']]));
    expect(rt.widgets.data.get('s-1')?.size ?? 0).toBe(0);
  });

  it("answers 404 to another school's admin and to an unknown school, 403 to a teacher of the school", async () => {
    expect((await createWidget(admin2, { name: 'n', size: 1 })).status).toBe(404);
    expect((await createWidget(admin1, { name: 'n', size: 1 }, 's-404')).status).toBe(404);
    const teacher = await createWidget(teacher1, { name: 'n', size: 1 });
    expect(teacher.status).toBe(403);
    expect(rt.widgets.data.get('s-1')?.size ?? 0).toBe(0);
  });

  it("answers a district bureau 403 for writes in its district's school, 404 in another district's", async () => {
    expect((await createWidget(bureau1, { name: 'n', size: 1 })).status).toBe(403);
    expect((await createWidget(bureau2, { name: 'n', size: 1 })).status).toBe(404);
  });

  it('takes the id from a field when told, and runs prepare with no previous version', async () => {
    const res = await call(handler, {
      routeKey: `POST ${B}`,
      pathParameters: { schoolId: 's-1' },
      headers: J,
      body: JSON.stringify({ code: 'chess', name: '象棋' }),
      claims: admin1,
    });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe('/schools/s-1/badges/b-chess');
    expect(res.body).toMatchObject({ id: 'b-chess', code: 'chess', label: '象棋 (s-1)', version: 1 });
    expect(res.body).not.toHaveProperty('status');
    expect(ids).toBe(0);
    expect(prepareCalls).toEqual([{ input: { code: 'chess', name: '象棋' }, prev: null, school: SCHOOLS['s-1'] }]);
  });

  it('answers what prepare throws, and writes nothing', async () => {
    const res = await call(handler, {
      routeKey: `POST ${B}`,
      pathParameters: { schoolId: 's-1' },
      headers: J,
      body: JSON.stringify({ code: 'x', name: 'refused' }),
      claims: admin1,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: ['name'], message: 'not at this school' }]);
    expect(rt.badges.data.get('s-1')?.size ?? 0).toBe(0);
  });
});

// ---------------------------------------------------------------- read
describe('get and list', () => {
  beforeEach(async () => {
    await createWidget(admin1, { name: 'a', size: 1 });
    await createWidget(admin1, { name: 'b', size: 2 });
    await createWidget(admin2, { name: 'c', size: 3 }, 's-2');
  });

  it('reads a widget of the school', async () => {
    const res = await getWidget(teacher1, 'w2');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'w2', name: 'b', schoolId: 's-1' });
  });

  it('answers 404 for an id the school does not have, even one another school has', async () => {
    const missing = await getWidget(admin1, 'w99');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('widget not found');
    expect((await getWidget(admin1, 'w3')).status).toBe(404);
  });

  it("answers 404, not 403, to another school's admin, so that nothing leaks", async () => {
    const res = await getWidget(admin2, 'w1');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('school not found');
    expect(res.raw.body).not.toContain('"a"');
  });

  it('lets the district bureau read its schools but not the schools of another district', async () => {
    expect((await getWidget(bureau1, 'w1')).status).toBe(200);
    expect((await getWidget(bureau2, 'w1')).status).toBe(404);
  });

  it('answers 403 to a school member whose role may not read (badges: admins only)', async () => {
    const res = await call(handler, { routeKey: `GET ${B}`, pathParameters: { schoolId: 's-1' }, claims: teacher1 });
    expect(res.status).toBe(403);
  });

  it('lists the widgets of the school only, passing the page query on', async () => {
    const res = await listWidgets(admin1, { limit: '1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [expect.objectContaining({ id: 'w1' })], next: 'more' });
    expect(rt.widgets.pages.at(-1)).toEqual({ limit: 1 });
    const all = await listWidgets(admin1);
    expect(all.body.items.map((w: Widget) => w.id)).toEqual(['w1', 'w2']);
    expect(rt.widgets.pages.at(-1)).toEqual({ limit: 100 });
  });

  it('refuses a bad page query under "query"', async () => {
    for (const limit of ['0', '501', 'ten']) {
      const res = await listWidgets(admin1, { limit });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toEqual(['query', 'limit']);
    }
  });
});

// ---------------------------------------------------------------- replace
describe('replace', () => {
  beforeEach(async () => {
    await createWidget(admin1, { name: 'a', size: 1 });
    now = new Date(T1);
  });

  it('writes the next version with the new author and time, keeping the creation time', async () => {
    const res = await replaceWidget(admin1, 'w1', { name: 'A', size: 10, version: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'A',
      size: 10,
      id: 'w1',
      schoolId: 's-1',
      status: 'active',
      version: 2,
      createdAt: T0,
      updatedAt: T1,
      updatedBy: 'u-admin-1',
    });
    expect((await rt.widgets.get('s-1', 'w1'))!.version).toBe(2);
  });

  it('archives an archivable entity when asked', async () => {
    const res = await replaceWidget(admin1, 'w1', { name: 'a', size: 1, version: 1, status: 'archived' });
    expect(res.body.status).toBe('archived');
  });

  it('answers 409 with the current version to a stale version, and writes nothing', async () => {
    await replaceWidget(admin1, 'w1', { name: 'B', size: 1, version: 1 });
    const stale = await replaceWidget(admin1, 'w1', { name: 'C', size: 1, version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('version');
    expect(stale.body.current).toEqual({ version: 2, updatedBy: 'u-admin-1', updatedAt: T1 });
    expect((await rt.widgets.get('s-1', 'w1'))!.name).toBe('B');
  });

  it('needs the version', async () => {
    const res = await replaceWidget(admin1, 'w1', { name: 'a', size: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: unknown[] }) => e.path)).toEqual([['version']]);
  });

  it("answers 404 for a missing id, and to another school's admin; 403 to a teacher", async () => {
    expect((await replaceWidget(admin1, 'w9', { name: 'a', size: 1, version: 1 })).status).toBe(404);
    expect((await replaceWidget(admin2, 'w1', { name: 'a', size: 1, version: 1 })).status).toBe(404);
    expect((await replaceWidget(teacher1, 'w1', { name: 'a', size: 1, version: 1 })).status).toBe(403);
    expect((await rt.widgets.get('s-1', 'w1'))!.version).toBe(1);
  });

  it('refuses to change the field the id comes from (400 at that field), and runs prepare with the stored version', async () => {
    const put = (body: unknown) =>
      call(handler, {
        routeKey: `PUT ${BI}`,
        pathParameters: { schoolId: 's-1', badgeId: 'b-chess' },
        headers: J,
        body: JSON.stringify(body),
        claims: admin1,
      });
    await call(handler, {
      routeKey: `POST ${B}`,
      pathParameters: { schoolId: 's-1' },
      headers: J,
      body: JSON.stringify({ code: 'chess', name: '象棋' }),
      claims: admin1,
    });
    const moved = await put({ code: 'go', name: '围棋', version: 1 });
    expect(moved.status).toBe(400);
    expect(moved.body.errors[0].path).toEqual(['code']);
    expect((await rt.badges.get('s-1', 'b-chess'))!.version).toBe(1);

    const renamed = await put({ code: 'chess', name: '国际象棋', version: 1 });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: 'b-chess', name: '国际象棋', label: '国际象棋 (s-1)', version: 2 });
    expect(prepareCalls.at(-1)!.prev).toMatchObject({ id: 'b-chess', version: 1 });
  });
});

// ---------------------------------------------------------------- delete
describe('delete', () => {
  beforeEach(async () => {
    await createWidget(admin1, { name: 'a', size: 1 });
    now = new Date(T1);
  });

  it('deletes the version sent, answering 204 without a body, and tells the repository when and by whom', async () => {
    const res = await deleteWidget(admin1, 'w1', { version: '1' });
    expect(res.status).toBe(204);
    expect(res.raw.body).toBeUndefined();
    expect(rt.widgets.deletes).toEqual([{ schoolId: 's-1', id: 'w1', at: T1, by: 'u-admin-1' }]);
    expect(await rt.widgets.get('s-1', 'w1')).toBeNull();
  });

  it('answers 409 to a stale version and keeps the entity', async () => {
    await replaceWidget(admin1, 'w1', { name: 'b', size: 1, version: 1 });
    const res = await deleteWidget(admin1, 'w1', { version: '1' });
    expect(res.status).toBe(409);
    expect(res.body.current.version).toBe(2);
    expect(rt.widgets.deletes).toEqual([]);
  });

  it('needs the version in the query', async () => {
    const res = await deleteWidget(admin1, 'w1');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toEqual(['query', 'version']);
  });

  it("answers 404 to another school's admin and for a missing id; 403 to a teacher", async () => {
    expect((await deleteWidget(admin2, 'w1', { version: '1' })).status).toBe(404);
    expect((await deleteWidget(admin1, 'w7', { version: '1' })).status).toBe(404);
    expect((await deleteWidget(teacher1, 'w1', { version: '1' })).status).toBe(403);
    expect(rt.widgets.deletes).toEqual([]);
  });
});

// ---------------------------------------------------------------- schoolFor
describe('schoolFor', () => {
  const principal = {
    userId: 'u',
    roles: new Set(['admin'] as const),
    memberships: new Map([['s-1', new Set(['admin'] as const)]]),
    district: null,
  };

  const relationsAt = vi.fn(async () => NO_RELATIONS);
  const relations = { at: relationsAt };

  it('returns the school when the principal may act there', async () => {
    const get = vi.fn(async (_s: string, id: string) => SCHOOLS[id] ?? null);
    await expect(schoolFor({ schools: { get }, relations }, principal, 's-1', 'setup.write')).resolves.toBe(SCHOOLS['s-1']);
    expect(get).toHaveBeenCalledWith('s-1', 's-1');
    expect(relationsAt).not.toHaveBeenCalled();
  });

  it('throws NotFound for a missing school or one the principal has no relation to', async () => {
    const get = async (_s: string, id: string) => SCHOOLS[id] ?? null;
    const store = { schools: { get }, relations };
    await expect(schoolFor(store, principal, 's-9', 'school.read')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(schoolFor(store, principal, 's-2', 'school.read')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it("grants a relation-granted permission by the user's relations to the subject, read with the school", async () => {
    const volunteer = {
      ...principal,
      roles: new Set(['volunteer'] as const),
      memberships: new Map([['s-1', new Set(['volunteer'] as const)]]),
    };
    const get = async (_s: string, id: string) => SCHOOLS[id] ?? null;
    const store = { schools: { get }, relations: { at: async () => ({ staffIds: new Set(['st-1']), guardians: [] }) } };
    await expect(schoolFor(store, volunteer, 's-1', 'roster.read', { kind: 'staff', staffId: 'st-1' })).resolves.toBe(
      SCHOOLS['s-1'],
    );
    await expect(schoolFor(store, volunteer, 's-1', 'roster.read', { kind: 'staff', staffId: 'st-2' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
  });
});

/**
 * The five routes of a versioned entity of a school — list, create, read, replace, delete —
 * made from its schemas once, so that every entity behaves alike: zod at the edge, the
 * policy decides, the version is checked, history is kept, another school's data is 404.
 */
import {
  authorize,
  created,
  expectVersion,
  Id,
  InvalidInput,
  NotFound,
  PageQuery,
  PERMISSIONS,
  ROLES,
  Page,
  revised,
  VersionQuery,
  type Page as PageOf,
  type Permission,
  type Principal,
  type Relations,
  type SchoolRef,
  type Subject,
} from '@kehou/domain';
import * as z from 'zod';
import { bind, Reply, route, type Bound, type Input, type RouteSpec } from './route';

export interface CrudMeta<I extends z.ZodType, E extends z.ZodType> {
  /** "room", for summaries and messages */
  what: string;
  /** "rooms", the path segment */
  plural: string;
  /** "roomId" */
  idParam: string;
  idSchema?: z.ZodType<string>;
  tag: string;
  input: I;
  entity: E;
  /** the archive flag may be set on replace */
  archivable?: boolean;
  read: Permission;
  write: Permission;
}

/** A route's `errors` for a permission: [403] when a member of the school may lack the role (not every role has it). */
export const mayRefuse = (p: Permission): 403[] =>
  ROLES.every((r) => (PERMISSIONS[p].roles as readonly string[]).includes(r)) ? [] : [403];

const cap = (s: string) => s.replace(/(^|[\s-])(\w)/g, (_m, _sp, c: string) => c.toUpperCase());

export function crudSpecs<I extends z.ZodType, E extends z.ZodType>(m: CrudMeta<I, E>) {
  const name = cap(m.what).replace(/\s/g, '');
  const collection = `/schools/{schoolId}/${m.plural}`;
  const item = `${collection}/{${m.idParam}}`;
  const schoolParams = z.object({ schoolId: Id });
  const itemParams = z.object({ schoolId: Id, [m.idParam]: m.idSchema ?? Id }) as unknown as z.ZodObject<{ schoolId: typeof Id }>; // and the id parameter
  const versioned = z.object({
    version: z.number().int().min(1),
    ...(m.archivable ? { status: z.enum(['active', 'archived']).optional() } : {}),
  });
  const replaceBody = z.intersection(m.input, versioned);
  return {
    list: route({
      operationId: `list${name}s`,
      method: 'GET',
      path: collection,
      summary: `List the ${m.plural} of a school`,
      description: `The ${m.plural} of the school, a page at a time: pass \`next\` as \`cursor\` for the following page.`,
      tag: m.tag,
      auth: 'jwt',
      errors: mayRefuse(m.read),
      params: schoolParams,
      query: PageQuery,
      response: Page(m.entity),
      hot: true,
    }),
    create: route({
      operationId: `create${name}`,
      method: 'POST',
      path: collection,
      summary: `Create a ${m.what}`,
      description: `Creates a ${m.what} of the school at version 1. A retry with the same Idempotency-Key gets the first answer.`,
      tag: m.tag,
      auth: 'jwt',
      errors: mayRefuse(m.write),
      params: schoolParams,
      body: m.input,
      response: m.entity,
      status: 201,
      responseHeaders: { Location: `the new ${m.what}` },
      idempotent: true,
    }),
    get: route({
      operationId: `get${name}`,
      method: 'GET',
      path: item,
      summary: `Read a ${m.what}`,
      description: `The ${m.what} as it is now; \`GET /schools/{schoolId}/history/…\` has its earlier versions.`,
      tag: m.tag,
      auth: 'jwt',
      errors: mayRefuse(m.read),
      params: itemParams,
      response: m.entity,
    }),
    replace: route({
      operationId: `replace${name}`,
      method: 'PUT',
      path: item,
      summary: `Replace a ${m.what} (send the version you read)${m.archivable ? '; status "archived" archives it' : ''}`,
      description: `Replaces the ${m.what} with the body, if \`version\` is still the stored one (else 409, saying who changed it); the replaced version stays in its history.`,
      tag: m.tag,
      auth: 'jwt',
      errors: mayRefuse(m.write),
      params: itemParams,
      body: replaceBody,
      response: m.entity,
    }),
    remove: route({
      operationId: `delete${name}`,
      method: 'DELETE',
      path: item,
      summary: `Delete a ${m.what} (send the version you read)`,
      description: `Deletes the ${m.what}, if \`version\` is still the stored one (else 409); its history stays.`,
      tag: m.tag,
      auth: 'jwt',
      errors: mayRefuse(m.write),
      params: itemParams,
      query: VersionQuery,
      status: 204,
    }),
  };
}
/** The five specs (a list may take extra filters, a summary may differ). */
export type CrudSpecs = Record<keyof ReturnType<typeof crudSpecs>, RouteSpec>;

/** What the routes need from a repository. */
export interface CrudRepo<E> {
  get(schoolId: string, id: string): Promise<E | null>;
  list(schoolId: string, page: PageQuery): Promise<PageOf<E>>;
  create(schoolId: string, e: E): Promise<E>;
  replace(schoolId: string, prev: E, next: E): Promise<E>;
  delete(schoolId: string, prev: E, at: string, by: string): Promise<void>;
}

/** What deciding access needs from the store: the school, and the user's relations to its records. */
export interface AccessStore<S extends SchoolRef> {
  schools: { get(schoolId: string, id: string): Promise<S | null> };
  staff: { relationsAt(userId: string, schoolId: string): Promise<Relations> };
}

export interface CrudRuntime {
  clock: () => Date;
  newId: () => string;
  store: AccessStore<SchoolRef & object>;
}

type Stamped = { id: string; version: number; createdAt: string; updatedAt: string; updatedBy: string };

export interface CrudImpl<In, E extends Stamped, R> {
  repo: (rt: R) => CrudRepo<E>;
  /** the id taken from a field of the input (a grade's level, a student number); made up otherwise */
  idFrom?: { field: string; make: (input: In, schoolId: string) => string };
  /**
   * Checks against the school and derives fields; throws InvalidInput or RuleViolation.
   * Gets the stored entity on replace.
   */
  prepare?: (input: In, ctx: { rt: R; school: SchoolRef; prev: E | null }) => Promise<Partial<E> | void>;
}

/**
 * The school, if the principal may do `permission` there (to `subject`, when a relation
 * to it may grant the permission); otherwise 404 or 403. The school and the user's
 * relations are read at once: one round trip.
 */
export async function schoolFor<S extends SchoolRef>(
  store: AccessStore<S>,
  principal: Principal,
  schoolId: string,
  permission: Permission,
  subject?: Subject,
): Promise<S> {
  const [school, relations] = await Promise.all([
    store.schools.get(schoolId, schoolId),
    subject ? store.staff.relationsAt(principal.userId, schoolId) : undefined,
  ]);
  if (!school) throw new NotFound('school');
  authorize(principal, permission, { school, ...(subject ? { subject } : {}), ...(relations ? { relations } : {}) });
  return school;
}

export function crudRoutes<I extends z.ZodType, E extends z.ZodType, R extends CrudRuntime>(
  meta: CrudMeta<I, E>,
  specs: CrudSpecs,
  impl: CrudImpl<z.output<I>, z.output<E> & Stamped, R>,
): Bound<R>[] {
  type Ent = z.output<E> & Stamped;
  type In = z.output<I>;
  const where = (i: Input<RouteSpec>) => {
    const params = i.params as Record<string, string> & { schoolId: string };
    return { schoolId: params.schoolId, id: params[meta.idParam]!, principal: i.principal! };
  };
  const load = async (rt: R, schoolId: string, id: string) => {
    const e = await impl.repo(rt).get(schoolId, id);
    if (!e) throw new NotFound(meta.what);
    return e;
  };
  const stamp = (principal: Principal, rt: R) => ({ by: principal.userId, now: rt.clock() });
  return [
    bind(specs.list, async (i, rt: R) => {
      const { schoolId, principal } = where(i);
      await schoolFor(rt.store, principal, schoolId, meta.read);
      return impl.repo(rt).list(schoolId, i.query as PageQuery);
    }),
    bind(specs.create, async (i, rt: R) => {
      const { schoolId, principal } = where(i);
      const school = await schoolFor(rt.store, principal, schoolId, meta.write);
      const input = i.body as In;
      const derived = (await impl.prepare?.(input, { rt, school, prev: null })) ?? {};
      const id = impl.idFrom ? impl.idFrom.make(input, schoolId) : rt.newId();
      const base = { ...(input as object), ...derived, id, schoolId, ...(meta.archivable ? { status: 'active' } : {}) };
      const e = created(base, stamp(principal, rt)) as unknown as Ent;
      await impl.repo(rt).create(schoolId, e);
      return new Reply(201, e, { location: `/schools/${schoolId}/${meta.plural}/${id}` });
    }),
    bind(specs.get, async (i, rt: R) => {
      const { schoolId, id, principal } = where(i);
      await schoolFor(rt.store, principal, schoolId, meta.read);
      return load(rt, schoolId, id);
    }),
    bind(specs.replace, async (i, rt: R) => {
      const { schoolId, id, principal } = where(i);
      const school = await schoolFor(rt.store, principal, schoolId, meta.write);
      const prev = await load(rt, schoolId, id);
      const { version, ...input } = i.body as unknown as { version: number } & Record<string, unknown>;
      const derived = (await impl.prepare?.(input as In, { rt, school, prev })) ?? {};
      if (impl.idFrom && impl.idFrom.make(input as In, schoolId) !== prev.id) {
        throw InvalidInput.at(
          [impl.idFrom.field],
          `cannot change: it identifies the ${meta.what}; create another ${meta.what} instead`,
        );
      }
      const next = revised(prev, { ...input, ...derived }, version, stamp(principal, rt), meta.what) as Ent;
      return impl.repo(rt).replace(schoolId, prev, next);
    }),
    bind(specs.remove, async (i, rt: R) => {
      const { schoolId, id, principal } = where(i);
      await schoolFor(rt.store, principal, schoolId, meta.write);
      const prev = await load(rt, schoolId, id);
      expectVersion(prev, (i.query as { version: number }).version, meta.what);
      await impl.repo(rt).delete(schoolId, prev, rt.clock().toISOString(), principal.userId);
      return new Reply(204, undefined);
    }),
  ];
}

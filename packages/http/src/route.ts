/**
 * Routes are data: method, path, who may call, and the zod schemas of what goes in and
 * out. The same specs wire API Gateway (infra/), dispatch in the local server, validate
 * input at the edge, and generate the OpenAPI document.
 */
import type { Principal } from '@kehou/domain';
import type { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec {
  operationId: string;
  method: Method;
  /** API Gateway style: /schools/{schoolId}/rooms */
  path: string;
  summary: string;
  tag: string;
  /** 'jwt': a valid token is required (API Gateway's authorizer); 'public': anyone */
  auth: 'jwt' | 'public';
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  /** body media types accepted besides JSON, e.g. text/csv for an import (see bodyMediaTypes) */
  bodyTypes?: readonly ('application/json' | 'text/csv')[];
  maxBodyBytes?: number;
  /** what a caller whose body is larger than maxBodyBytes is told (413), e.g. how to split a file */
  tooLarge?: string;
  response?: z.ZodType;
  /** success status, 200 by default */
  status?: number;
  /** media type of the success response, JSON by default */
  produces?: string;
  /**
   * accepts an Idempotency-Key header: a retried request gets the first answer. `true`: the
   * answer is kept by user and key (middleware.ts); 'by-record': the route's own conditional
   * write makes a retry safe, and the route answers it with the record it finds written
   * (`idempotent-replayed: true`), so nothing is kept besides
   */
  idempotent?: boolean | 'by-record';
  /**
   * a read people make often (a roster, a list page, the current timetable): it must cost at
   * most two DynamoDB round trips, whatever the school's size (test/calls.test.ts holds it)
   */
  hot?: true;

  // What the OpenAPI document says beyond what openapi.ts derives from the fields above.
  /** what the operation does, in a few sentences (the summary is its title) */
  description?: string;
  /** headers of the success answer, with what each says (the Location of what was created) */
  responseHeaders?: Readonly<Record<string, string>>;
  /**
   * Error statuses the implementation answers that the fields above do not show: 403 where
   * a member of the school may lack the role (see crud.ts `mayRefuse`), 409 where a write
   * that is neither a PUT, a DELETE nor idempotent can lose a race, 401 where a public route
   * takes a credential of its own (a refresh token), 429 where tries of a secret are counted.
   */
  errors?: readonly (401 | 403 | 409 | 429)[];
  /**
   * Refusals that are themselves recorded, so that these statuses may write: a wrong code
   * counts against its invitation, a refresh token used twice ends its session. Every other
   * refusal writes nothing (test/authz.test.ts and test/hostile.test.ts hold both).
   */
  refusalsRecorded?: readonly number[];
  /** the domain rules a 422 may name (the problem's `rule`); none: the route answers no 422 */
  rules?: readonly string[];
}

export const route = <const S extends RouteSpec>(spec: S): S => spec;

/**
 * The media types a route's body may come as. A route that takes a CSV file takes it as
 * text/csv or as application/octet-stream: API Gateway hands a text/* body to Lambda as
 * UTF-8 text, so a file that is not UTF-8 (GBK, as Chinese Excel saves "CSV") arrives
 * intact only as binary, which it passes on base64-encoded, byte for byte.
 */
export const bodyMediaTypes = (r: Pick<RouteSpec, 'bodyTypes'>): readonly string[] => {
  const types = r.bodyTypes ?? ['application/json'];
  return types.includes('text/csv') ? [...types, 'application/octet-stream'] : types;
};
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;
type Body<S extends RouteSpec> = S['body'] extends z.ZodType
  ? S['bodyTypes'] extends readonly unknown[]
    ? z.output<S['body']> | string
    : z.output<S['body']>
  : undefined;

export interface Input<S extends RouteSpec> {
  params: Infer<S['params']>;
  query: Infer<S['query']>;
  body: Body<S>;
  /** what the body came as (for routes that take CSV as well as JSON): text/csv for a CSV file sent as either of its types */
  bodyType: 'application/json' | 'text/csv' | null;
  principal: S['auth'] extends 'jwt' ? Principal : Principal | null;
  headers: Readonly<Record<string, string | undefined>>;
  requestId: string;
}

/** A reply with a status, headers or a non-JSON body; otherwise return the body itself. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export type Output<S extends RouteSpec> = (S['response'] extends z.ZodType ? z.input<S['response']> : unknown) | Reply;
export type Impl<S extends RouteSpec, R> = (input: Input<S>, runtime: R) => Promise<Output<S>>;

export interface Bound<R> {
  spec: RouteSpec;
  impl: (input: Input<RouteSpec>, runtime: R) => Promise<unknown>;
}

/** Binds a route spec to its implementation (type-checked against the spec's schemas). */
export function bind<S extends RouteSpec, R>(spec: S, impl: Impl<S, R>): Bound<R> {
  return { spec, impl: impl as unknown as Bound<R>['impl'] };
}

/**
 * The API client: openapi-fetch over the types generated from the API's OpenAPI document
 * (schema.d.ts; `npm run gen -w @kehou/web`). Every request carries the session's token; a
 * 401 ends the session (the app then shows the sign-in page, unless a guardian's session renews it).
 */
import createClient, { type Client } from 'openapi-fetch';
import { session } from '../auth/session';
import { readProblem, type ProblemInfo } from './problem';
import type { components, paths } from './schema';

export type Api = Client<paths>;
export type School = paths['/schools/{schoolId}']['get']['responses'][200]['content']['application/json'];
export type Me = paths['/me']['get']['responses'][200]['content']['application/json'];
export type DatedSession = paths['/me/roster']['get']['responses'][200]['content']['application/json']['items'][number];
export type FeedLink = paths['/me/calendar-feeds']['post']['responses'][200]['content']['application/json']['items'][number];
export type Problem = components['schemas']['Problem'];

let client: Api | undefined;

/**
 * The client of the API at `baseUrl`; a guardian signed in with an invitation (`guardians.active`)
 * is sent to `guardians.baseUrl` instead where the deployment has an API of their own.
 */
export function initApi(baseUrl: string, guardians?: { baseUrl: string; active: () => boolean }): Api {
  client = createClient<paths>({ baseUrl });
  const origin = (base: string) => base || location.origin;
  client.use({
    onRequest({ request }) {
      const token = session.token();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
      if (guardians && guardians.baseUrl !== baseUrl && guardians.active())
        return new Request(origin(guardians.baseUrl) + request.url.slice(origin(baseUrl).length), request);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) session.clear();
      return response;
    },
  });
  return client;
}

export function api(): Api {
  if (!client) throw new Error('the API client is used before initApi');
  return client;
}

/** The school's IANA zone (the document leaves its type open; the API always sends one). */
export const zoneOf = (s: Pick<School, 'timezone'> | undefined): string =>
  typeof s?.timezone === 'string' ? s.timezone : 'Asia/Shanghai';

/** A failed call, with what the server said. */
export class ApiError extends Error {
  constructor(readonly problem: ProblemInfo) {
    super(problem.detail || `HTTP ${problem.status}`);
  }
}

/** The data of a call, or an ApiError (for queries: react-query keeps it as the query's error). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const out = await call;
  if (out.response.ok && out.data !== undefined) return out.data;
  throw new ApiError(readProblem(out.response.status, out.error));
}

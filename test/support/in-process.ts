/**
 * The API's handlers over a runtime the test builds (its own store options, its own jobs
 * worker), in this process, behind the local gateway's route matching: a `Call` as the HTTP
 * client's, with the authorizer's claims given instead of a token.
 */
import { lambdaHandler, type Bound } from '@kehou/http';
import { Gateway, type Call } from '@kehou/local';
import type { Runtime } from '@kehou/store';
import { call } from '../../packages/http/test/support/events';

export function inProcessApi(bound: readonly Bound<Runtime>[], rt: Runtime): (claims: Record<string, unknown>) => Call {
  const handler = lambdaHandler(bound, rt);
  const gateway = new Gateway([{ name: 'api', routes: bound.map((b) => b.spec), timeoutSeconds: 29 }], async () => null);
  return (claims) =>
    async <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const url = new URL(path, 'http://localhost');
      const found = gateway.match(method, url.pathname);
      if (!found) return { status: 404, headers: {}, body: { message: 'Not Found' } as T };
      const res = await call(handler, {
        routeKey: `${found.route.spec.method} ${found.route.spec.path}`,
        pathParameters: found.params,
        ...(url.searchParams.size ? { query: Object.fromEntries(url.searchParams) } : {}),
        claims,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, headers: res.headers, body: res.body as T };
    };
}

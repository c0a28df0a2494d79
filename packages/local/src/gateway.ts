/**
 * A local API Gateway (HTTP API, payload format 2.0): it matches a request to a route of
 * the function registry, runs the JWT authorizer for protected routes, builds the event
 * Lambda would get (refusing one over Lambda's 6 MB, as Lambda does), and invokes the very
 * handler module Lambda runs. No route has a second implementation here. Functions without
 * routes (the jobs function) are not loaded here: see worker.ts.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { RouteSpec } from '@kehou/http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
export type Authorizer = (authorization: string | undefined) => Promise<Record<string, string> | null>;

interface CompiledRoute {
  spec: RouteSpec;
  fn: string;
  timeoutSeconds: number;
  re: RegExp;
  names: string[];
  literalSegments: number;
}

export const FUNCTIONS_DIR = fileURLToPath(new URL('../../../functions/', import.meta.url));
const MAX_PAYLOAD = 10 * 1024 * 1024; // API Gateway's limit
const MAX_EVENT = 6 * 1024 * 1024; // Lambda's, for a synchronous invocation's event (the body and all around it)

/** The context Lambda gives a handler, for a function with this timeout. */
export function lambdaContext(fn: string, timeoutSeconds: number, requestId: string): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `kehou-${fn}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:kehou-${fn}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/kehou-${fn}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function compile(spec: RouteSpec, fn: string, timeoutSeconds: number): CompiledRoute {
  const names: string[] = [];
  let literal = 0;
  const re = spec.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)(\+?)\}$/.exec(seg);
      if (!m) {
        literal++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(m[1]!);
      return m[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { spec, fn, timeoutSeconds, re: new RegExp(`^${re}$`), names, literalSegments: literal };
}

const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|xml|javascript|x-www-form-urlencoded)|.*\+json)/;

export class Gateway {
  private readonly routes: CompiledRoute[];
  private readonly handlers = new Map<string, Handler>();
  /** the first segments of the routes' paths ("schools", "me", …) */
  private readonly prefixes: ReadonlySet<string>;

  constructor(
    functions: ReadonlyArray<{ name: string; routes: readonly RouteSpec[]; timeoutSeconds: number }>,
    private readonly authorizer: Authorizer,
  ) {
    this.routes = functions
      .flatMap((f) => f.routes.map((r) => compile(r, f.name, f.timeoutSeconds)))
      // API Gateway prefers the most specific route: more literal segments first
      .sort((a, b) => b.literalSegments - a.literalSegments);
    this.prefixes = new Set(this.routes.map((r) => r.spec.path.split('/')[1]!));
  }

  /**
   * Is this path the API's: does its first segment start a route's path? Such a path gets a
   * route or API Gateway's 404; any other is the web app's (packages/web/README.md), on AWS as here.
   */
  isApiPath(path: string): boolean {
    return this.prefixes.has(path.split('/')[1] ?? '');
  }

  /** Imports each function's handler module, as Lambda would at cold start (`file`: a bundle's, in tests). */
  async load(dir = FUNCTIONS_DIR, file = 'handler.ts'): Promise<void> {
    for (const fn of new Set(this.routes.map((r) => r.fn))) {
      const mod = (await import(pathToFileURL(join(dir, fn, file)).href)) as { handler: Handler };
      this.handlers.set(fn, mod.handler);
    }
  }

  match(method: string, path: string): { route: CompiledRoute; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.spec.method !== method) continue;
      const m = route.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return null;
      }
      return { route, params };
    }
    return null;
  }

  /** One request, as API Gateway would serve it. */
  async serve(req: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: Buffer;
    sourceIp: string;
  }): Promise<APIGatewayProxyStructuredResultV2> {
    const url = new URL(req.url, 'http://localhost');
    const found = this.match(req.method, url.pathname);
    if (!found)
      return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Not Found' }) };
    if (req.body.length > MAX_PAYLOAD)
      return {
        statusCode: 413,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Request Entity Too Large' }),
      };
    const { route, params } = found;
    let claims: Record<string, string> | null = null;
    if (route.spec.auth === 'jwt') {
      claims = await this.authorizer(req.headers.authorization);
      if (!claims) {
        return {
          statusCode: 401,
          headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer' },
          body: JSON.stringify({ message: 'Unauthorized' }),
        };
      }
    }
    const handler = this.handlers.get(route.fn);
    if (!handler) throw new Error(`function ${route.fn} is not loaded`);
    const now = new Date();
    const requestId = randomUUID();
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    // a body that is not UTF-8 (a CSV file saved as GBK) cannot be a string of the event: it goes base64, as binary does
    const text = TEXT_TYPES.test(req.headers['content-type'] ?? 'application/json') && isUtf8(req.body);
    const routeKey = `${route.spec.method} ${route.spec.path}`;
    const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers: req.headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(route.names.length ? { pathParameters: params } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: req.method,
          path: url.pathname,
          protocol: 'HTTP/1.1',
          sourceIp: req.sourceIp,
          userAgent: req.headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
      },
      ...(req.body.length ? { body: text ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
      isBase64Encoded: req.body.length > 0 && !text,
    };
    const context = lambdaContext(route.fn, route.timeoutSeconds, requestId);
    const size = Buffer.byteLength(JSON.stringify(event));
    if (size > MAX_EVENT) {
      // Lambda refuses the invocation, and API Gateway answers 500: a route must cap its body below this
      process.stderr.write(`local gateway: the event for ${routeKey} is ${size} bytes, over Lambda's ${MAX_EVENT}\n`);
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Internal Server Error' }),
      };
    }
    try {
      return await handler(event, context);
    } catch (e) {
      // what API Gateway answers when the function itself fails
      process.stderr.write(`local gateway: function ${route.fn} failed: ${(e as Error).stack ?? String(e)}\n`);
      return {
        statusCode: 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Internal Server Error' }),
      };
    }
  }
}

/** Node's http request → Gateway → Node's http response. */
export function nodeListener(gateway: Gateway, fallback?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (fallback?.(req, res)) return;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_PAYLOAD + 1) chunks.push(c);
    });
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
      gateway
        .serve({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          headers,
          body: Buffer.concat(chunks),
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        })
        .then((out) => {
          const h: Record<string, string | string[]> = { ...((out.headers ?? {}) as Record<string, string>) };
          if (out.cookies?.length) h['set-cookie'] = out.cookies;
          res.writeHead(out.statusCode ?? 200, h);
          res.end(out.body === undefined ? undefined : out.isBase64Encoded ? Buffer.from(out.body, 'base64') : out.body);
        })
        .catch((e: unknown) => {
          process.stderr.write(`local gateway: ${(e as Error).stack ?? String(e)}\n`);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        });
    });
  };
}

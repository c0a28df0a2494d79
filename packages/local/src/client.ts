/** A small API client over the in-process gateway (seeding) or over HTTP (tests, scripts). */
import type { Gateway } from './gateway';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export type Call = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

const decode = (text: string | undefined, type: string | undefined) =>
  text && type?.includes('json') ? JSON.parse(text) : (text ?? '');

export function gatewayClient(gateway: Gateway, token: string | null): Call {
  return async (method, path, body, headers = {}) => {
    const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const out = await gateway.serve({
      method,
      url: path,
      headers: {
        ...(raw ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...lower(headers),
      },
      body: Buffer.from(raw),
      sourceIp: '127.0.0.1',
    });
    const h = (out.headers ?? {}) as Record<string, string>;
    return { status: out.statusCode ?? 200, headers: h, body: decode(out.body, h['content-type']) };
  };
}

export function httpClient(baseUrl: string, token: string | null): Call {
  return async (method, path, body, headers = {}) => {
    const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...lower(headers),
      },
      ...(raw !== undefined ? { body: raw } : {}),
    });
    const h = Object.fromEntries(res.headers.entries());
    return { status: res.status, headers: h, body: decode(await res.text(), h['content-type']) };
  };
}

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

/**
 * Polls a job's status resource (the Location of a 202) until the job has finished or
 * failed, and returns it; gives up after `timeoutMs`.
 */
export async function awaitJob<T extends { state: string }>(call: Call, location: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call<T>('GET', location);
    if (res.status !== 200) throw new Error(`GET ${location}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.state === 'finished' || res.body.state === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`GET ${location}: still ${res.body.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A meter between the product and DynamoDB Local: every request passes through unchanged,
 * and every item a write carries is measured by DynamoDB's size rules (attribute names and
 * values in bytes, numbers about a byte per two digits, lists and maps 3 bytes plus a byte
 * an element). A PutItem, BatchWriteItem or TransactWriteItems put is measured whole; an
 * UpdateItem by its key and the values it sets (what our updates set is the whole item).
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const numberSize = (n: string) => Math.ceil(n.replace(/^[-+]?0*|[-.]|e.*$/gi, '').length / 2) + 1;

export function attributeSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return Buffer.from(v.B as unknown as string, 'base64').length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((s, x) => s + utf8(x), 0);
  if (v.NS) return v.NS.reduce((s, x) => s + numberSize(x), 0);
  if (v.BS) return v.BS.reduce((s, x) => s + Buffer.from(x as unknown as string, 'base64').length, 0);
  if (v.L) return v.L.reduce((s, x) => s + 1 + attributeSize(x), 3);
  if (v.M) return Object.entries(v.M).reduce((s, [k, x]) => s + utf8(k) + 1 + attributeSize(x), 3);
  return 0;
}

export const itemSize = (item: Item): number =>
  Object.entries(item).reduce((s, [name, v]) => s + utf8(name) + attributeSize(v), 0);

export interface Measured {
  bytes: number;
  key: string;
  op: string;
}

/** The items a write request carries, with how each is measured. */
function writtenItems(op: string, body: Record<string, any>): Array<{ item: Item; op: string }> {
  switch (op) {
    case 'PutItem':
      return [{ item: body.Item, op }];
    case 'UpdateItem':
      return [{ item: { ...body.Key, ...body.ExpressionAttributeValues }, op: 'UpdateItem (key and values set)' }];
    case 'BatchWriteItem':
      return Object.values(body.RequestItems as Record<string, Array<{ PutRequest?: { Item: Item } }>>)
        .flat()
        .flatMap((r) => (r.PutRequest ? [{ item: r.PutRequest.Item, op }] : []));
    case 'TransactWriteItems':
      return (
        body.TransactItems as Array<{ Put?: { Item: Item }; Update?: { Key: Item; ExpressionAttributeValues?: Item } }>
      ).flatMap((t) =>
        t.Put
          ? [{ item: t.Put.Item, op }]
          : t.Update
            ? [{ item: { ...t.Update.Key, ...t.Update.ExpressionAttributeValues }, op: `${op} update (key and values set)` }]
            : [],
      );
    default:
      return [];
  }
}

export interface WriteMeter {
  endpoint: string;
  /** the largest item written so far */
  largest: Measured;
  /** the largest of each kind of record (its partition key's first part, and its sort key's for a school's records) */
  largestByKind: Map<string, Measured>;
  /** items written so far */
  items: number;
  /** requests with an answer of 500 or more from DynamoDB */
  failures: number;
  /** requests to DynamoDB so far, by operation (e.g. Query, BatchGetItem) */
  calls: Record<string, number>;
  close(): Promise<void>;
}

export async function startWriteMeter(target: string): Promise<WriteMeter> {
  const to = new URL(target);
  const meter: WriteMeter = {
    endpoint: '',
    largest: { bytes: 0, key: '', op: '' },
    largestByKind: new Map(),
    items: 0,
    failures: 0,
    calls: {},
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      meter.calls[op] = (meter.calls[op] ?? 0) + 1;
      try {
        for (const w of writtenItems(op, JSON.parse(body.toString('utf8') || '{}'))) {
          meter.items++;
          const [pk, sk] = [w.item.pk?.S ?? '?', w.item.sk?.S ?? '?'];
          const measured = { bytes: itemSize(w.item), key: `${pk} / ${sk}`, op: w.op };
          if (measured.bytes > meter.largest.bytes) meter.largest = measured;
          const kind = pk.startsWith('SCHOOL#') ? `SCHOOL ${sk.split('#')[0]}` : pk.split('#')[0]!;
          if (measured.bytes > (meter.largestByKind.get(kind)?.bytes ?? 0)) meter.largestByKind.set(kind, measured);
        }
      } catch {
        // not JSON: pass it on unmeasured
      }
      const headers: IncomingHttpHeaders = { ...req.headers, host: to.host };
      const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
        if ((answer.statusCode ?? 0) >= 500) meter.failures++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  meter.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  meter.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return meter;
}

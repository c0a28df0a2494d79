/**
 * The OpenAPI document packed into a bundle-time constant: JSON, brotli-compressed, base64
 * (about 14 KB for 277 KB of JSON), so that it costs the function little size and a cold
 * start a millisecond or two to unpack.
 */
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

/** The global the bundler defines (infra/lib/bundling.ts) and document.ts reads; undefined when run unbundled. */
export const DOCUMENT_CONSTANT = 'KEHOU_OPENAPI_DOCUMENT';

export const packDocument = (document: object): string =>
  brotliCompressSync(JSON.stringify(document), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).toString('base64');

export const unpackDocument = (packed: string): Record<string, unknown> =>
  JSON.parse(brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8'));

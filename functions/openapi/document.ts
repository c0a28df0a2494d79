/**
 * The document this function serves. Bundled for Lambda it was made at build time
 * (infra/lib/bundling.ts defines it), so a cold start unpacks it instead of loading every
 * route's zod schemas and converting them; the bundler drops the other branch and all it
 * imports. Run unbundled (npm start, tests), it is made here from the registry.
 */
import { unpackDocument } from './packed';

declare const KEHOU_OPENAPI_DOCUMENT: string | undefined;

export const document: Record<string, unknown> =
  typeof KEHOU_OPENAPI_DOCUMENT === 'string'
    ? unpackDocument(KEHOU_OPENAPI_DOCUMENT)
    : (await import('./build')).generateDocument();

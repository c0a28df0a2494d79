import { bind, lambdaHandler } from '@kehou/http';
import { routes } from './api';
import { document } from './document';

/** No table access: the document is made at build time (see document.ts). */
export const handler = lambdaHandler([bind(routes.document, async () => document)], { clock: () => new Date() });

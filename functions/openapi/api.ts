import { route } from '@kehou/http';
import * as z from 'zod';

export const routes = {
  document: route({
    operationId: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API, as an OpenAPI 3.1 document generated from its zod schemas',
    description:
      'Made from the same route specs and zod schemas that validate every request, with every status each operation can answer.',
    tag: 'Service',
    auth: 'public',
    response: z.record(z.string(), z.unknown()),
  }),
};

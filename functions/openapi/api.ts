import { route } from '@kehou/http';
import { z } from 'zod';

export const routes = {
  document: route({
    operationId: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API, as an OpenAPI 3.1 document generated from its zod schemas',
    tag: 'Service',
    auth: 'public',
    response: z.record(z.string(), z.unknown()),
  }),
};

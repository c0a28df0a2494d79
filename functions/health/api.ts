import { route } from '@kehou/http';
import { z } from 'zod';

export const Health = z.object({ status: z.literal('ok'), service: z.string(), time: z.string() });

export const routes = {
  health: route({
    operationId: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Is the API up?',
    tag: 'Service',
    auth: 'public',
    response: Health,
  }),
};

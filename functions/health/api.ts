import { Instant } from '@kehou/domain';
import { route } from '@kehou/http';
import * as z from 'zod';

export const Health = z.object({ status: z.literal('ok'), service: z.string(), time: Instant });

export const routes = {
  health: route({
    operationId: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Is the API up?',
    description: "Answers while the function runs, with the server's time; it does not touch the database.",
    tag: 'Service',
    auth: 'public',
    response: Health,
  }),
};

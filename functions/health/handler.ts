import type { Clock } from '@kehou/domain';
import { bind, lambdaHandler } from '@kehou/http';
import { routes } from './api';

/** No table access: the health check says the function runs, nothing more. */
export const handler = lambdaHandler(
  [
    bind(routes.health, async (_input, rt: { clock: Clock }) => ({
      status: 'ok' as const,
      service: 'kehou',
      time: rt.clock().toISOString(),
    })),
  ],
  {
    clock: () => new Date(),
  },
);

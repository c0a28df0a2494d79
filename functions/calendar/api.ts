import { route } from '@kehou/http';
import { z } from 'zod';

export const routes = {
  feed: route({
    operationId: 'calendarFeed',
    method: 'GET',
    path: '/calendar/{token}',
    summary: "A staff member's roster as an iCalendar feed, at a secret URL (no token: the URL is the key; rotate it to revoke)",
    tag: 'Rosters',
    auth: 'public',
    params: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'is not a calendar link') }),
    produces: 'text/calendar; charset=utf-8',
  }),
};

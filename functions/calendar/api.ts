import { route } from '@kehou/http';
import * as z from 'zod';

export const routes = {
  feed: route({
    operationId: 'calendarFeed',
    hot: true,
    method: 'GET',
    path: '/calendar/{token}',
    summary: "A staff member's roster as an iCalendar feed, at a secret URL (no token: the URL is the key; rotate it to revoke)",
    description:
      "The published sessions of one staff member, from four weeks back to the end of the school's last term, at the school's " +
      'wall-clock times, for a calendar app to subscribe to. Anyone with the URL can read it; a rotated or unknown one is 404.',
    tag: 'Rosters',
    auth: 'public',
    params: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'is not a calendar link') }),
    produces: 'text/calendar; charset=utf-8',
    responseHeaders: { 'Cache-Control': 'private, max-age=300' },
  }),
};

/** Links the API hands out (a calendar feed, an invitation), on the origin the caller reached it by. */

/**
 * `path` and the absolute URL of it on the host the request came to: the viewer's host where
 * a proxy in front says so (`x-forwarded-host`: the web app's distribution fronts the API), the
 * API's own otherwise.
 */
export function publicLink(headers: Readonly<Record<string, string | undefined>>, path: string): { path: string; url: string } {
  const host = headers['x-forwarded-host'] ?? headers.host;
  const proto = headers['x-forwarded-proto'] ?? (host?.startsWith('localhost') || host?.startsWith('127.') ? 'http' : 'https');
  return { path, url: host ? `${proto}://${host}${path}` : path };
}

/**
 * The app's own paths and the API's never meet: a path whose first segment is the API's goes
 * to the API (locally and behind CloudFront alike), so no app path may start with one.
 */
import { describe, expect, it } from 'vitest';
import { createDevKey, Gateway, jwtAuthorizer } from '@kehou/local';
import { FUNCTIONS } from '../functions/index';
import { PATHS } from '../packages/web/src/paths';

describe("the app's paths", () => {
  it("are none of them the API's", async () => {
    const gateway = new Gateway(FUNCTIONS, jwtAuthorizer(await createDevKey()));
    for (const api of ['/health', '/openapi.json', '/schools', '/me', '/calendar/x'])
      expect(gateway.isApiPath(api), api).toBe(true);
    const app = Object.values(PATHS);
    expect(app.filter((p) => gateway.isApiPath(p))).toEqual([]);
  });
});

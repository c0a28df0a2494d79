/** The local product (real handlers behind the local API Gateway) on a fresh table, for HTTP tests. */
import { randomUUID } from 'node:crypto';
import type { Role } from '@kehou/domain';
import { createDevKey, httpClient, startLocal, type Call, type LocalApp, type WebOption } from '@kehou/local';

type Caller = (role: Role, opts?: { user?: string; schools?: string[]; district?: string }) => Promise<Call>;

/** Callers of the local app with a dev token for a role (a user, their schools, a bureau's district), over `client`. */
export const callersOf =
  (app: Pick<LocalApp, 'token'>, client: (token: string) => Call): Caller =>
  async (role, o = {}) =>
    client(
      await app.token({
        role,
        ...(o.user ? { userId: o.user } : {}),
        ...(o.schools ? { schools: o.schools } : {}),
        ...(o.district ? { district: o.district } : {}),
      }),
    );
import { localEndpoint } from './db';

export interface TestApp extends LocalApp {
  as: Caller;
  anonymous: Call;
}

/**
 * `dynamoEndpoint`: another way to the run's DynamoDB Local (e.g. through a meter), else the run's own;
 * `web`: serve the web app too (the run's build: `{ dist: inject('webDist') }`).
 */
export async function startTestApp(o: { dynamoEndpoint?: string; web?: WebOption } = {}): Promise<TestApp> {
  const app = await startLocal({
    port: 0,
    dynamoEndpoint: o.dynamoEndpoint ?? localEndpoint(),
    ...(o.web ? { web: o.web } : {}),
    tableName: `t-${randomUUID()}`,
    key: await createDevKey(),
  });
  return {
    ...app,
    anonymous: httpClient(app.url, null),
    as: callersOf(app, (token) => httpClient(app.url, token)),
  };
}

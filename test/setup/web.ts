/** The web app, built once for the integration run (as `npm start` builds it) into a folder of its own; removed at the end. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildWeb } from '../../packages/local/src/web';

declare module 'vitest' {
  export interface ProvidedContext {
    webDist: string;
  }
}

export default async function setup(project: TestProject) {
  const dist = await mkdtemp(join(tmpdir(), 'kehou-web-test-'));
  await buildWeb(dist);
  project.provide('webDist', dist);
  return async () => {
    await rm(dist, { recursive: true, force: true });
  };
}

import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` gets one DynamoDB Local
// (in memory, on a free port) for the whole run, started and killed by test/setup/dynamodb.ts,
// and one build of the web app (test/setup/web.ts) for the browser tests.
// Time limits are a safety net against a hung test, not a speed target: CI machines are
// shared, and a test that passes alone must pass beside another CPU-heavy job. Speed
// targets live in `npm run bench:*`.
export default defineConfig({
  test: {
    env: { LOG_LEVEL: 'warn' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'functions/*/test/**/*.test.ts', 'infra/test/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/setup/fast-check.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/dynamodb.ts', 'test/setup/web.ts'],
          setupFiles: ['test/setup/fast-check.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

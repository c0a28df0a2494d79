import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing but Node; `integration` gets one DynamoDB Local
// (in memory, on a free port) for the whole run, started and killed by test/setup/dynamodb.ts.
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
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/dynamodb.ts'],
          setupFiles: ['test/setup/fast-check.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

/** Configuration is read once and fails fast: no table, no cursor key, or a remote "local" endpoint. */
import { describe, expect, it } from 'vitest';
import { makeDb } from '../src/client';
import { storeConfigFromEnv } from '../src/config';

const KEY = 'c'.repeat(64);

describe('store configuration', () => {
  it('reads the table, the cursor key, the region and a local endpoint', () => {
    expect(
      storeConfigFromEnv({
        TABLE_NAME: 'kehou',
        CURSOR_KEY: KEY,
        AWS_REGION: 'cn-northwest-1',
        DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      }),
    ).toEqual({ tableName: 'kehou', cursorKey: KEY, region: 'cn-northwest-1', endpoint: 'http://127.0.0.1:8000' });
  });

  it('fails fast without a table name or a cursor key, or with a short key', () => {
    expect(() => storeConfigFromEnv({ CURSOR_KEY: KEY })).toThrow('TABLE_NAME is not set');
    expect(() => storeConfigFromEnv({ TABLE_NAME: 'kehou' })).toThrow('CURSOR_KEY is not set');
    expect(() => makeDb(storeConfigFromEnv({ TABLE_NAME: 'kehou', CURSOR_KEY: 'short' }))).toThrow(/CURSOR_KEY.*32\+ characters/);
  });

  it('refuses an endpoint that is not DynamoDB Local', () => {
    expect(() =>
      storeConfigFromEnv({
        TABLE_NAME: 'kehou',
        CURSOR_KEY: KEY,
        DYNAMODB_ENDPOINT: 'https://dynamodb.cn-north-1.amazonaws.com.cn',
      }),
    ).toThrow(/must be a local endpoint/);
  });
});

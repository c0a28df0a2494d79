/** Store configuration, read once at start-up; a missing value fails fast. */
export interface StoreConfig {
  tableName: string;
  /** set for DynamoDB Local; unset in AWS */
  endpoint?: string;
  region: string;
  /** signs page cursors (32+ characters); the same in every process that serves the same lists (see cursor.ts) */
  cursorKey: string;
}

export function storeConfigFromEnv(env: NodeJS.ProcessEnv): StoreConfig {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const cursorKey = env.CURSOR_KEY;
  if (!cursorKey) throw new Error('CURSOR_KEY is not set');
  const endpoint = env.DYNAMODB_ENDPOINT;
  if (endpoint !== undefined && !/^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(endpoint)) {
    throw new Error(`DYNAMODB_ENDPOINT must be a local endpoint (DynamoDB Local), got ${endpoint}`);
  }
  return { tableName, cursorKey, region: env.AWS_REGION ?? 'cn-north-1', ...(endpoint ? { endpoint } : {}) };
}

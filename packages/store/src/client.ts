/** The DynamoDB document client, made once per process (per Lambda container). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreConfig } from './config';
import { cursorCodec, type Cursors } from './cursor';
import { instrument } from './metrics';

export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
  /** signs and checks the page cursors of every list */
  cursors: Cursors;
}

export function makeDb(config: StoreConfig): Db {
  const client = new DynamoDBClient({
    region: config.region,
    maxAttempts: 4,
    ...(config.endpoint ? { endpoint: config.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  instrument(client);
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, table: config.tableName, cursors: cursorCodec(config.cursorKey) };
}

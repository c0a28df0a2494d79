/**
 * The reference of `npm run bench:bundles`: a naive handler importing what every function
 * needs — zod, middy and the DynamoDB document client — bundled the way functions were
 * before (infra/bench/bundles.ts), with the SDK left to the runtime.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { z } from 'zod';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const Input = z.object({ id: z.string().min(1) });

export const handler = middy(async (event: unknown) => {
  const { id } = Input.parse(event);
  return doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
});

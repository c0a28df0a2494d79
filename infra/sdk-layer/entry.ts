/**
 * The AWS SDK layer's module (infra/lib/bundling.ts): exactly what the functions import from
 * the DynamoDB packages, bundled into one ES module. A function importing anything else from
 * them fails to link against the layer: test/bundles.test.ts holds this list to the functions'
 * imports, both ways.
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
export { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * The one table definition. CDK (infra/), DynamoDB Local (`npm start`) and the tests all
 * build the table from this object, so the three can never drift apart.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** epoch seconds; DynamoDB deletes expired items (idempotency records) */
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /** everything linked to a sign-in account: staff records, guardian records */
    byUser: { partitionKey: 'userPk', sortKey: 'userSk' },
    /** secondary collections: schools of a district, students of a grade and homeroom */
    byCollection: { partitionKey: 'colPk', sortKey: 'colSk' },
  },
} as const;
export type IndexName = keyof typeof TABLE.indexes;

/** CreateTable input for DynamoDB Local and tests (on-demand, like the deployed table). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const keyAttrs = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const ix of Object.values(TABLE.indexes)) {
    keyAttrs.add(ix.partitionKey);
    keyAttrs.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keyAttrs].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: Object.entries(TABLE.indexes).map(([IndexName, ix]) => ({
      IndexName,
      KeySchema: [
        { AttributeName: ix.partitionKey, KeyType: 'HASH' },
        { AttributeName: ix.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** One DynamoDB Local (in memory, free port) for the integration run; killed at the end. */
import type { TestProject } from 'vitest/node';
import { startDynamo } from '../../packages/local/src/dynamodb';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const dynamo = await startDynamo({});
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}

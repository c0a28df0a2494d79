/**
 * Where the API hands a job to the worker. On AWS: an asynchronous invocation of the jobs
 * function (JOBS_FUNCTION), which Lambda queues and retries. Locally: the jobs function's
 * handler in this process, which packages/local registers with `runJobsHere`.
 */
import type { JobMessage } from '@kehou/domain';
import type { JobPort } from './jobs';

let here: JobPort | null = null;

/** Locally: runs enqueued jobs in this process (null: no longer). */
export function runJobsHere(port: JobPort | null): void {
  here = port;
}

export const jobsHere: JobPort = {
  enqueue: async (message) => {
    if (!here) throw new Error('no jobs function: set JOBS_FUNCTION, or run the jobs worker in this process');
    await here.enqueue(message);
  },
};

/** The jobs function, invoked asynchronously (the SDK is loaded on first use: most functions never start a job). */
export function lambdaJobs(functionName: string, region: string): JobPort {
  let client: Promise<{ send(message: JobMessage): Promise<void> }> | null = null;
  const connect = async () => {
    const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
    const lambda = new LambdaClient({ region, maxAttempts: 3 });
    return {
      send: async (message: JobMessage) => {
        await lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(JSON.stringify(message)),
          }),
        );
      },
    };
  };
  return {
    enqueue: async (message) => {
      client ??= connect();
      await (await client).send(message);
    },
  };
}

/**
 * Lambda's asynchronous invocation of the jobs function, in this process: `enqueue` returns
 * at once (the request that started the job answers without waiting), then the very handler
 * module Lambda runs takes the job; one that fails is run again twice, as Lambda does
 * (sooner: a second, then two). Tests can hold jobs back (`pause`) to see what a request
 * wrote on its own.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { JobMessage } from '@kehou/domain';
import type { JobPort } from '@kehou/store';
import type { Context } from 'aws-lambda';
import { FUNCTIONS_DIR, lambdaContext } from './gateway';

type JobHandler = (event: unknown, context: Context) => Promise<void>;
const RETRY_DELAYS_MS = [1000, 2000];

export class LocalWorker implements JobPort {
  private readonly running = new Set<Promise<void>>();
  private held: JobMessage[] | null = null;
  private stopped = false;

  constructor(
    private readonly fn: { name: string; timeoutSeconds: number },
    private readonly handler: JobHandler,
  ) {}

  /** The jobs function of the registry (`jobs: 'run'`), its handler module loaded as Lambda would. */
  static async load(
    functions: ReadonlyArray<{ name: string; timeoutSeconds: number; jobs?: 'start' | 'run' }>,
    dir = FUNCTIONS_DIR,
  ): Promise<LocalWorker> {
    const fn = functions.find((f) => f.jobs === 'run');
    if (!fn) throw new Error('the registry has no jobs function');
    const mod = (await import(pathToFileURL(join(dir, fn.name, 'handler.ts')).href)) as { handler: JobHandler };
    return new LocalWorker(fn, mod.handler);
  }

  async enqueue(message: JobMessage): Promise<void> {
    if (this.stopped) throw new Error('the local jobs worker has stopped');
    if (this.held) this.held.push(message);
    else this.start(message);
  }

  /** Holds jobs enqueued from now on until `resume`. */
  pause(): void {
    this.held ??= [];
  }

  resume(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const m of held) this.start(m);
  }

  /** Waits until no job is running (held ones stay held). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Takes no more jobs, drops held ones, and waits for those running. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.held = null;
    await this.idle();
  }

  private start(message: JobMessage): void {
    const run = this.invoke(message).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async invoke(message: JobMessage): Promise<void> {
    const requestId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handler(structuredClone(message), lambdaContext(this.fn.name, this.fn.timeoutSeconds, requestId));
        return;
      } catch (e) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || this.stopped) {
          process.stderr.write(
            `local jobs worker: ${message.kind} ${message.jobId} failed: ${(e as Error).stack ?? String(e)}\n`,
          );
          return;
        }
        await sleep(delay);
      }
    }
  }
}

import { runtimeFromEnv } from '@kehou/store';
import { jobsHandler } from './app';

export const handler = jobsHandler(runtimeFromEnv());

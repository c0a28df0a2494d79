import { lambdaHandler } from '@kehou/http';
import { runtimeFromEnv } from '@kehou/store';
import { bound } from './app';

export const handler = lambdaHandler(bound, runtimeFromEnv());

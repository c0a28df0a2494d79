import { lambdaHandler } from '@kehou/http';
import { bound } from './app';
import { signinRuntimeFromEnv } from './runtime';

export const handler = lambdaHandler(bound, signinRuntimeFromEnv());

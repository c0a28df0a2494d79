export * from './app';
export * from './client';
export * from './devkey';
export * from './dynamodb';
export * from './gateway';
export * from './demo-data';
export * from './seed';
export * from './worker';

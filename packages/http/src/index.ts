export * from './route';
export * from './claims';
export * from './problem';
export * from './middleware';
export * from './lambda';
export * from './openapi';
export * from './log';
export * from './crud';

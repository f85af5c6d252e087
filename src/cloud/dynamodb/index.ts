export { DynaliteEngine } from './engine.ts';
export type { DynaliteEngineOptions, DynamoDbEngine } from './engine.ts';
export { DynamoDbApi } from './dynamodb-api.ts';
export type { DynamoDbApiOptions } from './dynamodb-api.ts';
export { provisionTables } from './from-model.ts';

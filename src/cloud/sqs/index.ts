export { SqsService, QUEUE_DEFAULTS } from './sqs-service.ts';
export type { ReceivedMessage, ReceiveInput, SendInput, SendResult, SqsServiceOptions } from './sqs-service.ts';
export { SqsApi } from './sqs-api.ts';
export { SqliteMessageStore } from './sqlite-store.ts';
export type { MessageAttributeValue, MessageStore, StoredMessage, StoredQueue } from './store.ts';
export { SqsEventSourceMappings, sqsEventSources, reportedFailures, sqsRecord } from './event-source-mapping.ts';
export type { EventSourceMappingOptions, SqsEventSource } from './event-source-mapping.ts';
export { provisionQueues, queueNameOf } from './from-model.ts';

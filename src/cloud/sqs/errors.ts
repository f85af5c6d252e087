import { AwsError } from '../protocol/errors.ts';

/** SQS's modelled errors: the JSON shape name, the query-compatible code the SDK matches, the status. */
export const sqsErrors = {
  queueDoesNotExist: (queue: string): AwsError =>
    new AwsError('QueueDoesNotExist', `The specified queue does not exist: ${queue === '' ? '(an empty QueueUrl or QueueName)' : queue}`, {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    }),
  queueNameExists: (name: string): AwsError =>
    new AwsError('QueueNameExists', `A queue named ${name} already exists with different attributes.`, {
      queryCode: 'QueueAlreadyExists',
    }),
  receiptHandleIsInvalid: (handle: string): AwsError =>
    new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, {
      status: 404,
    }),
  messageNotInflight: (): AwsError =>
    new AwsError('MessageNotInflight', 'The specified message is not in flight (it was not received, or its receipt handle is stale).', {
      queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    }),
  invalidAttributeName: (name: string): AwsError => new AwsError('InvalidAttributeName', `Unknown Attribute ${name === '' ? '"" (an empty name)' : name}.`),
  invalidAttributeValue: (message: string): AwsError => new AwsError('InvalidAttributeValue', message),
  emptyBatch: (): AwsError =>
    new AwsError('EmptyBatchRequest', 'There should be at least one entry in the request.', {
      queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    }),
  tooManyEntries: (count: number): AwsError =>
    new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${count}.`, {
      queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    }),
  batchIdsNotDistinct: (id: string): AwsError =>
    new AwsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`, {
      queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    }),
  invalidBatchEntryId: (id: string): AwsError =>
    new AwsError('InvalidBatchEntryId', `A batch entry id can only contain alphanumeric characters, hyphens and underscores and be at most 80 long: "${id}".`, {
      queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId',
    }),
};

import type { SNSEvent } from 'aws-lambda';

/**
 * The message of the first record of an SNS event: for the fan-out topic, the request path
 * published by API Gateway (e.g. `/prod/foo`).
 */
export function firstSnsMessage(event: SNSEvent): string {
  const records: unknown = (event as Partial<SNSEvent> | undefined)?.Records;
  if (!Array.isArray(records) || records.length === 0) {
    throw new Error('expected an SNS event with at least one record in Records');
  }
  const message: unknown = (records[0] as Partial<SNSEvent['Records'][number]>).Sns?.Message;
  if (typeof message !== 'string' || message === '') {
    throw new Error('expected Records[0].Sns.Message to be a non-empty string');
  }
  return message;
}

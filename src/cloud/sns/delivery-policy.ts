/**
 * SNS's delivery policy for AWS-managed endpoints (Lambda, SQS), which cannot be changed: 3 tries
 * without delay, 2 tries 1 second apart, 10 tries with exponential backoff from 1 to 20 seconds,
 * then 100,000 tries 20 seconds apart: 100,015 in all, over about 23 days. SNS adds jitter; this
 * schedule has none, so that tests can assert it. Client-side errors (the endpoint is gone or
 * refuses SNS) are not retried: the message goes to the dead-letter queue at once.
 */
import { AwsError } from '../protocol/errors.ts';

export interface DeliveryPolicy {
  /** Tries in all, the first included. */
  readonly maxAttempts: number;
  /** The wait before try `attempt` (2 and up), in milliseconds. */
  delayBeforeAttemptMs(attempt: number): number;
}

const IMMEDIATE_ATTEMPTS = 3;
const PRE_BACKOFF_ATTEMPTS = 2;
const BACKOFF_ATTEMPTS = 10;
const POST_BACKOFF_ATTEMPTS = 100_000;
const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 20_000;

export const AWS_MANAGED_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: IMMEDIATE_ATTEMPTS + PRE_BACKOFF_ATTEMPTS + BACKOFF_ATTEMPTS + POST_BACKOFF_ATTEMPTS,
  delayBeforeAttemptMs(attempt: number): number {
    if (attempt <= IMMEDIATE_ATTEMPTS) return 0;
    if (attempt <= IMMEDIATE_ATTEMPTS + PRE_BACKOFF_ATTEMPTS) return MIN_DELAY_MS;
    const step = attempt - IMMEDIATE_ATTEMPTS - PRE_BACKOFF_ATTEMPTS - 1;
    if (step < BACKOFF_ATTEMPTS) return Math.round(MIN_DELAY_MS * (MAX_DELAY_MS / MIN_DELAY_MS) ** (step / (BACKOFF_ATTEMPTS - 1)));
    return MAX_DELAY_MS;
  },
};

/** Why a try failed: `client` is not retried (SNS's client-side errors), `server` is. */
export interface DeliveryFailure {
  readonly side: 'client' | 'server';
  /** What the endpoint answered: an error code (`AWS.SimpleQueueService.NonExistentQueue`) or a status. */
  readonly code: string;
  readonly message: string;
}

/** A thrown error of the endpoint: a 4xx AWS error other than throttling is client-side. */
export function failureOf(error: unknown): DeliveryFailure {
  if (error instanceof AwsError) {
    const side = error.status < 500 && error.status !== 429 ? 'client' : 'server';
    return { side, code: error.queryCode, message: error.message };
  }
  return { side: 'server', code: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}

/** Lambda's answer to an Event invocation that did not take it: 404/403/400/413 are the caller's, 429 and 5xx the service's. */
export function lambdaFailure(statusCode: number, errorMessage: string | undefined): DeliveryFailure {
  const side = statusCode >= 400 && statusCode < 500 && statusCode !== 429 ? 'client' : 'server';
  const code = /\((\w+Exception)\)\s*$/.exec(errorMessage ?? '')?.[1] ?? String(statusCode);
  return { side, code, message: `Lambda answered ${statusCode}${errorMessage !== undefined ? `: ${errorMessage}` : ''}` };
}

import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Queue settings the caller may choose; encryption and TLS are not among them. */
export type SecureQueueProps = Omit<QueueProps, 'encryption' | 'encryptionMasterKey' | 'enforceSSL'>;

/**
 * An SQS queue that is encrypted at rest with SQS-managed keys and refuses requests that are
 * not made over TLS. SQS-managed keys (not KMS) so that SNS can deliver to the queue without
 * key-policy grants.
 */
export function secureQueue(scope: Construct, id: string, props: SecureQueueProps = {}): Queue {
  return new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
}

/**
 * A queue that receives what could not be processed elsewhere. It keeps messages for the
 * longest time SQS allows so that a failure can still be inspected days later.
 */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = secureQueue(scope, id, { retentionPeriod: Duration.days(14) });
  Validations.of(queue).acknowledge({
    id: 'Serverless-SQSRedrivePolicy',
    reason: 'This queue is itself a dead-letter queue; nothing consumes it automatically, so there is no redrive to configure.',
  });
  return queue;
}

import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FlowStackProps } from './flow-stack-props.ts';
import { deadLetterQueue, secureQueue } from './secure-queue.ts';
import { TracedFunction } from './traced-function.ts';
import { SQS_FAILURES_FILTER } from './pattern-groups.ts';
import { TracerGroup } from './tracer-group.ts';

export interface SqsFlowStackProps extends FlowStackProps {
  /** Messages the consumer receives per invocation. @default 10 */
  readonly batchSize?: number;
  /** Receives of a message before it moves to the dead-letter queue. @default 3 */
  readonly maxReceiveCount?: number;
}

/**
 * SNS to SQS to Lambda: a function sends `hello from <path>` to a queue and a consumer reads it
 * through an event source mapping. The consumer's work joins the producer's trace through the
 * platform's AWSTraceHeader message attribute, with no code in the handlers.
 */
export class SqsFlowStack extends Stack {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly publisher: TracedFunction;
  readonly consumer: TracedFunction;

  constructor(scope: Construct, id: string, props: SqsFlowStackProps) {
    super(scope, id, props);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetterQueue');
    this.queue = secureQueue(this, 'Queue', {
      visibilityTimeout: Duration.seconds(300),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });

    this.publisher = new TracedFunction(this, 'SqsPublishLambda', {
      handler: 'sqs-publish',
      environment: { QUEUE_URL: this.queue.queueUrl },
      subscribeTo: props.fanOutTopic,
    });
    // sqs:SendMessage, sqs:GetQueueAttributes and sqs:GetQueueUrl on this queue.
    this.queue.grantSendMessages(this.publisher.role);

    this.consumer = new TracedFunction(this, 'SqsSubscribeLambda', { handler: 'sqs-subscribe' });
    // The event source grants the consumer exactly what polling needs: sqs:ReceiveMessage,
    // ChangeMessageVisibility, GetQueueUrl, DeleteMessage and GetQueueAttributes on this queue.
    this.consumer.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: props.batchSize ?? 10, reportBatchItemFailures: true }),
    );
    Validations.of(this.consumer.function).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          "The consumer is only invoked synchronously by its SQS event source mapping, to which a function dead-letter queue does not apply; failed messages go to the queue's own dead-letter queue after maxReceiveCount receives.",
      },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "SQS event source mappings do not support on-failure destinations; the source queue's redrive policy moves failed messages to its dead-letter queue instead.",
      },
    );

    new TracerGroup(this, 'Group', {
      name: 'sqs',
      filterExpression: Fn.sub(SQS_FAILURES_FILTER, {
        PublisherName: this.publisher.function.functionName,
        ConsumerName: this.consumer.function.functionName,
      }),
      prefix: props.groupPrefix,
    });
  }
}

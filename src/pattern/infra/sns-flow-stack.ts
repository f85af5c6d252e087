import { Fn, Stack } from 'aws-cdk-lib';
import { Topic, TracingConfig } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { FlowStackProps } from './flow-stack-props.ts';
import { TracedFunction } from './traced-function.ts';
import { SNS_FAILURES_FILTER } from './pattern-groups.ts';
import { TracerGroup } from './tracer-group.ts';

export type SnsFlowStackProps = FlowStackProps;

/** SNS to SNS: a function publishes to a second topic whose subscriber records what it got. */
export class SnsFlowStack extends Stack {
  readonly topic: Topic;
  readonly publisher: TracedFunction;
  readonly subscriber: TracedFunction;

  constructor(scope: Construct, id: string, props: SnsFlowStackProps) {
    super(scope, id, props);

    this.topic = new Topic(this, 'SecondTopic', {
      displayName: 'The X-Ray Tracer SNS flow topic',
      tracingConfig: TracingConfig.ACTIVE,
      enforceSSL: true,
    });

    this.publisher = new TracedFunction(this, 'SnsPublishLambda', {
      handler: 'sns-publish',
      environment: { TOPIC_ARN: this.topic.topicArn },
      subscribeTo: props.fanOutTopic,
    });
    // grantPublish adds sns:Publish on this topic only (and KMS rights only for an encrypted topic).
    this.topic.grantPublish(this.publisher.role);

    this.subscriber = new TracedFunction(this, 'SnsSubscribeLambda', {
      handler: 'sns-subscribe',
      subscribeTo: this.topic,
    });

    new TracerGroup(this, 'Group', {
      name: 'sns',
      filterExpression: Fn.sub(SNS_FAILURES_FILTER, {
        PublisherName: this.publisher.function.functionName,
        SubscriberName: this.subscriber.function.functionName,
      }),
      prefix: props.groupPrefix,
    });
  }
}

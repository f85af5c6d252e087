import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat, LogGroupLogDestination, MethodLoggingLevel, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic, TracingConfig } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { SnsPublishIntegration } from './sns-publish-integration.ts';
import { FAULTS_FILTER } from './pattern-groups.ts';
import { DEFAULT_GROUP_PREFIX, TracerGroup } from './tracer-group.ts';

/** The stage the API is deployed to; the request path published to SNS starts with it. */
export const STAGE_NAME = 'prod';

export interface XrayTracerStackProps extends StackProps {
  /** Steady-state requests per second the stage accepts before throttling. @default 100 */
  readonly throttlingRateLimit?: number;
  /** Burst of requests the stage accepts before throttling. @default 200 */
  readonly throttlingBurstLimit?: number;
  /** Retention of the API's access logs. @default RetentionDays.ONE_WEEK */
  readonly logRetention?: RetentionDays;
  /**
   * Whether to set the account's API Gateway CloudWatch role, which execution logging needs.
   * Turn it off in an account that already has one: the setting is one per account and region.
   * @default true
   */
  readonly cloudWatchRole?: boolean;
  /** Prefix of the X-Ray group names. @default DEFAULT_GROUP_PREFIX */
  readonly groupPrefix?: string;
}

/**
 * The entry of the pattern: a REST API that publishes every GET request's path to the fan-out
 * topic, traced from the first hop, plus the X-Ray group of all faulty traces.
 */
export class XrayTracerStack extends Stack {
  /** The topic every flow subscribes to. */
  readonly fanOutTopic: Topic;
  readonly api: RestApi;

  constructor(scope: Construct, id: string, props: XrayTracerStackProps = {}) {
    super(scope, id, props);

    this.fanOutTopic = new Topic(this, 'FanOutTopic', {
      displayName: 'The X-Ray Tracer fan-out topic',
      tracingConfig: TracingConfig.ACTIVE,
      enforceSSL: true,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: 'The X-Ray Tracer',
      description: 'Publishes the path of every GET request to the fan-out topic.',
      cloudWatchRole: props.cloudWatchRole ?? true,
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        dataTraceEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });

    const publish = new SnsPublishIntegration(this, 'PublishToFanOut', { topic: this.fanOutTopic });
    const methods = [
      this.api.root.addMethod('GET', publish.integration, publish.methodOptions),
      this.api.root.addResource('{proxy+}').addMethod('GET', publish.integration, publish.methodOptions),
    ];

    new TracerGroup(this, 'FaultsGroup', {
      name: 'faults',
      filterExpression: FAULTS_FILTER,
      prefix: props.groupPrefix ?? DEFAULT_GROUP_PREFIX,
    });

    this.suppressAcceptedFindings(methods);
  }

  /** Findings of cdk-nag that are accepted on purpose, each with its reason. */
  private suppressAcceptedFindings(methods: readonly Construct[]): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'Both methods are GETs without body and without required parameters: every path is valid input, because the path is the message.',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'The API is a tracing demo that only publishes its path to SNS; stage throttling bounds abuse, and a WAF web ACL would add a monthly cost without adding trace data.',
    });
    for (const method of methods) {
      Validations.of(method).acknowledge(
        {
          id: 'AwsSolutions-APIG4',
          reason:
            'The pattern is an open demo endpoint that load generators and browsers call without credentials; it can only publish its own path to SNS, and the stage is throttled.',
        },
        { id: 'AwsSolutions-COG4', reason: 'No authorizer at all, Cognito or other: see AwsSolutions-APIG4.' },
      );
    }
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-wide API Gateway logging role serves every REST API of the account and region, so it cannot be scoped to this API; AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents and maintains for it.',
      });
    }
  }
}

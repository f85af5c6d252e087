import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { buildApp, type PatternApp } from '../../../src/pattern/infra/build-app.ts';
import type { HandlerName, Instrumentation, TracedFunction } from '../../../src/pattern/infra/traced-function.ts';

/**
 * The app exactly as deployed, minus the handler bundling and the schema check of the
 * templates (build-app.test.ts runs that once), which template tests do not need.
 */
export function patternApp(options: { targetUrl?: string; instrumentation?: Instrumentation } = {}): PatternApp {
  return buildApp({ bundling: false, cloudFormationValidation: false, env: {}, ...options });
}

/** A bare app for stacks built on their own, with the same test settings as patternApp. */
export function testApp(): App {
  return new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
}

/** The logical id of a construct's CloudFormation resource (its default child for L2s). */
export function logicalId(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

export const ref = (construct: IConstruct) => ({ Ref: logicalId(construct) });
export const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** How a flow stack refers to the API stack's fan-out topic: an import of the API stack's export. */
export function importedFanOutTopic(pattern: PatternApp): { 'Fn::ImportValue': string } {
  const outputs = Template.fromStack(pattern.api).findOutputs('*', { Value: ref(pattern.api.fanOutTopic) });
  const exportNames = Object.values(outputs).map((output) => (output as { Export: { Name: string } }).Export.Name);
  expect(exportNames).toHaveLength(1);
  return { 'Fn::ImportValue': exportNames[0] as string };
}

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}
type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/**
 * Every (action, resource) pair the role's policies allow, as sorted `action -> resource-JSON`
 * strings, from the role's inline policies and every AWS::IAM::Policy attached to it. Managed
 * policies, Deny statements and conditions show up in the list as well, so a comparison with
 * an exact expected list fails on any of them.
 */
export function rolePermissions(template: Template, roleLogicalId: string): string[] {
  const resources = template.toJSON().Resources as Resources;
  const role = resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not an AWS::IAM::Role`);
  const grants: string[] = [];
  if (role.Properties?.ManagedPolicyArns !== undefined) {
    grants.push(`managed -> ${JSON.stringify(role.Properties.ManagedPolicyArns)}`);
  }
  const documents: unknown[] = ((role.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
    (policy) => policy.PolicyDocument,
  );
  const roleRef = JSON.stringify({ Ref: roleLogicalId });
  for (const resource of Object.values(resources)) {
    const roles = (resource.Properties?.Roles as unknown[] | undefined) ?? [];
    if (resource.Type === 'AWS::IAM::Policy' && roles.some((r) => JSON.stringify(r) === roleRef)) {
      documents.push(resource.Properties?.PolicyDocument);
    }
  }
  for (const document of documents) {
    for (const statement of (document as { Statement: Statement[] }).Statement) {
      const plainAllow = statement.Effect === 'Allow' && statement.Condition === undefined;
      const prefix = plainAllow ? '' : `${statement.Effect} if ${JSON.stringify(statement.Condition)}: `;
      for (const action of [statement.Action ?? []].flat()) {
        for (const resource of [statement.Resource].flat()) {
          grants.push(`${prefix}${action} -> ${JSON.stringify(resource)}`);
        }
      }
    }
  }
  return grants.sort();
}

/** The expected counterpart of rolePermissions: each action on the given resource. */
export function permissions(...entries: [actions: readonly string[], resource: unknown][]): string[] {
  return entries
    .flatMap(([actions, resource]) => actions.map((action) => `${action} -> ${JSON.stringify(resource)}`))
    .sort();
}

export const TRACING_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] as const;
export const LOGGING_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

export interface ExpectedFunction {
  readonly handler: HandlerName;
  /** Handler-specific environment, beyond the Powertools settings. */
  readonly environment: Record<string, unknown>;
  /** What the handler itself may do; tracing, logging and the dead-letter queue are added here. */
  readonly handlerPermissions: string[];
  /** TopicArn of the subscription, when the function is subscribed to a topic. */
  readonly subscribedTo?: unknown;
}

/**
 * Asserts what every function of the pattern must be: its handler, Node.js 22, active tracing,
 * explicit memory and timeout, its environment contract, a log group with a retention, exactly
 * the permissions expected, and, when subscribed to a topic, a subscription and a function that
 * both dead-letter into the same queue.
 */
export function expectTracedFunction(template: Template, traced: TracedFunction, expected: ExpectedFunction): void {
  const functionId = logicalId(traced.function);
  const subscribed = expected.subscribedTo !== undefined;
  const deadLetters = traced.deadLetterQueue;
  expect(deadLetters !== undefined).toBe(subscribed);

  template.hasResource('AWS::Lambda::Function', {
    Properties: {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      Timeout: 10,
      Architectures: ['arm64'],
      Role: arnOf(traced.role),
      LoggingConfig: { LogGroup: ref(traced.logGroup) },
      Environment: {
        Variables: Match.objectEquals({
          POWERTOOLS_SERVICE_NAME: `xray-tracer-${expected.handler}`,
          POWERTOOLS_METRICS_NAMESPACE: 'XRayTracer',
          LOG_LEVEL: 'INFO',
          ...expected.environment,
        }),
      },
      DeadLetterConfig: deadLetters ? { TargetArn: arnOf(deadLetters) } : Match.absent(),
    },
  });
  expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Role: arnOf(traced.role) } }))).toEqual([
    functionId,
  ]);
  expect(template.findResources('AWS::Logs::LogGroup')[logicalId(traced.logGroup)]).toMatchObject({
    Properties: { RetentionInDays: 7 },
  });

  expect(rolePermissions(template, logicalId(traced.role))).toEqual(
    permissions(
      [TRACING_ACTIONS, '*'],
      [LOGGING_ACTIONS, { 'Fn::GetAtt': [logicalId(traced.logGroup), 'Arn'] }],
      ...(deadLetters ? [[['sqs:SendMessage'], arnOf(deadLetters)] as [string[], unknown]] : []),
    )
      .concat(expected.handlerPermissions)
      .sort(),
  );

  const subscriptions = template.findResources('AWS::SNS::Subscription', {
    Properties: { Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] } },
  });
  if (!deadLetters) {
    expect(subscriptions).toEqual({});
    return;
  }
  expect(Object.values(subscriptions)).toEqual([
    {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] },
        TopicArn: expected.subscribedTo,
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetters) },
      },
    },
  ]);
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction',
    FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
    Principal: 'sns.amazonaws.com',
    SourceArn: expected.subscribedTo,
  });
  // SNS may move undeliverable messages into the queue, and only from that topic.
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [ref(deadLetters)],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
          Principal: { Service: 'sns.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': expected.subscribedTo } },
          Resource: arnOf(deadLetters),
        }),
      ]),
    },
  });
}

/** Every queue of a stack is encrypted at rest and refuses requests made without TLS. */
export function expectQueuesSecured(template: Template): void {
  const queues = template.findResources('AWS::SQS::Queue');
  expect(Object.keys(queues).length).toBeGreaterThan(0);
  for (const [id, queue] of Object.entries(queues)) {
    expect(queue).toMatchObject({ Properties: { SqsManagedSseEnabled: true } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  }
}

/** The X-Ray group of a stack: its name, filter expression and Insights off. */
export function expectGroup(template: Template, name: string, filterExpression: unknown): void {
  template.hasResourceProperties('AWS::XRay::Group', {
    GroupName: name,
    FilterExpression: filterExpression,
    InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false },
  });
}

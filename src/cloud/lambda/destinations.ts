// Lambda's destinations for asynchronous invocations (developer guide, "Capturing records of Lambda
// asynchronous invocations"): the invocation record goes to an SQS queue, an SNS topic, a Lambda
// function or an EventBridge bus, and a dead-letter queue (SQS or SNS) gets the event itself. Each is
// delivered as Lambda delivers it, by calling the service's API (here the local AWS endpoint, over
// its wire protocol) with the function's execution role, so IAM and the services' own checks apply
// and a service the endpoint does not run answers its AWS-shaped error.
import type { TraceHeader } from '../core/types.ts';
import { formatTraceHeader } from '../tracing/trace-header.ts';
import type { RoleCredential } from '../iam/credentials.ts';

/** What goes to one destination. */
export interface DestinationDelivery {
  /** The destination's ARN (or an SQS queue URL). */
  readonly arn: string;
  /** The invocation record (destinations) or the event (dead-letter queues), as JSON. */
  readonly body: string;
  /** A dead-letter message's attributes (RequestID, ErrorCode, ErrorMessage). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** EventBridge's detail-type: `Lambda Function Invocation Result - Success` / `- Failure`. */
  readonly detailType?: string;
  /** The invoked function's qualified ARN, for EventBridge's `resources`. */
  readonly functionArn: string;
  readonly trace: TraceHeader;
}

/** Sends deliveries with a function's role; resolves with what the service answered (a message id...). */
export interface DestinationSender {
  deliver(credentials: RoleCredential, delivery: DestinationDelivery): Promise<string>;
}

export type DestinationKind = 'sqs' | 'sns' | 'lambda' | 'events';

/** The service an ARN names, or undefined for one Lambda cannot deliver to. */
export function destinationKind(arn: string): DestinationKind | undefined {
  if (/^https?:\/\//.test(arn)) return 'sqs';
  const service = arn.split(':')[2];
  if (service === 'sqs' || service === 'sns' || service === 'lambda') return service;
  if (service === 'events' && arn.split(':')[5]?.startsWith('event-bus/')) return 'events';
  return undefined;
}

/** `arn:aws:sqs:region:account:name` as the local endpoint's queue URL. */
function queueUrl(endpointUrl: string, arn: string): string {
  if (/^https?:\/\//.test(arn)) return arn;
  const [, , , , account, name] = arn.split(':');
  return `${endpointUrl}/${account ?? ''}/${name ?? ''}`;
}

interface MiddlewareClient {
  readonly middlewareStack: { add(middleware: unknown, options: { step: 'build'; name: string }): void };
  destroy(): void;
}

/** Every call of the client carries the trace header, as Lambda passes the invocation's trace on. */
function withTrace<C extends MiddlewareClient>(client: C, trace: TraceHeader): C {
  const header = formatTraceHeader({ root: trace.root, ...(trace.parent !== undefined ? { parent: trace.parent } : {}), ...(trace.sampled !== undefined ? { sampled: trace.sampled } : {}) });
  client.middlewareStack.add(
    (next: (args: { request: { headers: Record<string, string> } }) => Promise<unknown>) => async (args: { request: { headers: Record<string, string> } }) => {
      args.request.headers['X-Amzn-Trace-Id'] = header;
      return next(args);
    },
    { step: 'build', name: 'lambdaDestinationTraceHeader' },
  );
  return client;
}

export interface EndpointDestinationsOptions {
  /** The local AWS endpoint. */
  readonly endpointUrl: string;
  readonly region: string;
}

/** Delivers through the local AWS endpoint with the AWS SDK's clients, signed with the role's keys. */
export class EndpointDestinations implements DestinationSender {
  constructor(private readonly options: EndpointDestinationsOptions) {}

  async deliver(credentials: RoleCredential, delivery: DestinationDelivery): Promise<string> {
    const kind = destinationKind(delivery.arn);
    const config = {
      endpoint: this.options.endpointUrl,
      region: this.options.region,
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
      maxAttempts: 1,
    };
    const attributes = Object.entries(delivery.attributes ?? {});
    switch (kind) {
      case 'sqs': {
        const { SQSClient, SendMessageCommand } = await import('@aws-sdk/client-sqs');
        const client = withTrace(new SQSClient(config), delivery.trace);
        try {
          const answer = await client.send(new SendMessageCommand({
            QueueUrl: queueUrl(this.options.endpointUrl, delivery.arn),
            MessageBody: delivery.body,
            ...(attributes.length > 0 ? { MessageAttributes: Object.fromEntries(attributes.map(([name, value]) => [name, { DataType: 'String', StringValue: value }])) } : {}),
          }));
          return `message ${answer.MessageId ?? '?'}`;
        } finally {
          client.destroy();
        }
      }
      case 'sns': {
        const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
        const client = withTrace(new SNSClient(config), delivery.trace);
        try {
          const answer = await client.send(new PublishCommand({
            TopicArn: delivery.arn,
            Message: delivery.body,
            ...(attributes.length > 0 ? { MessageAttributes: Object.fromEntries(attributes.map(([name, value]) => [name, { DataType: 'String', StringValue: value }])) } : {}),
          }));
          return `message ${answer.MessageId ?? '?'}`;
        } finally {
          client.destroy();
        }
      }
      case 'lambda': {
        const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
        const client = withTrace(new LambdaClient(config), delivery.trace);
        try {
          const answer = await client.send(new InvokeCommand({ FunctionName: delivery.arn, InvocationType: 'Event', Payload: delivery.body }));
          return `asynchronous invocation (${answer.StatusCode ?? '?'})`;
        } finally {
          client.destroy();
        }
      }
      case 'events': {
        const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
        const client = withTrace(new EventBridgeClient(config), delivery.trace);
        try {
          const answer = await client.send(new PutEventsCommand({
            Entries: [{
              EventBusName: delivery.arn,
              Source: 'lambda',
              DetailType: delivery.detailType ?? 'Lambda Function Invocation Result - Failure',
              Detail: delivery.body,
              Resources: [delivery.arn, delivery.functionArn],
            }],
          }));
          const entry = answer.Entries?.[0];
          if ((answer.FailedEntryCount ?? 0) > 0 || entry?.ErrorCode !== undefined) {
            throw Object.assign(new Error(entry?.ErrorMessage ?? 'the event was not accepted'), { name: entry?.ErrorCode ?? 'PutEventsFailed' });
          }
          return `event ${entry?.EventId ?? '?'}`;
        } finally {
          client.destroy();
        }
      }
      default:
        throw Object.assign(new Error(`${delivery.arn} is not an SQS queue, SNS topic, Lambda function or EventBridge event bus`), { name: 'InvalidParameterValueException' });
    }
  }
}

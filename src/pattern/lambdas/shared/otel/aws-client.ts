import { SpanKind } from '@opentelemetry/api';
import type { OtelTracing } from './otel-tracing.ts';
import { recordError } from './otel-tracing.ts';

/** The part of an AWS SDK v3 client this needs. */
interface TraceableClient {
  readonly middlewareStack: {
    add(middleware: (next: Next, context: { clientName?: string; commandName?: string }) => Next, options: { step: 'build'; name: string }): void;
  };
}
type Next = (args: { input: object; request?: unknown }) => Promise<{ output: { $metadata?: { requestId?: string; httpStatusCode?: number } } }>;

/**
 * Records each call of the client as a client span with the AWS SDK conventions X-Ray's translation
 * reads (`rpc.system` aws-api, the service, the operation, the table, queue or topic), and passes the
 * trace on in `X-Amzn-Trace-Id`, so that SNS and SQS carry it to the next function.
 */
export function traceAwsClient<T extends TraceableClient>(tracing: OtelTracing, client: T, region: string): T {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const service = (context.clientName ?? 'AWS').replace(/Client$/, '');
      const operation = (context.commandName ?? 'Call').replace(/Command$/, '');
      return tracing.inSpan(
        `${service}.${operation}`,
        { kind: SpanKind.CLIENT, attributes: { 'rpc.system': 'aws-api', 'rpc.service': service, 'rpc.method': operation, 'aws.region': region, ...resourceAttributes(args.input) } },
        async (span) => {
          const header = tracing.traceHeader(span);
          const request = args.request as { headers?: Record<string, string> } | undefined;
          if (header !== undefined && request?.headers !== undefined) request.headers['X-Amzn-Trace-Id'] = header;
          try {
            const result = await next(args);
            const metadata = result.output.$metadata;
            if (metadata?.requestId !== undefined) span.setAttribute('aws.request_id', metadata.requestId);
            if (metadata?.httpStatusCode !== undefined) span.setAttribute('http.response.status_code', metadata.httpStatusCode);
            return result;
          } catch (error) {
            const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
            if (status !== undefined) span.setAttribute('http.response.status_code', status);
            recordError(span, error);
            throw error;
          }
        },
      );
    },
    { step: 'build', name: 'openTelemetryXrayTracing' },
  );
  return client;
}

/** What the call touched, under the names the X-Ray translation draws on the map. */
function resourceAttributes(input: object): Record<string, string | string[]> {
  const { TableName, QueueUrl, TopicArn } = input as { TableName?: unknown; QueueUrl?: unknown; TopicArn?: unknown };
  return {
    ...(typeof TableName === 'string' && { 'aws.dynamodb.table_names': [TableName] }),
    ...(typeof QueueUrl === 'string' && { 'aws.sqs.queue_url': QueueUrl }),
    ...(typeof TopicArn === 'string' && { 'aws.sns.topic.arn': TopicArn }),
  };
}

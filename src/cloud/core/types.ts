/** A resource of the templates after intrinsics are resolved. */
export interface CloudResource {
  readonly stack: string;            // e.g. "TheSqsFlowStack"
  readonly logicalId: string;
  readonly type: string;             // e.g. "AWS::SQS::Queue"
  readonly properties: Readonly<Record<string, unknown>>; // intrinsics resolved
  readonly physicalId: string;       // what Ref returns (queue URL, topic ARN, function name, table name...)
  readonly arn: string | undefined;  // what Fn::GetAtt Arn returns
}
export interface CloudModel {
  readonly region: string;           // default "us-east-1"; account "000000000000"
  readonly accountId: string;
  readonly resources: ReadonlyArray<CloudResource>;
  byType(type: string): CloudResource[];
  warnings: ReadonlyArray<string>;   // unsupported types/intrinsics, each named
}
/** X-Ray trace context as in the X-Amzn-Trace-Id / _X_AMZN_TRACE_ID / AWSTraceHeader headers. */
export interface TraceHeader { readonly root: string; readonly parent?: string; readonly sampled?: boolean; }
/** Sends finished segment documents to the X-Ray daemon (UDP wire format). */
export interface SegmentSink { send(document: Record<string, unknown>): void; }
export type InvocationType = 'RequestResponse' | 'Event';
export interface InvokeRequest {
  readonly functionName: string;     // name or ARN
  readonly payload: unknown;         // the event object
  readonly invocationType: InvocationType;
  readonly trace?: TraceHeader;      // the caller's context; Lambda continues this trace
  /** Other contexts the invocation serves (an SQS batch's other messages): span links on the AWS::Lambda segment. */
  readonly links?: readonly TraceHeader[];
  /** For the AWS::Lambda segment's parent: who called (e.g. SNS topic, SQS event source). */
  readonly caller?: { readonly kind: 'sns' | 'sqs' | 'apigateway' | 'sdk' | 'dynamodb'; readonly arn?: string };
}
export interface InvokeResult {
  readonly statusCode: number;       // 200, or 202 for Event
  readonly payload?: unknown;        // the handler's result
  readonly functionError?: 'Unhandled' | 'Handled';
  readonly errorMessage?: string;
}
/** Lambda, as the other services see it. Async (Event) invocations are retried twice, then go to the
 *  function's on-failure destination / DLQ (EventInvokeConfig, DeadLetterConfig in the template). */
export interface LambdaInvoker { invoke(request: InvokeRequest): Promise<InvokeResult>; }
/** What SNS->SQS deliveries and Lambda's destinations need from SQS. */
export interface QueueService {
  sendMessage(
    queueUrlOrArn: string,
    body: string,
    /** `messageGroupId` and `messageDeduplicationId` for FIFO queues (SNS FIFO topics pass theirs on). */
    options?: { delaySeconds?: number; attributes?: Record<string, string>; trace?: TraceHeader; messageGroupId?: string; messageDeduplicationId?: string },
  ): Promise<{ messageId: string; sequenceNumber?: string }>;
}
/** An IAM decision for one call, from the roles' policies in the templates (iam/authorizer.ts). */
export interface Authorizer {
  authorize(principal: { readonly accessKeyId: string }, action: string, resourceArn: string): { allowed: true } | { allowed: false; reason: string };
}

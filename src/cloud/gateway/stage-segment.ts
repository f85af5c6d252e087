/**
 * The segment an API Gateway stage with active tracing emits for a request: named `<api>/<stage>`,
 * origin AWS::ApiGateway::Stage, the `aws:api_id`/`aws:api_stage` annotations, `aws.api_gateway`
 * resource data, http request and response, fault (5xx) / error (4xx) / throttle (429), and one
 * subsegment per integration call (`namespace: "aws"`, named after the service, e.g. SNS).
 */

export interface IntegrationCall {
  readonly id: string;
  /** X-Ray's name of the service, e.g. `SNS`; for an HTTP integration, the endpoint's host and path. */
  readonly name: string;
  /** `aws` (the default) for AWS services, `remote` for HTTP endpoints (no `aws` block). */
  readonly namespace?: 'aws' | 'remote';
  readonly startTime: number;
  readonly endTime: number;
  readonly url: string;
  readonly method: string;
  readonly operation: string | undefined;
  readonly region: string;
  /** The resource named in the call (`topic_arn`, `queue_url`, `table_name`, ...). */
  readonly resource: Readonly<Record<string, string>>;
  /** The backend's status; undefined when it did not answer (timeout, connection refused). */
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly contentLength: number | undefined;
  /** Why the call failed without an answer, with the exception's own id. */
  readonly failure: { readonly id: string; readonly message: string } | undefined;
}

export interface StageRequest {
  readonly traceId: string;
  readonly id: string;
  readonly parentId: string | undefined;
  readonly apiName: string;
  readonly apiId: string;
  readonly stage: string;
  readonly accountId: string;
  readonly region: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly startTime: number;
  readonly endTime: number;
  readonly url: string;
  readonly method: string;
  readonly clientIp: string;
  readonly userAgent: string | undefined;
  readonly status: number;
  readonly contentLength: number;
  readonly call: IntegrationCall | undefined;
  /** The Lambda authorizer's call, when it ran (a cached decision makes none). */
  readonly authorizerCall?: IntegrationCall | undefined;
}

/** The stage segment's origin, and the ServiceType sampling rules match. */
export const STAGE_ORIGIN = 'AWS::ApiGateway::Stage';

/** The stage segment's name, and the ServiceName sampling rules match: `<api name>/<stage>`. */
export function stageServiceName(apiName: string, stage: string): string {
  return `${apiName}/${stage}`;
}

/** The stage's ARN, the segment's `resource_arn` and the ResourceARN sampling rules match. */
export function stageArn(region: string, apiId: string, stage: string): string {
  return `arn:aws:apigateway:${region}::/restapis/${apiId}/stages/${stage}`;
}

export function stageSegment(request: StageRequest): Record<string, unknown> {
  return {
    trace_id: request.traceId,
    id: request.id,
    ...(request.parentId !== undefined ? { parent_id: request.parentId } : {}),
    name: stageServiceName(request.apiName, request.stage),
    origin: STAGE_ORIGIN,
    resource_arn: stageArn(request.region, request.apiId, request.stage),
    start_time: request.startTime,
    end_time: request.endTime,
    http: {
      request: {
        url: request.url,
        method: request.method,
        client_ip: request.clientIp,
        ...(request.userAgent !== undefined ? { user_agent: request.userAgent } : {}),
      },
      response: { status: request.status, content_length: request.contentLength },
    },
    ...outcome(request.status),
    annotations: { 'aws:api_id': request.apiId, 'aws:api_stage': request.stage },
    aws: {
      api_gateway: {
        account_id: request.accountId,
        rest_api_id: request.apiId,
        stage: request.stage,
        request_id: request.requestId,
      },
    },
    metadata: { default: { request_id: request.requestId, extended_request_id: request.extendedRequestId } },
    ...subsegmentsOf([request.authorizerCall, request.call]),
  };
}

function callSubsegment(call: IntegrationCall): Record<string, unknown> {
  return {
    id: call.id,
    name: call.name,
    namespace: call.namespace ?? 'aws',
    start_time: call.startTime,
    end_time: call.endTime,
    http: {
      request: { url: call.url, method: call.method },
      ...(call.status !== undefined
        ? { response: { status: call.status, ...(call.contentLength !== undefined ? { content_length: call.contentLength } : {}) } }
        : {}),
    },
    ...(call.namespace === 'remote' ? {} : {
      aws: {
        ...(call.operation !== undefined ? { operation: call.operation } : {}),
        region: call.region,
        ...(call.requestId !== undefined ? { request_id: call.requestId } : {}),
        retries: 0,
        ...call.resource,
      },
    }),
    // No answer at all is a fault of the call, as the SDKs record a network error.
    ...(call.status !== undefined ? outcome(call.status) : { fault: true }),
    ...(call.failure !== undefined
      ? { cause: { exceptions: [{ id: call.failure.id, message: call.failure.message, type: 'IntegrationError', remote: true }] } }
      : {}),
  };
}

function outcome(status: number): Record<string, boolean> {
  if (status >= 500) return { fault: true };
  if (status === 429) return { error: true, throttle: true };
  if (status >= 400) return { error: true };
  return {};
}

function subsegmentsOf(calls: ReadonlyArray<IntegrationCall | undefined>): Record<string, unknown> {
  const present = calls.filter((call): call is IntegrationCall => call !== undefined);
  return present.length === 0 ? {} : { subsegments: present.map(callSubsegment) };
}

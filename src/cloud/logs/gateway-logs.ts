/**
 * API Gateway's CloudWatch logs for REST API stages that enable them ("Set up CloudWatch logging
 * for REST APIs in API Gateway"):
 * - execution logs, when a stage's MethodSettings set LoggingLevel INFO or ERROR, in
 *   `API-Gateway-Execution-Logs_<apiId>/<stage>`: each line `(<requestId>) <text>` as API Gateway
 *   writes them; DataTraceEnabled adds the request's and the response's headers and bodies
 *   (ERROR writes only the lines of a failed request);
 * - access logs, when the stage has an AccessLogSetting: one line a request in the group its
 *   DestinationArn names, its Format with the `$context` variables filled in (`-` for a value the
 *   request has not).
 * Each stage writes to one stream of each group for the life of the local cloud (AWS names its
 * streams by an opaque hash too).
 */
import type { CloudModel } from '../core/types.ts';
import type { IdSource } from '../core/runtime.ts';
import { randomIds } from '../core/runtime.ts';
import type { GatewayRequestRecord } from '../gateway/index.ts';
import { formatRequestTime } from '../gateway/mapping-variables.ts';

export interface StageLogging {
  /** OFF when not set. */
  readonly loggingLevel: 'OFF' | 'ERROR' | 'INFO';
  readonly dataTrace: boolean;
  readonly accessLog: { readonly groupName: string; readonly format: string } | undefined;
}

export type LogWriter = (groupName: string, streamName: string, event: { timestampMs: number; message: string; traceId?: string }) => void;

/** The logging settings of each stage of the model, keyed `<apiId>/<stage>`. */
export function stageLoggingFromModel(model: CloudModel): Map<string, StageLogging> {
  const stages = new Map<string, StageLogging>();
  const add = (apiId: unknown, name: unknown, properties: Record<string, unknown>): void => {
    if (typeof apiId !== 'string' || typeof name !== 'string' || stages.has(`${apiId}/${name}`)) return;
    const settings = (Array.isArray(properties.MethodSettings) ? properties.MethodSettings : []) as Array<Record<string, unknown>>;
    const all = settings.find((setting) => (setting.ResourcePath ?? '/*') === '/*' && (setting.HttpMethod ?? '*') === '*');
    const level = typeof all?.LoggingLevel === 'string' ? all.LoggingLevel.toUpperCase() : 'OFF';
    const access = properties.AccessLogSetting as Record<string, unknown> | undefined;
    const groupName = typeof access?.DestinationArn === 'string' ? groupOfArn(access.DestinationArn) : undefined;
    stages.set(`${apiId}/${name}`, {
      loggingLevel: level === 'INFO' || level === 'ERROR' ? level : 'OFF',
      dataTrace: all?.DataTraceEnabled === true || all?.DataTraceEnabled === 'true',
      accessLog: groupName !== undefined && typeof access?.Format === 'string' ? { groupName, format: access.Format } : undefined,
    });
  };
  for (const stage of model.byType('AWS::ApiGateway::Stage')) add(stage.properties.RestApiId, stage.properties.StageName, stage.properties);
  for (const deployment of model.byType('AWS::ApiGateway::Deployment')) {
    const description = (deployment.properties.StageDescription ?? {}) as Record<string, unknown>;
    add(deployment.properties.RestApiId, deployment.properties.StageName, description);
  }
  return stages;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` -> the name. */
function groupOfArn(arn: string): string | undefined {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn);
  return match?.[1];
}

export class GatewayLogs {
  private readonly streams = new Map<string, string>();

  constructor(
    private readonly stages: Map<string, StageLogging>,
    private readonly write: LogWriter,
    private readonly ids: IdSource = randomIds,
  ) {}

  static fromModel(model: CloudModel, write: LogWriter, ids?: IdSource): GatewayLogs {
    return new GatewayLogs(stageLoggingFromModel(model), write, ids);
  }

  /** The stages that write logs, for the start's report. */
  get logged(): string[] {
    return [...this.stages].filter(([, stage]) => stage.loggingLevel !== 'OFF' || stage.accessLog !== undefined).map(([key]) => key);
  }

  record(record: GatewayRequestRecord): void {
    const stage = this.stages.get(`${record.apiId}/${record.stage}`);
    if (stage === undefined) return;
    const failed = record.status >= 500 || record.call?.failure !== undefined;
    if (stage.loggingLevel === 'INFO' || (stage.loggingLevel === 'ERROR' && failed)) {
      const group = `API-Gateway-Execution-Logs_${record.apiId}/${record.stage}`;
      const stream = this.streamOf(group);
      const lines = executionLines(record, stage.dataTrace);
      lines.forEach((line, i) => this.write(group, stream, {
        timestampMs: i === lines.length - 1 ? record.endedAtMs : record.startedAtMs,
        message: `(${record.requestId}) ${line}`,
        ...(record.traceId !== undefined ? { traceId: record.traceId } : {}),
      }));
    }
    if (stage.accessLog !== undefined) {
      this.write(stage.accessLog.groupName, this.streamOf(stage.accessLog.groupName), {
        timestampMs: record.endedAtMs,
        message: accessLine(stage.accessLog.format, record),
        ...(record.traceId !== undefined ? { traceId: record.traceId } : {}),
      });
    }
  }

  private streamOf(group: string): string {
    let stream = this.streams.get(group);
    if (stream === undefined) {
      stream = this.ids.hex(16);
      this.streams.set(group, stream);
    }
    return stream;
  }
}

function executionLines(record: GatewayRequestRecord, dataTrace: boolean): string[] {
  const lines = [
    `Extended Request Id: ${record.extendedRequestId}`,
    `Starting execution for request: ${record.requestId}`,
    `HTTP Method: ${record.httpMethod}, Resource Path: ${record.path.slice(record.stage.length + 1) || '/'}`,
  ];
  if (dataTrace) {
    lines.push(
      `Method request path: ${javaMap(record.pathParameters)}`,
      `Method request query string: ${javaMap(record.queryParameters)}`,
      `Method request headers: ${javaMap(record.requestHeaders)}`,
      `Method request body before transformations: ${record.requestBody}`,
    );
  }
  const call = record.call;
  if (call !== undefined) {
    lines.push(`Endpoint request URI: ${call.url}`);
    if (call.failure !== undefined) {
      lines.push(`Execution failed due to configuration error: ${call.failure.message}`);
    } else {
      lines.push(`Received response. Status: ${call.status ?? '-'}, Integration latency: ${Math.round(call.endTime * 1000 - call.startTime * 1000)} ms`);
    }
  }
  if (dataTrace) {
    lines.push(
      `Method response body after transformations: ${record.responseBody}`,
      `Method response headers: ${javaMap(record.responseHeaders)}`,
    );
  }
  lines.push(record.status >= 500 ? `Execution failed with status: ${record.status}` : 'Successfully completed execution');
  lines.push(`Method completed with status: ${record.status}`);
  return lines;
}

/** `{a=1, b=2}`, as API Gateway prints maps (Java's toString). */
function javaMap(values: Readonly<Record<string, string>>): string {
  return `{${Object.entries(values).map(([key, value]) => `${key}=${value}`).join(', ')}}`;
}

/** The access log line: each `$context.x` of the format replaced by its value, `-` when it has none. */
export function accessLine(format: string, record: GatewayRequestRecord): string {
  const values = contextValues(record);
  return format.replace(/\$context\.([A-Za-z0-9_.]+[A-Za-z0-9_])/g, (_, name: string) => values[name] ?? '-');
}

function contextValues(record: GatewayRequestRecord): Record<string, string | undefined> {
  const call = record.call;
  const integrationLatency = call === undefined ? undefined : String(Math.round((call.endTime - call.startTime) * 1000));
  return {
    requestId: record.requestId,
    extendedRequestId: record.extendedRequestId,
    apiId: record.apiId,
    stage: record.stage,
    accountId: record.accountId,
    domainName: record.domainName,
    httpMethod: record.httpMethod,
    path: record.path,
    resourcePath: record.resourcePath,
    protocol: record.protocol,
    status: String(record.status),
    responseLength: String(record.responseLength),
    requestTime: formatRequestTime(record.startedAtMs),
    requestTimeEpoch: String(record.startedAtMs),
    responseLatency: String(Math.round(record.endedAtMs - record.startedAtMs)),
    integrationLatency,
    'integration.latency': integrationLatency,
    'integration.status': call?.status === undefined ? undefined : String(call.status),
    integrationStatus: call?.status === undefined ? undefined : String(call.status),
    'integration.requestId': call?.requestId,
    'identity.sourceIp': record.sourceIp,
    'identity.userAgent': record.userAgent,
    xrayTraceId: record.traceId,
    'error.message': record.status >= 400 ? errorMessage(record.responseBody) : undefined,
  };
}

function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') return (parsed as { message: string }).message;
  } catch {
    // Not JSON: no message.
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import type { CloudModel, CloudResource } from '../../../src/cloud/core/types.ts';
import type { GatewayRequestRecord } from '../../../src/cloud/gateway/index.ts';
import { GatewayLogs, stageLoggingFromModel } from '../../../src/cloud/logs/gateway-logs.ts';

/** The pattern's stage, as TheXrayTracerStack's template declares it. */
const FORMAT = '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user","caller":"$context.identity.caller","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}';

function model(resources: Array<Pick<CloudResource, 'type' | 'properties'>>): CloudModel {
  return { byType: (type: string) => resources.filter((resource) => resource.type === type) } as unknown as CloudModel;
}

const stage = {
  type: 'AWS::ApiGateway::Stage',
  properties: {
    RestApiId: 'abc123defg', StageName: 'prod',
    AccessLogSetting: { DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:TheXrayTracerStack-AccessLogs-x1', Format: FORMAT },
    MethodSettings: [{ DataTraceEnabled: true, HttpMethod: '*', LoggingLevel: 'INFO', ResourcePath: '/*' }],
  },
};

const record: GatewayRequestRecord = {
  apiId: 'abc123defg', stage: 'prod', requestId: 'req-1', extendedRequestId: 'ext-1', httpMethod: 'GET', path: '/prod/hello',
  resourcePath: '/{proxy+}', pathParameters: { proxy: 'hello' }, queryParameters: {}, requestHeaders: { host: '127.0.0.1:3000' }, requestBody: '',
  status: 200, responseHeaders: { 'content-type': 'application/json' }, responseBody: '{"message":"message added to SNS topic"}', responseLength: 40,
  startedAtMs: Date.UTC(2026, 11, 4, 12), endedAtMs: Date.UTC(2026, 11, 4, 12) + 30, sourceIp: '127.0.0.1', userAgent: 'curl/8', protocol: 'HTTP/1.1',
  domainName: '127.0.0.1:3000', accountId: '123456789012', traceId: '1-6750a000-000000000000000000000001',
  call: { id: 's', name: 'SNS', startTime: Date.UTC(2026, 11, 4, 12) / 1000 + 0.005, endTime: Date.UTC(2026, 11, 4, 12) / 1000 + 0.025, url: 'http://127.0.0.1:4566/', method: 'POST', operation: 'Publish', region: 'us-east-1', resource: {}, status: 200, requestId: 'sns-1', contentLength: 10, failure: undefined },
};

describe('API Gateway execution and access logs', () => {
  it('reads the stage\'s logging level, data trace and access log destination', () => {
    expect(stageLoggingFromModel(model([stage])).get('abc123defg/prod')).toEqual({
      loggingLevel: 'INFO', dataTrace: true, accessLog: { groupName: 'TheXrayTracerStack-AccessLogs-x1', format: FORMAT },
    });
  });

  it('writes execution lines prefixed with the request id and one access line in the stage\'s format', () => {
    const written: Array<{ group: string; stream: string; message: string }> = [];
    const logs = GatewayLogs.fromModel(model([stage]), (group, stream, event) => written.push({ group, stream, message: event.message }), { uuid: () => 'u', hex: () => 'f'.repeat(32) });
    logs.record(record);
    const execution = written.filter((line) => line.group === 'API-Gateway-Execution-Logs_abc123defg/prod');
    expect(execution.every((line) => line.message.startsWith('(req-1) '))).toBe(true);
    expect(execution.map((line) => line.message)).toEqual(expect.arrayContaining([
      '(req-1) Extended Request Id: ext-1',
      '(req-1) Starting execution for request: req-1',
      '(req-1) HTTP Method: GET, Resource Path: /hello',
      '(req-1) Method request path: {proxy=hello}',
      '(req-1) Received response. Status: 200, Integration latency: 20 ms',
      '(req-1) Method response body after transformations: {"message":"message added to SNS topic"}',
      '(req-1) Successfully completed execution',
      '(req-1) Method completed with status: 200',
    ]));
    const access = written.filter((line) => line.group === 'TheXrayTracerStack-AccessLogs-x1');
    expect(access).toHaveLength(1);
    expect(JSON.parse(access[0]?.message ?? '')).toEqual({
      requestId: 'req-1', ip: '127.0.0.1', user: '-', caller: '-', requestTime: '04/Dec/2026:12:00:00 +0000', httpMethod: 'GET',
      resourcePath: '/{proxy+}', status: '200', protocol: 'HTTP/1.1', responseLength: '40',
    });
  });

  it('writes nothing for a stage without logging, and only failures at ERROR', () => {
    const written: string[] = [];
    const quiet = { ...stage, properties: { ...stage.properties, AccessLogSetting: undefined, MethodSettings: [{ LoggingLevel: 'ERROR', HttpMethod: '*', ResourcePath: '/*' }] } };
    const logs = GatewayLogs.fromModel(model([quiet]), (_group, _stream, event) => written.push(event.message));
    logs.record(record);
    expect(written).toEqual([]);
    logs.record({ ...record, status: 502 });
    expect(written.at(-1)).toBe('(req-1) Method completed with status: 502');
    expect(written).toContain('(req-1) Execution failed with status: 502');
  });
});

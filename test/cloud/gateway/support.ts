import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import type { CloudModel, CloudResource } from '../../../src/cloud/core/types.ts';
import { ApiGateway } from '../../../src/cloud/gateway/gateway.ts';
import type { ApiGatewayOptions } from '../../../src/cloud/gateway/gateway.ts';

/** A CloudModel from hand-written resources (the shape the template reader produces). */
export function cloudModel(resources: ReadonlyArray<Omit<CloudResource, 'stack' | 'arn'> & { arn?: string }>): CloudModel {
  const full: CloudResource[] = resources.map((resource) => ({ stack: 'TestStack', arn: undefined, ...resource }));
  return {
    region: 'us-east-1',
    accountId: '000000000000',
    resources: full,
    byType: (type) => full.filter((resource) => resource.type === type),
    warnings: [],
  };
}

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:fan-out';
export const ROLE_ARN = 'arn:aws:iam::000000000000:role/PublishRole';

/** The pattern's SNS integration, written out by hand (the synthesized one is tested as well). */
export function snsIntegration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const template = `Action=Publish&TopicArn=$util.urlEncode('${TOPIC_ARN}')&Message=$util.urlEncode($context.path)&Version=2010-03-31`;
  const errorTemplate = `#set($code = $input.path('$.Error.Code'))\n{"message":"the request could not be published","error":"$util.escapeJavaScript($code)","requestId":"$context.requestId"}`;
  return {
    Type: 'AWS',
    IntegrationHttpMethod: 'POST',
    Uri: 'arn:aws:apigateway:us-east-1:sns:path//',
    Credentials: ROLE_ARN,
    PassthroughBehavior: 'NEVER',
    RequestParameters: {
      'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
      'integration.request.header.Accept': "'application/json'",
    },
    RequestTemplates: { 'application/json': template, 'text/plain': template },
    IntegrationResponses: [
      { StatusCode: '200', ResponseTemplates: { 'application/json': '{"message":"message added to SNS topic"}' } },
      { StatusCode: '400', SelectionPattern: '4\\d{2}', ResponseTemplates: { 'application/json': errorTemplate } },
      { StatusCode: '502', SelectionPattern: '5\\d{2}', ResponseTemplates: { 'application/json': errorTemplate } },
    ],
    ...overrides,
  };
}

/** An API `api1` with stage `prod`, `GET /` and `GET /{proxy+}` on the given integration. */
export function patternLikeModel(options: { integration?: Record<string, unknown>; stage?: Record<string, unknown> } = {}): CloudModel {
  const integration = options.integration ?? snsIntegration();
  return cloudModel([
    { logicalId: 'Api', type: 'AWS::ApiGateway::RestApi', physicalId: 'api1', properties: { Name: 'Test API' } },
    { logicalId: 'Proxy', type: 'AWS::ApiGateway::Resource', physicalId: 'res-proxy', properties: { RestApiId: 'api1', ParentId: 'api1-root-id', PathPart: '{proxy+}' } },
    { logicalId: 'RootGet', type: 'AWS::ApiGateway::Method', physicalId: 'm1', properties: { RestApiId: 'api1', ResourceId: 'api1-root-id', HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: integration } },
    { logicalId: 'ProxyGet', type: 'AWS::ApiGateway::Method', physicalId: 'm2', properties: { RestApiId: 'api1', ResourceId: 'res-proxy', HttpMethod: 'GET', AuthorizationType: 'NONE', Integration: integration } },
    { logicalId: 'Stage', type: 'AWS::ApiGateway::Stage', physicalId: 'prod', properties: { RestApiId: 'api1', StageName: 'prod', TracingEnabled: true, ...options.stage } },
  ]);
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export type FakeAnswer = { status: number; headers?: Record<string, string>; body: string } | 'hang';

/**
 * A stand-in for the local AWS endpoint: records every request and answers like SNS's Query API
 * (XML on success; JSON errors when asked for JSON, as SNS does for `Accept: application/json`).
 */
export class FakeAwsEndpoint {
  readonly requests: RecordedRequest[] = [];
  answer: (request: RecordedRequest) => FakeAnswer = () => snsPublished();
  private server: Server | undefined;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('FakeAwsEndpoint not started');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(recorded);
        const answer = this.answer(recorded);
        if (answer === 'hang') return;
        response.writeHead(answer.status, { 'x-amzn-requestid': 'backend-request-1', ...answer.headers });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

export function snsPublished(): FakeAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult>' +
      '<ResponseMetadata><RequestId>backend-request-1</RequestId></ResponseMetadata></PublishResponse>',
  };
}

export function snsError(status: number, code: string, message: string): FakeAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Error: { Type: status >= 500 ? 'Receiver' : 'Sender', Code: code, Message: message }, RequestId: 'backend-request-1' }),
  };
}

/** Collects X-Ray daemon datagrams (`{"format":"json","version":1}\n<document>`) on a free UDP port. */
export class UdpCapture {
  readonly documents: Array<Record<string, unknown>> = [];
  private socket: Socket | undefined;
  private waiters: Array<() => void> = [];

  get address(): string {
    const address = this.socket?.address();
    if (!address) throw new Error('UdpCapture not started');
    return `127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    socket.on('message', (message) => {
      const text = message.toString('utf8');
      const newline = text.indexOf('\n');
      const header = JSON.parse(text.slice(0, newline)) as { format?: string; version?: number };
      if (header.format !== 'json' || header.version !== 1) throw new Error(`bad daemon header: ${text.slice(0, newline)}`);
      this.documents.push(JSON.parse(text.slice(newline + 1)) as Record<string, unknown>);
      for (const waiter of this.waiters.splice(0)) waiter();
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.socket = socket;
  }

  /**
   * The documents of one trace, once `count` have arrived (waiting at most `timeoutMillis`).
   * Datagrams of earlier requests may still be arriving; selecting by trace keeps tests apart.
   */
  async waitForTrace(traceId: string, count = 1, timeoutMillis = 2000): Promise<Array<Record<string, unknown>>> {
    const deadline = Date.now() + timeoutMillis;
    const mine = (): Array<Record<string, unknown>> => this.documents.filter((document) => document.trace_id === traceId);
    while (mine().length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} segment documents of trace ${traceId}, got ${mine().length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return mine();
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/**
 * The gateways a test file starts, each stopped after its test, and a logger whose warnings and
 * errors are kept in `logged` (emptied after each test). Call once at the top of the file.
 */
export function gatewaysStoppedAfterEach(): { logged: string[]; logger: Logger; start: (options: ApiGatewayOptions) => Promise<ApiGateway> } {
  const started: ApiGateway[] = [];
  const logged: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((gateway) => gateway.stop()));
    logged.length = 0;
  });
  const start = async (options: ApiGatewayOptions): Promise<ApiGateway> => {
    const gateway = new ApiGateway(options);
    await gateway.start();
    started.push(gateway);
    return gateway;
  };
  return { logged, logger, start };
}

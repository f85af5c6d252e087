/**
 * What the gateway tells about each request it served on a stage, once answered: what CloudWatch
 * execution and access logs are written from (`src/cloud/logs/gateway-logs.ts`). The gateway
 * knows nothing of log groups; the composition root decides where records go.
 */
import type { IntegrationCall } from './stage-segment.ts';

export interface GatewayRequestRecord {
  readonly apiId: string;
  readonly stage: string;
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly httpMethod: string;
  /** As the client sent it, stage included: `/prod/hello`. */
  readonly path: string;
  readonly resourcePath: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly queryParameters: Readonly<Record<string, string>>;
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody: string;
  readonly responseLength: number;
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly protocol: string;
  readonly domainName: string;
  readonly accountId: string;
  readonly traceId: string | undefined;
  /** The integration's call to a service (AWS integrations); undefined for Lambda proxies, mocks and throttled requests. */
  readonly call: IntegrationCall | undefined;
}

export type RequestRecordListener = (record: GatewayRequestRecord) => void;

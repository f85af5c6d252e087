import type { IncomingHttpHeaders } from 'node:http';
import type { TraceHeader } from '../core/types.ts';
import type { AwsError } from './errors.ts';
import type { SigV4Scope } from './sigv4.ts';

/** One HTTP request to the endpoint, body read, caller and trace context extracted. */
export interface EndpointRequest {
  readonly method: string;
  /** The request target as sent (path and query still encoded), for SigV4 verification. */
  readonly target: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
  /** From the SigV4 Authorization header; undefined for an unsigned request. */
  readonly caller: SigV4Scope | undefined;
  /** The caller's X-Amzn-Trace-Id. */
  readonly trace: TraceHeader | undefined;
}

export interface EndpointReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

/** What one call needs from IAM: each action on each resource (a batch over two tables lists both). */
export interface Permission {
  readonly action: string;
  readonly resourceArn: string;
}

/** A request understood by a service, not yet authorized or run. */
export interface AwsCall {
  readonly operation: string;
  readonly permissions: ReadonlyArray<Permission>;
  run(): Promise<EndpointReply>;
}

/** One AWS service behind the endpoint, speaking its own wire protocol. */
export interface AwsProtocolService {
  /** For logs, e.g. `SQS`. */
  readonly name: string;
  /**
   * The SigV4 signing name (`sqs`): a request signed for it is this service's whatever its body, and
   * a request signed for another name never is. Undefined: chosen by `accepts` alone.
   */
  readonly signingName?: string;
  /** True when the request is addressed to this service (by X-Amz-Target, content type...). */
  accepts(request: EndpointRequest): boolean;
  /** Reads the request into a call; throws an AwsError naming what is wrong with a malformed one. */
  parse(request: EndpointRequest): AwsCall;
  /** The error in this protocol's shape. */
  renderError(error: AwsError, request: EndpointRequest): EndpointReply;
  /** The error this service answers when IAM denies the call. */
  accessDenied(message: string): AwsError;
  /** The status of a refused credential (missing, unknown or badly signed). @default 403 */
  readonly authFailureStatus?: number;
}

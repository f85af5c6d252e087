/**
 * What an HTTP API and a function URL share: the options each is built from, its listener, and
 * the bits of a request both read the same way (caller address, incoming trace header).
 */
import type { IncomingMessage } from 'node:http';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import type { Logger } from '../core/runtime.ts';
import type { LambdaInvoker, TraceHeader } from '../core/types.ts';
import type { BoundListener } from '../endpoint/listener.ts';
import type { IdGenerator } from '../tracing/ids.ts';
import { tryParseTraceHeader } from '../tracing/trace-header.ts';
import type { IamCheck } from './iam-auth.ts';
import { ServedListener } from './listener.ts';
import type { IncomingCall, Reply } from './listener.ts';
import type { CorsConfig } from './model.ts';

export interface FrontEndOptions {
  readonly listener: BoundListener;
  readonly lambda: LambdaInvoker | undefined;
  readonly region: string;
  readonly accountId: string;
  /** Checks AWS_IAM requests; what happens without it is the front end's own rule. */
  readonly iam: IamCheck | undefined;
  readonly ids: IdGenerator;
  readonly clock: () => number;
  readonly logger: Logger;
  readonly allowedHosts?: readonly string[];
  readonly timeouts?: ServerTimeouts;
}

/** The guarded listener of one front end, named `name` in log lines. */
export function servedFrontEnd(name: string, options: FrontEndOptions, cors: CorsConfig | undefined, maxBodyBytes: number, handle: (call: IncomingCall) => Promise<Reply>): ServedListener {
  return new ServedListener({
    name,
    listener: options.listener,
    cors,
    maxBodyBytes,
    ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
    logger: options.logger,
    nowMs: options.clock,
    handle,
  });
}

/** The caller's IPv4 address as AWS shows it (no `::ffff:` prefix). */
export function sourceIpOf(request: IncomingMessage): string {
  return (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** The caller's `X-Amzn-Trace-Id`, when it is one. */
export function incomingTraceOf(request: IncomingMessage): TraceHeader | undefined {
  const header = request.headers['x-amzn-trace-id'];
  return tryParseTraceHeader(typeof header === 'string' ? header : undefined);
}

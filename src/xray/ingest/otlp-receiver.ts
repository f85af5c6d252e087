import type { AddressInfo } from 'node:net';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { startHttpServer } from '../http/server.ts';
import { Router } from '../http/router.ts';
import type { OtlpHandlerOptions, OtlpIngestStats } from './otlp-handler.ts';
import { OtlpTraceHandler } from './otlp-handler.ts';
import { responseEncoding } from '../otlp/responses.ts';

export type OtlpReceiverOptions = Omit<OtlpHandlerOptions, 'maxBodyBytes'> & {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Limit on a body, as sent and once decompressed. */
  readonly maxBodyBytes: number;
  /** Host names accepted besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** How long an exporter may take to send a request. Default DEFAULT_SERVER_TIMEOUTS. */
  readonly timeouts?: ServerTimeouts;
};

export interface OtlpReceiver {
  readonly address: AddressInfo;
  stats(): OtlpIngestStats;
  /** Stops accepting, lets requests in flight finish (their spans reach the sink), logs pending rejects. */
  shutdown(): Promise<void>;
}

export const OTLP_TRACES_PATH = '/v1/traces';

/**
 * The OTLP/HTTP trace receiver on its own port, as collectors listen on 4318. Errors of the HTTP
 * layer (unknown path, wrong method, body over the limit) are answered as OTLP Status messages.
 */
export async function startOtlpReceiver(options: OtlpReceiverOptions): Promise<OtlpReceiver> {
  const handler = new OtlpTraceHandler(options);
  const router = new Router().add('POST', OTLP_TRACES_PATH, handler.handle);
  const server = await startHttpServer({
    router,
    host: options.host,
    port: options.port,
    maxBodyBytes: options.maxBodyBytes,
    logger: options.logger,
    // The handler itself answers 415 to all but application/x-protobuf and application/json.
    guard: { name: 'otlp receiver', allowedHosts: options.allowedHosts },
    name: 'xray otlp',
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    errorResponse: (error, headers) => handler.refuse(error.status, responseEncoding(headers['content-type']), error.message, error.headers),
  });
  return {
    address: server.address,
    stats: () => handler.stats(),
    shutdown: async () => {
      await server.close();
      handler.flush();
    },
  };
}

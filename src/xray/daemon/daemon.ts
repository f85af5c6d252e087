import type { AddressInfo } from 'node:net';
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import { startHttpServer } from '../http/server.ts';
import type { RunningHttpServer } from '../http/server.ts';
import { Router } from '../http/router.ts';
import type { Logger } from '../log/logger.ts';
import { addSamplingRoutes } from '../api/sampling.ts';
import type { Sampling } from '../sampling/types.ts';
import type { UdpIngestStats, UdpReceiverOptions } from '../ingest/udp-receiver.ts';
import { UdpReceiver } from '../ingest/udp-receiver.ts';

export type DaemonOptions = Omit<UdpReceiverOptions, 'port'> & {
  /** One port for UDP and TCP, as the X-Ray daemon; 0 picks one free for both. */
  readonly port: number;
  /** The same rules and statistics the X-Ray API answers from. */
  readonly sampling: Sampling;
  readonly logger: Logger;
  /** Host names the TCP side accepts besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** How long a sampling client may take to send a request. Default DEFAULT_SERVER_TIMEOUTS. */
  readonly timeouts?: ServerTimeouts;
};

export interface Daemon {
  readonly udp: AddressInfo;
  readonly tcp: AddressInfo;
  stats(): UdpIngestStats;
  /** Stops receiving (after draining what the kernel already holds) and closes the TCP side. */
  shutdown(): Promise<void>;
}

/** Bounded: a free UDP port is taken on TCP by someone else only by bad luck. */
const PORT_ATTEMPTS = 20;
/** The SDKs' sampling calls are a few hundred bytes. */
const SAMPLING_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The X-Ray daemon's two faces on one port: UDP for segment documents, TCP (HTTP) for the SDKs'
 * sampling calls `POST /GetSamplingRules` and `POST /SamplingTargets`.
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const router = addSamplingRoutes(new Router(), options.sampling);
  for (let attempt = 1; ; attempt++) {
    const receiver = await UdpReceiver.start({ ...options, port: options.port });
    let tcp: RunningHttpServer;
    try {
      tcp = await startHttpServer({
        router,
        host: options.host,
        port: receiver.address.port,
        maxBodyBytes: SAMPLING_BODY_LIMIT_BYTES,
        logger: options.logger,
        // The SDKs send application/json (aws-xray-sdk-node's service_connector) or botocore's rest-json.
        guard: { name: 'xray daemon (tcp)', allowedHosts: options.allowedHosts, jsonBodies: true },
        name: 'xray daemon',
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      });
    } catch (error) {
      await receiver.shutdown();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (options.port === 0 && inUse && attempt < PORT_ATTEMPTS) continue;
      throw error;
    }
    return {
      udp: receiver.address,
      tcp: tcp.address,
      stats: () => receiver.stats(),
      shutdown: async () => {
        await receiver.shutdown();
        await tcp.close();
      },
    };
  }
}

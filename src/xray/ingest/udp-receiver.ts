import type { Socket } from 'node:dgram';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { errorText } from '../../common/preview.ts';
import type { Logger } from '../log/logger.ts';
import type { ValidationResult } from '../segments/validate.ts';
import type { SegmentRecord } from '../model/trace.ts';
import { kernelDrops } from './kernel-drops.ts';
import { RejectLog } from './reject-log.ts';
import { parseDatagram } from './datagram.ts';

export interface UdpReceiverOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly validate: (document: string) => ValidationResult;
  /** Where accepted records go (the batch writer). */
  readonly sink: { add(record: SegmentRecord): void };
  readonly logger: Logger;
  /** Milliseconds, for the rate-limited reject log. */
  readonly nowMs?: () => number;
  /** Datagrams above this are rejected. Default: a 64 KB document plus its header line. */
  readonly maxDatagramBytes?: number;
  /**
   * Kernel receive buffer asked for; it absorbs bursts while a batch is being written. The kernel
   * caps it at net.core.rmem_max.
   */
  readonly recvBufferBytes?: number;
}

export interface UdpIngestStats {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Record<string, number>>;
  /** Datagrams the kernel dropped with the socket's receive buffer full (never received); undefined where the OS does not say. */
  readonly kernelDropped: number | undefined;
}

export const DEFAULT_MAX_DATAGRAM_BYTES = 64 * 1024 + 64;
const DEFAULT_RECV_BUFFER_BYTES = 8 * 1024 * 1024;
const REJECT_LOG_TICK_MILLIS = 1000;
const DRAIN_QUIET_MILLIS = 20;
const DRAIN_MAX_MILLIS = 1000;
/** The reject reason of a datagram that made the receiver throw. */
export const INTERNAL_ERROR = 'InternalError';

/**
 * The daemon's UDP side over node:dgram: each datagram is unwrapped, validated and handed to the
 * sink. A bad datagram is counted and logged (rate-limited) and never stops the receiver.
 */
export class UdpReceiver {
  private received = 0;
  private lastDatagramAt = Number.NEGATIVE_INFINITY;
  private stopping: Promise<void> | undefined;
  private accepted = 0;
  private readonly rejectedByReason = new Map<string, number>();
  private readonly rejectLog: RejectLog;
  private readonly tick: NodeJS.Timeout;
  /** Read just before the socket closes; until then, read on demand. */
  private finalKernelDrops: number | undefined;
  private kernelDropsReported = 0;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly options: UdpReceiverOptions,
  ) {
    this.rejectLog = new RejectLog(options.logger, options.nowMs ?? Date.now);
    this.tick = setInterval(() => {
      this.rejectLog.flush();
      this.reportKernelDrops();
    }, REJECT_LOG_TICK_MILLIS).unref();
    const maxBytes = options.maxDatagramBytes ?? DEFAULT_MAX_DATAGRAM_BYTES;
    socket.on('message', (datagram) => this.receive(datagram, maxBytes));
    socket.on('error', (error) => options.logger.error(`xray daemon: UDP socket error: ${error.message}`));
  }

  static start(options: UdpReceiverOptions): Promise<UdpReceiver> {
    const socket = createSocket({
      type: isIPv6(options.host) ? 'udp6' : 'udp4',
      recvBufferSize: options.recvBufferBytes ?? DEFAULT_RECV_BUFFER_BYTES,
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port, options.host, () => {
        socket.off('error', reject);
        resolve(new UdpReceiver(socket, options));
      });
    });
  }

  get address(): AddressInfo {
    return this.socket.address();
  }

  stats(): UdpIngestStats {
    let rejected = 0;
    for (const count of this.rejectedByReason.values()) rejected += count;
    return {
      received: this.received,
      accepted: this.accepted,
      rejected,
      rejectedByReason: Object.fromEntries(this.rejectedByReason),
      kernelDropped: this.closed ? this.finalKernelDrops : this.readKernelDrops(),
    };
  }

  /**
   * Stops receiving. Datagrams the kernel already holds are read first: we wait until the socket has
   * been quiet for a moment (bounded). Records handed to the sink are the sink's to flush.
   */
  shutdown(): Promise<void> {
    this.stopping ??= this.drainAndClose();
    return this.stopping;
  }

  private async drainAndClose(): Promise<void> {
    const deadline = performance.now() + DRAIN_MAX_MILLIS;
    do {
      // Yielding lets the event loop read what is queued on the socket.
      await new Promise((resolve) => setTimeout(resolve, DRAIN_QUIET_MILLIS / 2));
    } while (performance.now() < deadline && performance.now() - this.lastDatagramAt < DRAIN_QUIET_MILLIS);
    clearInterval(this.tick);
    this.rejectLog.flush(true);
    this.finalKernelDrops = this.readKernelDrops();
    this.closed = true;
    this.reportKernelDrops();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  /** A line when the kernel dropped datagrams since the last one (checked once a second). */
  private reportKernelDrops(): void {
    const total = this.closed ? this.finalKernelDrops : this.readKernelDrops();
    if (total === undefined || total <= this.kernelDropsReported) return;
    this.options.logger.warn(
      `xray daemon: the kernel dropped ${total - this.kernelDropsReported} UDP datagrams with the receive buffer full ` +
        `(${total} in all); they never reached the daemon`,
    );
    this.kernelDropsReported = total;
  }

  private readKernelDrops(): number | undefined {
    const { port, family } = this.socket.address();
    return kernelDrops(port, family === 'IPv6' ? 'IPv6' : 'IPv4', process.getuid?.());
  }

  /**
   * One datagram, from any sender: whatever it makes throw (a defect in validation, a sink that
   * fails) is that datagram's reject, counted and logged as `InternalError`, never an exception out
   * of the socket's handler, which would end the process and everything running in it.
   */
  private receive(datagram: Buffer, maxBytes: number): void {
    this.received++;
    this.lastDatagramAt = performance.now();
    try {
      this.ingest(datagram, maxBytes);
    } catch (error) {
      this.reject(INTERNAL_ERROR, `a datagram of ${datagram.length} bytes could not be handled: ${errorText(error, 300)}`);
    }
  }

  private ingest(datagram: Buffer, maxBytes: number): void {
    const wire = parseDatagram(datagram, maxBytes);
    if (!wire.ok) {
      this.reject(wire.reason, wire.message);
      return;
    }
    const result = this.options.validate(wire.document);
    if (!result.ok) {
      this.reject(result.errorCode, result.id ? `document ${result.id}: ${result.message}` : result.message);
      return;
    }
    this.options.sink.add(result.record);
    this.accepted++;
  }

  private reject(reason: string, message: string): void {
    this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + 1);
    this.rejectLog.record(reason, message);
  }
}

import { createSocket } from 'node:dgram';
import type { Logger } from '../core/runtime.ts';
import type { Socket } from 'node:dgram';
import type { SegmentSink } from '../core/types.ts';

/** The daemon's wire format: a JSON header line, a newline, then the document. */
export const DAEMON_HEADER = '{"format":"json","version":1}\n';
/** The daemon drops datagrams larger than this. */
export const MAX_DATAGRAM_BYTES = 64 * 1024;

export interface UdpSegmentSinkOptions {
  /** The daemon address, `host:port` as in AWS_XRAY_DAEMON_ADDRESS. @default '127.0.0.1:2000' */
  readonly daemonAddress?: string;
  readonly logger?: Pick<Logger, 'warn'>;
}

/** Parses `host:port` (as in AWS_XRAY_DAEMON_ADDRESS; the `tcp:..  udp:..` form takes the udp part). */
export function parseDaemonAddress(address: string): { host: string; port: number } {
  const udpPart = address.split(/\s+/).find((part) => part.startsWith('udp:'));
  const plain = (udpPart ?? address).replace(/^udp:/, '').trim();
  const match = /^(.+):(\d{1,5})$/.exec(plain);
  const port = match ? Number(match[2]) : NaN;
  if (!match?.[1] || !(port > 0 && port < 65536)) {
    throw new Error(`daemon address "${address}" is not host:port`);
  }
  return { host: match[1], port };
}

/**
 * Sends segment documents to an X-Ray daemon over UDP, one datagram each, as the SDKs do. Fire and
 * forget like the SDKs: a send error or an oversized document is logged, never thrown at the caller.
 */
export class UdpSegmentSink implements SegmentSink {
  readonly daemonAddress: string;
  private readonly host: string;
  private readonly port: number;
  private readonly logger: Pick<Logger, 'warn'>;
  private socket: Socket | undefined;
  private inFlight = 0;
  private readonly idle: Array<() => void> = [];

  constructor(options: UdpSegmentSinkOptions = {}) {
    this.daemonAddress = options.daemonAddress ?? '127.0.0.1:2000';
    ({ host: this.host, port: this.port } = parseDaemonAddress(this.daemonAddress));
    this.logger = options.logger ?? { warn: (message) => console.warn(message) };
  }

  async start(): Promise<void> {
    if (this.socket) return;
    const socket = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
    // The socket must not keep the process alive on its own.
    socket.unref();
    this.socket = socket;
  }

  send(document: Record<string, unknown>): void {
    const socket = this.socket;
    if (!socket) throw new Error('UdpSegmentSink.send called before start()');
    const datagram = Buffer.from(DAEMON_HEADER + JSON.stringify(document), 'utf8');
    if (datagram.length > MAX_DATAGRAM_BYTES) {
      this.logger.warn(`segment ${String(document.id)} of trace ${String(document.trace_id)} not sent: ` +
        `${datagram.length} bytes, the daemon accepts at most ${MAX_DATAGRAM_BYTES}`);
      return;
    }
    this.inFlight += 1;
    socket.send(datagram, this.port, this.host, (error) => {
      if (error) this.logger.warn(`segment ${String(document.id)} not sent to ${this.daemonAddress}: ${error.message}`);
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  /** Waits for the datagrams already handed over, then closes the socket. */
  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

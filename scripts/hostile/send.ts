/**
 * Sends one case's bytes on a new connection and waits for the status line of the answer, or the
 * connection's end, or the deadline. Only the status matters here: the answer's body is not read.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Delivery, StreamCase } from './cases.ts';

export type Outcome =
  | { readonly kind: 'answered'; readonly status: number; /** The start of the answer as received (all of it with `whole`). */ readonly text: string }
  | { readonly kind: 'reset' }
  | { readonly kind: 'closed' }
  | { readonly kind: 'refused' }
  | { readonly kind: 'hung' }
  | { readonly kind: 'sent' }
  | { readonly kind: 'error'; readonly code: string };

export interface Address {
  readonly host: string;
  readonly port: number;
}

/** The status of the first final answer in `data` (1xx interim answers skipped), or undefined while incomplete. */
export function statusOf(data: Buffer): number | 'garbage' | undefined {
  let text = data.toString('latin1');
  for (;;) {
    const lineEnd = text.indexOf('\r\n');
    if (lineEnd < 0) return text.length > 16 && !/^HTTP\/\d/.test(text) ? 'garbage' : undefined;
    const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(text.slice(0, lineEnd));
    if (match === null) return 'garbage';
    const status = Number(match[1]);
    if (status >= 200 || status < 100) return status;
    const headEnd = text.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    text = text.slice(headEnd + 4);
    if (text.length === 0) return undefined;
  }
}

/** `whole`: read the answer to its end (for a replay), not only its status line. */
export function sendStream(address: Address, hostile: StreamCase, deadlineMs: number, whole = false): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const timers: NodeJS.Timeout[] = [];
    const socket: Socket = hostile.transport === 'tls'
      ? tlsConnect({ host: address.host, port: address.port, rejectUnauthorized: false, servername: 'localhost' }, () => write(hostile.delivery))
      : connect(address.port, address.host, () => write(hostile.delivery));
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    function write(delivery: Delivery): void {
      const { bytes } = hostile;
      if (delivery.kind === 'whole') socket.write(bytes);
      else if (delivery.kind === 'stall') socket.write(bytes.subarray(0, Math.max(0, bytes.length - delivery.withholdBytes)));
      else {
        const size = Math.ceil(bytes.length / delivery.chunks);
        for (let i = 0; i < delivery.chunks; i++) {
          timers.push(setTimeout(() => {
            if (!settled && !socket.destroyed) socket.write(bytes.subarray(i * size, (i + 1) * size));
          }, i * delivery.gapMs));
        }
      }
    }
    socket.setNoDelay(true);
    timers.push(setTimeout(() => finish(whole && typeof statusOf(received) === 'number' ? ended() : { kind: 'hung' }), deadlineMs));
    const ended = (): Outcome => {
      const status = statusOf(received);
      if (typeof status === 'number') return { kind: 'answered', status, text: shownText(received) };
      return received.length > 0 ? { kind: 'error', code: 'partial-answer' } : { kind: 'closed' };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (whole) return;
      const status = statusOf(received);
      if (status === 'garbage') finish({ kind: 'error', code: 'not-http-answer' });
      else if (status !== undefined) finish({ kind: 'answered', status, text: shownText(received) });
    });
    socket.on('end', () => finish(ended()));
    socket.on('close', () => finish(ended()));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A server may answer (413) and close before reading everything: keep listening for that answer.
      if (error.code === 'EPIPE') return;
      if (error.code === 'ECONNRESET') finish(typeof statusOf(received) === 'number' ? ended() : { kind: 'reset' });
      else if (error.code === 'ECONNREFUSED') finish({ kind: 'refused' });
      else finish({ kind: 'error', code: error.code ?? error.message });
    });
  });
}

function shownText(received: Buffer): string {
  return received.subarray(0, 4096).toString('utf8');
}

/** One UDP socket for a listener's datagrams; a datagram has no answer, so its outcome is only whether it left. */
export class DatagramSender {
  private readonly socket: UdpSocket = createSocket('udp4');

  constructor(private readonly address: Address) {
    this.socket.on('error', () => {});
  }

  send(bytes: Buffer): Promise<Outcome> {
    return new Promise((resolve) => {
      this.socket.send(bytes, this.address.port, this.address.host, (error) => resolve(error ? { kind: 'error', code: (error as NodeJS.ErrnoException).code ?? error.message } : { kind: 'sent' }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

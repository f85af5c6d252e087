/**
 * The load generator, run as a child process so that it never shares an event loop with the receiver.
 * Asked over IPC to send `count` documents to host:port, as fast as it can (`rate` 0) or paced at
 * `rate` documents a second; answers with what it sent and how long it took.
 */
import { createSocket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { DAEMON_HEADER, lambdaSubsegment } from './documents.ts';

export interface SendOrder {
  readonly host: string;
  readonly port: number;
  readonly count: number;
  /** Documents a second; 0 sends as fast as possible. */
  readonly rate: number;
  readonly run: number;
  readonly epochSeconds: number;
}

export interface SendReport {
  readonly sent: number;
  readonly sendErrors: number;
  readonly millis: number;
  readonly meanBytes: number;
}

/** Bursts per tick when blasting: enough to keep the socket busy, small enough to let callbacks run. */
const BLAST_BURST = 256;
const PACE_TICK_MILLIS = 1;

process.on('message', (order: SendOrder) => {
  void send(order).then((report) => {
    process.send?.(report);
    process.disconnect?.();
  });
});

async function send(order: SendOrder): Promise<SendReport> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.connect(order.port, order.host, resolve));
  let sent = 0;
  let sendErrors = 0;
  let bytes = 0;
  const sendOne = (): void => {
    const datagram = Buffer.from(DAEMON_HEADER + lambdaSubsegment(order.run, sent, order.epochSeconds));
    bytes += datagram.length;
    sent++;
    socket.send(datagram, (error) => {
      if (error) sendErrors++;
    });
  };
  const started = performance.now();
  process.send?.({ started: performance.timeOrigin + started });
  while (sent < order.count) {
    const due = order.rate === 0 ? sent + BLAST_BURST : Math.floor(((performance.now() - started) / 1000) * order.rate);
    while (sent < Math.min(due, order.count)) sendOne();
    await new Promise((resolve) => (order.rate === 0 ? setImmediate(resolve) : setTimeout(resolve, PACE_TICK_MILLIS)));
  }
  const millis = performance.now() - started;
  await new Promise<void>((resolve) => socket.close(resolve));
  return { sent, sendErrors, millis, meanBytes: Math.round(bytes / Math.max(sent, 1)) };
}

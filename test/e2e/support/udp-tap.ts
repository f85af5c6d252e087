import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/**
 * Sits between an SDK and the daemon: keeps a copy of every datagram (what the SDK really sent) and
 * forwards it unchanged, so a test can compare what went in with what comes back out of the API.
 */
export interface UdpTap {
  readonly port: number;
  /** The documents sent so far (the part after the header line), parsed. */
  documents(): Array<Record<string, unknown>>;
  /** The same documents as the exact text sent, for byte-for-byte comparisons. */
  texts(): string[];
  close(): Promise<void>;
}

export async function startUdpTap(forwardPort: number): Promise<UdpTap> {
  const socket: Socket = createSocket('udp4');
  const datagrams: Buffer[] = [];
  socket.on('message', (datagram) => {
    datagrams.push(datagram);
    socket.send(datagram, forwardPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    documents: () => datagrams.map((datagram) => JSON.parse(documentText(datagram)) as Record<string, unknown>),
    texts: () => datagrams.map(documentText),
    close: () => new Promise<void>((resolve) => socket.close(resolve)),
  };
}

/** A datagram is a header line, a newline, then the document. */
function documentText(datagram: Buffer): string {
  return datagram.toString('utf8', datagram.indexOf(0x0a) + 1);
}

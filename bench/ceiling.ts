import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';

/**
 * The raw ceiling: a bare dgram socket that only splits off the header and JSON.parses both parts,
 * with the receive buffer the service asks for. What the service does on top (validation, batching,
 * SQLite) is measured against this.
 */
export interface CeilingReceiver {
  readonly port: number;
  /** What the kernel granted (Linux reports twice the size asked, capped by net.core.rmem_max). */
  readonly recvBufferBytes: number;
  count(): number;
  close(): Promise<void>;
}

export async function startCeilingReceiver(host: string, recvBufferBytes: number): Promise<CeilingReceiver> {
  const socket: Socket = createSocket({ type: 'udp4', recvBufferSize: recvBufferBytes });
  let parsed = 0;
  socket.on('message', (datagram) => {
    const newline = datagram.indexOf(0x0a);
    JSON.parse(datagram.toString('utf8', 0, newline));
    JSON.parse(datagram.toString('utf8', newline + 1));
    parsed++;
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  return {
    port: socket.address().port,
    recvBufferBytes: socket.getRecvBufferSize(),
    count: () => parsed,
    close: () => new Promise<void>((resolve) => socket.close(resolve)),
  };
}

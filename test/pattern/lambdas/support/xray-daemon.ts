import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../../support/eventually.ts';

/** The parts of an X-Ray segment document the tests look at. */
export interface XrayDocument {
  readonly id: string;
  readonly name: string;
  readonly trace_id: string;
  readonly parent_id?: string;
  readonly type?: string;
  readonly start_time: number;
  readonly end_time?: number;
  readonly in_progress?: boolean;
  readonly namespace?: string;
  readonly fault?: boolean;
  readonly error?: boolean;
  readonly annotations?: Record<string, unknown>;
  readonly metadata?: Record<string, Record<string, unknown>>;
  readonly aws?: Record<string, unknown>;
  readonly http?: { request?: Record<string, unknown>; response?: Record<string, unknown> };
  readonly cause?: { id?: string; exceptions?: { message?: string }[] };
}

/**
 * Listens where the X-Ray SDK sends (UDP, 127.0.0.1) and keeps every document, each datagram being
 * a JSON header line `{"format":"json","version":1}` then the document.
 */
export interface XrayDaemon {
  readonly address: string;
  readonly documents: XrayDocument[];
  /** Malformed datagrams, kept so that a test can assert there were none. */
  readonly rejected: string[];
  /** The documents of a trace once `done` holds for them; fails after `timeoutMillis`. */
  waitForTrace(
    traceId: string,
    done: (docs: XrayDocument[]) => boolean,
    timeoutMillis?: number,
  ): Promise<XrayDocument[]>;
  close(): Promise<void>;
}

export async function startXrayDaemon(): Promise<XrayDaemon> {
  const documents: XrayDocument[] = [];
  const rejected: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (datagram) => {
    const text = datagram.toString('utf8');
    const newline = text.indexOf('\n');
    try {
      const header = JSON.parse(text.slice(0, newline)) as { format?: unknown; version?: unknown };
      if (newline < 0 || header.format !== 'json' || header.version !== 1) throw new Error('bad header');
      documents.push(JSON.parse(text.slice(newline + 1)) as XrayDocument);
    } catch {
      rejected.push(text);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    documents,
    rejected,
    async waitForTrace(traceId, done, timeoutMillis = 3_000) {
      const ofTrace = (): typeof documents => documents.filter((doc) => doc.trace_id === traceId);
      await eventually(() => done(ofTrace()), {
        what: () => `trace ${traceId} to be complete; seen: ${ofTrace().map((d) => d.name).join(', ')}`,
        timeoutMs: timeoutMillis,
      });
      return ofTrace();
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

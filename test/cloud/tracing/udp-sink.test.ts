import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAEMON_HEADER, parseDaemonAddress, UdpSegmentSink } from '../../../src/cloud/tracing/udp-sink.ts';
import { eventually } from '../../support/eventually.ts';

let daemon: Socket;
let port: number;
let received: string[];

beforeEach(async () => {
  received = [];
  daemon = createSocket('udp4');
  daemon.on('message', (message) => received.push(message.toString('utf8')));
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
  port = daemon.address().port;
});

afterEach(async () => {
  await new Promise<void>((resolve) => daemon.close(() => resolve()));
});

function waitFor(count: number): Promise<void> {
  return eventually(() => received.length >= count, { what: () => `${count} datagrams, got ${received.length}` });
}

describe('UdpSegmentSink', () => {
  it('sends each document as one datagram in the daemon wire format', async () => {
    const sink = new UdpSegmentSink({ daemonAddress: `127.0.0.1:${port}` });
    await sink.start();
    const document = { name: 'fn', id: '0123456789abcdef', trace_id: '1-5759e988-bd862e3fe1be46a994272793', start_time: 1, end_time: 2 };
    sink.send(document);
    sink.send({ ...document, id: 'fedcba9876543210' });
    await waitFor(2);
    await sink.stop();
    expect(received).toHaveLength(2);
    const [header, body] = (received[0] as string).split('\n');
    expect(`${header}\n`).toBe(DAEMON_HEADER);
    expect(JSON.parse(header as string)).toEqual({ format: 'json', version: 1 });
    expect(JSON.parse(body as string)).toEqual(document);
  });

  it('drops a document over 64 KB with a warning naming it, instead of sending a truncated datagram', async () => {
    const warnings: string[] = [];
    const sink = new UdpSegmentSink({ daemonAddress: `127.0.0.1:${port}`, logger: { warn: (message) => warnings.push(message) } });
    await sink.start();
    sink.send({ id: 'aaaaaaaaaaaaaaaa', trace_id: 't', metadata: { big: 'x'.repeat(70_000) } });
    sink.send({ id: 'bbbbbbbbbbbbbbbb', trace_id: 't' });
    await waitFor(1);
    await sink.stop();
    expect(received.map((datagram) => JSON.parse(datagram.split('\n')[1] as string).id)).toEqual(['bbbbbbbbbbbbbbbb']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('segment aaaaaaaaaaaaaaaa of trace t not sent');
  });

  it('refuses to send before start', () => {
    const sink = new UdpSegmentSink({ daemonAddress: `127.0.0.1:${port}` });
    expect(() => sink.send({ id: 'x' })).toThrow('before start()');
  });
});

describe('parseDaemonAddress', () => {
  it.each([
    ['127.0.0.1:2000', { host: '127.0.0.1', port: 2000 }],
    ['localhost:3000', { host: 'localhost', port: 3000 }],
    ['tcp:127.0.0.1:2000 udp:127.0.0.2:2001', { host: '127.0.0.2', port: 2001 }],
  ])('%s', (address, expected) => {
    expect(parseDaemonAddress(address)).toEqual(expected);
  });

  it.each(['127.0.0.1', '127.0.0.1:0', '127.0.0.1:70000', ':2000'])('rejects %s', (address) => {
    expect(() => parseDaemonAddress(address)).toThrow(`daemon address "${address}" is not host:port`);
  });
});

import { createSocket } from 'node:dgram';
import { describe, expect, test } from 'vitest';
import { kernelDrops } from '../../../src/xray/ingest/kernel-drops.ts';

const TABLE = [
  '   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            ',
  ' 3241: 0100007F:07D0 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 16571 2 000000005e6cf386 42         ',
  ' 3242: 0100007F:07D0 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 16572 2 000000005e6cf387 7          ',
  ' 6033: 0100007F:D31C 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 70371 2 00000000a64e6568 3          ',
].join('\n');

describe('kernelDrops', () => {
  test('reads the drops column of our socket: its port, our user', () => {
    expect(kernelDrops(2000, 'IPv4', 1000, () => TABLE)).toBe(42);
    expect(kernelDrops(0xd31c, 'IPv4', 1000, () => TABLE)).toBe(3);
  });

  test('unknown when the table is missing (not Linux) or holds no such socket', () => {
    expect(kernelDrops(2000, 'IPv4', 1000, () => {
      throw new Error('ENOENT');
    })).toBeUndefined();
    expect(kernelDrops(2001, 'IPv4', 1000, () => TABLE)).toBeUndefined();
  });

  test('reads /proc/net/udp6 for an IPv6 socket', () => {
    const paths: string[] = [];
    kernelDrops(2000, 'IPv6', 1000, (path) => {
      paths.push(path);
      return TABLE;
    });
    expect(paths).toEqual(['/proc/net/udp6']);
  });

  test.runIf(process.platform === 'linux')('finds a real bound socket, with no drops', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    expect(kernelDrops(socket.address().port, 'IPv4', process.getuid?.())).toBe(0);
    socket.close();
  });
});

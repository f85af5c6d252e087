/**
 * Datagrams the kernel dropped for our UDP socket because its receive buffer was full: lost before
 * the receiver saw them, so no count of ours has them. Linux reports them per socket in the last
 * column of /proc/net/udp (udp6 for IPv6 sockets); elsewhere the number is unknown (undefined).
 */
import { readFileSync } from 'node:fs';

export type ReadProcFile = (path: string) => string;

export function kernelDrops(port: number, family: 'IPv4' | 'IPv6', uid: number | undefined, read: ReadProcFile = (path) => readFileSync(path, 'utf8')): number | undefined {
  let table: string;
  try {
    table = read(family === 'IPv6' ? '/proc/net/udp6' : '/proc/net/udp');
  } catch {
    return undefined;
  }
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let drops: number | undefined;
  for (const line of table.split('\n').slice(1)) {
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
    const fields = line.trim().split(/\s+/);
    if (fields.length < 13 || !fields[1]?.endsWith(portHex)) continue;
    if (uid !== undefined && fields[7] !== String(uid)) continue;
    const count = Number(fields[12]);
    if (Number.isSafeInteger(count)) drops = (drops ?? 0) + count;
  }
  return drops;
}

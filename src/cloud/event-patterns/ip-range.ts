/**
 * IPv4 and IPv6 addresses and CIDR blocks as integer ranges, for the `cidr` operator.
 */
import { isIP } from 'node:net';
import type { IpRange } from './model.ts';

/** The address as an integer and its family, or undefined when the text is not an IP address. */
export function parseIp(text: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(text);
  if (family === 4) {
    return { family, value: text.split('.').reduce((sum, part) => (sum << 8n) + BigInt(Number(part)), 0n) };
  }
  if (family === 6) return { family, value: ipv6Value(text) };
  return undefined;
}

function ipv6Value(text: string): bigint {
  let groups: string[];
  let address = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIp(tail);
    const value = v4?.value ?? 0n;
    address = `${address.slice(0, lastColon + 1)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  if (rest === undefined) {
    groups = head.split(':');
  } else {
    const left = head === '' ? [] : head.split(':');
    const right = rest === '' ? [] : rest.split(':');
    groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  }
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(parseInt(group, 16)), 0n);
}

/** The range of a CIDR block, or the reason it is not one. */
export function parseCidr(text: string): IpRange | string {
  const parts = text.split('/');
  if (parts.length !== 2) return `Malformed CIDR, one '/' required`;
  const [addressText = '', bitsText = ''] = parts;
  const address = parseIp(addressText);
  if (address === undefined) return `Invalid CIDR: ${text}`;
  const width = address.family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > width) return `Invalid CIDR: ${text}`;
  const hostBits = BigInt(width - Number(bitsText));
  const mask = (1n << hostBits) - 1n;
  return { family: address.family, low: address.value & ~mask, high: (address.value & ~mask) | mask };
}

export function inRange(range: IpRange, text: string): boolean {
  const address = parseIp(text);
  return address !== undefined && address.family === range.family && address.value >= range.low && address.value <= range.high;
}

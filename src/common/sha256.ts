/**
 * SHA-256 (or HMAC-SHA-256 with a secret) over node:crypto in the shape @smithy/signature-v4 asks
 * for: the gateway's integrations sign with it, and so do the tests and scripts that sign requests.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';

export class Sha256 implements Checksum {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(bytesOf(this.secret));
    return createHmac('sha256', key);
  }
}

function bytesOf(data: Exclude<SourceData, string>): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

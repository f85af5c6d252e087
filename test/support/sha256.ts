import { createHash, createHmac } from 'node:crypto';
import type { SourceData } from '@smithy/types';

/** The SDK's SHA-256 shape over node:crypto, for @smithy/signature-v4 in tests that sign requests. */
export class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : new Uint8Array(secret as ArrayBuffer));
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

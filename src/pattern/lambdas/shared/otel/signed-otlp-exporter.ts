import { createHash, createHmac } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

export interface SignedOtlpExporterOptions {
  /** OTLP/HTTP traces URL, e.g. `https://xray.eu-west-1.amazonaws.com/v1/traces`. */
  readonly url: string;
  readonly region: string;
  /** The function's role credentials (Lambda puts them in the environment). */
  readonly credentials: () => AwsCredentialIdentity;
  /** @default globalThis.fetch, read at each export */
  readonly fetch?: typeof globalThis.fetch;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/** SHA-256 (or its HMAC) from node:crypto, in the shape SignatureV4 asks for. */
class NodeSha256 implements Checksum {
  private hash: Hash | ReturnType<typeof createHmac>;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | ReturnType<typeof createHmac> {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret as Uint8Array);
    return createHmac('sha256', key);
  }
}

/**
 * Sends spans as OTLP/HTTP protobuf, signed with SigV4 for the `xray` service, which is what X-Ray's
 * OTLP endpoint takes (authorized as xray:PutTraceSegments; the account needs Transaction Search).
 * The local X-Ray service's receiver takes the same request and ignores the signature.
 * A refused export fails with the endpoint's answer, so that the flush in the handler can log it.
 */
export class SignedOtlpExporter implements SpanExporter {
  private readonly signer: SignatureV4;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: SignedOtlpExporterOptions) {
    this.signer = new SignatureV4({
      service: 'xray',
      region: options.region,
      credentials: () => Promise.resolve(options.credentials()),
      sha256: NodeSha256,
    });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const sending = this.send(spans).then(
      () => done({ code: ExportResultCode.SUCCESS }),
      (error: unknown) => done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.pending.add(sending);
    void sending.finally(() => this.pending.delete(sending));
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }

  private async send(spans: ReadableSpan[]): Promise<void> {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (body === undefined) throw new Error('the spans could not be serialized to OTLP protobuf');
    const url = new URL(this.options.url);
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' && { port: Number(url.port) }),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-protobuf' },
      body,
    });
    const fetch = this.options.fetch ?? globalThis.fetch;
    const response = await fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: Buffer.from(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!response.ok) {
      const text = (await response.text()).slice(0, 200);
      throw new Error(`OTLP export to ${url.href} answered HTTP ${response.status}: ${text}`);
    }
  }
}

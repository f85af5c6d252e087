import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../common/sha256.ts';

/**
 * Calls an AWS service the way API Gateway's AWS integrations do: an HTTP request to the service's
 * endpoint, signed with AWS Signature Version 4 by the integration role's credentials. The signer
 * is @smithy/signature-v4 (the AWS SDK's); the endpoint is one URL for every service, as
 * AWS_ENDPOINT_URL is for the SDKs.
 */

export interface ServiceRequest {
  /** The signing name, e.g. `sns`. */
  readonly service: string;
  readonly region: string;
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly timeoutMillis: number;
}

export interface ServiceResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface AwsServiceClient {
  /** Rejects with IntegrationTimeoutError or IntegrationNetworkError; any HTTP status resolves. */
  call(request: ServiceRequest): Promise<ServiceResponse>;
}

export class IntegrationTimeoutError extends Error {
  override readonly name = 'IntegrationTimeoutError';
}

export class IntegrationNetworkError extends Error {
  override readonly name = 'IntegrationNetworkError';
}

export interface SignedHttpClientOptions {
  /** The AWS endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpointUrl: string;
  /** Epoch milliseconds; the signature's date. @default Date.now */
  readonly clock?: () => number;
}

export class SignedHttpClient implements AwsServiceClient {
  private readonly endpoint: URL;
  private readonly clock: () => number;
  // Connections to the endpoint are kept open between calls, as API Gateway and the SDKs do; idle
  // ones are dropped after a minute, before a server's keep-alive timeout (65 s locally) closes them.
  private readonly agent: HttpAgent;

  constructor(options: SignedHttpClientOptions) {
    let endpoint: URL;
    try {
      endpoint = new URL(options.endpointUrl);
    } catch {
      throw new Error(`AWS endpoint URL "${options.endpointUrl}" is not a URL`);
    }
    if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
      throw new Error(`AWS endpoint URL "${options.endpointUrl}" must be http or https`);
    }
    this.endpoint = endpoint;
    this.clock = options.clock ?? Date.now;
    this.agent = endpoint.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, timeout: 60_000 }) : new HttpAgent({ keepAlive: true, timeout: 60_000 });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  async call(request: ServiceRequest): Promise<ServiceResponse> {
    const signer = new SignatureV4({
      service: request.service,
      region: request.region,
      credentials: request.credentials,
      sha256: Sha256,
      applyChecksum: false,
    });
    const port = this.endpoint.port === '' ? undefined : Number(this.endpoint.port);
    const basePath = this.endpoint.pathname.replace(/\/$/, '');
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: this.endpoint.protocol,
        hostname: this.endpoint.hostname,
        ...(port !== undefined ? { port } : {}),
        path: `${basePath}${request.path}`,
        query: { ...request.query },
        headers: { ...request.headers, host: this.endpoint.host, 'content-length': String(Buffer.byteLength(request.body)) },
        body: request.body,
      },
      { signingDate: new Date(this.clock()) },
    );
    const query = new URLSearchParams(request.query).toString();
    return this.send(
      {
        method: signed.method,
        hostname: this.endpoint.hostname,
        port,
        path: `${basePath}${request.path}${query === '' ? '' : `?${query}`}`,
        headers: signed.headers,
      },
      request.body,
      request.timeoutMillis,
    );
  }

  private send(
    options: { method: string; hostname: string; port: number | undefined; path: string; headers: Record<string, string>; agent?: HttpAgent },
    body: string,
    timeoutMillis: number,
  ): Promise<ServiceResponse> {
    const requestFn = this.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
    const target = `${this.endpoint.origin}${options.path}`;
    return new Promise<ServiceResponse>((resolve, reject) => {
      const outgoing = requestFn({ ...options, agent: this.agent }, (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        incoming.on('error', (error) => {
          clearTimeout(timer);
          reject(new IntegrationNetworkError(`reading the answer of ${target} failed: ${error.message}`));
        });
      });
      const timer = setTimeout(() => {
        outgoing.destroy();
        reject(new IntegrationTimeoutError(`${target} did not answer within ${timeoutMillis} ms`));
      }, timeoutMillis);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(new IntegrationNetworkError(`calling ${target} failed: ${error.message}`));
      });
      outgoing.end(body);
    });
  }
}

/**
 * The AWS SDK's XRayClient as the commands use it: pointed at one endpoint, one attempt, and
 * optionally scoped to a group. A group scope travels as the API's GroupName extension (the SDK's
 * model has no such member on every operation, so a middleware adds it to the serialized request),
 * which leaves a filter's text as the user wrote it and the column of a parse error right.
 */
import { XRayClient } from '@aws-sdk/client-xray';

export interface ClientOptions {
  readonly endpoint: string;
  /** Added as GroupName to every request's body. */
  readonly group?: string | undefined;
}

export function xrayClient(options: ClientOptions): XRayClient {
  const client = new XRayClient({
    endpoint: options.endpoint,
    region: process.env.AWS_REGION ?? 'us-east-1',
    // The local service does not check signatures; these only let the SDK sign.
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
  });
  const group = options.group;
  if (group !== undefined) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown; headers?: Record<string, string> };
        // The SDK serializes the body to a string or to bytes, depending on its version.
        const text = typeof request.body === 'string' ? request.body
          : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : undefined;
        if (text !== undefined) {
          const body = JSON.stringify({ ...(JSON.parse(text) as object), GroupName: group });
          request.body = body;
          if (request.headers?.['content-length'] !== undefined) request.headers['content-length'] = String(Buffer.byteLength(body));
        }
        return next(args);
      },
      { step: 'build', priority: 'high', name: 'xrayTracerGroupScope' },
    );
  }
  return client;
}

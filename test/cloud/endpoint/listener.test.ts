import { afterEach, describe, expect, it } from 'vitest';
import { AwsEndpoint, AwsError } from '../../../src/cloud/endpoint/index.ts';
import type { AwsProtocolService } from '../../../src/cloud/endpoint/index.ts';
import { BoundListener } from '../../../src/cloud/endpoint/listener.ts';

/** Any outside key's signature passes authentication (IAM is off here). */
const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/eu-west-1/echo/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';

/** A service named `name` that accepts X-Amz-Target `target` and answers its name. */
function namedService(name: string, target: string): AwsProtocolService {
  return {
    name,
    accepts: (request) => request.headers['x-amz-target'] === target,
    parse: () => ({ operation: 'Call', permissions: [], run: async () => ({ status: 200, headers: {}, body: name }) }),
    renderError: (error) => ({ status: error.status, headers: {}, body: error.code }),
    accessDenied: (message) => new AwsError('Denied', message, { status: 403 }),
  };
}

describe('a listener bound before the endpoint is wired', () => {
  const opened: Array<{ stop(): Promise<void> } | BoundListener> = [];
  afterEach(async () => {
    for (const item of opened.splice(0).reverse()) await ('close' in item ? item.close() : item.stop());
  });

  it('has its URL at once, holds the port, and answers a request sent before the endpoint started', async () => {
    const listener = await BoundListener.bind('127.0.0.1', 0);
    opened.push(listener);
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}`);
    // The port is held: a second bind on it fails instead of racing for it.
    await expect(BoundListener.bind('127.0.0.1', listener.port)).rejects.toThrow(/EADDRINUSE/);

    const endpoint = new AwsEndpoint({ services: [namedService('Echo', 'Echo.Call')], listener });
    opened.push(endpoint);
    expect(endpoint.url).toBe(listener.url);
    const early = fetch(listener.url, { method: 'POST', headers: { 'x-amz-target': 'Echo.Call', authorization: SIGNED }, body: '{}' });
    // The request reaches the listener and waits: give it time to arrive before the endpoint opens.
    await new Promise<void>((resolve) => listener.server.once('request', () => resolve()));
    await endpoint.start();
    const response = await early;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('Echo');
  });

  it('closing refuses what still waits', async () => {
    const listener = await BoundListener.bind('127.0.0.1', 0);
    const early = fetch(listener.url, { method: 'POST', body: '{}' });
    await new Promise<void>((resolve) => listener.server.once('request', () => resolve()));
    await listener.close();
    await expect(early).rejects.toThrow();
    expect(listener.server.listening).toBe(false);
    await listener.close();
  });
});

describe('the endpoint registry', () => {
  let endpoint: AwsEndpoint | undefined;
  afterEach(async () => {
    await endpoint?.stop();
  });

  it('serves a service registered after construction, offering requests in registration order', async () => {
    endpoint = new AwsEndpoint({ port: 0 });
    endpoint.register(namedService('First', 'Shared.Call'));
    endpoint.register(namedService('Second', 'Shared.Call'));
    endpoint.register(namedService('Other', 'Other.Call'));
    await endpoint.start();
    const answer = async (target: string): Promise<string> => (await fetch(endpoint?.url ?? '', { method: 'POST', headers: { 'x-amz-target': target, authorization: SIGNED }, body: '{}' })).text();
    expect(await answer('Shared.Call')).toBe('First');
    expect(await answer('Other.Call')).toBe('Other');
  });

  it('refuses a second service of the same name', () => {
    endpoint = new AwsEndpoint({ services: [namedService('Echo', 'Echo.Call')], port: 0 });
    expect(() => endpoint?.register(namedService('Echo', 'Echo.Other'))).toThrow(/already serves Echo/);
  });
});

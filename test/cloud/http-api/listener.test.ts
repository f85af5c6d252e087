// The listeners of HTTP APIs and function URLs keep the local guard: a rebinding Host and other
// sites' pages are refused before anything runs, unless the API's own CORS configuration allows
// that origin (the user's API answering its own CORS); only the Host check then applies.
import type { OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoundListener } from '../../../src/cloud/endpoint/listener.ts';
import { corsConfig } from '../../../src/cloud/http-api/model.ts';
import { jsonReply, ServedListener } from '../../../src/cloud/http-api/listener.ts';
import { sendPlain } from '../../support/plain-request.ts';

const handled: string[] = [];
const warnings: string[] = [];
const served: ServedListener[] = [];

async function start(cors: unknown): Promise<ServedListener> {
  const listener = new ServedListener({
    name: 'test api',
    listener: await BoundListener.bind('127.0.0.1', 0),
    cors: corsConfig(cors),
    maxBodyBytes: 16,
    logger: { info: () => undefined, warn: (line) => warnings.push(line), error: (line) => warnings.push(line) },
    nowMs: () => 0,
    handle: async ({ request, body }) => {
      handled.push(`${request.method} ${request.url} ${body.toString()}`);
      return jsonReply(200, { ok: true });
    },
  });
  listener.start();
  served.push(listener);
  return listener;
}

let plain: ServedListener;
let withCors: ServedListener;
beforeAll(async () => {
  plain = await start(undefined);
  withCors = await start({ AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET'] });
});
afterAll(async () => {
  await Promise.all(served.map((listener) => listener.stop()));
});

const port = (listener: ServedListener): string => new URL(listener.url).port;

describe('ServedListener', () => {
  it('refuses a rebinding Host, other origins and cross-site fetches without running the handler', async () => {
    for (const listener of [plain, withCors]) {
      const cases: OutgoingHttpHeaders[] = [
        { host: `evil.test:${port(listener)}` },
        { host: `127.0.0.1:${port(listener)}`, origin: 'https://evil.test' },
        { host: `127.0.0.1:${port(listener)}`, 'sec-fetch-site': 'cross-site' },
        { host: `127.0.0.1:${port(listener)}`, origin: 'https://evil.test', 'access-control-request-method': 'GET' },
      ];
      for (const headers of cases) {
        const answer = await sendPlain(`${listener.url}/x`, headers['access-control-request-method'] !== undefined ? 'OPTIONS' : 'GET', headers);
        expect(answer.status, JSON.stringify(headers)).toBe(403);
      }
    }
    expect(handled).toEqual([]);
  });

  it('lets an origin the declared CORS configuration allows through, but not with a rebinding Host', async () => {
    const allowed = await sendPlain(`${withCors.url}/y`, 'GET', { host: `127.0.0.1:${port(withCors)}`, origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' });
    expect(allowed.status).toBe(200);
    expect(handled).toEqual(['GET /y ']);
    const rebinding = await sendPlain(`${withCors.url}/y`, 'GET', { host: 'evil.test', origin: 'https://app.example.com' });
    expect(rebinding.status).toBe(403);
    // Without a configuration the same origin is another site's page.
    expect((await sendPlain(`${plain.url}/y`, 'GET', { host: `127.0.0.1:${port(plain)}`, origin: 'https://app.example.com' })).status).toBe(403);
  });

  it('answers 413 to a body over the limit without running the handler', async () => {
    const answer = await sendPlain(`${plain.url}/big`, 'POST', { host: `127.0.0.1:${port(plain)}` }, 'x'.repeat(17));
    expect(answer.status).toBe(413);
    expect(handled.some((line) => line.startsWith('POST /big'))).toBe(false);
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsTarget, TODOS } from '../../../src/cloud/https-target/index.ts';

const run = promisify(execFile);

// What the HTTP flow's handler does: fetch the URL and print the JSON, or the TLS error's code.
const CLIENT = `
fetch(process.argv[1]).then((r) => r.json()).then(
  (body) => console.log(JSON.stringify({ body })),
  (error) => console.log(JSON.stringify({ error: error.cause?.code ?? error.message })),
);`;

async function fetchInChild(url: string, env: Record<string, string>): Promise<{ body?: unknown; error?: string }> {
  const { stdout } = await run(process.execPath, ['-e', CLIENT, url], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 });
  return JSON.parse(stdout) as { body?: unknown; error?: string };
}

function getWithCa(url: string, ca: string): Promise<{ status: number; body: string; issuer: string; subject: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (response) => {
      const peer = (response.socket as TLSSocket).getPeerCertificate();
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, issuer: peer.issuer.CN ?? '', subject: peer.subject.CN ?? '' }));
    }).on('error', reject);
  });
}

describe('HttpsTarget', () => {
  let dir: string;
  let target: HttpsTarget;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'https-target-'));
    target = new HttpsTarget({ caFile: join(dir, 'nested', 'ca.pem') });
    await target.start();
  });

  afterAll(async () => {
    await target.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the CA certificate it made to the CA file', async () => {
    expect(target.caFile).toBe(join(dir, 'nested', 'ca.pem'));
    const pem = await readFile(target.caFile, 'utf8');
    expect(pem).toBe(target.caCert);
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
  });

  it('is trusted by fetch in a process given NODE_EXTRA_CA_CERTS, and by no other', async () => {
    expect(target.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/todos\/1$/);
    const trusted = await fetchInChild(target.url, { NODE_EXTRA_CA_CERTS: target.caFile });
    expect(trusted).toEqual({ body: { userId: 1, id: 1, title: 'delectus aut autem', completed: false } });

    const untrusted = await fetchInChild(target.url, {});
    expect(untrusted.body).toBeUndefined();
    expect(untrusted.error).toMatch(/CERT|SIGNATURE|ISSUER/);
  });

  it('presents a localhost certificate signed by its CA, valid for 127.0.0.1 and localhost', async () => {
    const byIp = await getWithCa(target.url, target.caCert);
    expect(byIp).toMatchObject({ status: 200, subject: 'localhost', issuer: 'xray-tracer local CA' });
    const byName = await getWithCa(target.url.replace('127.0.0.1', 'localhost'), target.caCert);
    expect(byName.status).toBe(200);
  });

  it('answers the todo list, and 404 {} for an unknown todo or path', async () => {
    const all = await getWithCa(`${target.origin}/todos`, target.caCert);
    expect(JSON.parse(all.body)).toEqual(TODOS);
    for (const path of ['/todos/999', '/users/1', '/']) {
      const missing = await getWithCa(`${target.origin}${path}`, target.caCert);
      expect([missing.status, missing.body], path).toEqual([404, '{}']);
    }
  });

  it('answers a request target that is not a URL with a 400, and keeps serving (it threw in the request listener)', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(new URL(target.origin).port), ca: target.caCert, servername: 'localhost' }, () => {
        socket.end('GET https://[bad/todos HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('{"message":"\\"https://[bad/todos\\" is not a valid request target"}');
    expect((await getWithCa(target.url, target.caCert)).status).toBe(200);
  });
});

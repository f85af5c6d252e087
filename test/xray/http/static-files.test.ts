import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../../../src/xray/http/router.ts';
import { startHttpServer } from '../../../src/xray/http/server.ts';
import type { RunningHttpServer } from '../../../src/xray/http/server.ts';
import { addStaticSite } from '../../../src/xray/http/static-files.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';

let server: RunningHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(directory: string): Promise<string> {
  const router = new Router().postJson('/TraceSummaries', () => ({ TraceSummaries: [] }));
  addStaticSite(router, { directory, missingHint: 'Run `npm run build:console`.' });
  server = await startHttpServer({ router, host: '127.0.0.1', port: 0, maxBodyBytes: 1024, logger: silentLogger });
  return `http://127.0.0.1:${server.address.port}`;
}

function site(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'console-'));
  mkdirSync(path.join(directory, 'assets'));
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><script type="module" src="./assets/app-1.js"></script>');
  writeFileSync(path.join(directory, 'assets', 'app-1.js'), 'console.log(1)');
  writeFileSync(path.join(directory, 'assets', 'app-1.css'), 'body{}');
  return directory;
}

describe('static site', () => {
  it('serves index.html at / and the assets with their types, cache rules and a strict content security policy', async () => {
    const url = await serve(site());
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('app-1.js');
    const script = await fetch(`${url}/assets/app-1.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/assets/app-1.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // The API beside it is untouched.
    expect((await fetch(`${url}/TraceSummaries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
  });

  it('serves only the files it listed: other paths are the API\'s JSON 404, whatever they try', async () => {
    const url = await serve(site());
    for (const probe of ['/assets/missing.js', '/%2e%2e/package.json', '/assets/', '/etc/passwd']) {
      const response = await fetch(`${url}${probe}`);
      expect(response.status, probe).not.toBe(200);
      if (response.status === 404) expect(response.headers.get('content-type'), probe).toBe('application/json');
    }
    expect((await fetch(`${url}/`, { method: 'DELETE' })).status).toBe(405);
  });

  it('says how to build the console when it is not built', async () => {
    const url = await serve(path.join(tmpdir(), 'no-such-console-dir'));
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:console');
  });
});

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HttpResponse, Router } from './router.ts';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * What every console response carries: scripts and styles from this origin only, API calls to it
 * only, no framing. A value from a trace that slipped past the UI's escaping still could not run.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export interface StaticSiteOptions {
  /** The built console (index.html and its assets). */
  readonly directory: string;
  /** Shown at `/` when the directory holds no index.html. */
  readonly missingHint: string;
}

/**
 * Registers a GET route for each file of a built site, `/` for its index.html. The files are listed
 * once at start, so only those exact paths are served: no path from a request reaches the disk.
 * Returns false when the directory holds no site (then `/` explains how to build it).
 */
export function addStaticSite(router: Router, options: StaticSiteOptions): boolean {
  const files = listFiles(options.directory);
  if (!files.includes('index.html')) {
    router.add('GET', '/', () => ({ status: 503, headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS }, body: missingPage(options.missingHint) }));
    return false;
  }
  for (const file of files) {
    const route = file === 'index.html' ? '/' : `/${file.split(path.sep).join('/')}`;
    const response = fileResponse(path.join(options.directory, file), file);
    router.add('GET', route, () => response);
    if (file === 'index.html') router.add('GET', '/index.html', () => response);
  }
  return true;
}

function fileResponse(absolute: string, relative: string): HttpResponse {
  const body = readFileSync(absolute);
  const extension = path.extname(relative).toLowerCase();
  // Asset names carry a content hash: they can be cached for good; index.html must be checked.
  const cache = relative === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream', 'cache-control': cache, ...SECURITY_HEADERS },
    body,
  };
}

function listFiles(directory: string, prefix = ''): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(directory, prefix));
  } catch {
    return [];
  }
  return names.sort().flatMap((name) => {
    const relative = path.join(prefix, name);
    return statSync(path.join(directory, relative)).isDirectory() ? listFiles(directory, relative) : [relative];
  });
}

function missingPage(hint: string): string {
  const text = hint.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><meta charset="utf-8"><title>xray-tracer console</title><p>The console is not built yet. ${text}</p>\n`;
}

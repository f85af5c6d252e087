// The AWS SDK for JavaScript v3 as the nodejs18+ managed runtimes provide it (in
// /var/runtime/node_modules, on NODE_PATH): here the local cloud's own SDK, exposed to the handlers
// through a folder holding only `@aws-sdk` and `@smithy`, so a handler finds the SDK wherever its
// assembly lies, and nothing else of this project's dependencies (which Lambda does not provide).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

const SCOPES = ['@aws-sdk', '@smithy'] as const;

/** The node_modules folder this install's AWS SDK is in, or undefined. */
export function sdkNodeModules(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve('@aws-sdk/client-dynamodb');
    const marker = `${sep}node_modules${sep}@aws-sdk${sep}`;
    const at = entry.lastIndexOf(marker);
    return at < 0 ? undefined : entry.slice(0, at + `${sep}node_modules`.length);
  } catch {
    return undefined;
  }
}

/**
 * A node_modules folder (under `parent`) whose `@aws-sdk` and `@smithy` are links to the SDK's, made
 * once per install and kept; undefined when this install has no SDK. Safe to race with another
 * process making the same folder (each link is made aside and renamed into place).
 */
export function runtimeModulesDirectory(parent = join(tmpdir(), 'xray-tracer-lambda-runtime')): string | undefined {
  const source = sdkNodeModules();
  if (source === undefined) return undefined;
  const folder = join(parent, createHash('sha256').update(source).digest('hex').slice(0, 16), 'node_modules');
  mkdirSync(folder, { recursive: true });
  for (const scope of SCOPES) {
    const target = join(source, scope);
    const link = join(folder, scope);
    if (!existsSync(target)) continue;
    if (linkTarget(link) === target) continue;
    const aside = `${link}.${process.pid}.${Date.now()}`;
    symlinkSync(target, aside, 'dir');
    try {
      renameSync(aside, link);
    } catch {
      // A folder (not a link) in the way: replace it.
      rmSync(link, { recursive: true, force: true });
      renameSync(aside, link);
    }
  }
  return folder;
}

function linkTarget(path: string): string | undefined {
  try {
    const target = readlinkSync(path);
    return target.startsWith(sep) ? target : join(dirname(path), target);
  } catch {
    return undefined;
  }
}

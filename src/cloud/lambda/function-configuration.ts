// A function's FunctionConfiguration as GetFunction, GetFunctionConfiguration and ListFunctions
// answer it (Lambda API reference, "FunctionConfiguration"), from the template and the code folder.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LATEST } from './function-catalog.ts';
import type { CatalogEntry } from './function-catalog.ts';

export interface CodeSummary {
  readonly sizeBytes: number;
  /** Base64 SHA-256, as CodeSha256 is given. Of the folder's files here (AWS hashes the zip). */
  readonly sha256: string;
  /** Epoch milliseconds of the newest file. */
  readonly modifiedMs: number;
}

/** Sizes and a hash of every file under the code folder (bounded: a bundle folder, not a disk). */
export function summarizeCode(directory: string, maxFiles = 10_000): CodeSummary {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let modifiedMs = 0;
  let files = 0;
  const walk = (folder: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (files >= maxFiles) return;
      const path = join(folder, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) {
        walk(path);
      } else if (stat.isFile()) {
        files += 1;
        sizeBytes += stat.size;
        modifiedMs = Math.max(modifiedMs, stat.mtimeMs);
        hash.update(relative(directory, path)).update('\0').update(readFileSync(path));
      }
    }
  };
  walk(directory);
  return { sizeBytes, sha256: hash.digest('base64'), modifiedMs };
}

/** Lambda's LastModified: `2026-12-04T21:55:56.000+0000`. */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The FunctionConfiguration of `version` ('$LATEST' or a published number). `functionArn` is the
 * ARN as asked (qualified by a version or an alias, or not).
 */
export function functionConfiguration(entry: CatalogEntry, version: string, functionArn: string, code: CodeSummary): Record<string, unknown> {
  const { config } = entry;
  const properties = config.resource.properties;
  const published = entry.versions.find((candidate) => candidate.version === version);
  const description = version === LATEST ? properties['Description'] : (published?.description ?? properties['Description']);
  const architectures = Array.isArray(properties['Architectures']) ? properties['Architectures'] : ['x86_64'];
  const ephemeral = record(properties['EphemeralStorage'])['Size'];
  const logging = record(properties['LoggingConfig']);
  const revision = createHash('sha256').update(`${config.arn}:${version}:${code.sha256}`).digest('hex');
  return {
    FunctionName: config.name,
    FunctionArn: functionArn,
    Runtime: config.runtime,
    ...(config.roleArn !== undefined ? { Role: config.roleArn } : {}),
    Handler: config.handler,
    CodeSize: code.sizeBytes,
    Description: typeof description === 'string' ? description : '',
    Timeout: config.timeoutSeconds,
    MemorySize: config.memoryMb,
    LastModified: lambdaTimestamp(code.modifiedMs),
    CodeSha256: code.sha256,
    Version: version,
    ...(Object.keys(config.environment).length > 0 ? { Environment: { Variables: { ...config.environment } } } : {}),
    TracingConfig: { Mode: config.tracingActive ? 'Active' : 'PassThrough' },
    ...(config.deadLetterTargetArn !== undefined ? { DeadLetterConfig: { TargetArn: config.deadLetterTargetArn } } : {}),
    RevisionId: `${revision.slice(0, 8)}-${revision.slice(8, 12)}-4${revision.slice(13, 16)}-a${revision.slice(17, 20)}-${revision.slice(20, 32)}`,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: architectures,
    EphemeralStorage: { Size: typeof ephemeral === 'number' ? ephemeral : 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: {
      LogFormat: typeof logging['LogFormat'] === 'string' ? logging['LogFormat'] : 'Text',
      LogGroup: config.logGroupName,
      ...(typeof logging['ApplicationLogLevel'] === 'string' ? { ApplicationLogLevel: logging['ApplicationLogLevel'] } : {}),
      ...(typeof logging['SystemLogLevel'] === 'string' ? { SystemLogLevel: logging['SystemLogLevel'] } : {}),
    },
  };
}

/** The template's Tags list as GetFunction's Tags map. */
export function functionTags(entry: CatalogEntry): Record<string, string> {
  const tags = entry.config.resource.properties['Tags'];
  const out: Record<string, string> = {};
  if (!Array.isArray(tags)) return out;
  for (const tag of tags) {
    const { Key: key, Value: value } = record(tag);
    if (typeof key === 'string' && typeof value === 'string') out[key] = value;
  }
  return out;
}

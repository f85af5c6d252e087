import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LambdaFunctionConfig } from '../../../src/cloud/lambda/functions.ts';
import type { CloudResource } from '../../../src/cloud/core/types.ts';
import { eventually } from '../../support/eventually.ts';

/** Writes a one-file handler bundle into `root/<name>/` and returns the folder. */
export function writeBundle(root: string, name: string, source: string, file = 'index.mjs'): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), source);
  return dir;
}

export function functionConfig(name: string, codeDirectory: string, overrides: Partial<LambdaFunctionConfig> = {}): LambdaFunctionConfig {
  const arn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
  const resource: CloudResource = { stack: 'TestStack', logicalId: name, type: 'AWS::Lambda::Function', properties: {}, physicalId: name, arn };
  return {
    name,
    arn,
    resource,
    codeDirectory,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    memoryMb: 128,
    timeoutSeconds: 5,
    environment: {},
    roleArn: `arn:aws:iam::000000000000:role/${name}-role`,
    tracingActive: true,
    logGroupName: `/aws/lambda/${name}`,
    deadLetterTargetArn: undefined,
    onFailureDestination: undefined,
    maximumRetryAttempts: 2,
    maximumEventAgeSeconds: 21_600,
    reservedConcurrency: undefined,
    ...overrides,
  };
}

/** A UDP socket standing in for the X-Ray daemon: parses and keeps every document it receives. */
export class FakeDaemon {
  readonly documents: Array<Record<string, unknown>> = [];
  private socket: Socket | undefined;

  async start(): Promise<string> {
    const socket = createSocket('udp4');
    socket.on('message', (message) => {
      const text = message.toString('utf8');
      const newline = text.indexOf('\n');
      this.documents.push(JSON.parse(text.slice(newline + 1)) as Record<string, unknown>);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    this.socket = socket;
    return `127.0.0.1:${socket.address().port}`;
  }

  /** Waits (bounded) until the documents satisfy `done`. */
  waitFor(done: (documents: ReadonlyArray<Record<string, unknown>>) => boolean, timeoutMs = 5000): Promise<void> {
    return eventually(() => done(this.documents), {
      what: () => `the expected documents at the daemon; got ${JSON.stringify(this.documents.map((d) => [d['name'], d['origin'] ?? d['type']]))}`,
      timeoutMs,
    });
  }

  byTrace(traceId: string): Array<Record<string, unknown>> {
    return this.documents.filter((document) => document['trace_id'] === traceId);
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

export function capturingLogger(): { lines: string[]; logger: { info(m: string): void; warn(m: string): void; error(m: string): void } } {
  const lines: string[] = [];
  return { lines, logger: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } };
}

/**
 * The DynamoDB engine behind the endpoint: dynalite (DynamoDB's JSON API on LevelDB) run on a
 * socket of its own. The endpoint checks IAM and then forwards the request unchanged, so
 * DynamoDB's behaviour and error shapes are dynalite's. Tables persist in `directory`.
 *
 * The socket is a Unix socket in a private (0700) temporary folder, a named pipe on Windows, not a
 * TCP port: dynalite checks no signature and answers `Access-Control-Allow-Origin: *`, so on a
 * port any web page (and any local user) could read and write the tables around IAM.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { EndpointReply } from '../protocol/service.ts';

export interface DynamoDbEngine {
  start(): Promise<void>;
  /** Lets in-flight requests finish and closes the store. */
  stop(): Promise<void>;
  /** Runs one JSON 1.0 request (`X-Amz-Target: DynamoDB_20120810.<Op>`) and returns DynamoDB's reply. */
  forward(target: string, body: Buffer | string, headers?: Readonly<Record<string, string>>): Promise<EndpointReply>;
}

export interface DynaliteEngineOptions {
  /** Where tables are kept; in memory when absent (tests). */
  readonly directory?: string;
}

/** Headers dynalite insists on (it checks presence, not the signature). */
const UNSIGNED = {
  authorization: 'AWS4-HMAC-SHA256 Credential=LOCAL/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
  'x-amz-date': '20260101T000000Z',
};

export class DynaliteEngine implements DynamoDbEngine {
  private server: Server | undefined;
  private socketPath: string | undefined;
  /** The private folder holding the socket; removed on stop. */
  private socketDir: string | undefined;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });

  constructor(private readonly options: DynaliteEngineOptions = {}) {}

  async start(): Promise<void> {
    if (this.server) throw new Error('the DynamoDB engine is already started');
    // Tables are ACTIVE at once: there is no provisioning to wait for locally.
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(this.options.directory !== undefined ? { path: this.options.directory } : {}) });
    const socketDir = process.platform === 'win32' ? undefined : await mkdtemp(join(tmpdir(), 'xray-tracer-dynalite-'));
    const socketPath = socketDir === undefined ? `\\\\.\\pipe\\xray-tracer-dynalite-${randomBytes(8).toString('hex')}` : join(socketDir, 'dynalite.sock');
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      if (socketDir !== undefined) await rm(socketDir, { recursive: true, force: true });
      throw error;
    }
    this.server = server;
    this.socketPath = socketPath;
    this.socketDir = socketDir;
  }

  /** Where dynalite listens: a Unix socket path or a named pipe, never a TCP port. */
  get address(): string | undefined {
    return this.socketPath;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.socketPath = undefined;
    this.agent.destroy();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    const socketDir = this.socketDir;
    this.socketDir = undefined;
    if (socketDir !== undefined) await rm(socketDir, { recursive: true, force: true });
  }

  forward(target: string, body: Buffer | string, headers: Readonly<Record<string, string>> = {}): Promise<EndpointReply> {
    const socketPath = this.socketPath;
    if (socketPath === undefined) return Promise.reject(new Error('the DynamoDB engine is not started'));
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          socketPath,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: {
            ...UNSIGNED,
            ...headers,
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': target,
            'content-length': payload.length,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const replyHeaders: Record<string, string> = {};
            for (const name of ['content-type', 'x-amz-crc32']) {
              const value = response.headers[name];
              if (typeof value === 'string') replyHeaders[name] = value;
            }
            resolve({ status: response.statusCode ?? 500, headers: replyHeaders, body: Buffer.concat(chunks) });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  }
}

/** What the harness needs of each listener: where it is, its case `i`, and a check that it still works. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Fuzz } from '../../test/support/fuzz.ts';
import type { HostileCase } from './cases.ts';
import type { Draft } from './draft.ts';
import { httpRequestBytes } from './http-bytes.ts';
import type { Address } from './send.ts';

export type ListenerName = 'gateway' | 'endpoint' | 'xray-api' | 'daemon-tcp' | 'daemon-udp' | 'otlp' | 'https-target';

/**
 * The order of a run: the gateway's requests set off Lambda work that goes on after its run, so it
 * comes late; UDP comes last, as a datagram that ends the process ends the run too.
 */
export const LISTENER_NAMES: readonly ListenerName[] = ['endpoint', 'xray-api', 'daemon-tcp', 'otlp', 'https-target', 'gateway', 'daemon-udp'];

export interface Liveness {
  readonly ok: boolean;
  /** What was asked and what came back, e.g. `GET /prod/hello: 200 {"message":...}`. */
  readonly detail: string;
}

export interface Listener {
  readonly name: ListenerName;
  /** Shown in the report, e.g. `http://127.0.0.1:3000/prod`. */
  readonly where: string;
  readonly address: Address;
  /** Learns what cases need from the running system (resource names); may note what it could not. */
  prepare?(): Promise<string | undefined>;
  /** Case `index` of the run: the same seed and index always give the same input. */
  caseAt(fuzz: Fuzz, index: number): Promise<HostileCase> | HostileCase;
  liveness(): Promise<Liveness>;
}

/** The case's own random source, so that a case is replayed alone from its index. */
export function caseFuzz(seed: number, listener: ListenerName, index: number): Fuzz {
  let hash = 2166136261;
  for (const char of `${listener}:${seed}:${index}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return new Fuzz(hash >>> 0);
}

export function streamCase(draft: Draft, transport: 'tcp' | 'tls'): HostileCase {
  const bytes = draft.raw ?? (draft.spec === undefined ? Buffer.alloc(0) : httpRequestBytes(draft.spec));
  return { transport, inputClass: draft.inputClass, label: draft.label, bytes, delivery: draft.delivery };
}

export interface Exchange {
  readonly status: number;
  readonly body: string;
}

/** A well-formed request, for the liveness checks; rejects on no answer within `timeoutMs`. */
export function exchange(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs: number }): Promise<Exchange> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { method: init.method ?? 'GET', headers: init.headers, agent: false, rejectUnauthorized: false, timeout: init.timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${init.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}

export function shown(exchanged: Exchange): string {
  const body = exchanged.body.replace(/\s+/g, ' ');
  return `${exchanged.status} ${body.length > 120 ? `${body.slice(0, 120)}...` : body}`;
}

/** A liveness check that failed to get any answer says why. */
export async function check(what: string, run: () => Promise<Liveness>): Promise<Liveness> {
  try {
    return await run();
  } catch (error) {
    return { ok: false, detail: `${what}: ${(error as Error).message}` };
  }
}

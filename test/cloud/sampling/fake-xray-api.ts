import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

/** A SamplingRuleRecord as GetSamplingRules gives it: every field AWS requires, `*` unless given. */
export function ruleRecord(fields: Json = {}, modifiedAt = 1_700_000_000): { SamplingRule: Json; CreatedAt: number; ModifiedAt: number } {
  const name = typeof fields['RuleName'] === 'string' ? fields['RuleName'] : 'rule';
  return {
    SamplingRule: {
      RuleName: name,
      RuleARN: `arn:aws:xray:us-east-1:000000000000:sampling-rule/${name}`,
      ResourceARN: '*',
      Priority: 1000,
      FixedRate: 1,
      ReservoirSize: 1,
      ServiceName: '*',
      ServiceType: '*',
      Host: '*',
      HTTPMethod: '*',
      URLPath: '*',
      Version: 1,
      Attributes: {},
      ...fields,
    },
    CreatedAt: modifiedAt,
    ModifiedAt: modifiedAt,
  };
}

/** AWS's own Default rule: one request a second, then the fixed rate. */
export function defaultRule(fixedRate = 1, reservoirSize = 1): Json {
  return { RuleName: 'Default', Priority: 10000, FixedRate: fixedRate, ReservoirSize: reservoirSize };
}

export interface RecordedCall {
  readonly path: string;
  readonly body: Json;
  /** Tells the AWS SDK's calls (`aws-sdk-js/...`) from the sampler's (`node`, fetch's). */
  readonly userAgent: string;
}

interface ApiFailure {
  readonly status: number;
  readonly type: string;
  readonly message: string;
  /** Only this operation's path fails; every one when absent. */
  readonly path?: string;
}

/**
 * A stand-in for the X-Ray API's sampling operations, in AWS's wire shapes (rest-json, every
 * operation a POST): GetSamplingRules (paged by NextToken), GetSamplingTargets at /SamplingTargets,
 * CreateSamplingRule, UpdateSamplingRule, DeleteSamplingRule. Errors carry `x-amzn-ErrorType`.
 */
export class FakeXrayApi {
  readonly calls: RecordedCall[] = [];
  /** Rules by name, each with the time it was last changed (epoch seconds). */
  readonly rules = new Map<string, { rule: Json; modifiedAt: number }>();
  /** Records per GetSamplingRules page. */
  pageSize = 100;
  /** When set, the operations it names answer this error. */
  failure: ApiFailure | undefined;
  /** The quota a target hands out per rule; by default the rule's ReservoirSize. */
  quota: (ruleName: string) => number | undefined = () => undefined;
  /** Epoch seconds. */
  nowSeconds: () => number = () => Date.now() / 1000;
  private server: Server | undefined;
  private port: number | undefined;

  constructor(rules: readonly Json[] = [defaultRule()]) {
    for (const rule of rules) this.put(rule);
  }

  get url(): string {
    if (this.port === undefined) throw new Error('FakeXrayApi not started');
    return `http://127.0.0.1:${this.port}`;
  }

  /** Creates or replaces a rule as UpdateSamplingRule would, changed now unless told when. */
  put(fields: Json, modifiedAt = Math.floor(this.nowSeconds())): void {
    const record = ruleRecord(fields);
    this.rules.set(record.SamplingRule['RuleName'] as string, { rule: record.SamplingRule, modifiedAt });
  }

  callsTo(path: string): RecordedCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  /** Listens, on the same port as before when restarted. */
  async start(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        let body: Json;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
        } catch {
          body = {};
        }
        this.calls.push({ path, body, userAgent: request.headers['user-agent'] ?? '' });
        const answer = this.answer(request.method ?? '', path, body);
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.status >= 400 ? { 'x-amzn-errortype': String(answer.body['__type']) } : {}),
        });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port ?? 0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private answer(method: string, path: string, body: Json): { status: number; body: Json } {
    const error = (status: number, type: string, message: string): { status: number; body: Json } =>
      ({ status, body: { __type: type, message } });
    const failure = this.failure;
    if (failure && (failure.path === undefined || failure.path === path)) return error(failure.status, failure.type, failure.message);
    if (method !== 'POST') return error(405, 'MethodNotAllowedException', `${method} is not allowed`);
    switch (path) {
      case '/GetSamplingRules': {
        const all = [...this.rules.values()];
        const start = typeof body['NextToken'] === 'string' ? Number(body['NextToken']) : 0;
        const page = all.slice(start, start + this.pageSize);
        const next = start + this.pageSize < all.length ? { NextToken: String(start + this.pageSize) } : {};
        return { status: 200, body: { SamplingRuleRecords: page.map(({ rule, modifiedAt }) => ({ SamplingRule: rule, CreatedAt: modifiedAt, ModifiedAt: modifiedAt })), ...next } };
      }
      case '/SamplingTargets': {
        const documents = body['SamplingStatisticsDocuments'];
        if (!Array.isArray(documents)) return error(400, 'InvalidRequestException', 'SamplingStatisticsDocuments is required');
        const targets: Json[] = [];
        const unprocessed: Json[] = [];
        for (const document of documents as Json[]) {
          const name = String(document['RuleName']);
          const held = this.rules.get(name);
          if (!held) {
            unprocessed.push({ RuleName: name, ErrorCode: '404', Message: `no sampling rule named ${name}` });
            continue;
          }
          targets.push({
            RuleName: name,
            FixedRate: held.rule['FixedRate'],
            ReservoirQuota: this.quota(name) ?? held.rule['ReservoirSize'],
            ReservoirQuotaTTL: Math.floor(this.nowSeconds()) + 10,
            Interval: 10,
          });
        }
        const lastModification = Math.max(0, ...[...this.rules.values()].map((held) => held.modifiedAt));
        return { status: 200, body: { SamplingTargetDocuments: targets, LastRuleModification: lastModification, UnprocessedStatistics: unprocessed } };
      }
      case '/CreateSamplingRule': {
        const rule = body['SamplingRule'] as Json | undefined;
        const name = rule?.['RuleName'];
        if (typeof name !== 'string') return error(400, 'InvalidRequestException', 'SamplingRule.RuleName is required');
        if (this.rules.has(name)) return error(400, 'InvalidRequestException', `a sampling rule named ${name} already exists`);
        this.put(rule ?? {});
        return { status: 200, body: { SamplingRuleRecord: this.record(name) } };
      }
      case '/UpdateSamplingRule': {
        const update = body['SamplingRuleUpdate'] as Json | undefined;
        const name = update?.['RuleName'];
        const held = typeof name === 'string' ? this.rules.get(name) : undefined;
        if (typeof name !== 'string' || !held) return error(400, 'InvalidRequestException', `no sampling rule named ${String(name)}`);
        this.put({ ...held.rule, ...update });
        return { status: 200, body: { SamplingRuleRecord: this.record(name) } };
      }
      case '/DeleteSamplingRule': {
        const name = body['RuleName'];
        if (typeof name !== 'string' || !this.rules.has(name)) return error(400, 'InvalidRequestException', `no sampling rule named ${String(name)}`);
        const record = this.record(name);
        this.rules.delete(name);
        return { status: 200, body: { SamplingRuleRecord: record } };
      }
      default:
        return error(404, 'UnknownOperationException', `no operation at ${method} ${path}`);
    }
  }

  private record(name: string): Json {
    const held = this.rules.get(name);
    return { SamplingRule: held?.rule, CreatedAt: held?.modifiedAt, ModifiedAt: held?.modifiedAt };
  }
}

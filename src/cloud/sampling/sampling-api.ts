import type { SamplingStatistics, SamplingTarget } from './rule-cache.ts';
import { isRecord } from '../../common/is-record.ts';

/** A GetSamplingTargets answer, read. */
export interface SamplingTargets {
  readonly targets: SamplingTarget[];
  /** Epoch seconds: when a rule last changed; rules read before then are stale. */
  readonly lastRuleModification: number | undefined;
}

/** The two sampling operations of the X-Ray API a sampler uses. */
export interface SamplingApi {
  /** Where the operations go, for messages. */
  readonly url: string;
  /** Every SamplingRuleRecord, page after page. */
  getSamplingRules(signal?: AbortSignal): Promise<unknown[]>;
  getSamplingTargets(statistics: readonly SamplingStatistics[], signal?: AbortSignal): Promise<SamplingTargets>;
}

/** The API could not be reached, did not answer in time, answered an error or an unreadable body. */
export class SamplingApiError extends Error {
  override readonly name = 'SamplingApiError';
}

export interface HttpSamplingApiOptions {
  /** The X-Ray API's base URL, e.g. `http://127.0.0.1:2001`. */
  readonly url: string;
  /** Per call. The local API answers in milliseconds; a stuck one must not hold a refresh for long. */
  readonly timeoutMs?: number;
}

/** Pages of rules read before a NextToken loop is taken for a broken API. */
const MAX_PAGES = 100;

function optionalNumber(document: Record<string, unknown>, field: string): number | undefined {
  const value = document[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * GetSamplingRules (`POST /GetSamplingRules`) and GetSamplingTargets (`POST /SamplingTargets`) in
 * AWS's rest-json wire shapes, unsigned as the SDKs send them to the daemon: timestamps are epoch
 * seconds, errors are read from `x-amzn-ErrorType` (or `__type`) and `message`.
 */
export class HttpSamplingApi implements SamplingApi {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(options: HttpSamplingApiOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2000;
  }

  async getSamplingRules(signal?: AbortSignal): Promise<unknown[]> {
    const records: unknown[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await this.post('/GetSamplingRules', token === undefined ? {} : { NextToken: token }, signal);
      const pageRecords = result['SamplingRuleRecords'] ?? [];
      if (!Array.isArray(pageRecords)) throw new SamplingApiError('GetSamplingRules answered SamplingRuleRecords that is not a list');
      records.push(...(pageRecords as unknown[]));
      const next = result['NextToken'];
      if (typeof next !== 'string' || next === '' || next === token) return records;
      token = next;
    }
    throw new SamplingApiError(`GetSamplingRules kept answering a NextToken after ${MAX_PAGES} pages`);
  }

  async getSamplingTargets(statistics: readonly SamplingStatistics[], signal?: AbortSignal): Promise<SamplingTargets> {
    const result = await this.post('/SamplingTargets', { SamplingStatisticsDocuments: statistics }, signal);
    const documents = result['SamplingTargetDocuments'] ?? [];
    if (!Array.isArray(documents)) throw new SamplingApiError('GetSamplingTargets answered SamplingTargetDocuments that is not a list');
    const targets: SamplingTarget[] = [];
    for (const document of documents as unknown[]) {
      if (!isRecord(document) || typeof document['RuleName'] !== 'string') continue;
      targets.push({
        ruleName: document['RuleName'],
        fixedRate: optionalNumber(document, 'FixedRate'),
        reservoirQuota: optionalNumber(document, 'ReservoirQuota'),
        reservoirQuotaTtlSeconds: optionalNumber(document, 'ReservoirQuotaTTL'),
        intervalSeconds: optionalNumber(document, 'Interval'),
      });
    }
    return { targets, lastRuleModification: optionalNumber(result, 'LastRuleModification') };
  }

  private async post(path: string, body: unknown, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new SamplingApiError(`no answer to POST ${path} within ${this.timeoutMs} ms`);
      const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
      throw new SamplingApiError(`could not reach it: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const details = isRecord(parsed) ? parsed : {};
      const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? details['__type'];
      const message = details['message'] ?? details['Message'];
      throw new SamplingApiError(`POST ${path} answered ${response.status}` +
        `${typeof type === 'string' ? ` ${type}` : ''}${typeof message === 'string' ? `: ${message}` : ''}`);
    }
    if (!isRecord(parsed)) throw new SamplingApiError(`POST ${path} answered a body that is not a JSON object`);
    return parsed;
  }
}

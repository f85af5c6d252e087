import type {
  BatchGetTracesResult, GetGroupsResult, GetSamplingRulesResult, GetSamplingStatisticSummariesResult, GetServiceGraphResult,
  GetTimeSeriesServiceStatisticsResult, GetTraceGraphResult, GetTraceSummariesResult, Group, SamplingRule, SamplingRuleRecord,
  SamplingStatisticSummary, Service, TelemetrySummariesResponse, TelemetrySummary, TimeSeriesServiceStatistics, Trace, TraceSummary,
  LogLine, LogSearchResult,
} from './types.ts';

/** An error the X-Ray API answered with: its type (e.g. InvalidRequestException) and message. */
export class XrayApiError extends Error {
  constructor(readonly type: string, message: string, readonly status: number) {
    super(message);
    this.name = 'XrayApiError';
  }
}

/** A function's CloudWatch metric as the X-Ray service's local FunctionMetrics route answers it. */
export interface MetricSeries {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: Readonly<Record<string, string>>;
  readonly Unit: string;
  readonly Stat: string;
  readonly Points: ReadonlyArray<{ readonly Timestamp: number; readonly Value: number }>;
}

/** A time window in epoch seconds. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** Which traces: a group (by name), a filter expression, both or neither. */
export interface Scope {
  readonly group?: string;
  readonly filter?: string;
}

/** What every page says when the service does not answer at all. */
export const SERVICE_UNREACHABLE = 'Service unreachable: the X-Ray service does not answer; is it still running?';

/** Where the service listens for segments (the local service's `POST /local/Endpoints`). */
export interface LocalEndpoints {
  readonly DaemonAddress?: string;
  readonly OtlpTracesUrl?: string;
  /** False when the service runs without the local cloud: its log routes answer only 404. */
  readonly LogsAvailable?: boolean;
  /** False when the service runs without the local cloud: its function metrics route answers only 404. */
  readonly MetricsAvailable?: boolean;
}

/** A batch of summaries stops after this many service pages, however few summaries they held. */
export const MAX_BATCH_PAGES = 20;

/** Summaries of whole pages, newest first, and where the next batch starts. */
export interface SummaryBatch {
  readonly summaries: readonly TraceSummary[];
  /** Traces the service looked at (TracesProcessedCount), matching or not. */
  readonly processed: number;
  /** Undefined when the service has no more pages. */
  readonly nextToken: string | undefined;
}

/** How many traces match a view in all; `complete` false when the count is only a lower bound. */
export interface TraceCount {
  readonly count: number;
  readonly complete: boolean;
}

/**
 * The X-Ray REST API over fetch, on the origin that served the console. Every call is a POST of JSON,
 * as the AWS SDK sends it; errors become `XrayApiError`.
 */
export class XrayApi {
  constructor(private readonly baseUrl = '') {}

  serviceGraph(window: Window, group?: string): Promise<Service[]> {
    return this.allPages<GetServiceGraphResult, Service>('/ServiceGraph', { StartTime: window.start, EndTime: window.end, GroupName: group }, (page) => page.Services);
  }

  async traceGraph(traceIds: readonly string[]): Promise<Service[]> {
    const page = await this.post<GetTraceGraphResult>('/TraceGraph', { TraceIds: traceIds });
    return [...(page.Services ?? [])];
  }

  /** Per `period` seconds (a multiple of 60), the statistics of what `selector` (an EntitySelectorExpression) picks. */
  timeSeries(window: Window, selector: string, period: number, group?: string): Promise<TimeSeriesServiceStatistics[]> {
    return this.allPages<GetTimeSeriesServiceStatisticsResult, TimeSeriesServiceStatistics>(
      '/TimeSeriesServiceStatistics',
      { StartTime: window.start, EndTime: window.end, Period: period, EntitySelectorExpression: selector, GroupName: group },
      (page) => page.TimeSeriesServiceStatistics,
    );
  }

  /**
   * Summaries newest first from `token` (the first page without one), following pages until at
   * least `limit` summaries, MAX_BATCH_PAGES pages or the last page. Whole pages are kept: the token
   * goes on after the last page read, so a summary cut off here would never be read again.
   * `window` and `scope` must be those of the first batch: the service ties its tokens to them.
   */
  async traceSummaries(window: Window, scope: Scope, limit: number, token?: string): Promise<SummaryBatch> {
    const summaries: TraceSummary[] = [];
    let processed = 0;
    let next = token;
    let pages = 0;
    do {
      const page = await this.post<GetTraceSummariesResult>('/TraceSummaries', {
        StartTime: window.start, EndTime: window.end, TimeRangeType: 'Event', Sampling: false,
        FilterExpression: blankToUndefined(scope.filter), GroupName: scope.group, NextToken: next,
      });
      summaries.push(...(page.TraceSummaries ?? []));
      processed += page.TracesProcessedCount ?? 0;
      next = page.NextToken;
      pages += 1;
    } while (next !== undefined && summaries.length < limit && pages < MAX_BATCH_PAGES);
    return { summaries, processed, nextToken: next };
  }

  /**
   * How many traces the summaries of `window` and `scope` hold in all, from the service's local
   * extension (`POST /local/TraceSummaryCount`); `complete` false when it stopped counting at its
   * time budget. Undefined when the service does not offer it (the API itself has no total).
   */
  async traceSummaryCount(window: Window, scope: Scope): Promise<TraceCount | undefined> {
    try {
      const answer = await this.post<{ TraceCount?: number; Complete?: boolean }>('/local/TraceSummaryCount', {
        StartTime: window.start, EndTime: window.end, TimeRangeType: 'Event', FilterExpression: blankToUndefined(scope.filter), GroupName: scope.group,
      });
      return typeof answer.TraceCount === 'number' ? { count: answer.TraceCount, complete: answer.Complete !== false } : undefined;
    } catch (error) {
      if (error instanceof XrayApiError && (error.status === 404 || error.type === 'UnknownOperationException')) return undefined;
      throw error;
    }
  }

  /** Throws an InvalidRequestException naming the column when `filter` does not parse. */
  async checkFilter(filter: string, nowSeconds: number): Promise<void> {
    await this.post<GetTraceSummariesResult>('/TraceSummaries', { StartTime: nowSeconds - 1, EndTime: nowSeconds, FilterExpression: filter });
  }

  async trace(traceId: string): Promise<Trace | undefined> {
    const page = await this.post<BatchGetTracesResult>('/Traces', { TraceIds: [traceId] });
    return page.Traces?.[0];
  }

  /** BatchGetTraces of several ids (AWS takes at most 5 a call), pages followed. */
  async traces(traceIds: readonly string[]): Promise<Trace[]> {
    const found: Trace[] = [];
    for (let at = 0; at < traceIds.length; at += 5) {
      found.push(...await this.allPages<BatchGetTracesResult, Trace>('/Traces', { TraceIds: traceIds.slice(at, at + 5) }, (page) => page.Traces));
    }
    return found;
  }

  /** The local service's listening addresses; undefined from a service without the extension (AWS). */
  async endpoints(): Promise<LocalEndpoints | undefined> {
    try {
      return await this.post<LocalEndpoints>('/local/Endpoints', {});
    } catch (error) {
      if (error instanceof XrayApiError && error.status !== 0) return undefined;
      throw error;
    }
  }

  groups(): Promise<Group[]> {
    return this.allPages<GetGroupsResult, Group>('/Groups', {}, (page) => page.Groups);
  }

  async createGroup(name: string, filter: string): Promise<void> {
    await this.post('/CreateGroup', { GroupName: name, FilterExpression: blankToUndefined(filter) });
  }

  async updateGroup(name: string, filter: string): Promise<void> {
    await this.post('/UpdateGroup', { GroupName: name, FilterExpression: filter });
  }

  async deleteGroup(name: string): Promise<void> {
    await this.post('/DeleteGroup', { GroupName: name });
  }

  samplingRules(): Promise<SamplingRuleRecord[]> {
    return this.allPages<GetSamplingRulesResult, SamplingRuleRecord>('/GetSamplingRules', {}, (page) => page.SamplingRuleRecords);
  }

  samplingStatistics(): Promise<SamplingStatisticSummary[]> {
    return this.allPages<GetSamplingStatisticSummariesResult, SamplingStatisticSummary>('/SamplingStatisticSummaries', {}, (page) => page.SamplingStatisticSummaries);
  }

  /** Each daemon's or collector's PutTelemetryRecords, added up: the service's local extension. */
  async telemetrySummaries(): Promise<readonly TelemetrySummary[]> {
    return (await this.post<TelemetrySummariesResponse>('/local/TelemetrySummaries', {})).TelemetrySummaries ?? [];
  }

  async createSamplingRule(rule: SamplingRule): Promise<void> {
    await this.post('/CreateSamplingRule', { SamplingRule: rule });
  }

  /** `update` holds RuleName and the fields to change. */
  async updateSamplingRule(update: Partial<SamplingRule> & { readonly RuleName: string }): Promise<void> {
    await this.post('/UpdateSamplingRule', { SamplingRuleUpdate: update });
  }

  async deleteSamplingRule(name: string): Promise<void> {
    await this.post('/DeleteSamplingRule', { RuleName: name });
  }

  /** Every page of a paginated operation, `items` read from each, following NextToken to the end. */
  private async allPages<P extends { readonly NextToken?: string }, T>(
    path: string,
    body: Record<string, unknown>,
    items: (page: P) => readonly T[] | undefined,
  ): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.post<P>(path, { ...body, NextToken: token });
      all.push(...(items(page) ?? []));
      token = page.NextToken;
    } while (token !== undefined);
    return all;
  }

  /**
   * The trace's CloudWatch Logs lines in every group, oldest first (served beside the local cloud
   * only); undefined when the service says it has no logs, which it is then not asked for.
   */
  async traceLogs(traceId: string): Promise<readonly LogLine[] | undefined> {
    if ((await this.endpoints())?.LogsAvailable === false) return undefined;
    return (await this.post<{ Lines?: LogLine[] }>('/local/TraceLogLines', { TraceId: traceId, Limit: 2000 })).Lines ?? [];
  }

  /**
   * A function's CloudWatch metrics, one series a metric, in periods of `periodSeconds`; undefined
   * when the service has no metrics source (it runs without the local cloud), which it is then not asked.
   */
  async functionMetrics(functionName: string, window: Window, periodSeconds: number): Promise<readonly MetricSeries[] | undefined> {
    if ((await this.endpoints())?.MetricsAvailable === false) return undefined;
    try {
      const body = { FunctionName: functionName, StartTime: Math.floor(window.start), EndTime: Math.ceil(window.end), Period: periodSeconds };
      return (await this.post<{ Metrics?: MetricSeries[] }>('/local/FunctionMetrics', body)).Metrics ?? [];
    } catch (error) {
      if (error instanceof XrayApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async logGroups(): Promise<readonly string[]> {
    return (await this.post<{ Groups?: string[] }>('/local/LogGroups', {})).Groups ?? [];
  }

  /** A group's lines matching a filter pattern, or a Logs Insights query's rows; times in epoch milliseconds. */
  searchLogs(request: { group: string; startMs: number; endMs: number; filterPattern?: string; query?: string; limit?: number }): Promise<LogSearchResult> {
    return this.post<LogSearchResult>('/local/SearchLogs', {
      Group: request.group, StartMs: request.startMs, EndMs: request.endMs, Limit: request.limit ?? 1000,
      ...(request.filterPattern !== undefined ? { FilterPattern: request.filterPattern } : {}),
      ...(request.query !== undefined ? { Query: request.query } : {}),
    });
  }

  private async post<T>(path: string, body: Record<string, unknown>): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch {
      throw new XrayApiError('NetworkError', SERVICE_UNREACHABLE, 0);
    }
    const text = await response.text();
    const value = parseJson(text);
    if (!response.ok) {
      const type = stringField(value, '__type') ?? response.headers.get('x-amzn-errortype') ?? `HTTP ${response.status}`;
      const message = stringField(value, 'message') ?? stringField(value, 'Message') ?? (text || response.statusText);
      throw new XrayApiError(type, message, response.status);
    }
    return value as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringField(value: unknown, name: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const field = (value as Record<string, unknown>)[name];
  return typeof field === 'string' ? field : undefined;
}

function blankToUndefined(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === '' ? undefined : text;
}

import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerTimeouts } from '../common/server-timeouts.ts';
import { createApiRouter } from './api/server.ts';
import type { ConsoleLogSource } from './api/console-logs.ts';
import { addSloRoutes } from './api/slos.ts';
import { addFunctionMetricsRoute } from './api/function-metrics.ts';
import type { FunctionMetricsSource } from './metrics-source/function-metrics.ts';
import { SqliteSloStorage } from './slo/slo-store.ts';
import { BatchWriter } from './ingest/batch-writer.ts';
import type { BatchWriterStats, RecordWriter } from './ingest/batch-writer.ts';
import { addEndpointsRoute } from './api/endpoints.ts';
import { startDaemon } from './daemon/daemon.ts';
import type { Daemon } from './daemon/daemon.ts';
import type { UdpIngestStats } from './ingest/udp-receiver.ts';
import { startHttpServer } from './http/server.ts';
import { addStaticSite } from './http/static-files.ts';
import type { RunningHttpServer } from './http/server.ts';
import type { Logger } from './log/logger.ts';
import { startOtlpReceiver } from './ingest/otlp-receiver.ts';
import type { OtlpReceiver } from './ingest/otlp-receiver.ts';
import type { OtlpIngestStats } from './ingest/otlp-handler.ts';
import { consoleLogger } from './log/logger.ts';
import { RetentionSweeper } from './retention.ts';
import type { RetentionTarget } from './retention.ts';
import { validateDocument, validateParsedDocument } from './segments/validate.ts';
import { SqliteTraceStore } from './store/index.ts';
import type { GraphReader, TraceReader, TraceStore } from './store/index.ts';
import { ThreadTraceWriter } from './writer/thread-writer.ts';
import { Groups, MemoryGroupStorage, SqliteGroupStorage } from './groups/index.ts';
import type { GroupStorage } from './groups/index.ts';
import { MemorySamplingRuleStorage, SamplingRules, SamplingStatistics, SqliteSamplingRuleStorage } from './sampling/index.ts';
import type { Sampling, SamplingRuleRecord, SamplingRuleStorage } from './sampling/index.ts';
import { MemorySettingsStore, SqliteSettingsStore } from './settings/index.ts';
import type { SettingsStore } from './settings/index.ts';
import { openAccountFeatures } from './account-features.ts';

export interface XrayServiceOptions {
  /** Host of the X-Ray API, and of the daemon unless `daemonHost` says otherwise. Default 127.0.0.1. */
  readonly host?: string;
  readonly daemonHost?: string;
  /** UDP and TCP port of the daemon. Default 2000; 0 picks a free one. */
  readonly daemonPort?: number;
  /** Port of the X-Ray API. Default 2001; 0 picks a free one. */
  readonly apiPort?: number;
  /**
   * Port of the OTLP/HTTP trace receiver (`POST /v1/traces`) on `host`; 0 picks a free one. Default
   * false: none, so that services started side by side (tests) do not compete for 4318; the CLI
   * asks for 4318.
   */
  readonly otlpPort?: number | false;
  /** OTel attribute keys recorded as annotations instead of metadata. Default none. */
  readonly otlpAnnotations?: ReadonlyArray<string>;
  /** OTLP request body limit, as sent and once decompressed. Default 20 MiB (the collector's). */
  readonly otlpMaxBodyBytes?: number;
  /** Where the SQLite store lives, when no `store` is given. Default ./.xray-tracer. */
  readonly dataDir?: string;
  /** A store to use instead of the SQLite one in `dataDir`; the service closes it on stop. */
  readonly store?: TraceStore;
  /** Where groups are kept instead of `groups.db` in `dataDir` (in memory when `store` is given); closed on stop. */
  readonly groups?: GroupStorage;
  /** Where sampling rules are kept instead of `sampling-rules.db` in `dataDir` (in memory when `store` is given); closed on stop. */
  readonly samplingRules?: SamplingRuleStorage;
  /**
   * Where account-wide settings (encryption, tags, resource policies, telemetry, Transaction Search)
   * are kept instead of `settings.db` in `dataDir` (in memory when `store` is given); closed on stop.
   */
  readonly settings?: SettingsStore;
  /** How long PutEncryptionConfig reports UPDATING and UpdateTraceSegmentDestination PENDING. Default 5000 ms. */
  readonly settingsTransitionMs?: number;
  /** GetSamplingRules and GetSamplingStatisticSummaries page size. Default 100: every rule on one page, as the SDKs read only the first. */
  readonly samplingPageSize?: number;
  /** Region and account in group and sampling rule ARNs. Default us-east-1 and 000000000000. */
  readonly region?: string;
  readonly accountId?: string;
  /** The last part of a new group's ARN. Default: random. */
  readonly newGroupId?: () => string;
  /** Default 30. */
  readonly retentionDays?: number;
  /** FixedRate of the Default sampling rule until UpdateSamplingRule changes it. Default 1: sample everything. */
  readonly samplingRate?: number;
  readonly logger?: Logger;
  /** Milliseconds since the epoch. */
  readonly nowMs?: () => number;
  /** API request body limit. Default 6 MiB. */
  readonly maxBodyBytes?: number;
  /** GetTraceSummaries page size. Default 100. */
  readonly summariesPageSize?: number;
  /** Default 1000 records. */
  readonly batchSize?: number;
  /** Default 50 ms. */
  readonly flushIntervalMs?: number;
  /**
   * Documents waiting for the store before UDP ones are dropped and PutTraceSegments and OTLP are
   * answered with a retryable error. Default 100,000.
   */
  readonly maxPendingRecords?: number;
  /** Default: a 64 KB document and its header. */
  readonly maxDatagramBytes?: number;
  /** Default 8 MiB (the kernel may cap it). */
  readonly recvBufferBytes?: number;
  /** A function's CloudWatch metrics for the console's map (`POST /local/FunctionMetrics`); asked on each request. */
  readonly metricsSource?: () => FunctionMetricsSource | undefined;
  /**
   * Host names the listeners accept besides loopback names and IP addresses (`--allowed-host`),
   * e.g. the machine's name when bound to a non-loopback address. Default none: a page that
   * rebinds its own name to this address gets 403.
   */
  readonly allowedHosts?: readonly string[];
  /** The built web console served at `/` of the API port; false serves none. Default: dist/console of this package. */
  readonly consoleDir?: string | false;
  /** CloudWatch Logs the console shows beside the traces (`api/console-logs.ts`); none by default. */
  readonly consoleLogs?: ConsoleLogSource;
  /** How long clients of the API, the daemon's TCP side and OTLP may take to send a request. Default DEFAULT_SERVER_TIMEOUTS. */
  readonly serverTimeouts?: ServerTimeouts;
}

export interface XrayServiceStats {
  readonly udp: UdpIngestStats;
  /** Undefined when the OTLP receiver is off. */
  readonly otlp: OtlpIngestStats | undefined;
  readonly store: BatchWriterStats;
  /** Stored rows skipped because they cannot be used (each logged once, naming its trace). */
  readonly unusableRows: number;
}

export interface XrayService {
  readonly daemon: {
    readonly udp: AddressInfo;
    readonly tcp: AddressInfo;
    /** `host:port`, the form AWS_XRAY_DAEMON_ADDRESS takes. */
    readonly address: string;
  };
  readonly api: { readonly address: AddressInfo; readonly url: string };
  /** The OTLP/HTTP receiver; `url` is its base (exporters add /v1/traces). Undefined when off. */
  readonly otlp: { readonly address: AddressInfo; readonly url: string; readonly tracesUrl: string } | undefined;
  /** The web console's address; undefined when it is turned off or not built. */
  readonly consoleUrl: string | undefined;
  /** The SQLite file, when the service opened one. */
  readonly dataFile: string | undefined;
  stats(): XrayServiceStats;
  /** The sampling rules the SDKs get, in the order they try them (Default last). */
  samplingRules(): SamplingRuleRecord[];
  /** Stops listening, writes every accepted document, closes the store. */
  stop(): Promise<void>;
}

export const DATA_FILE_NAME = 'traces.db';
export const GROUPS_FILE_NAME = 'groups.db';
export const SAMPLING_RULES_FILE_NAME = 'sampling-rules.db';
export const SETTINGS_FILE_NAME = 'settings.db';
const DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
const DEFAULT_SUMMARIES_PAGE_SIZE = 100;
const DEFAULT_SAMPLING_PAGE_SIZE = 100;
const DEFAULT_OTLP_MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Where `npm run build:console` (run by npm install) puts the console. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist/console', import.meta.url));

/**
 * The local X-Ray service: the daemon (UDP segments, TCP sampling), the OTLP/HTTP receiver, the X-Ray
 * REST API, the store and retention, wired together. The CLI, the local cloud and tests all start it through here.
 */
export async function startXrayService(options: XrayServiceOptions = {}): Promise<XrayService> {
  const logger = options.logger ?? consoleLogger;
  const nowMs = options.nowMs ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  const dataFile = options.store ? undefined : path.join(path.resolve(options.dataDir ?? '.xray-tracer'), DATA_FILE_NAME);
  const storage = options.store ? sameThreadStorage(options.store) : await threadedStorage(dataFile as string, () => nowMs() / 1000, logger);

  const stages: Array<{ shutdown(): Promise<void> }> = [];
  const stopAll = async (): Promise<void> => {
    // Listeners first (no new input), then the batch writer commits what it holds, then the store closes.
    for (const stage of [...stages].reverse()) await stage.shutdown();
    await storage.close();
  };
  try {
    const groupStorage = options.groups
      ?? (dataFile === undefined ? new MemoryGroupStorage() : new SqliteGroupStorage({ file: path.join(path.dirname(dataFile), GROUPS_FILE_NAME) }));
    const groups = new Groups({ storage: groupStorage, region: options.region, accountId: options.accountId, newId: options.newGroupId });
    stages.push({ shutdown: async () => groups.close() });
    const sampling = openSampling(options, dataFile, () => nowMs() / 1000);
    stages.push({ shutdown: async () => sampling.rules.close() });
    const settings = options.settings
      ?? (dataFile === undefined ? new MemorySettingsStore() : new SqliteSettingsStore({ file: path.join(path.dirname(dataFile), SETTINGS_FILE_NAME) }));
    stages.push({ shutdown: async () => settings.close() });
    const account = openAccountFeatures({
      settings,
      groups,
      samplingRules: sampling.rules,
      store: storage.reader,
      beforeRead: storage.refresh,
      nowMs,
      region: options.region ?? 'us-east-1',
      accountId: options.accountId ?? '000000000000',
      encryptionUpdatingMs: options.settingsTransitionMs,
      destinationPendingMs: options.settingsTransitionMs,
      onRetrievalError: (error) => logger.error(`xray api: a trace retrieval failed: ${(error as Error).stack ?? String(error)}`),
    });
    const batches = new BatchWriter({
      writer: storage.writer,
      logger,
      maxBatchSize: options.batchSize,
      flushIntervalMs: options.flushIntervalMs,
      maxPendingRecords: options.maxPendingRecords,
      nowMs,
    });
    stages.push(batches);
    stages.push(new RetentionSweeper({ store: storage.writer, retentionDays: options.retentionDays ?? 30, logger, nowMs }));
    const router = createApiRouter({
      store: storage.reader,
      graph: storage.reader,
      // PutTraceSegments shares the batches (and their bound) with UDP and OTLP, and answers after the commit.
      writer: batches,
      beforeRead: storage.refresh,
      validate: validateDocument,
      summariesPageSize: options.summariesPageSize ?? DEFAULT_SUMMARIES_PAGE_SIZE,
      groups,
      sampling,
      account,
      indexed: () => account.transactionSearch.indexing.indexes(),
      ...(options.consoleLogs !== undefined ? { consoleLogs: options.consoleLogs } : {}),
    });
    // Service level objectives (local only): slos.db beside the trace store, in memory with a given store.
    const slos = new SqliteSloStorage(dataFile === undefined ? ':memory:' : path.join(path.dirname(dataFile), 'slos.db'));
    stages.push({ shutdown: async () => slos.close() });
    addFunctionMetricsRoute(router, options.metricsSource ?? (() => undefined));
    addSloRoutes(router, { storage: slos, graph: storage.reader, beforeRead: storage.refresh, nowSeconds: () => nowMs() / 1000 });
    const consoleServed = options.consoleDir !== false
      && addStaticSite(router, { directory: options.consoleDir ?? DEFAULT_CONSOLE_DIR, missingHint: 'Run `npm run build:console`, then restart.' });
    const api: RunningHttpServer = await startHttpServer({
      router,
      host,
      port: options.apiPort ?? 2001,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      logger,
      // Links to the console from elsewhere open it; every API operation reads JSON.
      guard: { name: 'xray api', allowedHosts: options.allowedHosts, jsonBodies: true, allowNavigation: true },
      ...(options.serverTimeouts ? { timeouts: options.serverTimeouts } : {}),
    });
    stages.push({ shutdown: () => api.close() });
    const daemon: Daemon = await startDaemon({
      host: options.daemonHost ?? host,
      port: options.daemonPort ?? 2000,
      validate: validateDocument,
      sink: batches,
      logger,
      nowMs,
      sampling,
      allowedHosts: options.allowedHosts,
      maxDatagramBytes: options.maxDatagramBytes,
      recvBufferBytes: options.recvBufferBytes,
      ...(options.serverTimeouts ? { timeouts: options.serverTimeouts } : {}),
    });
    stages.push(daemon);
    let otlp: OtlpReceiver | undefined;
    if (options.otlpPort !== undefined && options.otlpPort !== false) {
      // Spans take the same road as UDP documents: the same validation, the same batch writer; answered once committed.
      otlp = await startOtlpReceiver({
        host,
        port: options.otlpPort,
        maxBodyBytes: options.otlpMaxBodyBytes ?? DEFAULT_OTLP_MAX_BODY_BYTES,
        validate: validateParsedDocument,
        sink: batches,
        logger,
        nowMs,
        indexedAttributes: new Set(options.otlpAnnotations ?? []),
        allowedHosts: options.allowedHosts,
        ...(options.serverTimeouts ? { timeouts: options.serverTimeouts } : {}),
      });
      stages.push(otlp);
    }

    // Known once both listen (port 0 picks a free one): the console names the real addresses.
    addEndpointsRoute(router, {
      daemonAddress: hostPort(daemon.udp),
      otlpTracesUrl: otlp === undefined ? undefined : `http://${hostPort(otlp.address)}/v1/traces`,
      logsAvailable: options.consoleLogs !== undefined,
      metricsAvailable: options.metricsSource !== undefined,
    });

    let stopping: Promise<void> | undefined;
    return {
      daemon: { udp: daemon.udp, tcp: daemon.tcp, address: hostPort(daemon.udp) },
      api: { address: api.address, url: `http://${hostPort(api.address)}` },
      otlp: otlp && {
        address: otlp.address,
        url: `http://${hostPort(otlp.address)}`,
        tracesUrl: `http://${hostPort(otlp.address)}/v1/traces`,
      },
      consoleUrl: consoleServed ? `http://${hostPort(api.address)}/` : undefined,
      dataFile,
      stats: () => ({ udp: daemon.stats(), otlp: otlp?.stats(), store: batches.stats(), unusableRows: storage.unusableRows() }),
      samplingRules: () => sampling.rules.list(),
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Sampling rules next to the groups (in memory with a caller's store), and the SDKs' statistics. */
function openSampling(options: XrayServiceOptions, dataFile: string | undefined, nowSeconds: () => number): Sampling {
  const storage = options.samplingRules
    ?? (dataFile === undefined ? new MemorySamplingRuleStorage() : new SqliteSamplingRuleStorage({ file: path.join(path.dirname(dataFile), SAMPLING_RULES_FILE_NAME) }));
  let rules: SamplingRules;
  try {
    rules = new SamplingRules({
      storage,
      // Locally every request is sampled unless asked otherwise; one a second before the rate applies, as AWS's Default.
      defaults: { fixedRate: options.samplingRate ?? 1, reservoirSize: 1 },
      region: options.region,
      accountId: options.accountId,
      nowSeconds,
    });
  } catch (error) {
    storage.close();
    throw error;
  }
  return { rules, statistics: new SamplingStatistics({ nowSeconds }), pageSize: options.samplingPageSize ?? DEFAULT_SAMPLING_PAGE_SIZE };
}

/** How the service reaches its store: reads in this thread, writes in this thread or another. */
interface Storage {
  readonly reader: TraceReader & GraphReader;
  readonly writer: RecordWriter & RetentionTarget;
  /** Resolves once reads see the summaries of every write acknowledged before the call. */
  refresh(): Promise<void>;
  close(): Promise<void>;
  /** Rows skipped as unusable, by the reader and the writer. */
  unusableRows(): number;
}

/** A store given by the caller (an in-memory one in tests) does everything in this thread. */
function sameThreadStorage(store: TraceStore): Storage {
  const skipped = store as Partial<Pick<SqliteTraceStore, 'unreadableRows'>>;
  return {
    reader: store, writer: store, refresh: async () => store.refreshSummaries(), close: async () => store.close(),
    unusableRows: () => skipped.unreadableRows?.() ?? 0,
  };
}

/**
 * The SQLite file: one writer thread owns every write, so validation here and SQLite there use both
 * cores; this thread keeps its own connection for reads, which WAL lets run beside the writer. The
 * writer defers summaries, so a read that depends on them first asks the writer to refresh (a
 * no-op when nothing waits).
 */
async function threadedStorage(file: string, nowSeconds: () => number, logger: Logger): Promise<Storage> {
  const writer = await ThreadTraceWriter.start(file);
  let reader: SqliteTraceStore;
  try {
    // The writer thread's store reports its unusable rows on the console (its thread has no logger).
    reader = new SqliteTraceStore({ file, nowSeconds, readOnly: true, warn: (message) => logger.warn(message) });
  } catch (error) {
    await writer.close();
    throw error;
  }
  return {
    reader,
    writer,
    refresh: () => writer.refresh(),
    unusableRows: () => reader.unreadableRows() + writer.unreadableRows(),
    close: async () => {
      reader.close();
      await writer.close();
    },
  };
}

function hostPort(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

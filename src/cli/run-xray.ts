import { errorText } from '../common/preview.ts';
import { guardProcess } from './process-guard.ts';
import { ConfigError, resolveConfig } from './xray-config.ts';
import type { XrayServiceConfig, XrayServiceFlags } from './xray-config.ts';
import type { SamplingRuleRecord } from '../xray/sampling/index.ts';
import { startXrayService } from '../xray/service.ts';
import type { XrayService, XrayServiceOptions, XrayServiceStats } from '../xray/service.ts';

/** Starts the X-Ray service from command-line flags and the environment; exits with a clear message on bad settings. */
export async function startXrayFromFlags(flags: XrayServiceFlags, wiring: Pick<XrayServiceOptions, 'metricsSource' | 'consoleLogs'> = {}): Promise<{ service: XrayService; config: XrayServiceConfig }> {
  let config: XrayServiceConfig;
  try {
    config = resolveConfig(flags, process.env, process.cwd());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(`error: ${error.message}`, 2);
  }
  try {
    const service = await startXrayService({
      host: config.host,
      daemonHost: config.daemonHost,
      daemonPort: config.daemonPort,
      apiPort: config.apiPort,
      otlpPort: config.otlpPort,
      otlpAnnotations: config.otlpAnnotations,
      dataDir: config.dataDir,
      retentionDays: config.retentionDays,
      samplingRate: config.samplingRate,
      allowedHosts: config.allowedHosts,
      ...wiring,
    });
    return { service, config };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const hint = code === 'EADDRINUSE' ? ' (another process holds the port; pick others with --daemon-address/--api-port/--otlp-port)' : '';
    fail(`error: could not start the X-Ray service: ${errorText(error)}${hint}`, 1);
  }
}

export function describeXray(service: XrayService, config: XrayServiceConfig): string[] {
  return [
    `  daemon  udp://${service.daemon.address} (segments), tcp ${service.daemon.address} (sampling)`,
    `  otlp    ${service.otlp ? `${service.otlp.tracesUrl} (OTLP/HTTP traces, protobuf or JSON)` : 'off'}`,
    `  api     ${service.api.url}`,
    `  console ${service.consoleUrl ?? 'not built: run npm run build:console, then restart'}`,
    `  store   ${service.dataFile} (traces kept ${config.retentionDays} days)`,
    `  sampling ${describeSampling(service.samplingRules())}`,
  ];
}

/** Default's rate as the service holds it: --sampling-rate, unless UpdateSamplingRule changed it since. */
function describeSampling(rules: readonly SamplingRuleRecord[]): string {
  const defaultRule = rules.at(-1);
  const others = rules.length - 1;
  const rest = others === 0 ? 'no other rules' : `${others} other rule${others === 1 ? '' : 's'}`;
  return `Default rule ${defaultRule?.reservoirSize ?? '?'}/s, then a rate of ${defaultRule?.fixedRate ?? '?'}; ${rest} (xray-tracer sampling)`;
}

/** Settings errors are the user's to fix: the message alone, no usage text. */
function fail(message: string, exitCode: number): never {
  console.error(message);
  process.exit(exitCode);
}

/**
 * Ctrl-C and SIGTERM stop the service after it has written every accepted document; `before` stops
 * what sends to it first (the local cloud), so that its last segments are kept too.
 */
export function stopOnSignals(service: XrayService, before?: () => Promise<void>): void {
  let stopping = false;
  const stopAndExit = (exitCode: number): void => {
    if (stopping) return;
    stopping = true;
    // After a fatal error, bounded: a stop that hangs must not keep a broken process alive.
    if (exitCode !== 0) setTimeout(() => process.exit(exitCode), FATAL_STOP_DEADLINE_MS).unref();
    const first = before ? before().catch((error: unknown) => console.error(`error while stopping the local cloud: ${errorText(error)}`)) : Promise.resolve();
    first.then(() => service.stop()).then(
      () => {
        console.log(stopLine(service.stats()));
        process.exit(exitCode);
      },
      (error: unknown) => {
        console.error(`error while stopping: ${error instanceof Error && error.stack !== undefined ? error.stack : errorText(error)}`);
        process.exit(1);
      },
    );
  };
  const stop = (signal: NodeJS.Signals): void => {
    console.log(`${signal}: stopping, writing every accepted document...`);
    stopAndExit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  guardProcess({ process, logError: (line) => console.error(line), stopAndExit });
}

/**
 * What the service took and kept. Only UDP documents can be lost (UDP has no answer): dropped while
 * the store was behind, or in a failed write; and datagrams the kernel dropped before we read them. PutTraceSegments and OTLP answer after the commit, so
 * what they could not store was answered with a retryable error, counted apart.
 */
export function stopLine({ udp, otlp, store, unusableRows }: XrayServiceStats): string {
  const spans = otlp
    ? `; OTLP: ${count(otlp.acceptedSpans, 'span')} accepted, ${otlp.rejectedSpans} rejected` +
      (otlp.retryableSpans > 0 ? `, ${otlp.retryableSpans} answered with a retryable error` : '')
    : '';
  const lost = store.failed + store.dropped;
  const why = lost > 0 ? ` (UDP: ${store.dropped} dropped while the store was behind, ${store.failed} in failed writes)` : '';
  const kernel = udp.kernelDropped ? `; ${count(udp.kernelDropped, 'datagram')} dropped by the kernel before they were read (receive buffer full)` : '';
  const refused = store.refused > 0 ? `; ${count(store.refused, 'document')} refused with a retryable error, not stored` : '';
  const unusable = unusableRows > 0 ? `; ${count(unusableRows, 'stored row')} skipped as unusable (see the warnings above)` : '';
  return `stopped: ${count(udp.received, 'datagram')} received, ${udp.accepted} accepted, ${udp.rejected} rejected${spans}; ` +
    `${count(store.written, 'document')} stored, ${lost} lost${why}${kernel}${refused}${unusable}`;
}
/** How long a stop after a fatal error may take before the process exits anyway. */
const FATAL_STOP_DEADLINE_MS = 30_000;

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * `POST /local/Endpoints`, a local extension (AWS has no such operation): where this service listens
 * for segments, so that the console can name the real addresses instead of X-Ray's defaults, and
 * whether its log and metrics routes have a source, so that the console does not ask them in vain.
 */
import type { Router } from '../http/router.ts';

export const ENDPOINTS_PATH = '/local/Endpoints';

export interface LocalEndpoints {
  /** `host:port` of the daemon (UDP segments, TCP sampling). */
  readonly daemonAddress: string;
  /** The OTLP/HTTP traces URL, when the receiver runs. */
  readonly otlpTracesUrl: string | undefined;
  /** Whether the console's log routes have a log source (the local cloud runs beside the service). */
  readonly logsAvailable: boolean;
  /** Whether the console's function metrics route has a metrics source. */
  readonly metricsAvailable: boolean;
}

export function addEndpointsRoute(router: Router, endpoints: LocalEndpoints): Router {
  return router.postJson(ENDPOINTS_PATH, () => ({
    DaemonAddress: endpoints.daemonAddress,
    ...(endpoints.otlpTracesUrl === undefined ? {} : { OtlpTracesUrl: endpoints.otlpTracesUrl }),
    LogsAvailable: endpoints.logsAvailable,
    MetricsAvailable: endpoints.metricsAvailable,
  }));
}

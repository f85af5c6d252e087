/**
 * `POST /local/Endpoints`, a local extension (AWS has no such operation): where this service listens
 * for segments, so that the console can name the real addresses instead of X-Ray's defaults.
 */
import type { Router } from '../http/router.ts';

export const ENDPOINTS_PATH = '/local/Endpoints';

export interface LocalEndpoints {
  /** `host:port` of the daemon (UDP segments, TCP sampling). */
  readonly daemonAddress: string;
  /** The OTLP/HTTP traces URL, when the receiver runs. */
  readonly otlpTracesUrl: string | undefined;
}

export function addEndpointsRoute(router: Router, endpoints: LocalEndpoints): Router {
  return router.postJson(ENDPOINTS_PATH, () => ({
    DaemonAddress: endpoints.daemonAddress,
    ...(endpoints.otlpTracesUrl === undefined ? {} : { OtlpTracesUrl: endpoints.otlpTracesUrl }),
  }));
}

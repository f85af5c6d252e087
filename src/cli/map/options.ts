/** What `xray-tracer map` was asked to do, checked. */
import { parseEndpoint, parseGroup, parseSince } from '../xray-api/index.ts';

export interface MapFlags {
  readonly since?: string;
  readonly group?: string;
  readonly json?: boolean;
  readonly endpoint?: string;
}

export interface MapPlan {
  readonly endpoint: string;
  /** Sent as GetServiceGraph's GroupName. */
  readonly groupName: string | undefined;
  /** Epoch seconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly json: boolean;
}

/** The console's default range too. */
export const DEFAULT_MAP_SINCE = '15m';

export function planMap(flags: MapFlags, nowSeconds: number): MapPlan {
  const since = parseSince(flags.since ?? DEFAULT_MAP_SINCE);
  return {
    endpoint: parseEndpoint(flags.endpoint),
    groupName: parseGroup(flags.group),
    startTime: nowSeconds - since,
    endTime: nowSeconds,
    json: flags.json === true,
  };
}

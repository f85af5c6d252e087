import type { Status } from '../../common/trace-model/status.ts';
import type { TraceSummary } from '../api/types.ts';

export type { Status };

/** The worst outcome a trace summary reports: fault, then throttle, then error. */
export function statusOf(summary: Pick<TraceSummary, 'HasFault' | 'HasError' | 'HasThrottle'>): Status {
  if (summary.HasFault === true) return 'fault';
  if (summary.HasThrottle === true) return 'throttle';
  if (summary.HasError === true) return 'error';
  return 'ok';
}

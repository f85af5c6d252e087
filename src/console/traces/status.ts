import type { TraceSummary } from '../api/types.ts';

export type Status = 'ok' | 'error' | 'throttle' | 'fault';

/** The worst outcome a trace summary reports: fault, then throttle, then error. */
export function statusOf(summary: Pick<TraceSummary, 'HasFault' | 'HasError' | 'HasThrottle'>): Status {
  if (summary.HasFault === true) return 'fault';
  if (summary.HasThrottle === true) return 'throttle';
  if (summary.HasError === true) return 'error';
  return 'ok';
}

/** The same for one segment or subsegment document's flags. */
export function statusOfDocument(document: { readonly fault?: unknown; readonly error?: unknown; readonly throttle?: unknown }): Status {
  if (document.fault === true) return 'fault';
  if (document.throttle === true) return 'throttle';
  if (document.error === true) return 'error';
  return 'ok';
}

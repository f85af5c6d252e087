import type { Status } from '../../common/trace-model/status.ts';
import type { TraceSummary } from '../api/types.ts';

export type { Status };

type StatusFields = Pick<TraceSummary, 'HasFault' | 'HasError' | 'HasThrottle' | 'FaultRootCauses' | 'ErrorRootCauses'>;

/**
 * The worst outcome anywhere in a trace: fault, then throttle, then error. HasFault and HasError
 * are the root segment's (as AWS has them), so a gateway that answers 200 while a function behind
 * SNS faults has neither; the summary's FaultRootCauses and ErrorRootCauses say that some segment
 * of the trace faulted (erred), wherever it was.
 */
export function statusOf(summary: StatusFields): Status {
  if (summary.HasFault === true || (summary.FaultRootCauses?.length ?? 0) > 0) return 'fault';
  if (summary.HasThrottle === true) return 'throttle';
  if (summary.HasError === true || (summary.ErrorRootCauses?.length ?? 0) > 0) return 'error';
  return 'ok';
}

/** The root segment's own outcome, as its response said it: the summary's flags alone. */
export function rootStatusOf(summary: Pick<TraceSummary, 'HasFault' | 'HasError' | 'HasThrottle'>): Status {
  if (summary.HasFault === true) return 'fault';
  if (summary.HasThrottle === true) return 'throttle';
  if (summary.HasError === true) return 'error';
  return 'ok';
}

/** `root answered 200 (ok)`: what the trace's entry said, shown beside the trace's own status. */
export function rootResponseText(summary: Pick<TraceSummary, 'HasFault' | 'HasError' | 'HasThrottle' | 'Http'>): string {
  const code = summary.Http?.HttpStatus;
  return `root answered ${code === undefined ? 'without an HTTP status' : code} (${rootStatusOf(summary)})`;
}

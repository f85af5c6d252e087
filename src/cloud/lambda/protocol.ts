// Messages between the Lambda service and an execution environment's runtime (runtime/bootstrap.mjs)
// over the child process IPC channel. The bootstrap is plain JavaScript so that the handler runs in a
// bare Node.js, as on Lambda; it follows these types by hand.

/** A function error as the Node.js runtime reports it (the Invoke response payload). */
export interface RuntimeError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: readonly string[];
}

export type ParentMessage = {
  readonly type: 'invoke';
  readonly requestId: string;
  /** The event, as JSON text. */
  readonly eventJson: string;
  /** `_X_AMZN_TRACE_ID` for this invocation, or undefined when not traced. */
  readonly traceHeader: string | undefined;
  /** Epoch milliseconds by which the invocation must end (context.getRemainingTimeInMillis). */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  /** context.functionVersion: the version that runs ('$LATEST' or a number). */
  readonly functionVersion?: string;
  /** context.clientContext, as JSON text (Invoke's X-Amz-Client-Context, decoded). */
  readonly clientContextJson?: string;
};

export type ChildMessage =
  | { readonly type: 'ready' }
  /** Output the handler wrote to process.stdout / process.stderr, in order with the answers. */
  | { readonly type: 'log'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'init-error'; readonly error: RuntimeError }
  | { readonly type: 'result'; readonly requestId: string; readonly payloadJson: string; readonly maxRssKb: number }
  | { readonly type: 'error'; readonly requestId: string; readonly error: RuntimeError; readonly maxRssKb: number };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'log' || type === 'init-error' || type === 'result' || type === 'error';
}

import { clipText } from '../../common/preview.ts';
/** Who is at fault, as the Query protocol's `<Type>` and SQS's `x-amzn-query-error` say. */
export type FaultSide = 'Sender' | 'Receiver';

export interface AwsErrorOptions {
  /** HTTP status; 400 unless said otherwise. */
  readonly status?: number;
  /** The code the Query protocol (and SQS's query-compatible header) uses when it differs from `code`. */
  readonly queryCode?: string;
  /** The shape namespace for JSON `__type` when it is not the service's own (e.g. `com.amazon.coral.service`). */
  readonly namespace?: string;
}

/** An error answered to the caller in its protocol's shape; `code` is the error shape's name. */
export class AwsError extends Error {
  readonly status: number;
  readonly queryCode: string;
  readonly namespace: string | undefined;

  constructor(readonly code: string, message: string, options: AwsErrorOptions = {}) {
    super(clipMessage(message));
    this.name = code;
    this.status = options.status ?? 400;
    this.queryCode = options.queryCode ?? code;
    this.namespace = options.namespace;
  }

  get side(): FaultSide {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Longer messages quote a caller's value of that size; they keep their start and end (what was wrong). */
const MAX_MESSAGE_CHARS = 1000;

export function clipMessage(message: string): string {
  return clipText(message, MAX_MESSAGE_CHARS);
}

/** Errors every AWS protocol shares. */
export const commonErrors = {
  missingParameter: (name: string): AwsError =>
    new AwsError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidParameter: (message: string): AwsError => new AwsError('InvalidParameterValue', message),
  internal: (): AwsError =>
    new AwsError('InternalFailure', 'The request processing has failed; the local cloud log has the details.', { status: 500 }),
};

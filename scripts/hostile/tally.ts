/** Counts a listener's outcomes and keeps the failures (5xx, hangs) to list with their replay index. */
import type { InputClass } from './cases.ts';
import type { Outcome } from './send.ts';

export type Bucket = '2xx' | '3xx' | '4xx' | '5xx' | 'other-status' | 'reset' | 'closed' | 'refused' | 'hung' | 'sent' | 'error';

export function bucketOf(outcome: Outcome): Bucket {
  if (outcome.kind !== 'answered') return outcome.kind;
  const { status } = outcome;
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  if (status >= 500 && status < 600) return '5xx';
  return 'other-status';
}

/** What the target forbids: a 5xx answer or no answer at all. */
export function isFailure(bucket: Bucket): boolean {
  return bucket === '5xx' || bucket === 'hung';
}

export interface Failure {
  readonly index: number;
  readonly bucket: Bucket;
  readonly status?: number;
  readonly inputClass: InputClass;
  readonly label: string;
}

export const LISTED_FAILURES = 40;

export class Tally {
  readonly counts = new Map<Bucket, number>();
  readonly byClass = new Map<InputClass, Map<Bucket, number>>();
  readonly failures: Failure[] = [];
  /** Failures past the listed ones, per class and bucket, so nothing goes uncounted. */
  failureCount = 0;
  sent = 0;

  add(index: number, inputClass: InputClass, label: string, outcome: Outcome): Bucket {
    const bucket = bucketOf(outcome);
    this.sent++;
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    const perClass = this.byClass.get(inputClass) ?? new Map<Bucket, number>();
    perClass.set(bucket, (perClass.get(bucket) ?? 0) + 1);
    this.byClass.set(inputClass, perClass);
    if (isFailure(bucket)) {
      this.failureCount++;
      if (this.failures.length < LISTED_FAILURES) {
        this.failures.push({ index, bucket, inputClass, label, ...(outcome.kind === 'answered' ? { status: outcome.status } : {}) });
      }
    }
    return bucket;
  }

  count(bucket: Bucket): number {
    return this.counts.get(bucket) ?? 0;
  }
}

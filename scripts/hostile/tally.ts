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

/** Failures listed per kind (bucket and class): enough to replay, few enough that every kind shows. */
export const LISTED_PER_KIND = 6;

export interface FailureKind {
  readonly bucket: Bucket;
  readonly inputClass: InputClass;
  count: number;
  readonly examples: Failure[];
}

export class Tally {
  readonly counts = new Map<Bucket, number>();
  readonly byClass = new Map<InputClass, Map<Bucket, number>>();
  /** 5xx answers and hangs by bucket and class, each with its first few cases. */
  readonly failureKinds = new Map<string, FailureKind>();
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
      const key = `${bucket} ${inputClass}`;
      const kind = this.failureKinds.get(key) ?? { bucket, inputClass, count: 0, examples: [] };
      kind.count++;
      if (kind.examples.length < LISTED_PER_KIND) kind.examples.push({ index, bucket, inputClass, label, ...(outcome.kind === 'answered' ? { status: outcome.status } : {}) });
      this.failureKinds.set(key, kind);
    }
    return bucket;
  }

  /** Every listed failure, kind by kind. */
  get failures(): Failure[] {
    return [...this.failureKinds.values()].flatMap((kind) => kind.examples);
  }

  count(bucket: Bucket): number {
    return this.counts.get(bucket) ?? 0;
  }
}

/**
 * Where metrics enter the store: EMF lines from the functions' output (as CloudWatch Logs extracts
 * them from the log group's events), and the services' own metrics (AWS/Lambda, AWS/ApiGateway,
 * AWS/SNS, AWS/SQS) recorded where each service observes the event. Kept apart from the log
 * pipeline: whoever captures a function's line calls `fromLogLine`, whatever else it does with it.
 */
import type { Logger } from '../core/runtime.ts';
import type { MetricStore } from './metric-store.ts';
import type { Datapoint, Dimension, MetricUnit } from './model.ts';
import { datapointFromValues } from './model.ts';
import { parseEmf } from './emf.ts';

/** CloudWatch drops EMF timestamps more than two weeks old or two hours ahead. */
const MAX_PAST_MS = 14 * 24 * 3600_000;
const MAX_FUTURE_MS = 2 * 3600_000;

export interface LogLineMetrics {
  fromLogLine(functionName: string, line: string, timestampMs: number): void;
}

export class MetricsSink implements LogLineMetrics {
  /** Reasons already logged, per function: an invalid document is named once, not on every line. */
  private readonly reported = new Set<string>();

  constructor(private readonly store: MetricStore, private readonly logger: Pick<Logger, 'warn'>) {}

  /** Extracts the line's EMF metrics, if it is an EMF document; `timestampMs` is when it was written. */
  fromLogLine(functionName: string, line: string, timestampMs: number): void {
    const result = parseEmf(line);
    if (result.kind === 'not-emf') return;
    if (result.kind === 'invalid') {
      this.warnOnce(functionName, `embedded metric format line of ${functionName} not extracted: ${result.reason}`);
      return;
    }
    const fresh = result.datapoints.filter((p) => p.timestampMs >= timestampMs - MAX_PAST_MS && p.timestampMs <= timestampMs + MAX_FUTURE_MS);
    if (fresh.length < result.datapoints.length) {
      this.warnOnce(functionName, `embedded metric format line of ${functionName}: _aws.Timestamp is more than 2 weeks old or 2 hours ahead; not extracted`);
    }
    this.put(fresh, functionName);
  }

  /** One value of a service's own metric, under each of the dimension sets AWS publishes it with. */
  record(namespace: string, metricName: string, dimensionSets: readonly (readonly Dimension[])[], value: number, unit: MetricUnit, timestampMs: number): void {
    this.put(dimensionSets.map((dimensions) => datapointFromValues({ namespace, metricName, dimensions }, [value], { timestampMs, unit })));
  }

  put(datapoints: readonly Datapoint[], emitter?: string): void {
    try {
      this.store.put(datapoints, emitter);
    } catch (error) {
      this.warnOnce('', `metric store: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private warnOnce(scope: string, message: string): void {
    const key = `${scope}\u0000${message}`;
    if (this.reported.has(key)) return;
    if (this.reported.size < 10_000) this.reported.add(key);
    this.logger.warn(message);
  }
}

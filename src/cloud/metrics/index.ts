/**
 * CloudWatch metrics of the local cloud: one store (`metrics.db` in the data folder), the sink the
 * services and the function output feed, and the API served on the AWS endpoint.
 */
import { join } from 'node:path';
import type { Clock, Logger } from '../core/runtime.ts';
import { CloudWatchApi } from './cloudwatch-api.ts';
import { MetricStore } from './metric-store.ts';
import { MetricsSink } from './metrics-sink.ts';
import { ServiceMetrics } from './service-metrics.ts';
import { FunctionSeries } from './function-series.ts';

export { CloudWatchApi } from './cloudwatch-api.ts';
export { MetricStore } from './metric-store.ts';
export { MetricsSink } from './metrics-sink.ts';
export { ServiceMetrics } from './service-metrics.ts';
export type { LogLineMetrics } from './metrics-sink.ts';
export { parseEmf } from './emf.ts';

export const METRICS_FILE = 'metrics.db';

export class CloudWatchMetrics {
  readonly store: MetricStore;
  readonly sink: MetricsSink;
  readonly api: CloudWatchApi;
  /** The services' own metrics (AWS/Lambda, AWS/ApiGateway). */
  readonly services: ServiceMetrics;
  /** A function's metrics over time, for the console's map (through the X-Ray service). */
  readonly functions: FunctionSeries;

  /** `dataDirectory` undefined keeps the metrics in memory. */
  constructor(options: { dataDirectory?: string; logger: Pick<Logger, 'warn'>; clock?: Clock }) {
    const file = options.dataDirectory === undefined ? ':memory:' : join(options.dataDirectory, METRICS_FILE);
    this.store = new MetricStore(file, options.clock !== undefined ? { clock: options.clock } : {});
    this.sink = new MetricsSink(this.store, options.logger);
    this.services = new ServiceMetrics(this.sink);
    this.functions = new FunctionSeries(this.store);
    this.api = new CloudWatchApi({ store: this.store, ...(options.clock !== undefined ? { clock: options.clock } : {}) });
  }

  close(): void {
    this.store.close();
  }
}

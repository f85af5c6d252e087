/**
 * Where the X-Ray service reads a function's metrics for the console's map (CloudWatch metrics of
 * the local cloud). The X-Ray service imports nothing of the cloud: whoever starts both (the CLI)
 * hands it a source of this shape; without one the route says there is none.
 */
export interface FunctionMetricSeries {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly stat: string;
  /** Period starts in epoch seconds, oldest first. */
  readonly points: ReadonlyArray<{ readonly timestamp: number; readonly value: number }>;
}

export interface FunctionMetricsSource {
  functionMetrics(functionName: string, window: { readonly startTime: number; readonly endTime: number }, periodSeconds: number): FunctionMetricSeries[];
}

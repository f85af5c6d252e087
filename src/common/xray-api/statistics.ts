/** Request statistics of the service graph, in the X-Ray API's JSON shape (AWS's names). */

export interface HistogramEntry {
  readonly Value: number;
  readonly Count: number;
}

export interface ErrorStatistics {
  readonly ThrottleCount?: number;
  readonly OtherCount?: number;
  readonly TotalCount?: number;
}

export interface FaultStatistics {
  readonly OtherCount?: number;
  readonly TotalCount?: number;
}

/** EdgeStatistics and ServiceStatistics have the same members. */
export interface ServiceStatistics {
  readonly OkCount?: number;
  readonly ErrorStatistics?: ErrorStatistics;
  readonly FaultStatistics?: FaultStatistics;
  readonly TotalCount?: number;
  /** Seconds, summed over TotalCount requests. */
  readonly TotalResponseTime?: number;
}

export type EdgeStatistics = ServiceStatistics;

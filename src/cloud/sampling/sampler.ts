/** What a service knows about a request when it decides whether to trace it. */
export interface SamplingRequest {
  /** The name the service gives its segments, e.g. `The X-Ray Tracer/prod`. */
  readonly serviceName: string;
  /** The segments' origin, e.g. `AWS::ApiGateway::Stage`. */
  readonly serviceType: string;
  /** Absent criteria are not checked, as the SDKs skip them. */
  readonly host?: string | undefined;
  readonly httpMethod?: string | undefined;
  readonly urlPath?: string | undefined;
  readonly resourceArn?: string | undefined;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Decides whether a request that came without a sampling decision is traced. */
export interface Sampler {
  /** Synchronous and never throws: a request never waits for, or fails because of, sampling. */
  shouldSample(request: SamplingRequest): boolean;
}

/** Samples every request: the local cloud's behaviour without an X-Ray API. */
export const SAMPLE_EVERYTHING: Sampler = { shouldSample: () => true };

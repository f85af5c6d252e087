import { ExecutionEnvironment } from './environment.ts';
import type { EnvironmentSpec } from './environment.ts';
import type { RuntimeError } from './protocol.ts';

/** An environment with the trace its output currently belongs to. */
export class PooledEnvironment {
  /** The trace id of the current (or last) invocation, for log lines. */
  traceId: string | undefined;
  /** Takes the current invocation's lines too, when its caller asked for its log (LogType Tail). */
  capture: string[] | undefined;
  readonly environment: ExecutionEnvironment;
  /** The environment's own log stream (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStreamName: string;

  constructor(spec: EnvironmentSpec, onOutput: OutputListener) {
    this.logStreamName = spec.environment.AWS_LAMBDA_LOG_STREAM_NAME ?? '';
    // Output arriving between invocations belongs to the last one (its lines can trail its answer).
    this.environment = new ExecutionEnvironment(spec, (line, stream) => {
      this.capture?.push(line);
      onOutput(this.traceId, line, stream, this.logStreamName);
    });
  }
}

/** One output line with the environment's current trace id and its log stream. */
export type OutputListener = (traceId: string | undefined, line: string, stream: 'stdout' | 'stderr', logStreamName: string) => void;

export type Lease =
  | { readonly kind: 'warm'; readonly pooled: PooledEnvironment }
  | { readonly kind: 'cold'; readonly pooled: PooledEnvironment; readonly init: { readonly start: number; readonly end: number } }
  | { readonly kind: 'init-failed'; readonly error: RuntimeError; readonly init: { readonly start: number; readonly end: number }; readonly logStreamName: string };

export class ThrottledError extends Error {
  override readonly name = 'TooManyRequestsException';
}

export class PoolStoppedError extends Error {
  override readonly name = 'ServiceException';
}

export interface PoolOptions {
  readonly spec: () => EnvironmentSpec;
  /** Concurrent environments at most; further invocations wait for a free one. */
  readonly maxEnvironments: number;
  /** Invocations that may wait for an environment; beyond this they are throttled. */
  readonly maxWaiting: number;
  readonly clock: () => number;
  /** Receives each output line with the environment's current trace id and log stream. */
  readonly onOutput: OutputListener;
}

/**
 * The execution environments of one function: idle ones are reused (warm), a new one is started
 * (cold) when none is free and the limit allows, otherwise the invocation waits its turn.
 */
export class EnvironmentPool {
  private readonly idle: PooledEnvironment[] = [];
  private readonly all = new Set<PooledEnvironment>();
  private readonly waiting: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly options: PoolOptions) {}

  get size(): number {
    return this.all.size;
  }

  async acquire(): Promise<Lease> {
    for (;;) {
      if (this.stopped) throw new PoolStoppedError('the Lambda service is stopping');
      let pooled = this.idle.pop();
      while (pooled && !pooled.environment.alive) {
        this.all.delete(pooled);
        pooled = this.idle.pop();
      }
      if (pooled) return { kind: 'warm', pooled };
      if (this.all.size < this.options.maxEnvironments) return this.coldStart();
      if (this.waiting.length >= this.options.maxWaiting) throw new ThrottledError('Rate Exceeded.');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Gives the environment back: kept warm if alive, dropped (and replaced on demand) if not. */
  release(pooled: PooledEnvironment): void {
    if (pooled.environment.alive && !this.stopped) this.idle.push(pooled);
    else this.all.delete(pooled);
    this.waiting.shift()?.();
  }

  private async coldStart(): Promise<Lease> {
    const spec = this.options.spec();
    const start = this.options.clock();
    const pooled = new PooledEnvironment(spec, this.options.onOutput);
    this.all.add(pooled);
    const outcome = await pooled.environment.init(spec.initTimeoutMs);
    const init = { start, end: this.options.clock() };
    if (outcome.ok) return { kind: 'cold', pooled, init };
    pooled.environment.kill();
    this.all.delete(pooled);
    this.waiting.shift()?.();
    return { kind: 'init-failed', error: outcome.error, init, logStreamName: pooled.logStreamName };
  }

  /** Stops every environment (running invocations end as if the process exited). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.waiting.splice(0)) wake();
    const environments = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(environments.map((pooled) => pooled.environment.stop()));
  }
}

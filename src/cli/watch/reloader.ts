/**
 * Rebuilds and restarts the local cloud when its sources change: what runs locally stays what
 * `cdk synth` makes, as on every `npm start`. A failed synthesis keeps the running cloud; changes made
 * while a reload runs are gathered into one more reload after it.
 */
import type { CloudLogger } from '../../cloud/index.ts';

export interface ReloadSteps {
  /** Synthesizes the cloud assembly; resolves to its folder. `signal` aborts it when the reloader closes. */
  synthesize(signal: AbortSignal): Promise<string>;
  /** What the assembly would run, as one string: equal fingerprints need no restart. */
  fingerprint(assemblyDir: string): Promise<string>;
  /** Stops the running cloud and starts one from the assembly; resolves to a line saying what changed. */
  restart(assemblyDir: string): Promise<string>;
}

export interface ReloaderOptions extends ReloadSteps {
  /** The fingerprint of the assembly running now. */
  readonly running: string;
  readonly log: Pick<CloudLogger, 'info' | 'error'>;
  /** Epoch milliseconds. @default Date.now */
  readonly nowMs?: () => number;
}

const SHOWN_FILES = 3;

export function describeFiles(files: readonly string[]): string {
  const shown = files.slice(0, SHOWN_FILES).join(', ');
  return files.length > SHOWN_FILES ? `${shown} and ${files.length - SHOWN_FILES} more` : shown;
}

export class Reloader {
  private readonly pending = new Set<string>();
  private running: Promise<void> | undefined;
  private runningFingerprint: string | undefined;
  private closed = false;
  /** Aborts the synthesis under way when the reloader closes. */
  private readonly closing = new AbortController();
  private readonly nowMs: () => number;

  constructor(private readonly options: ReloaderOptions) {
    this.runningFingerprint = options.running;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** Files changed (relative paths): reload now, or after the reload under way. */
  changed(files: readonly string[]): void {
    if (this.closed) return;
    for (const file of files) this.pending.add(file);
    // reload() reports its own failures; this catch keeps an unforeseen one from ending the process.
    this.running ??= this.drain()
      .catch((error: unknown) => this.options.log.error(`Reload failed: ${messageOf(error)}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  /** Resolves once no reload runs or waits. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** No more reloads: a synthesis under way is stopped; resolves when the reload has ended. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    this.closing.abort();
    await this.idle();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.closed) {
      const files = [...this.pending].sort();
      this.pending.clear();
      await this.reload(files);
    }
  }

  private async reload(files: readonly string[]): Promise<void> {
    const { log } = this.options;
    const startedMs = this.nowMs();
    log.info(`Changed: ${describeFiles(files)}. Synthesizing...`);
    let assemblyDir: string;
    let fingerprint: string;
    try {
      assemblyDir = await this.options.synthesize(this.closing.signal);
      if (this.closed) return;
      fingerprint = await this.options.fingerprint(assemblyDir);
    } catch (error) {
      if (!this.closed) log.error(`Synthesis failed; the cloud keeps running the last build.\n${messageOf(error)}`);
      return;
    }
    if (fingerprint === this.runningFingerprint) {
      log.info('The templates and handler bundles are unchanged: nothing to reload.');
      return;
    }
    try {
      this.runningFingerprint = undefined;
      const summary = await this.options.restart(assemblyDir);
      this.runningFingerprint = fingerprint;
      log.info(`Reloaded in ${((this.nowMs() - startedMs) / 1000).toFixed(1)} s: ${summary}`);
    } catch (error) {
      // No fingerprint is running now, so the next change restarts whatever it builds.
      log.error(`Could not start the local cloud from the new build: ${messageOf(error)}\nIt stays stopped until the next change.`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

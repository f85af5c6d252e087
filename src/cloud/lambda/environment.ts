import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { isChildMessage } from './protocol.ts';
import type { ChildMessage, ParentMessage, RuntimeError } from './protocol.ts';

const EXIT_GRACE_MS = 200;
const BOOTSTRAP = fileURLToPath(new URL('./runtime/bootstrap.mjs', import.meta.url));

export interface EnvironmentSpec {
  readonly functionName: string;
  /** The folder holding the bundle (LAMBDA_TASK_ROOT, the working directory). */
  readonly taskRoot: string;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** How long the Init phase may take. */
  readonly initTimeoutMs: number;
}

/** How an invocation ended, as the environment saw it. */
export type InvocationOutcome =
  | { readonly kind: 'result'; readonly payloadJson: string; readonly maxRssKb: number }
  | { readonly kind: 'error'; readonly error: RuntimeError; readonly maxRssKb: number }
  /** The environment is gone: timed out (killed), exited or crashed. It must not be reused. */
  | { readonly kind: 'fatal'; readonly error: RuntimeError };

export type InitOutcome = { readonly ok: true } | { readonly ok: false; readonly error: RuntimeError };

/** One line the handler's process wrote. */
export type OutputListener = (line: string, stream: 'stdout' | 'stderr') => void;

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code ?? 0}`;
}

/**
 * One execution environment: a Node.js child process running runtime/bootstrap.mjs with the
 * function's environment and memory limit, serving one invocation at a time.
 */
export class ExecutionEnvironment {
  private readonly child: ChildProcess;
  private exited = false;
  private exitInfo = '';
  private readonly exitWaiters: Array<() => void> = [];
  private pendingInit: ((outcome: InitOutcome) => void) | undefined;
  private pending: { requestId: string; settle: (outcome: InvocationOutcome) => void } | undefined;
  private initOutcome: InitOutcome | undefined;
  private readonly partial = { stdout: '', stderr: '' };
  private readonly onOutput: OutputListener;

  constructor(spec: EnvironmentSpec, onOutput: OutputListener) {
    this.onOutput = onOutput;
    this.child = fork(BOOTSTRAP, [], {
      cwd: spec.taskRoot,
      env: { ...spec.environment },
      // The handler gets a plain Node.js: none of this process's loaders or flags.
      execArgv: [`--max-old-space-size=${spec.memoryMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = this.child[stream];
      if (source) createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => onOutput(line, stream));
    }
    this.child.on('message', (message: unknown) => {
      if (isChildMessage(message)) this.onMessage(message);
    });
    // Only a failed spawn leaves no pid; other 'error' events (a failed kill) do not end the process.
    this.child.on('error', (error) => {
      if (this.child.pid === undefined) this.onGone(`spawn failed: ${error.message}`);
    });
    // 'close' comes once the IPC channel and pipes are drained, so a last message (an init error just
    // before exiting) is read first; 'exit' with a grace period covers pipes a grandchild keeps open.
    this.child.on('close', (code, signal) => this.onGone(exitDescription(code, signal)));
    this.child.on('exit', (code, signal) => {
      setTimeout(() => this.onGone(exitDescription(code, signal)), EXIT_GRACE_MS);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Resolves when the handler module is loaded (or failed to load, or the process died). */
  init(timeoutMs: number): Promise<InitOutcome> {
    if (this.initOutcome) return Promise.resolve(this.initOutcome);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settleInit({ ok: false, error: { errorType: 'Runtime.InitTimeout', errorMessage: `Init phase exceeded ${timeoutMs / 1000} seconds`, trace: [] } });
        this.kill();
      }, timeoutMs);
      this.pendingInit = (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      if (this.exited) this.settleInit({ ok: false, error: this.exitError() });
    });
  }

  /** Runs one invocation; on timeout the process is killed, as Lambda stops the environment. */
  invoke(message: ParentMessage, timeoutMs: number, timeoutMessage: string): Promise<InvocationOutcome> {
    if (this.pending) throw new Error(`environment ${this.pid} is already running request ${this.pending.requestId}`);
    if (this.exited) return Promise.resolve({ kind: 'fatal', error: this.exitError() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settleInvocation({ kind: 'fatal', error: { errorType: 'Sandbox.Timedout', errorMessage: timeoutMessage, trace: [] } });
        this.kill();
      }, timeoutMs);
      this.pending = {
        requestId: message.requestId,
        settle: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      this.child.send(message, (error) => {
        if (error) this.settleInvocation({ kind: 'fatal', error: { errorType: 'Runtime.ExitError', errorMessage: `could not reach the runtime: ${error.message}`, trace: [] } });
      });
    });
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Kills the process and waits until it is gone. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    this.kill();
    await gone;
  }

  private exitError(): RuntimeError {
    return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${this.exitInfo}`, trace: [] };
  }

  private settleInit(outcome: InitOutcome): void {
    this.initOutcome ??= outcome;
    const waiter = this.pendingInit;
    this.pendingInit = undefined;
    waiter?.(outcome);
  }

  private settleInvocation(outcome: InvocationOutcome): void {
    this.flushPartial();
    const pending = this.pending;
    this.pending = undefined;
    pending?.settle(outcome);
  }

  private onMessage(message: ChildMessage): void {
    switch (message.type) {
      case 'log':
        this.forwarded(message.stream, message.text);
        return;
      case 'ready':
        this.settleInit({ ok: true });
        return;
      case 'init-error':
        this.settleInit({ ok: false, error: message.error });
        return;
      case 'result':
      case 'error':
        if (this.pending?.requestId !== message.requestId) return;
        this.settleInvocation(message.type === 'result'
          ? { kind: 'result', payloadJson: message.payloadJson, maxRssKb: message.maxRssKb }
          : { kind: 'error', error: message.error, maxRssKb: message.maxRssKb });
    }
  }

  /** Splits forwarded output into lines; a partial line waits for its end or the invocation's answer. */
  private forwarded(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.onOutput(line, stream);
  }

  private flushPartial(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.onOutput(this.partial[stream], stream);
      this.partial[stream] = '';
    }
  }

  private onGone(description: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitInfo = description;
    this.settleInit({ ok: false, error: this.exitError() });
    this.settleInvocation({ kind: 'fatal', error: this.exitError() });
    for (const waiter of this.exitWaiters.splice(0)) waiter();
  }
}

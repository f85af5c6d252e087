/**
 * Runs one listener's cases with bounded concurrency: the quick ones in `concurrency` slots, the
 * slow ones (trickled, stalled, lying lengths) beside them in their own slots, since each may take
 * a server's own timeout to settle. Stops early when the process is gone or hangs pile up.
 */
import { isSlow, type HostileCase } from './cases.ts';
import { caseFuzz, type Listener, type Liveness } from './listener.ts';
import { DatagramSender, sendStream, type Address, type Outcome } from './send.ts';
import { Tally } from './tally.ts';

export interface RunOptions {
  readonly seed: number;
  readonly count: number;
  readonly concurrency: number;
  readonly slowConcurrency: number;
  /** How long an answer may take once the whole request is sent. */
  readonly timeoutMs: number;
  /** The listeners' own request timeout: how long a stalled request may wait for its answer beyond `timeoutMs`. */
  readonly serverTimeoutMs: number;
  /** Stop a listener's run after this many hangs: a frozen server would otherwise take the full count's time. */
  readonly maxHangs: number;
  /** Whether the system's process is alive; undefined when not known (no --pid). */
  readonly processAlive: () => boolean | undefined;
  /** For UDP, which has no answers: whether the process still answers (the daemon's TCP port); checked every `probeEvery` datagrams. */
  readonly probe?: () => Promise<boolean>;
  readonly probeEvery?: number;
  /** How long to wait for a listener that does not answer (a process frozen by an earlier input) before and after its run. */
  readonly settleMs: number;
  readonly progress?: (listener: string, done: number, count: number) => void;
}

export interface ListenerReport {
  readonly name: string;
  readonly where: string;
  readonly tally: Tally;
  readonly elapsedMs: number;
  readonly note?: string;
  /** Why the run stopped before `count` cases, if it did. */
  readonly stoppedEarly?: string;
  /** The process was found gone during or right after this listener's run; the window of case indices when known. */
  readonly died?: { readonly between: readonly [number, number] | undefined; readonly how: string };
  readonly liveness: Liveness;
  processAlive: boolean | undefined;
}

export function deadlineOf(hostile: HostileCase, options: Pick<RunOptions, 'timeoutMs' | 'serverTimeoutMs'>): number {
  if (hostile.transport === 'udp' || hostile.delivery.kind === 'whole') return options.timeoutMs;
  if (hostile.delivery.kind === 'trickle') return options.timeoutMs + hostile.delivery.chunks * hostile.delivery.gapMs;
  return options.timeoutMs + options.serverTimeoutMs;
}

/** Consecutive refused connections after which the listener is taken for gone. */
const REFUSED_IN_A_ROW = 20;

export async function runListener(listener: Listener, options: RunOptions): Promise<ListenerReport> {
  const before = await untilAnswering(listener, options.settleMs);
  const started = Date.now();
  const tally = new Tally();
  const notes = [before.waitedMs >= 1000 ? `waited ${(before.waitedMs / 1000).toFixed(0)} s for it to answer before the run (${before.liveness.detail})` : undefined, await listener.prepare?.()];
  const note = notes.filter((text) => text !== undefined).join('; ') || undefined;
  const datagrams = new DatagramSender(listener.address);
  let next = 0;
  let refusedInARow = 0;
  let stoppedEarly: string | undefined;
  let died: ListenerReport['died'];
  let lastProbeOk = -1;
  const slow = new Lane(options.slowConcurrency);
  const stopped = (): boolean => stoppedEarly !== undefined || died !== undefined;

  const record = (index: number, hostile: HostileCase, outcome: Outcome): void => {
    const bucket = tally.add(index, hostile.inputClass, hostile.label, outcome);
    refusedInARow = bucket === 'refused' ? refusedInARow + 1 : 0;
    if (refusedInARow >= REFUSED_IN_A_ROW && died === undefined) died = { between: undefined, how: `${REFUSED_IN_A_ROW} connections in a row refused` };
    if (tally.count('hung') >= options.maxHangs && stoppedEarly === undefined) stoppedEarly = `stopped after ${options.maxHangs} hangs (--max-hangs)`;
    options.progress?.(listener.name, tally.sent, options.count);
  };

  const worker = async (): Promise<void> => {
    while (!stopped() && next < options.count) {
      const index = next++;
      const hostile = await listener.caseAt(caseFuzz(options.seed, listener.name, index), index);
      if (hostile.transport === 'udp') {
        record(index, hostile, await datagrams.send(hostile.bytes));
        if (options.probe !== undefined && (index + 1) % (options.probeEvery ?? 100) === 0) {
          if (await options.probe()) lastProbeOk = index;
          else if (died === undefined) died = { between: [lastProbeOk + 1, index], how: 'the daemon stopped answering on its TCP port' };
        }
      } else if (isSlow(hostile)) {
        void slow.run(async () => record(index, hostile, stopped() ? { kind: 'error', code: 'not-sent' } : await sendStream(listener.address, hostile, deadlineOf(hostile, options))));
      } else {
        record(index, hostile, await sendStream(listener.address, hostile, deadlineOf(hostile, options)));
      }
      if (index % 50 === 0 && options.processAlive() === false && died === undefined) died = { between: undefined, how: 'the process is gone' };
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  await slow.idle();
  datagrams.close();
  const after = await untilAnswering(listener, options.settleMs);
  const liveness = after.waitedMs >= 1000 ? { ...after.liveness, detail: `${after.liveness.detail} (after ${(after.waitedMs / 1000).toFixed(0)} s without an answer)` } : after.liveness;
  // After the check: a process that has just thrown takes a moment to end.
  const processAlive = options.processAlive();
  if (processAlive === false && died === undefined) died = { between: undefined, how: 'the process is gone' };
  if (died === undefined && /ECONNREFUSED/.test(liveness.detail)) died = { between: undefined, how: 'the listener refuses connections' };
  return {
    name: listener.name, where: listener.where, tally, elapsedMs: Date.now() - started, liveness, processAlive,
    ...(note !== undefined ? { note } : {}), ...(stoppedEarly !== undefined ? { stoppedEarly } : {}), ...(died !== undefined ? { died } : {}),
  };
}

/**
 * The listener's check, again every second while it gets no answer at all (a frozen process may
 * recover), for at most `withinMs`. A refusal or a wrong answer ends the wait: they do not pass.
 */
export async function untilAnswering(listener: Listener, withinMs: number): Promise<{ liveness: Liveness; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const liveness = await listener.liveness();
    const waitedMs = Date.now() - started;
    if (liveness.ok || !/no answer within/.test(liveness.detail) || waitedMs >= withinMs) return { liveness, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Runs tasks with at most `slots` at once, in the order given. */
class Lane {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly all = new Set<Promise<void>>();

  constructor(private readonly slots: number) {}

  run(task: () => Promise<void>): Promise<void> {
    const done = (async () => {
      if (this.running >= this.slots) await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.running++;
      try {
        await task();
      } finally {
        this.running--;
        this.waiting.shift()?.();
      }
    })();
    this.all.add(done);
    void done.finally(() => this.all.delete(done));
    return done;
  }

  async idle(): Promise<void> {
    while (this.all.size > 0) await Promise.all([...this.all]);
  }
}

export function tcpAddress(address: Address): string {
  return `${address.host}:${address.port}`;
}

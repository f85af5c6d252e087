import { useCallback, useEffect, useRef, useState } from 'react';
import type { Scope, XrayApi } from '../api/client.ts';
import type { TimeRange } from '../shared/time-range.ts';
import { windowOf } from '../shared/time-range.ts';
import type { SummaryList } from '../traces/summary-list.ts';
import { appendBatch, firstBatch } from '../traces/summary-list.ts';
import type { Sample, SampleState } from './sample.ts';
import { nextBatchSize, sampleOf } from './sample.ts';

export interface LoadedSample {
  /** Undefined until the first batch arrives, and after it failed. */
  readonly sample: Sample | undefined;
  readonly window: SummaryList['window'] | undefined;
  readonly error: Error | undefined;
  readonly state: SampleState;
  /** Reads the view again from its first page (a relative range moves to now). */
  reload(): void;
  /** Ends the reading at once; the numbers then cover what was read. */
  stop(): void;
}

/**
 * The newest summaries of a view (`key` names its range, scope and limit), up to `limit`, read
 * batch after batch so that the page shows progress; nothing while not `enabled`. Only the newest
 * view's answers are kept.
 */
export function useSummarySample(api: XrayApi, key: string, range: TimeRange, scope: Scope, limit: number, enabled = true): LoadedSample {
  const [state, setState] = useState<{ list: SummaryList | undefined; error: Error | undefined; state: SampleState }>(
    { list: undefined, error: undefined, state: 'loading' });
  const [tick, setTick] = useState(0);
  const view = useRef(0);
  // The props of the last render: the effect runs on `key`, which names them.
  const latest = useRef({ api, range, scope, limit });
  latest.current = { api, range, scope, limit };
  const viewKey = enabled ? key : undefined;

  useEffect(() => {
    const call = view.current + 1;
    view.current = call;
    if (viewKey === undefined) {
      setState({ list: undefined, error: undefined, state: 'done' });
      return undefined;
    }
    setState({ list: undefined, error: undefined, state: 'loading' });
    const { api: client, range: asked, scope: within, limit: most } = latest.current;
    const window = windowOf(asked, Date.now() / 1000);
    void (async () => {
      let list: SummaryList | undefined;
      try {
        for (let size = nextBatchSize(list, most); size > 0; size = nextBatchSize(list, most)) {
          const batch = await client.traceSummaries(window, within, size, list?.nextToken);
          if (view.current !== call) return;
          list = list === undefined ? firstBatch(window, within, batch) : appendBatch(list, batch);
          setState({ list, error: undefined, state: 'loading' });
        }
        if (view.current === call) setState({ list, error: undefined, state: 'done' });
      } catch (error) {
        // What was read stays on screen; the error says why there is no more.
        if (view.current === call) setState({ list, error: error instanceof Error ? error : new Error(String(error)), state: list === undefined ? 'done' : 'stopped' });
      }
    })();
    return () => {
      // A newer view (or unmounting) drops this one's answers.
      if (view.current === call) view.current += 1;
    };
  }, [viewKey, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  const stop = useCallback(() => {
    // The call under way is left to finish; its answer is dropped like that of a view left behind.
    view.current += 1;
    setState((previous) => (previous.state === 'loading' ? { ...previous, state: 'stopped' } : previous));
  }, []);
  const list = state.list;
  return {
    sample: list === undefined ? undefined : sampleOf(list, limit),
    window: list?.window,
    error: state.error,
    state: state.state,
    reload,
    stop,
  };
}

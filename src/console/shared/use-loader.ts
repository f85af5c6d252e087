import { useCallback, useEffect, useRef, useState } from 'react';

export interface Loaded<T> {
  readonly value: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  /** Loads again, keeping the current value on screen until the new one arrives. */
  reload(): void;
}

/**
 * Runs `load` whenever `key` changes (and on reload), and keeps only the answer of the newest call:
 * a slow old request never overwrites a newer one.
 */
export function useLoader<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ value: T | undefined; error: Error | undefined; loading: boolean }>({ value: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const call = latest.current + 1;
    latest.current = call;
    setState((previous) => ({ ...previous, loading: true }));
    loadRef.current().then(
      (value) => { if (latest.current === call) setState({ value, error: undefined, loading: false }); },
      (error: unknown) => {
        if (latest.current === call) setState((previous) => ({ value: previous.value, error: error instanceof Error ? error : new Error(String(error)), loading: false }));
      },
    );
  }, [key, tick]);

  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}

/** Calls `callback` every `millis` while `enabled`, and not while the tab is hidden. */
export function useInterval(callback: () => void, millis: number, enabled: boolean): void {
  const callbackRef = useRef(callback);
  callbackRef.current = callback;
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = window.setInterval(() => { if (document.visibilityState !== 'hidden') callbackRef.current(); }, millis);
    return () => window.clearInterval(timer);
  }, [millis, enabled]);
}

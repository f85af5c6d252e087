import { useEffect, useState } from 'react';
import type { MapGraph } from './graph-model.ts';
import { signatureOf } from './layout.ts';
import type { Layout } from './layout.ts';
import { layoutGraph } from './layout.ts';

/** The layout of `graph`, recomputed only when its nodes or edges change, never for new statistics. */
export function useLayout(graph: MapGraph | undefined): { layout: Layout | undefined; error: Error | undefined } {
  const [state, setState] = useState<{ layout: Layout | undefined; error: Error | undefined }>({ layout: undefined, error: undefined });
  const signature = graph === undefined ? undefined : signatureOf(graph);
  useEffect(() => {
    if (graph === undefined || signature === undefined || state.layout?.signature === signature) return undefined;
    let current = true;
    layoutGraph(graph).then(
      (layout) => { if (current) setState({ layout, error: undefined }); },
      (error: unknown) => { if (current) setState({ layout: undefined, error: error instanceof Error ? error : new Error(String(error)) }); },
    );
    return () => { current = false; };
    // The graph object changes on every refresh; only its signature matters here.
  }, [signature]);
  // While a changed graph is laid out, the previous layout stays on screen.
  return state;
}

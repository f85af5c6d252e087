import { expect } from 'vitest';
import type { XrayDocument } from './xray-daemon.ts';

/** The trace header the Lambda service hands invocation `n`: a sampled trace of its own. */
export function traceHeader(n: number): { readonly root: string; readonly parent: string; readonly header: string } {
  const root = `1-67000000-${n.toString(16).padStart(24, '0')}`;
  const parent = `facade${n.toString(16).padStart(10, '0')}`; // 16 hex digits
  return { root, parent, header: `Root=${root};Parent=${parent};Sampled=1` };
}

/**
 * What the Lambda runtime sets and the X-Ray SDK and Powertools read when first loaded: with these,
 * the SDK builds the facade segment from _X_AMZN_TRACE_ID and streams every subsegment to the daemon.
 */
export function lambdaModeEnv(daemonAddress: string): Record<string, string | undefined> {
  return {
    LAMBDA_TASK_ROOT: '/var/task',
    AWS_LAMBDA_FUNCTION_NAME: 'xray-tracer-test',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: traceHeader(0).header,
    AWS_XRAY_DAEMON_ADDRESS: daemonAddress,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_LAMBDA_MAX_CONCURRENCY: undefined,
    POWERTOOLS_TRACE_ENABLED: undefined,
    POWERTOOLS_DEV: undefined,
    POWERTOOLS_METRICS_NAMESPACE: 'XrayTracerTest',
  };
}

/** The one document of that name in a trace. */
export function named(docs: readonly XrayDocument[], name: string): XrayDocument {
  const found = docs.filter((doc) => doc.name === name);
  expect(found.map((doc) => doc.name), `exactly one subsegment named ${name}`).toEqual([name]);
  return found[0] as XrayDocument;
}

/**
 * Every document is a closed subsegment of the trace, the handler's hangs off the facade segment
 * named in the trace header, and the others off documents of the same trace.
 */
export function expectClosedTree(docs: readonly XrayDocument[], root: string, facadeParent: string): void {
  const ids = new Set(docs.map((doc) => doc.id));
  expect(ids.size, 'ids are unique').toBe(docs.length);
  for (const doc of docs) {
    expect(doc.type, doc.name).toBe('subsegment');
    expect(doc.trace_id, doc.name).toBe(root);
    expect(doc.id, doc.name).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.in_progress, `${doc.name} is not in progress`).toBeUndefined();
    expect(typeof doc.end_time, `${doc.name} has an end_time`).toBe('number');
    expect(doc.end_time as number).toBeGreaterThanOrEqual(doc.start_time);
    if (doc.name === '## index.handler') expect(doc.parent_id).toBe(facadeParent);
    else expect(ids.has(doc.parent_id ?? ''), `${doc.name}'s parent is in the trace`).toBe(true);
  }
}

/** The names of the metadata keys of a subsegment, across namespaces. */
export function metadataKeys(doc: XrayDocument): string[] {
  return Object.values(doc.metadata ?? {}).flatMap((entries) => Object.keys(entries)).sort();
}

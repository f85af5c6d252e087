/**
 * The status of one segment or subsegment, as the console and the CLI colour it. Framework-free and
 * imports nothing of ours: the console (browser) and the CLI (Node) both use it.
 */
export type Status = 'ok' | 'error' | 'throttle' | 'fault';

/** The worst outcome a document's flags report: fault, then throttle, then error. */
export function statusOfDocument(document: { readonly fault?: unknown; readonly error?: unknown; readonly throttle?: unknown }): Status {
  if (document.fault === true) return 'fault';
  if (document.throttle === true) return 'throttle';
  if (document.error === true) return 'error';
  return 'ok';
}

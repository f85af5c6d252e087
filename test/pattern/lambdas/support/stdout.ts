/**
 * Runs `work` while collecting what is written to stdout and stderr, where Powertools Logger
 * (warnings and errors go to stderr) and Metrics (EMF) print their JSON lines; the lines are
 * parsed, anything else is dropped.
 */
export async function captureStdout<T>(
  work: () => Promise<T>,
): Promise<{ readonly outcome: PromiseSettledResult<T>; readonly lines: Record<string, unknown>[] }> {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  }
  let outcome: PromiseSettledResult<T>;
  try {
    outcome = { status: 'fulfilled', value: await work() };
  } catch (reason) {
    outcome = { status: 'rejected', reason };
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index] as typeof stream.write;
    });
  }
  const lines: Record<string, unknown>[] = [];
  for (const line of chunks.join('').split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a partial or non-JSON line: not ours to assert on
    }
  }
  return { outcome, lines };
}

/** The embedded-metric-format documents among the captured lines. */
export function emfDocuments(lines: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return lines.filter((line) => typeof line._aws === 'object' && line._aws !== null);
}

/** The value of one metric across the EMF documents, with the namespace it was published under. */
export function metricValue(
  lines: readonly Record<string, unknown>[],
  name: string,
): { readonly value: unknown; readonly namespace: unknown } | undefined {
  for (const doc of emfDocuments(lines)) {
    if (!(name in doc)) continue;
    const aws = doc._aws as { CloudWatchMetrics?: { Namespace?: string; Metrics?: { Name: string }[] }[] };
    const directive = aws.CloudWatchMetrics?.find((d) => d.Metrics?.some((m) => m.Name === name));
    if (directive) return { value: doc[name], namespace: directive.Namespace };
  }
  return undefined;
}

/**
 * Lists the traces of the last 10 minutes and prints each one's segment documents, using the AWS
 * SDK's XRayClient against the local X-Ray service (XRAY_ENDPOINT, default http://127.0.0.1:2001).
 *
 *   npx tsx examples/read-traces.ts            # the newest five traces
 *   npx tsx examples/read-traces.ts <trace id> # those traces
 */
import { BatchGetTracesCommand, GetTraceSummariesCommand, XRayClient } from '@aws-sdk/client-xray';

const client = new XRayClient({
  endpoint: process.env.XRAY_ENDPOINT ?? 'http://127.0.0.1:2001',
  region: process.env.AWS_REGION ?? 'us-east-1',
  // The local service does not check credentials; the SDK insists on having some.
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const now = Date.now();
const summaries = await client.send(new GetTraceSummariesCommand({ StartTime: new Date(now - 10 * 60_000), EndTime: new Date(now) }));
console.log(`GetTraceSummaries: ${summaries.TraceSummaries?.length ?? 0} traces in the last 10 minutes`);
for (const summary of summaries.TraceSummaries ?? []) {
  const annotations = Object.entries(summary.Annotations ?? {})
    .map(([key, values]) => `${key}=${JSON.stringify(Object.values(values[0]?.AnnotationValue ?? {})[0])}`)
    .join(' ');
  console.log(
    `  ${summary.Id}  ${summary.Http?.HttpMethod ?? ''} ${summary.Http?.HttpStatus ?? ''} ${summary.Duration}s` +
      `${summary.HasFault ? ' fault' : ''}${summary.HasError ? ' error' : ''}  ${annotations}`,
  );
}

const ids = process.argv.length > 2 ? process.argv.slice(2) : (summaries.TraceSummaries ?? []).slice(0, 5).map((s) => s.Id ?? '');
if (ids.length === 0) process.exit(0);
const traces = await client.send(new BatchGetTracesCommand({ TraceIds: ids }));
for (const trace of traces.Traces ?? []) {
  console.log(`\nBatchGetTraces ${trace.Id} (duration ${trace.Duration}s, ${trace.Segments?.length} segment document(s))`);
  for (const segment of trace.Segments ?? []) console.log(JSON.stringify(JSON.parse(segment.Document ?? '{}'), null, 2));
}
if (traces.UnprocessedTraceIds?.length) console.log(`not found: ${traces.UnprocessedTraceIds.join(', ')}`);
client.destroy();

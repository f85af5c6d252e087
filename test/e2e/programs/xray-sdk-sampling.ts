/**
 * A web service that leaves sampling to aws-xray-sdk-core's centralized rules, as an application
 * without a sampling decision of its own does: each request gets a segment, the SDK decides with
 * the rules it polled from the daemon's TCP port, and only sampled segments go out over UDP. Once
 * the rules have loaded it serves /health, /orders/1 and /about three times each and prints each
 * decision (and the one for its warm-up request, made before the rules loaded) as `RESULT <json>`,
 * once the SDK has sent every sampled segment. Daemon address: AWS_XRAY_DAEMON_ADDRESS.
 */
import AWSXRay from 'aws-xray-sdk-core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../../support/eventually.ts';

/** For each thing the program waits for: generous, as the machine running the tests may be loaded. */
const DEADLINE_MILLIS = 20_000;

// The SDK says when it loaded the rules and when it sent a segment; other complaints go to stderr
// for the test to see.
let rulesLoaded = false;
const sentTraces = new Set<string>();
AWSXRay.setLogger({
  debug: (message: unknown) => {
    const sent = /^Segment sent: \{"trace_id:"([^"]+)"/.exec(String(message));
    if (sent?.[1] !== undefined) sentTraces.add(sent[1]);
  },
  info: (message: unknown) => {
    if (String(message).includes('Successfully refreshed centralized sampling rule cache')) rulesLoaded = true;
  },
  warn: (...parts: unknown[]) => console.error('[WARN]', ...parts.map(String)),
  error: (...parts: unknown[]) => console.error('[ERROR]', ...parts.map(String)),
});

/** Waits until `condition` holds; throws, naming `what`, when it still does not at the deadline. */
function waitFor(what: string, condition: () => boolean): Promise<void> {
  return eventually(condition, { what, timeoutMs: DEADLINE_MILLIS });
}

interface Decision {
  readonly path: string;
  readonly sampled: boolean;
  readonly traceId: string;
}
const decisions: Decision[] = [];

const app = createServer((request, response) => {
  const header = AWSXRay.middleware.processHeaders(request);
  const segment = new AWSXRay.Segment('sampled-api', header.root, header.parent);
  segment.addIncomingRequestData(new AWSXRay.middleware.IncomingRequestData(request));
  AWSXRay.middleware.resolveSampling(header, segment, response);
  // The SDK's typings leave out `notTraced`, which resolveSampling sets on a segment it does not sample.
  const sampled = (segment as unknown as { notTraced?: boolean }).notTraced !== true;
  decisions.push({ path: request.url ?? '', sampled, traceId: segment.trace_id });
  response.statusCode = 200;
  response.end('ok');
  segment.close();
});
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

// The first decision starts the SDK's pollers; it is made before any rule has loaded.
await fetch(`${base}/warm-up`);
await waitFor('the SDK to load the sampling rules', () => rulesLoaded);
const warmUp = decisions.splice(0);

for (let round = 0; round < 3; round++) {
  for (const path of ['/health', '/orders/1', '/about']) await fetch(`${base}${path}`);
}
// Segments go out over UDP on close, handed to the system after the program could have exited.
const sampled = [...warmUp, ...decisions].filter((decision) => decision.sampled).map((decision) => decision.traceId);
await waitFor(`the SDK to send the ${sampled.length} sampled segments`, () => sampled.every((traceId) => sentTraces.has(traceId)));
console.log(`RESULT ${JSON.stringify({ warmUp, decisions })}`);
app.close();

/**
 * A web service that leaves sampling to aws-xray-sdk-core's centralized rules, as an application
 * without a sampling decision of its own does: each request gets a segment, the SDK decides with
 * the rules it polled from the daemon's TCP port, and only sampled segments go out over UDP. Once
 * the rules have loaded it serves /health, /orders/1 and /about three times each and prints each
 * decision (and the one for its warm-up request, made before the rules loaded) as `RESULT <json>`.
 * Daemon address: AWS_XRAY_DAEMON_ADDRESS.
 */
import AWSXRay from 'aws-xray-sdk-core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const RULES_TIMEOUT_MILLIS = 5000;

// The SDK says when it loaded the rules; other complaints go to stderr for the test to see.
let rulesLoaded: () => void = () => {};
const loaded = new Promise<void>((resolve) => (rulesLoaded = resolve));
AWSXRay.setLogger({
  debug: () => {},
  info: (message: unknown) => {
    if (String(message).includes('Successfully refreshed centralized sampling rule cache')) rulesLoaded();
  },
  warn: (...parts: unknown[]) => console.error('[WARN]', ...parts.map(String)),
  error: (...parts: unknown[]) => console.error('[ERROR]', ...parts.map(String)),
});

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
const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the SDK loaded no sampling rules')), RULES_TIMEOUT_MILLIS).unref());
await Promise.race([loaded, timeout]);
const warmUp = decisions.splice(0);

for (let round = 0; round < 3; round++) {
  for (const path of ['/health', '/orders/1', '/about']) await fetch(`${base}${path}`);
}
// Segments go out over UDP on close; let the sends finish before exiting.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(`RESULT ${JSON.stringify({ warmUp, decisions })}`);
app.close();

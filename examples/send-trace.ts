/**
 * Sends one trace to the local X-Ray service with the AWS X-Ray SDK for Node.js, the way an
 * instrumented web service would: a segment for an incoming request, annotations, a user, metadata,
 * a subsegment, an outgoing HTTP call and a captured exception.
 *
 *   npx xray-tracer xray                 # in one terminal
 *   npx tsx examples/send-trace.ts       # in another
 *   npx tsx examples/read-traces.ts      # read it back with the AWS SDK's XRayClient
 *
 * The SDK sends to AWS_XRAY_DAEMON_ADDRESS (default 127.0.0.1:2000) and asks the same address over
 * TCP for sampling rules.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import AWSXRay from 'aws-xray-sdk-core';

AWSXRay.setContextMissingStrategy('LOG_ERROR');
// Outgoing calls through this module become `remote` subsegments with their http data.
const tracedHttp = AWSXRay.captureHTTPs(http, false);

// A stand-in backend the shop calls: answers stock levels as JSON.
const inventory = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ sku: 'A-1', inStock: 12 }));
});

const shop = http.createServer((request, response) => {
  const traceHeader = AWSXRay.middleware.processHeaders(request);
  const segment = new AWSXRay.Segment('example-shop', traceHeader.root, traceHeader.parent);
  segment.addIncomingRequestData(new AWSXRay.middleware.IncomingRequestData(request));
  AWSXRay.middleware.resolveSampling(traceHeader, segment, response);
  AWSXRay.getNamespace().run(() => {
    AWSXRay.setSegment(segment);
    void checkout(segment).then((status) => {
      response.statusCode = status;
      response.end();
      // The SDK's typings leave out `http`, the IncomingRequestData set above.
      (segment as unknown as { http: { close(res: http.ServerResponse): void } }).http.close(response);
      segment.close();
    });
  });
});

async function checkout(segment: AWSXRay.Segment): Promise<number> {
  segment.addAnnotation('customer', 'alice');
  segment.addAnnotation('order_total', 42.5);
  segment.addAnnotation('express', true);
  segment.setUser('alice');
  segment.addMetadata('cart', { items: [{ sku: 'A-1', qty: 2 }], currency: 'EUR' }, 'shop');

  await AWSXRay.captureAsyncFunc('price-lookup', async (subsegment) => {
    subsegment?.addAnnotation('discount_code', 'SPRING');
    subsegment?.addMetadata('rules', ['5% off', 'free shipping']);
    subsegment?.close();
  });

  const stock = await getJson(`http://127.0.0.1:${(inventory.address() as AddressInfo).port}/stock/A-1`);
  segment.addMetadata('stock', stock, 'shop');

  const payment = segment.addNewSubsegment('charge-card');
  try {
    throw new Error('card declined: insufficient funds');
  } catch (error) {
    payment.addError(error as Error);
  } finally {
    payment.close();
  }
  return 402;
}

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    tracedHttp
      .get(url, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

await listen(inventory);
const port = await listen(shop);
const response = await fetch(`http://127.0.0.1:${port}/checkout?cart=7`, { method: 'POST', headers: { 'user-agent': 'send-trace-example/1.0' } });
const traceHeader = response.headers.get('x-amzn-trace-id');
// Segments leave over UDP when they close; give the send a moment before exiting.
await new Promise((resolve) => setTimeout(resolve, 300));
shop.close();
inventory.close();
console.log(`sent a trace for POST /checkout (answered ${response.status})${traceHeader ? `: ${traceHeader}` : ''}`);
console.log('read it back with: npx tsx examples/read-traces.ts');

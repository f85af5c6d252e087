/**
 * A small web service instrumented with aws-xray-sdk-core the way its README shows: a segment per
 * incoming request with the request's http data, annotations of each type, a user, metadata, a
 * subsegment, a captured DynamoDB call, an outbound HTTP call to a local server traced by
 * captureHTTPsGlobal (a `remote` subsegment) and a captured exception. It serves two requests (the
 * second one after centralized sampling rules have loaded) and prints the trace ids as `RESULT <json>`.
 * Daemon address: AWS_XRAY_DAEMON_ADDRESS.
 */
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import AWSXRay from 'aws-xray-sdk-core';
import http, { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDynamoDbResponder } from './dynamodb-responder.ts';

AWSXRay.setContextMissingStrategy('LOG_ERROR');
// Every outbound http request made inside a segment becomes a `remote` subsegment.
AWSXRay.captureHTTPsGlobal(http);
const dynamo = await startDynamoDbResponder();
const inventory = createServer((_request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end('{"in_stock":true}');
});
await new Promise<void>((resolve) => inventory.listen(0, '127.0.0.1', resolve));
const inventoryUrl = `http://127.0.0.1:${(inventory.address() as AddressInfo).port}/inventory/A-1`;
const client = AWSXRay.captureAWSv3Client(
  new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 }),
);
const traceIds: string[] = [];

async function handle(segment: AWSXRay.Segment): Promise<void> {
  segment.addAnnotation('customer', 'alice');
  segment.addAnnotation('order_total', 42.5);
  segment.addAnnotation('vip', true);
  segment.setUser('alice');
  segment.addMetadata('cart', { items: [{ sku: 'A-1', qty: 2, price: 21.25 }], currency: 'EUR', note: null }, 'shop');
  await AWSXRay.captureAsyncFunc('compute-price', async (subsegment) => {
    subsegment?.addAnnotation('discount_applied', true);
    subsegment?.addMetadata('rules', ['vip-5%', 'free-shipping']);
    subsegment?.close();
  });
  await client.send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: 'o-1' } } }));
  await new Promise<void>((resolve, reject) => {
    http.get(inventoryUrl, (reply) => reply.resume().on('end', resolve)).on('error', reject);
  });
  const charge = segment.addNewSubsegment('charge-card');
  try {
    throw new Error('card declined');
  } catch (error) {
    charge.addError(error as Error);
  } finally {
    charge.close();
  }
}

const app = createServer((request, response) => {
  const header = AWSXRay.middleware.processHeaders(request);
  const segment = new AWSXRay.Segment('checkout-api', header.root, header.parent);
  segment.addIncomingRequestData(new AWSXRay.middleware.IncomingRequestData(request));
  AWSXRay.middleware.resolveSampling(header, segment, response);
  traceIds.push(segment.trace_id);
  AWSXRay.getNamespace().run(() => {
    AWSXRay.setSegment(segment);
    void handle(segment).then(() => {
      response.statusCode = 201;
      response.setHeader('content-length', 2);
      response.end('ok');
      // The SDK's typings leave out `http`, the IncomingRequestData set above.
      (segment as unknown as { http: { close(res: ServerResponse): void } }).http.close(response);
      segment.close();
    });
  });
});
await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}/orders/o-1?expand=items`;

await fetch(url, { headers: { 'user-agent': 'round-trip-test/1.0' } });
// The first request starts the sampling rule poller; give it time to load the rules.
await new Promise((resolve) => setTimeout(resolve, 500));
await fetch(url, { method: 'POST', headers: { 'user-agent': 'round-trip-test/1.0' } });
// Segments go out over UDP on close; let the sends finish before exiting.
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(`RESULT ${JSON.stringify({ traceIds })}`);
app.close();
inventory.close();
dynamo.close();

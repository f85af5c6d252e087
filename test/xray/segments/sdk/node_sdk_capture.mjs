/**
 * Prints, one per line, the segment documents the AWS X-Ray SDK for Node.js (aws-xray-sdk-core,
 * this project's dependency) sends: a segment with incoming request data, a local subsegment
 * holding an HTTP call to a local server, and a subsegment that records an exception; an
 * in-progress segment; a subsegment formatted to be sent on its own. The SDK sends to
 * AWS_XRAY_DAEMON_ADDRESS, here a UDP socket of this script. Used to refresh
 * ../fixtures/sdk-corpus/node-*.json: node test/xray/segments/sdk/node_sdk_capture.mjs
 */
import dgram from 'node:dgram';
import http from 'node:http';

const receiver = dgram.createSocket('udp4');
const out = [];
receiver.on('message', (m) => out.push(m.toString('utf8').split('\n').slice(1).join('\n')));
receiver.bind(0, '127.0.0.1', async () => {
  process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${receiver.address().port}`;
  // The SDK reads the daemon's address when it loads.
  const { default: AWSXRay } = await import('aws-xray-sdk-core');
  AWSXRay.setContextMissingStrategy('IGNORE_ERROR');
  AWSXRay.middleware.disableCentralizedSampling();
  const server = http.createServer((req, res) => { res.setHeader('content-length', '11'); res.end('{"ok":true}'); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const segment = new AWSXRay.Segment('node-orders');
  segment.addIncomingRequestData(new AWSXRay.middleware.IncomingRequestData({ method: 'GET', url: '/orders/7', headers: { host: 'orders.example.com', 'user-agent': 'curl/8.5.0', 'x-forwarded-for': '203.0.113.9' }, connection: { encrypted: true } }));
  segment.addAnnotation('customer', 'alice');
  segment.addAnnotation('total', 42.5);
  segment.addMetadata('items', [1, 2]);
  segment.setUser('alice');
  const load = segment.addNewSubsegment('load_order');
  load.addAnnotation('rows', 3);
  const call = load.addNewSubsegment('127.0.0.1');
  await new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: server.address().port, path: '/inventory?id=7', agent: new http.Agent() }, (res) => {
      res.resume();
      res.on('end', () => { call.namespace = 'remote'; call.addRemoteRequestData(req, res, true); call.close(); resolve(); });
    });
  });
  load.close();
  const fail = segment.addNewSubsegment('charge_card');
  fail.close(new TypeError('card declined'));
  segment.http.close({ statusCode: 200, headers: { 'content-length': '15' } });
  segment.close();
  await new Promise((r) => setTimeout(r, 300));
  // A long-running segment: in progress, then subsegments streamed on their own.
  const open = new AWSXRay.Segment('node-worker');
  open.flush();
  AWSXRay.setStreamingThreshold(0);
  // A subsegment of another segment, sent on its own while that segment stays open.
  const batch = new AWSXRay.Segment('node-batch');
  const job = batch.addNewSubsegment('process_batch');
  job.addMetadata('batch', { size: 10 });
  job.close();
  out.push(job.format());
  await new Promise((r) => setTimeout(r, 300));
  for (const text of out) console.log(text);
  server.close();
  receiver.close();
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Answers DynamoDB's JSON protocol for GetItem and PutItem on 127.0.0.1, so that the test programs make
 * real AWS SDK calls over HTTP which the X-Ray SDK captures as `aws` subsegments.
 */
export async function startDynamoDbResponder(): Promise<{ endpoint: string; close(): void }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = target.endsWith('.GetItem') ? { Item: { id: { S: 'o-1' }, total: { N: '42.5' } } } : {};
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'LOCALREQ0000000000000000000000000000000000000000001' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

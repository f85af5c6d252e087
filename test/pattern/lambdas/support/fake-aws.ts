import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call as it arrived on the wire. */
export interface AwsCall {
  /** `DynamoDB_20120810.UpdateItem`, `AmazonSQS.SendMessage` or `SNS.Publish`. */
  readonly operation: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface CannedError {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * Just enough of DynamoDB (JSON 1.0), SQS (JSON 1.0) and SNS (query protocol) on one HTTP endpoint for
 * the handlers' calls to go through the whole AWS SDK stack, tracing middleware included.
 */
export interface FakeAws {
  readonly url: string;
  readonly calls: AwsCall[];
  /** The next call gets this answer instead of a success. */
  failNext(error: CannedError): void;
  close(): Promise<void>;
}

export const FAKE_MESSAGE_ID = '5fea7756-0ea4-451a-a703-a558b933e274';
const REQUEST_ID = '9a8b7c6d-0000-4000-8000-000000000001';

function answer(operation: string, body: string): { status: number; contentType: string; body: string } {
  switch (operation) {
    case 'DynamoDB_20120810.UpdateItem':
      return { status: 200, contentType: 'application/x-amz-json-1.0', body: '{}' };
    case 'AmazonSQS.SendMessage': {
      const { MessageBody } = JSON.parse(body) as { MessageBody: string };
      const md5 = createHash('md5').update(MessageBody).digest('hex');
      return {
        status: 200,
        contentType: 'application/x-amz-json-1.0',
        body: JSON.stringify({ MessageId: FAKE_MESSAGE_ID, MD5OfMessageBody: md5 }),
      };
    }
    case 'SNS.Publish':
      return {
        status: 200,
        contentType: 'text/xml',
        body:
          '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
          `<PublishResult><MessageId>${FAKE_MESSAGE_ID}</MessageId></PublishResult>` +
          `<ResponseMetadata><RequestId>${REQUEST_ID}</RequestId></ResponseMetadata></PublishResponse>`,
      };
    default:
      return {
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ message: `fake endpoint does not implement ${operation}` }),
      };
  }
}

export async function startFakeAws(): Promise<FakeAws> {
  const calls: AwsCall[] = [];
  let nextError: CannedError | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = req.headers['x-amz-target'];
      const operation =
        typeof target === 'string' ? target : `SNS.${new URLSearchParams(body).get('Action') ?? 'unknown'}`;
      calls.push({ operation, headers: req.headers, body });
      const reply = nextError ?? answer(operation, body);
      nextError = undefined;
      res.writeHead(reply.status, {
        'content-type': reply.contentType,
        'content-length': Buffer.byteLength(reply.body),
        'x-amzn-requestid': REQUEST_ID,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext(error) {
      nextError = error;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

import { PutTraceSegmentsCommand, ThrottledException, XRayClient } from '@aws-sdk/client-xray';
import { afterEach, describe, expect, test } from 'vitest';
import { BatchWriter } from '../../../src/xray/ingest/batch-writer.ts';
import { startHttpServer } from '../../../src/xray/http/server.ts';
import type { RunningHttpServer } from '../../../src/xray/http/server.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { inMemoryApiRouter } from '../support/api-router.ts';
import { newTraceId, segment } from '../support/documents.ts';
import { HeldWriter } from '../support/held-writer.ts';

const NOW = 1_750_000_000;
let server: RunningHttpServer | undefined;
let client: XRayClient | undefined;

afterEach(async () => {
  client?.destroy();
  await server?.close();
});

/** The X-Ray API over a store whose commits the test holds, with room for `maxPendingRecords` documents. */
async function start(writer: HeldWriter, maxPendingRecords: number): Promise<XRayClient> {
  const store = new MemoryTraceStore({ nowSeconds: () => NOW });
  const router = inMemoryApiRouter(NOW, {
    store,
    graph: store,
    writer: new BatchWriter({ writer, logger: silentLogger, maxWritesInFlight: 1, maxPendingRecords }),
  });
  server = await startHttpServer({ router, host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, logger: silentLogger });
  client = new XRayClient({
    endpoint: `http://127.0.0.1:${server.address.port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  return client;
}

function documents(count: number): string[] {
  const traceId = newTraceId(NOW - 10);
  return Array.from({ length: count }, (_, i) => JSON.stringify(segment(traceId, NOW - 10 + i)));
}

describe('PutTraceSegments when the store is behind', () => {
  test('answers only once committed; a call that does not fit is a ThrottledException (429) with Retry-After, storing nothing', async () => {
    const writer = new HeldWriter();
    const xray = await start(writer, 2);
    let firstAnswered = false;
    const first = xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents(2) })).then((result) => {
      firstAnswered = true;
      return result;
    });
    const write = await writer.nextWrite();

    const refused = await xray.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents(1) })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ThrottledException);
    const throttled = refused as ThrottledException;
    expect(throttled.$metadata.httpStatusCode).toBe(429);
    expect(throttled.message).toBe('the store is behind (2 documents waiting to be written); nothing of this request was stored, send it again later');
    // ThrottledException is on the SDKs' list of throttling errors, which they retry with backoff.
    expect(throttled.name).toBe('ThrottledException');

    const raw = await fetch(`http://127.0.0.1:${server?.address.port}/TraceSegments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TraceSegmentDocuments: documents(1) }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(raw.headers.get('x-amzn-errortype')).toBe('ThrottledException');

    expect(firstAnswered).toBe(false);
    write.commit();
    expect((await first).UnprocessedTraceSegments).toEqual([]);
    expect(writer.committed).toHaveLength(2);
  });
});

/**
 * The reproduction through PutTraceSegments: a ~10 KB document whose field is an array
 * nested 5,000 deep. Quoting the value in the error message recursed and the request answered
 * 500; it is now refused with the nesting limit named, and the good documents of the same request
 * are stored.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MAX_NESTING_DEPTH } from '../../../src/xray/segments/validate.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { newId, newTraceId, segment } from '../support/documents.ts';

const NOW = 1_750_000_000;
const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;
let service: XrayService;

beforeAll(async () => {
  service = await startXrayService({ store: new MemoryTraceStore({ nowSeconds: () => NOW }), daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000, consoleDir: false });
});

afterAll(() => service?.stop());

test.each(['start_time', 'end_time', 'parent_id', 'metadata'])('a document with %s an array 5,000 deep is refused, not a 500', async (field) => {
  const id = newId();
  const base = `{"name":"x","id":"${id}","trace_id":"${newTraceId(NOW)}","start_time":${NOW - 1},"end_time":${NOW}`;
  const deep = field === 'metadata' ? `${base},"metadata":{"a":${DEEP}}}` : `${base},"${field}":${DEEP}}`.replace(`"${field}":${field === 'start_time' ? NOW - 1 : NOW},`, '');
  const good = segment(newTraceId(NOW), NOW - 1);
  const response = await fetch(`${service.api.url}/TraceSegments`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceSegmentDocuments: [deep, JSON.stringify(good)] }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { UnprocessedTraceSegments: Array<{ Id: string; ErrorCode: string; Message: string }> };
  expect(body.UnprocessedTraceSegments).toEqual([
    { Id: id, ErrorCode: 'InvalidField', Message: expect.stringContaining(`nests objects and arrays more than ${MAX_NESTING_DEPTH} levels deep`) as unknown },
  ]);
  expect(body.UnprocessedTraceSegments[0]?.Message.startsWith(field === 'metadata' ? 'metadata.a[0]' : `${field}[0]`)).toBe(true);
});
